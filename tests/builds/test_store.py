"""The checksummed store is its own room: clips and MP3 spans both use it, neither owns it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from qacast.audio.spans import span_store
from qacast.pipeline import RenderResources
from qacast.store import ChecksummedStore
from qacast.voices.cache import SynthesisCache

from conftest import REPO


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}  # fmt: skip
    found |= {node.module for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module}  # fmt: skip
    return found


def test_the_store_and_the_spans_do_not_reach_into_voices() -> None:
    for module in ("store.py", "audio/spans.py"):
        reached = {m for m in imported_modules(REPO / "qacast" / module)
                   if m.startswith("qacast.voices")}  # fmt: skip
        assert reached == set(), module
    # Importing the store loads nothing of voices or audio either.
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, qacast.store; print(sorted(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "qacast.voices" not in loaded and "qacast.audio" not in loaded


def env(**stores: ChecksummedStore | None) -> RenderResources:
    return RenderResources(out_dir=REPO / "out", **stores)  # type: ignore[arg-type]


def test_render_resources_carry_the_clip_store_and_the_span_store(tmp_path: Path) -> None:
    warnings: list[str] = []
    clips = SynthesisCache(tmp_path / "cache", warn=warnings.append)
    beside = env(clips=clips)
    assert beside.clips is clips
    assert beside.spans is not None and beside.spans.directory == tmp_path / "cache" / "encoded"
    elsewhere = ChecksummedStore(tmp_path / "spans", suffix=".frames")
    assert env(clips=clips, spans=elsewhere).spans is elsewhere
    assert env().clips is None and env().spans is None  # a render keeps its own, for itself

    # The span store reports damage through the show's warning, in its own words.
    spans = span_store(clips)
    spans.put_entry("cd" * 32, 3, b"frames")
    entry = next((tmp_path / "cache" / "encoded").rglob("*.frames"))
    entry.write_bytes(entry.read_bytes()[:-1] + b"!")
    assert spans.get_entry("cd" * 32) is None
    assert spans.stats.corrupt == 1 and clips.stats.corrupt == 0
    assert len(warnings) == 1 and "encoding it again" in warnings[0]


def test_entries_round_trip_and_damage_is_a_miss(tmp_path: Path) -> None:
    store = ChecksummedStore(tmp_path / "store")
    store.put_entry("ab" * 32, 22050, b"\x01\x02" * 100)
    assert store.get_entry("ab" * 32) == (22050, b"\x01\x02" * 100)
    assert store.get_entry("ef" * 32) is None
    entry = next((tmp_path / "store").rglob("*.clip"))
    entry.write_bytes(entry.read_bytes()[:20])
    assert store.get_entry("ab" * 32) is None
    assert (store.stats.hits, store.stats.misses, store.stats.corrupt) == (1, 2, 1)
