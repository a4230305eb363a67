"""qacast's rooms, bottom up: a module imports only from its own layer or from those below.

``LAYERS`` is the table (docs/ARCHITECTURE.md, "Layers", says it in words).
Every import of every module is read from its source with ``ast``: those at
the top, those inside functions and those under ``TYPE_CHECKING`` alike, so a
function-local import cannot hide an arrow that points up. A circle of
imports, even within one layer, fails too. Then every module is imported in
layer order in a fresh interpreter, and importing one must load nothing from a
layer above it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import qacast

PACKAGE_DIR = Path(qacast.__file__).parent

# Bottom up. "name" is that module alone; "name.*" is a package and every module in it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("data", ("qacast", "qacast.errors", "qacast.models", "qacast.formats", "qacast.apple",
              "qacast.limits")),
    ("tools", ("qacast.fsutil", "qacast.store", "qacast.progress", "qacast.clock")),
    # The script reader, by what each part needs of the others.
    ("script: text and languages", ("qacast.script.text", "qacast.script.languages",
                                    "qacast.script.episode_language")),
    ("script: blocks", ("qacast.script.blocks.*",)),
    ("script: speech", ("qacast.script.speech.*",)),
    ("script: front matter", ("qacast.script.front.*",)),
    ("script: labels", ("qacast.script.labels.*",)),
    ("script: formats", ("qacast.script.formats.*",)),
    ("script: turns", ("qacast.script.turns.*",)),
    ("script: reading", ("qacast.script", "qacast.script.parse", "qacast.script.serialize",
                         "qacast.script.read")),
    ("settings", ("qacast.config", "qacast.episode")),
    ("build state", ("qacast.manifest", "qacast.parse_cache", "qacast.transaction")),
    ("media", ("qacast.audio.*", "qacast.artwork")),
    ("voices", ("qacast.voices.*",)),
    ("publish", ("qacast.publish.*",)),
    ("render", ("qacast.render_env", "qacast.render_inputs", "qacast.pipeline", "qacast.stamps",
                "qacast.cover_check")),
    ("show", ("qacast.build", "qacast.remote", "qacast.prune", "qacast.scaffold")),
    ("commands", ("qacast.cli",)),
)  # fmt: skip

# Not imported in the second pass (their imports are still read): importing
# them starts a speech engine, which only a synthesis process may do.
STARTS_AN_ENGINE = ("qacast.voices.engines.espeak_driver", "qacast.voices.engines.preload")


@dataclass(frozen=True)
class Import:
    importer: str
    line: int
    target: str  # the qacast module it loads


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = module_files()


def layer_of(module: str) -> int | None:
    """Index in LAYERS of the entry that names ``module`` most closely."""
    best: tuple[int, int] | None = None  # (how closely, layer)
    for index, (_, patterns) in enumerate(LAYERS):
        for pattern in patterns:
            base = pattern.removesuffix(".*")
            exact = module == pattern
            inside = pattern.endswith(".*") and (module == base or module.startswith(base + "."))
            if (exact or inside) and (best is None or len(base) > best[0]):
                best = (len(base), index)
    return best[1] if best else None


def _target(node: ast.Import | ast.ImportFrom, alias: ast.alias, module: str) -> str | None:
    if isinstance(node, ast.Import):
        name = alias.name
    else:
        base = node.module or ""
        if node.level:
            package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
            package = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
            base = f"{package}.{base}" if base else package
        name = f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> Iterator[Import]:
    """Every qacast module ``module`` imports, wherever the import statement stands."""
    return imports_in(MODULES[module].read_text(encoding="utf-8"), module)


def imports_in(source: str, module: str) -> Iterator[Import]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                target = _target(node, alias, module)
                if target is not None and target != module:
                    yield Import(module, node.lineno, target)


def _describe(found: Import) -> str:
    names = {index: name for index, (name, _) in enumerate(LAYERS)}
    return (
        f"{MODULES[found.importer].relative_to(PACKAGE_DIR.parent)}:{found.line} "
        f"({names[layer_of(found.importer) or 0]}) imports {found.target} "
        f"({names[layer_of(found.target) or 0]})"
    )


def test_every_module_has_a_layer() -> None:
    unplaced = [module for module in MODULES if layer_of(module) is None]
    assert not unplaced, f"add these modules to a layer of LAYERS: {unplaced}"


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = sorted(
        {
            _describe(found)
            for module in MODULES
            for found in imports_of(module)
            if (layer_of(found.target) or 0) > (layer_of(module) or 0)
        }
    )
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)


def _circle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """The shortest circle of imports that leads from ``start`` back to it, if any."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for module in frontier:
            for target in sorted(graph[module]):
                if target == start:
                    return [*paths[module], start]
                if target not in paths:
                    paths[target] = [*paths[module], target]
                    following.append(target)
        frontier = following
    return None


def test_no_circle_of_imports() -> None:
    graph = {module: {found.target for found in imports_of(module)} for module in MODULES}
    circles = {
        " -> ".join(circle)
        for module in MODULES
        if (circle := _circle_through(module, graph)) is not None
    }
    assert not circles, "circles of imports:\n" + "\n".join(sorted(circles))


IMPORT_IN_ORDER = """
import importlib, json, sys
order, layers = json.loads(sys.argv[1]), json.loads(sys.argv[2])
upward = []
for module in order:
    before = set(sys.modules)
    importlib.import_module(module)
    for loaded in sorted(set(sys.modules) - before):
        own_package = module.startswith(loaded + ".")  # Python loads it first
        if loaded in layers and not own_package and layers[loaded] > layers[module]:
            upward.append(f"importing {module} loaded {loaded}")
print(json.dumps(upward))
"""


def test_importing_the_modules_in_layer_order_loads_nothing_from_above() -> None:
    order = sorted(
        (module for module in MODULES if module not in STARTS_AN_ENGINE),
        key=lambda module: (layer_of(module) or 0, module),
    )
    layers = {module: layer_of(module) for module in MODULES}
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_IN_ORDER, json.dumps(order), json.dumps(layers)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from qacast.pipeline import RenderEnv", "qacast.pipeline"),
        ("from qacast import artwork", "qacast.artwork"),
        ("import qacast.publish.feed", "qacast.publish.feed"),
        ("from qacast.voices.engines import ENGINES", "qacast.voices.engines"),
    ],
)
def test_imports_are_read_wherever_they_stand(source: str, expected: str) -> None:
    # A function-local or type-only import is an arrow like any other.
    for wrapped in (
        source,
        f"def later() -> None:\n    {source}\n",
        f"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    {source}\n",
    ):
        assert [found.target for found in imports_in(wrapped, "qacast.config")] == [expected]
