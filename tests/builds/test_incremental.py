"""Rebuilds redo only what changed; -j does not change a byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from qacast.audio.encode import encode_settings
from qacast.audio.loudness import LoudnessTarget
from qacast.build import BuildOptions, BuildReport, Renderer, build_show, render_locally
from qacast.config import load_show
from qacast.pipeline import RenderResources, RenderSettings
from qacast.scaffold import init_show
from qacast.voices.cache import SynthesisCache
from qacast.voices.pool import SynthesisPool
from qacast.voices.presets import load_preset

from conftest import DEFAULT_PRESET

TODAY = dt.date(2026, 11, 25)
SCRIPT = """\
---
episode: {n}
date: 2026-01-{n:02d}
---
Talk Number {n}

SI: What did you build first, Nestor?

NJP: A radio. It never worked. I learned a lot from it.

SI: And what came next?

NJP: A better radio. That one worked on the second try.
"""


def make_show(root: Path, episodes: int = 2) -> Path:
    init_show(root)
    for path in (root / "scripts").iterdir():
        path.unlink()
    for n in range(1, episodes + 1):
        (root / "scripts" / f"{n:02d}-talk.txt").write_text(SCRIPT.format(n=n), encoding="utf-8")
    return root


def build(
    show_dir: Path, cache: SynthesisCache, jobs: int = 1, render: Renderer = render_locally
) -> tuple[BuildReport, int]:
    show = load_show(show_dir)
    with SynthesisPool(jobs) as pool:
        settings = RenderSettings(
            show, load_preset(DEFAULT_PRESET), (encode_settings("mp3"),), LoudnessTarget()
        )
        resources = RenderResources(show_dir / "out", jobs, lambda: pool, cache)
        report = build_show(settings, resources, BuildOptions(TODAY, jobs, render))
    return report, pool.processes_started


def snapshot(out_dir: Path) -> dict[str, tuple[int, str]]:
    return {
        str(p.relative_to(out_dir)): (
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in sorted(out_dir.rglob("*"))
        if p.is_file() and ".cache" not in p.parts and p.name != ".gitkeep"
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("incremental")
    show_dir = make_show(root / "show")
    report, _ = build(show_dir, SynthesisCache(root / "cache"))
    assert len(report.rendered) == 2 and not report.failed
    return show_dir, root / "cache"


def test_a_build_with_no_change_synthesizes_and_rewrites_nothing(built: tuple[Path, Path]) -> None:
    show_dir, cache_dir = built
    before = snapshot(show_dir / "out")
    cache = SynthesisCache(cache_dir)
    report, processes = build(show_dir, cache)
    assert report.rendered == () and len(report.unchanged) == 2
    assert not report.feed_written
    assert processes == 0 and cache.stats.misses == 0
    assert snapshot(show_dir / "out") == before


def test_editing_one_answer_resynthesizes_only_its_changed_sentence(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    source, cache_src = built
    show_dir, cache_dir = tmp_path / "show", tmp_path / "cache"
    shutil.copytree(source, show_dir)
    shutil.copytree(cache_src, cache_dir)
    script = show_dir / "scripts" / "01-talk.txt"
    script.write_text(
        script.read_text(encoding="utf-8").replace("It never worked.", "It never once worked."),
        encoding="utf-8",
    )
    cache = SynthesisCache(cache_dir)
    report, _ = build(show_dir, cache)
    assert report.rendered == ("01-talk",) and report.unchanged == ("02-talk",)
    # One new sentence; everything else in the episode came from the cache.
    assert cache.stats.misses == 1
    assert cache.stats.hits > 5


def test_a_corrupt_cache_entry_is_rebuilt_not_used(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    source, cache_src = built
    show_dir, cache_dir = tmp_path / "show", tmp_path / "cache"
    shutil.copytree(source, show_dir)
    shutil.copytree(cache_src, cache_dir)
    entry = sorted(cache_dir.rglob("*.clip"))[0]
    entry.write_bytes(entry.read_bytes()[:-50] + b"garbage!" * 6)
    shutil.rmtree(show_dir / "out")
    warnings: list[str] = []
    cache = SynthesisCache(cache_dir, warn=warnings.append)
    report, _ = build(show_dir, cache)
    assert len(report.rendered) == 2 and cache.stats.corrupt == 1
    assert any(entry.name in w for w in warnings)
    assert snapshot(show_dir / "out").keys() == snapshot(source / "out").keys()


def test_two_jobs_give_the_bytes_of_one(built: tuple[Path, Path], tmp_path: Path) -> None:
    source, _ = built
    show_dir = tmp_path / "show"
    shutil.copytree(source, show_dir)
    shutil.rmtree(show_dir / "out")
    report, _ = build(show_dir, SynthesisCache(tmp_path / "fresh-cache"), jobs=2)
    assert len(report.rendered) == 2
    one = {k: v[1] for k, v in snapshot(source / "out").items()}
    two = {k: v[1] for k, v in snapshot(show_dir / "out").items()}
    assert one == two
