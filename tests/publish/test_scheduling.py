"""Front-matter dates with a time and zone, episodes dated in the future, and
episodes that share a day, through the real `qacast build`, `check` and
`publish` (to a folder), read back with feedparser.

"Now" is set with QACAST_NOW, as a producer would to see what a date does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
from build_helpers import SLUGS, make_show, qacast_command, session_cache

BEFORE_DUE = "2026-06-15T12:00:00+00:00"
AFTER_DUE = "2027-01-15T08:30:00+00:00"  # 09:30 in the episode's zone: half an hour late
LATER = "03-later"
LATER_SCRIPT = """---
episode: 3
date: 2027-01-15 09:00 +0100
description: Said ahead, heard later.
cast:
  AH: {name: Ada Host, role: interviewer}
  NP: {name: Nestor Portillo, role: interviewee}
---
AH: Is it time yet?

NP: Not quite.
"""


def qacast(now: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QACAST_NOW": now}
    env.pop("QACAST_CACHE_DIR", None)
    result = subprocess.run([*qacast_command(), *map(str, args)], capture_output=True, text=True,
                            env=env, timeout=300, check=False)  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    return result


def build(show: Path, cache: Path, now: str) -> subprocess.CompletedProcess[str]:
    result = qacast(now, "build", show, "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    return result


def entries(show: Path) -> dict[str, str]:
    """slug -> the pubDate of its item, as written."""
    parsed = feedparser.parse((show / "out" / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return {e.link.rsplit("/", 1)[-1].removesuffix(".html"): e.published for e in parsed.entries}


@pytest.fixture
def show(tmp_path: Path) -> Path:
    show_dir = make_show(tmp_path)
    first = show_dir / "scripts" / f"{SLUGS[0]}.txt"
    text = first.read_text(encoding="utf-8").replace("date: 2024-01-15\n",
                                                      "date: 2024-01-15 09:00 +0100\n")  # fmt: skip
    first.write_text(text, encoding="utf-8")
    (show_dir / "scripts" / f"{LATER}.txt").write_text(LATER_SCRIPT, encoding="utf-8")
    return show_dir


@pytest.fixture
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_cache(tmp_path_factory)


def test_a_date_with_time_and_zone_is_the_pubdate_a_date_alone_is_noon_utc(
    show: Path, cache: Path
) -> None:
    build(show, cache, BEFORE_DUE)
    dates = entries(show)
    assert dates[SLUGS[0]] == "Mon, 15 Jan 2024 09:00:00 +0100"
    assert dates[SLUGS[1]] == "Thu, 01 Feb 2024 12:00:00 +0000"


def test_a_future_episode_is_rendered_but_published_only_when_due(
    show: Path, cache: Path, tmp_path: Path
) -> None:
    out, host = show / "out", tmp_path / "host"
    built = build(show, cache, BEFORE_DUE)
    assert f"qacast: {LATER}: scheduled for 2027-01-15 09:00 +0100" in built.stderr
    assert (out / f"{LATER}.mp3").is_file()  # rendered, ready for its day
    assert LATER not in entries(show)
    assert not (out / f"{LATER}.html").exists()
    assert "Said ahead" not in (out / "index.html").read_text(encoding="utf-8")
    assert qacast(BEFORE_DUE, "check", show).returncode == 0
    published = qacast(BEFORE_DUE, "publish", show, "--to", host, "--no-verify")
    assert published.returncode == 0, published.stderr
    assert (host / "feed.xml").is_file() and not list(host.glob(f"{LATER}*"))

    # Half an hour after it is due: the next build publishes it, rendering nothing.
    due = qacast(AFTER_DUE, "publish", show, "--to", host, "--no-verify")
    assert f"{LATER} is due since 2027-01-15 09:00 +0100: run qacast build" in due.stderr
    rebuilt = build(show, cache, AFTER_DUE)
    assert "built 0, unchanged 3" in rebuilt.stderr and "scheduled" not in rebuilt.stderr
    assert entries(show)[LATER] == "Fri, 15 Jan 2027 09:00:00 +0100"
    assert (out / f"{LATER}.html").is_file()
    assert qacast(AFTER_DUE, "publish", show, "--to", host, "--no-verify").returncode == 0
    assert (host / f"{LATER}.mp3").read_bytes() == (out / f"{LATER}.mp3").read_bytes()


def test_episodes_first_built_the_same_day_get_pubdates_in_episode_order(
    show: Path, cache: Path
) -> None:
    """Scripts without a date are dated by their first build's day: two built
    together get their episode number of minutes after noon UTC, not one pubDate."""
    second = show / "scripts" / f"{SLUGS[1]}.txt"
    text = second.read_text(encoding="utf-8").replace("date: 2024-02-01\n", "")
    second.write_text(text, encoding="utf-8")
    undated = LATER_SCRIPT.replace("episode: 3\n", "").replace("date: 2027-01-15 09:00 +0100\n", "")
    (show / "scripts" / f"{LATER}.txt").write_text(undated, encoding="utf-8")
    build(show, cache, BEFORE_DUE)
    dates = entries(show)
    assert dates[SLUGS[1]] == "Mon, 15 Jun 2026 12:02:00 +0000"  # episode 2
    assert dates[LATER] == "Mon, 15 Jun 2026 12:03:00 +0000"  # episode 3
    # Built again the next day, from nothing but the build state: not a byte changes.
    before = {p.name: p.read_bytes() for p in (show / "out").iterdir()}
    shutil.rmtree(show / "out")
    (show / "out").mkdir()
    build(show, cache, "2026-06-16T12:00:00+00:00")
    assert {p.name: p.read_bytes() for p in (show / "out").iterdir()} == before
