"""The house's size rules, read from the source of every module of qacast.

No function or method over 60 lines (from its ``def`` line to its last, decorators
not counted), none with more than 6 parameters (``self`` and ``cls`` not counted,
``*args`` and ``**kwargs`` one each), no module over 800 lines. A function that is
a data table (one row per entry, nothing to split but the table itself) may be
longer, when it is listed in ``ALLOWED`` with the reason. Each failure lists every
offender, so one run shows all there is to fix.

Also: no two test files share a name, since they are imported as plain modules
by their name (pyproject.toml's pytest ``pythonpath``).
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from locations import TESTS_DIR

import qacast

PACKAGE_DIR = Path(qacast.__file__).resolve().parent
MAX_FUNCTION_LINES = 60
MAX_PARAMETERS = 6
MAX_MODULE_LINES = 800

# "path:qualified name" -> why it is a data table, not a function to split.
ALLOWED: dict[str, str] = {
    # The ordered list of text-to-speech rewrite rules for a language: each
    # entry is one (name, pattern, handler) row, and their order is the design
    # (addresses before numbers, numbers before acronyms). Splitting it would
    # scatter one ordered table over several functions.
    "qacast/script/speech/normalise_rules.py:standard_rules": "rule table",
}


@dataclass(frozen=True)
class Function:
    where: str  # "qacast/x.py:Class.method"
    line: int
    lines: int
    parameters: int


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    args = node.args
    named = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if named and named[0].arg in ("self", "cls"):
        named = named[1:]
    return len(named) + (args.vararg is not None) + (args.kwarg is not None)


def _functions(tree: ast.AST, path: str, prefix: str = "") -> Iterator[Function]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + node.name
            assert node.end_lineno is not None
            lines = node.end_lineno - node.lineno + 1
            yield Function(f"{path}:{name}", node.lineno, lines, _parameters(node))
            yield from _functions(node, path, name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, path, prefix + node.name + ".")
        else:
            yield from _functions(node, path, prefix)


def _modules() -> Iterator[tuple[str, str]]:
    for module in sorted(PACKAGE_DIR.rglob("*.py")):
        yield module.relative_to(PACKAGE_DIR.parent).as_posix(), module.read_text("utf-8")


@cache
def all_functions() -> tuple[Function, ...]:
    found: list[Function] = []
    for path, source in _modules():
        found.extend(_functions(ast.parse(source, filename=path), path))
    return tuple(found)


def _listed(offenders: list[str]) -> str:
    return "\n  ".join(["", *offenders])


def test_every_module_is_read() -> None:
    functions = all_functions()
    assert len(functions) > 500
    assert any(f.where.endswith(":standard_rules") for f in functions)


def test_no_function_is_longer_than_60_lines() -> None:
    offenders = [
        f"{f.where} (line {f.line}): {f.lines} lines"
        for f in all_functions()
        if f.lines > MAX_FUNCTION_LINES and f.where not in ALLOWED
    ]
    assert not offenders, f"over {MAX_FUNCTION_LINES} lines:" + _listed(offenders)


def test_no_function_takes_more_than_6_parameters() -> None:
    offenders = [
        f"{f.where} (line {f.line}): {f.parameters} parameters"
        for f in all_functions()
        if f.parameters > MAX_PARAMETERS and f.where not in ALLOWED
    ]
    assert not offenders, f"over {MAX_PARAMETERS} parameters:" + _listed(offenders)


def test_every_allowed_function_exists_and_needs_it() -> None:
    """An entry whose function was split, renamed or removed leaves the list."""
    over = {
        f.where
        for f in all_functions()
        if f.lines > MAX_FUNCTION_LINES or f.parameters > MAX_PARAMETERS
    }
    stale = sorted(set(ALLOWED) - over)
    assert not stale, "allowed but within the limits (or gone):" + _listed(stale)


def test_no_module_is_longer_than_800_lines() -> None:
    offenders = [
        f"{path}: {len(source.splitlines())} lines"
        for path, source in _modules()
        if len(source.splitlines()) > MAX_MODULE_LINES
    ]
    assert not offenders, f"over {MAX_MODULE_LINES} lines:" + _listed(offenders)


def test_no_two_test_files_share_a_name() -> None:
    names = Counter(path.name for path in TESTS_DIR.rglob("test_*.py"))
    shared = sorted(
        str(path.relative_to(TESTS_DIR))
        for path in TESTS_DIR.rglob("test_*.py")
        if names[path.name] > 1
    )
    assert not shared, "test files sharing a name (pytest imports them by name):" + _listed(shared)
