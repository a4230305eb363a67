"""Builds as transactions, through the real CLI: one build per show at a time,
no stray file after a kill, out/ holding only what listeners fetch, a broken
script keeping its last good episode, gone scripts taking their files along."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from build_helpers import build, make_show, qacast_command, run_qacast, session_cache
from held_lock import lock_held_elsewhere
from locations import REPO_DIR

from qacast.errors import ExitStatus, OutputError
from qacast.manifest import StateLayout
from qacast.transaction import show_lock


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_cache(tmp_path_factory)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Path:
    """The two-episode show built once, cleanly, with the session cache."""
    show_dir = make_show(tmp_path_factory.mktemp("reference"))
    build(show_dir, cache_dir)
    return show_dir


def out_bytes(out_dir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out_dir).as_posix(): path.read_bytes()
        for path in sorted(out_dir.rglob("*"))
        if path.is_file()
    }


def feed_titles(out_dir: Path) -> list[str]:
    channel = ET.parse(out_dir / "feed.xml").getroot().find("channel")
    assert channel is not None
    return [item.findtext("title") or "" for item in channel.iter("item")]


def copy_built(reference: Path, tmp_path: Path) -> Path:
    show = tmp_path / "show"
    shutil.copytree(reference, show, symlinks=True)
    return show


# --- out/ holds only what a listener fetches -------------------------------------------


def test_out_holds_only_published_files(reference: Path) -> None:
    out_dir = reference / "out"
    hidden = [p for p in out_dir.rglob(".*")]
    assert hidden == []
    assert (reference / ".qacast" / "state" / "01-radios.json").is_file()
    assert (reference / ".qacast" / "state" / "last-good" / "01-radios.txt").is_file()
    work = reference / ".qacast" / "work"
    assert not work.exists() or list(work.iterdir()) == []


def test_default_cache_lives_in_the_build_state(tmp_path: Path, reference: Path) -> None:
    """Without --cache-dir the synthesis cache is SHOW/.qacast/cache, never out/."""
    show = copy_built(reference, tmp_path)
    (show / "scripts" / "02-escaping.txt").unlink()
    result = run_qacast("build", show)  # no --cache-dir, no QACAST_CACHE_DIR
    assert result.returncode == 0, result.stderr
    assert not (show / "out" / ".cache").exists()


def test_state_and_leftovers_in_out_are_cleaned(tmp_path: Path, reference: Path, cache_dir: Path
                                                ) -> None:  # fmt: skip
    """What an older qacast or a killed build left in out/ is moved out or removed,
    and the episodes stay current (nothing re-renders)."""
    show = copy_built(reference, tmp_path)
    out_dir, state = show / "out", show / ".qacast"
    (out_dir / ".qacast").mkdir()
    for record in (state / "state").glob("*.json"):
        record.replace(out_dir / ".qacast" / record.name)
    (out_dir / ".cache" / "ab").mkdir(parents=True)
    (out_dir / ".cache" / "ab" / "ab12.clip").write_bytes(b"old clip")
    (out_dir / ".01-radios.2mfevphf").mkdir()
    (out_dir / ".01-radios.2mfevphf" / "programme.pcm").write_bytes(bytes(4096))
    (out_dir / ".feed.xml.k3j4h5g6.tmp").write_text("<rss", encoding="utf-8")
    (state / "work" / "02-escaping.abcdefgh").mkdir(parents=True)
    (state / "work" / "02-escaping.abcdefgh" / "02-escaping.mp3").write_bytes(b"half")
    result = build(show, cache_dir)
    assert "built 0, unchanged 2" in result.stdout + result.stderr
    assert out_bytes(out_dir) == out_bytes(reference / "out")
    assert list(out_dir.rglob(".*")) == []
    assert list((state / "work").iterdir()) == []
    assert sorted(p.name for p in (state / "state").glob("*.json")) == [
        "01-radios.json",
        "02-escaping.json",
    ]


# --- scripts come and go ----------------------------------------------------------------


def test_a_deleted_script_takes_its_files_along(tmp_path: Path, reference: Path, cache_dir: Path
                                                ) -> None:  # fmt: skip
    show = copy_built(reference, tmp_path)
    (show / "scripts" / "02-escaping.txt").unlink()
    result = build(show, cache_dir)
    assert "removed 02-escaping: its script is gone" in result.stdout + result.stderr
    assert list((show / "out").glob("02-escaping*")) == []
    assert feed_titles(show / "out") == ["Fixing Radios"]
    assert not (show / ".qacast" / "state" / "02-escaping.json").exists()
    assert not (show / ".qacast" / "state" / "last-good" / "02-escaping.txt").exists()


def test_a_new_cover_type_removes_the_old_artwork(tmp_path: Path, reference: Path,
                                                  cache_dir: Path) -> None:  # fmt: skip
    from PIL import Image

    show = copy_built(reference, tmp_path)
    Image.new("RGB", (1400, 1400), (90, 60, 30)).save(show / "audio" / "cover.jpg")
    config = show / "qacast.toml"
    text = config.read_text(encoding="utf-8")
    assert 'cover = "audio/cover.png"' in text
    config.write_text(text.replace("audio/cover.png", "audio/cover.jpg"), encoding="utf-8")
    build(show, cache_dir)
    names = sorted(p.name for p in (show / "out").iterdir())
    assert "cover.jpg" in names and "cover.png" not in names
    assert "01-radios.jpg" in names and "01-radios.png" not in names
    assert "02-escaping.jpg" in names and "02-escaping.png" not in names


def test_a_broken_published_script_stays_published(tmp_path: Path, reference: Path,
                                                   cache_dir: Path) -> None:  # fmt: skip
    show = copy_built(reference, tmp_path)
    script = show / "scripts" / "02-escaping.txt"
    good = script.read_text(encoding="utf-8")
    assert "\nepisode: 2\n" in good
    script.write_text(good.replace("\nepisode: 2\n", "\nepisode: abc\n"), encoding="utf-8")
    result = run_qacast("build", show, "--cache-dir", cache_dir, "-q")
    assert result.returncode == ExitStatus.SOME_FAILED
    (line,) = result.stderr.splitlines()
    assert "02-escaping.txt" in line and "episode" in line
    assert "its last good version stays published; fix the script and build again" in line
    assert line.endswith("(1 of 2 scripts failed; the other was built)")
    assert out_bytes(show / "out") == out_bytes(reference / "out")  # feed item and files kept
    assert len(feed_titles(show / "out")) == 2
    script.write_text(good, encoding="utf-8")
    result = build(show, cache_dir)
    assert "built 0, unchanged 2" in result.stdout + result.stderr


def test_when_every_script_fails_no_feed_is_written(tmp_path: Path, cache_dir: Path) -> None:
    show = make_show(tmp_path)
    for script in (show / "scripts").iterdir():
        script.write_text("nobody speaks here\n", encoding="utf-8")
    result = run_qacast("build", show, "--cache-dir", cache_dir, "-q")
    assert result.returncode == ExitStatus.SOME_FAILED
    lines = result.stderr.splitlines()
    assert len(lines) == 2  # one per script
    assert lines[-1].endswith("(2 of 2 scripts failed; no episode was built)")
    assert "others were built" not in result.stderr
    assert not (show / "out" / "feed.xml").exists()


def test_a_script_that_vanishes_mid_build_is_one_failure(tmp_path: Path) -> None:
    """Planned, then deleted before its turn: reported for that script alone, in one line."""
    from qacast.audio.encode import encode_settings
    from qacast.audio.loudness import LoudnessTarget
    from qacast.build import BuildOptions, ShowBuild, build_episode, plan_scripts
    from qacast.config import load_show
    from qacast.pipeline import RenderResources, RenderSettings
    from qacast.voices.presets import load_preset

    show_dir = make_show(tmp_path)
    preset = show_dir / "voices" / "mine.toml"
    preset.parent.mkdir(exist_ok=True)
    shutil.copyfile(REPO_DIR / "voices" / "default.toml", preset)
    show = load_show(show_dir)
    state = StateLayout.of_show(show_dir)
    plans = plan_scripts(show, sorted((show_dir / "scripts").iterdir()))
    settings = RenderSettings(show, load_preset(preset), (encode_settings("mp3"),),
                              LoudnessTarget(-19.0, -1.0))  # fmt: skip
    build = ShowBuild(settings, RenderResources(show_dir / "out"),
                      BuildOptions(dt.date(2026, 12, 1)), state, records={})  # fmt: skip
    plans[1].script.unlink()
    outcome = build_episode(plans[1], build)
    assert outcome.error.startswith("02-escaping.txt: cannot be read")
    assert outcome.published is None
    # The cast preset deleted mid-build: the episode's failure names the preset.
    preset.unlink()
    outcome = build_episode(plans[0], build)
    assert outcome.error.startswith(f"01-radios.txt: cannot read {preset}")
    assert outcome.published is None


# --- one build at a time --------------------------------------------------------------


def test_a_held_lock_makes_the_next_build_give_up(tmp_path: Path) -> None:
    state = StateLayout.of_show(tmp_path)
    state.root.mkdir()
    with (
        lock_held_elsewhere(state.root / "build.lock"),
        pytest.raises(OutputError, match="another build of this show holds"),
        show_lock(state, wait_s=0.2),
    ):
        pass
    with show_lock(state, wait_s=0.2):  # free again
        pass


def test_two_concurrent_builds(tmp_path: Path, reference: Path, cache_dir: Path) -> None:
    """Started together on one show: one builds, the other waits and then finds
    everything current (or gives up with one line); the show ends byte-identical
    to a clean build."""
    show = make_show(tmp_path)
    env = dict(os.environ, QACAST_CACHE_DIR=str(cache_dir))
    builds = [
        subprocess.Popen([*qacast_command(), "build", str(show)], env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]  # fmt: skip
    results = [(b.wait(timeout=600), b.communicate()[1]) for b in builds]
    summaries = []
    for code, stderr in results:
        assert "Traceback" not in stderr
        if code == 0:
            (summary,) = re.findall(r"built \d+, unchanged \d+", stderr)
            summaries.append(summary)
        else:
            assert code == ExitStatus.OUTPUT, stderr
            assert "another build of this show holds" in stderr.splitlines()[-1]
    # Never both rendering the same episodes at once.
    assert sorted(summaries) in (
        ["built 0, unchanged 2", "built 2, unchanged 0"],
        ["built 2, unchanged 0"],
    ), results
    assert out_bytes(show / "out") == out_bytes(reference / "out")
    again = build(show, cache_dir)
    assert "built 0, unchanged 2" in again.stdout + again.stderr
