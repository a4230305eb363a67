"""A first build killed (kill -9) or interrupted (Ctrl-C) half-way, then built
again, publishes what one uninterrupted build publishes: the same episode
numbers and guids, and every byte of out/ (tags, pages, feed) the same.

The show's scripts give no number, so the build numbers them; the longer
ones sort last, and a build renders the longest first, so the episodes a
killed build finished are never simply the first numbers. Each moment is a
state of the show folder the test waits for, never a delay.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from build_helpers import qacast_command, run_qacast
from process_group import wait_until_gone

from qacast.errors import ExitStatus

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"

# Name -> answers: one short sentence each, more for the names that sort later.
SCRIPTS = {"apple": 1, "birch": 1, "cedar": 2, "dogwood": 3, "elm": 4}
SCRIPT = """\
---
date: 2024-03-0{day}
cast:
  H: {{name: Ada Host, role: interviewer}}
  G: {{name: Ben Guest, role: interviewee}}
---
About {name}

H: What is {name}?

{answers}
"""

Moment = Callable[[Path], bool]


def _records(show: Path) -> list[Path]:
    return list((show / ".qacast" / "state").glob("*.json"))


def _rendering(show: Path) -> bool:
    work = show / ".qacast" / "work"
    return work.is_dir() and any(entry.is_dir() for entry in work.iterdir())


MOMENTS: dict[str, Moment] = {
    "first-render-begun": _rendering,  # no episode finished yet
    "one-episode-recorded": lambda show: len(_records(show)) >= 1,
    "three-episodes-recorded": lambda show: len(_records(show)) >= 3,
}
SIGNALS = {"kill-9": signal.SIGKILL, "ctrl-c": signal.SIGINT}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new show (one guid namespace for every copy) with the scripts, never built."""
    show = tmp_path_factory.mktemp("template") / "show"
    made = run_qacast("init", show)
    assert made.returncode == 0, made.stderr
    for path in (show / "scripts").iterdir():
        path.unlink()
    for day, (name, answers) in enumerate(SCRIPTS.items(), start=1):
        lines = "\n\n".join(f"G: {name.title()} is word {n} of {answers}." for n in range(answers))
        text = SCRIPT.format(day=day, name=name, answers=lines)
        (show / "scripts" / f"{name}.txt").write_text(text, encoding="utf-8")
    return show


def copy_show(template: Path, root: Path) -> Path:
    show = root / "show"
    shutil.copytree(template, show)
    return show


@pytest.fixture(scope="module")
def clean(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The show built once, with nothing interrupted."""
    show = copy_show(template, tmp_path_factory.mktemp("clean"))
    built = run_qacast("build", show, "-q")
    assert built.returncode == 0, built.stderr
    return show


def out_files(show: Path) -> dict[str, bytes]:
    out_dir = show / "out"
    return {
        path.relative_to(out_dir).as_posix(): path.read_bytes()
        for path in sorted(out_dir.rglob("*"))
        if path.is_file()
    }


def identities(show: Path) -> dict[str, tuple[int, str]]:
    """Slug -> (number, guid), from the episode records, which must agree
    with the identities the build recorded before it rendered."""
    recorded = {
        path.stem: (data["number"], data["guid"])
        for path in _records(show)
        for data in [json.loads(path.read_text(encoding="utf-8"))]
    }
    ledger = json.loads((show / ".qacast" / "identities.json").read_text(encoding="utf-8"))
    assert {slug: (e["number"], e["guid"]) for slug, e in ledger.items()} == recorded
    return recorded


def feed_items(show: Path) -> list[tuple[str, str, str]]:
    """(enclosure file, itunes:episode, guid) for each item, in the feed's order."""
    channel = ET.parse(show / "out" / "feed.xml").getroot().find("channel")
    assert channel is not None
    items = []
    for item in channel.iter("item"):
        enclosure = item.find("enclosure")
        assert enclosure is not None
        name = enclosure.get("url", "").rsplit("/", 1)[-1]
        items.append((name, item.findtext(f"{ITUNES}episode") or "", item.findtext("guid") or ""))
    return items


def interrupt_at(show: Path, moment: Moment, signum: signal.Signals, log: Path) -> int | None:
    """Start a build, send ``signum`` to its whole process group (as a
    terminal's Ctrl-C does) once ``moment`` is reached; its exit status, or
    None when it finished before the moment was seen."""
    env = dict(os.environ)
    env.pop("QACAST_CACHE_DIR", None)  # the show's own cache: cold, as a first build's
    with log.open("w") as stderr:
        build = subprocess.Popen(
            [*qacast_command(), "build", str(show), "-q", "-j", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its own group: speech processes and ffmpeg included
        )
        try:
            while build.poll() is None:
                if moment(show):
                    os.killpg(build.pid, signum)
                    return build.wait(timeout=300)  # a hung build fails, never a wait
                time.sleep(0.002)  # how often to look, not how long to wait
            return None
        finally:
            if build.poll() is None:
                os.killpg(build.pid, signal.SIGKILL)
                build.wait()
            wait_until_gone(build.pid)  # ffmpeg, the speech server: the next build starts after


@pytest.mark.parametrize("signal_name", sorted(SIGNALS))
@pytest.mark.parametrize("moment", sorted(MOMENTS))
def test_an_interrupted_first_build_numbers_as_an_uninterrupted_one(
    tmp_path: Path, template: Path, clean: Path, moment: str, signal_name: str
) -> None:
    show = copy_show(template, tmp_path)
    log = tmp_path / "interrupted.stderr"
    status = interrupt_at(show, MOMENTS[moment], SIGNALS[signal_name], log)
    if status is None:
        pytest.skip(f"the build finished before {moment} was seen")  # pragma: no cover
    stderr = log.read_text(encoding="utf-8")
    assert "Traceback" not in stderr
    if signal_name == "ctrl-c":
        # 0 only when the last episode was already done as the signal came.
        assert status in (ExitStatus.INTERRUPTED, 0), stderr
    else:
        assert status == -signal.SIGKILL
    again = run_qacast("build", show, "-q")
    assert again.returncode == 0, again.stderr
    assert identities(show) == identities(clean)
    assert feed_items(show) == feed_items(clean)
    mine, theirs = out_files(show), out_files(clean)
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


def test_the_uninterrupted_build_numbers_in_file_name_order(clean: Path) -> None:
    numbers = {slug: number for slug, (number, _) in identities(clean).items()}
    assert numbers == {name: n for n, name in enumerate(SCRIPTS, start=1)}
