"""A rebuild knows unchanged inputs by their file metadata, and hashes only
when that metadata moved: a touched file is hashed once and found unchanged,
an edit that keeps the size is still an edit. What the metadata cannot see
(an edit in place that keeps the size and has its mtime set back) is pinned
here too, with --no-cache as the way out."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from test_incremental import build, make_show, snapshot

import qacast.artwork
import qacast.build
import qacast.pipeline
from qacast.build import render_locally
from qacast.config import ShowConfig, load_show
from qacast.cover_check import load_cover_remembered
from qacast.errors import AssetError
from qacast.manifest import StateLayout, load_record
from qacast.parse_cache import PARSED_NAME, load_parsed
from qacast.pipeline import RenderedEpisode, RenderResources, RenderSettings
from qacast.publish.catalog import show_cover_path
from qacast.render_inputs import RenderInputs
from qacast.voices.cache import SynthesisCache


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("stamps")
    show_dir = make_show(root / "show")
    report, _ = build(show_dir, SynthesisCache(root / "cache"))
    assert len(report.rendered) == 2 and not report.failed
    return show_dir, root / "cache"


@pytest.fixture
def show(built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, SynthesisCache]:
    source, cache_src = built
    show_dir, cache_dir = tmp_path / "show", tmp_path / "cache"
    shutil.copytree(source, show_dir)
    shutil.copytree(cache_src, cache_dir)
    # A copy has new inodes: the first build hashes each episode once, then stamps it.
    report, _ = build(show_dir, SynthesisCache(cache_dir))
    assert report.rendered == () and len(report.unchanged) == 2
    return show_dir, SynthesisCache(cache_dir)


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The scripts whose inputs the build read and hashed, in call order."""
    calls: list[Path] = []
    real = RenderInputs.fingerprint

    def counting(inputs: RenderInputs) -> str:
        calls.append(inputs.script)
        return real(inputs)

    monkeypatch.setattr(RenderInputs, "fingerprint", counting)
    yield calls


def recorded_stamp(show_dir: Path, slug: str) -> str:
    record = load_record(StateLayout.of_show(show_dir), show_dir / "out", slug)
    assert record is not None
    return record.stamp


def touch_later(path: Path) -> None:
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 5_000_000_000))


def test_a_rebuild_with_nothing_changed_hashes_nothing(
    show: tuple[Path, SynthesisCache], hashed: list[Path]
) -> None:
    show_dir, cache = show
    before = snapshot(show_dir / "out")
    report, processes = build(show_dir, cache)
    assert report.rendered == () and len(report.unchanged) == 2
    assert hashed == [] and processes == 0
    assert snapshot(show_dir / "out") == before


def test_a_touched_script_is_hashed_once_and_stays_unchanged(
    show: tuple[Path, SynthesisCache], hashed: list[Path]
) -> None:
    show_dir, cache = show
    script = show_dir / "scripts" / "01-talk.txt"
    stamp = recorded_stamp(show_dir, "01-talk")
    touch_later(script)
    report, _ = build(show_dir, cache)
    assert report.rendered == () and len(report.unchanged) == 2
    assert set(hashed) == {script}
    assert recorded_stamp(show_dir, "01-talk") != stamp
    hashed.clear()
    report, _ = build(show_dir, cache)  # the new metadata was recorded
    assert report.rendered == () and hashed == []


def test_an_edit_that_keeps_the_size_is_rendered(show: tuple[Path, SynthesisCache]) -> None:
    show_dir, cache = show
    script = show_dir / "scripts" / "02-talk.txt"
    text = script.read_text(encoding="utf-8")
    edited = text.replace("A better radio.", "A better ratio.")
    assert len(edited) == len(text) and edited != text
    script.write_text(edited, encoding="utf-8")
    report, _ = build(show_dir, cache)
    assert report.rendered == ("02-talk",) and report.unchanged == ("01-talk",)


def test_an_edit_that_keeps_size_and_mtime_but_not_the_inode_is_rendered(
    show: tuple[Path, SynthesisCache],
) -> None:
    """Editors that save by writing a new file and renaming it over the old
    one give it a new inode: seen, even with the old size and mtime."""
    show_dir, cache = show
    script = show_dir / "scripts" / "02-talk.txt"
    before = script.stat()
    edited = script.read_text(encoding="utf-8").replace("A better radio.", "A better ratio.")
    replacement = script.with_name(".02-talk.txt.new")
    replacement.write_text(edited, encoding="utf-8")
    replacement.replace(script)
    os.utime(script, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (script.stat().st_size, script.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    report, _ = build(show_dir, cache)
    assert report.rendered == ("02-talk",)


def test_an_edit_in_place_with_size_and_mtime_restored_is_not_seen_but_no_cache_renders_it(
    show: tuple[Path, SynthesisCache], hashed: list[Path]
) -> None:
    """The limit of a metadata check, as for make and git: the same inode,
    size and nanosecond mtime read as unchanged. --no-cache renders anyway."""
    show_dir, cache = show
    script = show_dir / "scripts" / "02-talk.txt"
    before = script.stat()
    edited = script.read_text(encoding="utf-8").replace("A better radio.", "A better ratio.")
    with script.open("r+", encoding="utf-8") as file:  # the same inode
        file.write(edited)
    os.utime(script, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert script.stat().st_ino == before.st_ino
    report, _ = build(show_dir, cache)
    assert report.rendered == () and hashed == []
    report = rebuild_everything(show_dir, cache)
    assert sorted(report.rendered) == ["01-talk", "02-talk"]
    assert "ratio" in (show_dir / "out" / "02-talk.vtt").read_text(encoding="utf-8")


def rebuild_everything(show_dir: Path, cache: SynthesisCache) -> qacast.build.BuildReport:
    """build as --no-cache runs it: every episode rendered, stamps or not."""
    from test_incremental import TODAY

    from qacast.audio.encode import encode_settings
    from qacast.audio.loudness import LoudnessTarget
    from qacast.config import load_show
    from qacast.voices.pool import SynthesisPool
    from qacast.voices.presets import load_preset

    from conftest import DEFAULT_PRESET

    with SynthesisPool(1) as pool:
        settings = RenderSettings(
            load_show(show_dir),
            load_preset(DEFAULT_PRESET),
            (encode_settings("mp3"),),
            LoudnessTarget(),
        )
        resources = RenderResources(show_dir / "out", pool=lambda: pool)
        options = qacast.build.BuildOptions(TODAY, rerender=True)
        return qacast.build.build_show(settings, resources, options)


def test_a_new_lexicon_file_renders_every_episode(show: tuple[Path, SynthesisCache]) -> None:
    show_dir, cache = show
    lexicon = show_dir / "voices" / "lexicon.toml"
    lexicon.parent.mkdir(exist_ok=True)
    lexicon.write_text('radio = "ray dee oh"\n', encoding="utf-8")
    report, _ = build(show_dir, cache)
    assert sorted(report.rendered) == ["01-talk", "02-talk"]


def test_an_untouched_show_neither_parses_nor_publishes_again(
    show: tuple[Path, SynthesisCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    show_dir, cache = show
    parsed: list[Path] = []
    real = qacast.build.read_checked

    def counting(script: Path, show: ShowConfig) -> object:
        parsed.append(script)
        return real(script, show)

    monkeypatch.setattr(qacast.build, "read_checked", counting)
    before = snapshot(show_dir / "out")
    report, _ = build(show_dir, cache)
    assert report.rendered == () and not report.feed_written and parsed == []
    assert snapshot(show_dir / "out") == before


@pytest.mark.parametrize("which", ["index.html", "feed.xml", "01-talk.html", "show cover"])
def test_a_published_file_removed_by_hand_is_written_again(
    show: tuple[Path, SynthesisCache], which: str
) -> None:
    show_dir, cache = show
    if which == "show cover":
        path = show_cover_path(load_show(show_dir), show_dir / "out")
    else:
        path = show_dir / "out" / which
    data = path.read_bytes()
    path.unlink()
    build(show_dir, cache)
    assert path.read_bytes() == data


def test_a_changed_show_title_reaches_feed_and_site(show: tuple[Path, SynthesisCache]) -> None:
    show_dir, cache = show
    config = show_dir / "qacast.toml"
    text = config.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title"))
    config.write_text(text.replace(title, 'title = "Renamed Show"'), encoding="utf-8")
    report, _ = build(show_dir, cache)
    assert report.feed_written
    assert "Renamed Show" in (show_dir / "out" / "feed.xml").read_text(encoding="utf-8")
    assert "Renamed Show" in (show_dir / "out" / "index.html").read_text(encoding="utf-8")


def test_a_touched_script_keeps_its_parsed_episode_fresh(
    show: tuple[Path, SynthesisCache],
) -> None:
    show_dir, cache = show
    script = show_dir / "scripts" / "02-talk.txt"
    script.write_text(
        script.read_text(encoding="utf-8").replace("Talk Number 2", "Talk Number Two"),
        encoding="utf-8",
    )
    report, _ = build(show_dir, cache)
    assert report.rendered == ("02-talk",)
    assert "Talk Number Two" in (show_dir / "out" / "feed.xml").read_text(encoding="utf-8")


def test_the_longest_script_renders_first_and_the_report_keeps_script_order(
    tmp_path: Path,
) -> None:
    show_dir = make_show(tmp_path / "show", episodes=3)
    script = show_dir / "scripts" / "02-talk.txt"
    script.write_text(
        script.read_text(encoding="utf-8") + "\nSI: One more question, a longer one?\n",
        encoding="utf-8",
    )
    order: list[str] = []

    def recording(path: Path, *args: Any) -> RenderedEpisode:
        order.append(path.stem)
        return render_locally(path, *args)

    report, _ = build(show_dir, SynthesisCache(tmp_path / "cache"), render=recording)
    assert order[0] == "02-talk"
    assert report.rendered == ("01-talk", "02-talk", "03-talk")


# Run as `qacast build SHOW -q` (the click command, not cli.run, which leaves
# with os._exit), then say which of the heavy modules were imported.
IMPORTED = """
import sys
from qacast.cli import main
try:
    main(["build", sys.argv[1], "-q"], obj={{"own_process": True}})
except SystemExit as done:
    status = done.code
print("imported:", *sorted(name for name in {heavy!r} if name in sys.modules))
sys.exit(status)
"""
HEAVY = ("numpy", "qacast.script.parse", "yaml", "markdown_it", "feedgen", "jinja2", "lxml")


def test_a_no_change_cli_build_imports_neither_parser_nor_numpy_nor_publishing(
    show: tuple[Path, SynthesisCache],
) -> None:
    """What keeps a no-change build quick, checked without timing it: the
    parser (a few hundred regular expressions), numpy and the feed and site
    libraries are never imported when every script and output is unchanged."""
    show_dir, _ = show
    command = [sys.executable, "-c", IMPORTED.format(heavy=HEAVY), str(show_dir)]
    env = {**os.environ, "QACAST_CACHE_DIR": str(show_dir / ".qacast" / "cache")}
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr  # the CLI's own settings recorded
    second = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert second.returncode == 0, second.stderr
    assert second.stdout.split() == ["imported:"]


class _Runs:
    """Pickles as a call of os.system: what a crafted parsed.pickle would hold."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch ran",))


def test_a_crafted_parsed_file_runs_nothing_and_only_costs_a_parse(tmp_path: Path) -> None:
    state = StateLayout.of_show(tmp_path)
    state.records.mkdir(parents=True)
    (state.records / PARSED_NAME).write_bytes(pickle.dumps({"01-talk.txt": ("key", _Runs())}))
    assert load_parsed(state) == {}
    assert not (tmp_path / "ran").exists() and not Path("ran").exists()


def test_a_cover_checked_once_is_not_decoded_again_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = tmp_path / "state"
    memo.mkdir()
    path = tmp_path / "cover.png"
    Image.new("RGB", (1400, 1400), (20, 40, 60)).save(path)
    assert load_cover_remembered(path, memo) == (path.read_bytes(), "image/png")
    decoded: list[Path] = []
    real = qacast.artwork.load_cover

    def counting(cover: Path) -> tuple[bytes, str]:
        decoded.append(cover)
        return real(cover)

    monkeypatch.setattr(qacast.artwork, "load_cover", counting)
    assert load_cover_remembered(path, memo) == (path.read_bytes(), "image/png")
    assert decoded == []
    Image.new("RGB", (1400, 1000), (20, 40, 60)).save(path)  # replaced: not square
    with pytest.raises(AssetError, match="not square"):
        load_cover_remembered(path, memo)
    assert decoded == [path]
