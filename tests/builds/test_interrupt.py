"""Ctrl-C ends qacast with 130 and one line, whenever it lands: while Python
imports qacast, while a build waits for another, mid-render. It leaves no
partial file in out/, and the next build completes.

Each test sends the signal to the build's whole process group (as a
terminal's Ctrl-C does) once a state is reached: an import reported on
stderr (``python -X importtime``), a line the build prints, a file the build
made. Never after a delay.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from build_helpers import qacast_command
from held_lock import lock_held_elsewhere

from qacast.errors import ExitStatus
from qacast.manifest import StateLayout

KEPT_HIDDEN = {".gitkeep"}  # a repository may commit one; qacast never writes it
INTERRUPTED_LINE = "qacast: interrupted; no partial files were left"
HANG_S = 300  # a hung build fails the test instead of stalling the suite; never a wait
ENTRY_POINTS = {
    "console-script": qacast_command(),
    "python-m": [sys.executable, "-m", "qacast.cli"],
}


def leftovers(out_dir: Path) -> list[str]:
    """Anything a half-finished write could leave: work folders, temporary files."""
    return [
        p.name
        for p in out_dir.iterdir()
        if (p.name.startswith(".") and p.name not in KEPT_HIDDEN) or p.name.endswith(".tmp")
    ]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new show of four short episodes, never built."""
    show = tmp_path_factory.mktemp("template") / "show"
    subprocess.run([*qacast_command(), "init", str(show)], check=True, capture_output=True)
    first = show / "scripts" / "building-things-together.txt"
    for n in range(2, 5):
        (show / "scripts" / f"talk-{n}.txt").write_text(
            first.read_text(encoding="utf-8").replace("episode: 1", f"episode: {n}"),
            encoding="utf-8",
        )
    return show


def copy_show(template: Path, tmp_path: Path) -> Path:
    show = tmp_path / "show"
    shutil.copytree(template, show)
    StateLayout.of_show(show).root.mkdir(exist_ok=True)  # where the lock lives
    return show


def start_build(command: list[str], show: Path, **env: str) -> subprocess.Popen[str]:
    # Its own session, so the signal reaches the whole process group as a
    # terminal's Ctrl-C does: the build, its speech processes and ffmpeg.
    return subprocess.Popen(
        [*command, "build", str(show), "--no-cache"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        env={**os.environ, **env},
    )


def read_until(build: subprocess.Popen[str], seen: Callable[[str], bool]) -> list[str]:
    """The build's stderr lines up to the first that ``seen`` accepts."""
    assert build.stderr is not None
    lines = []
    for line in build.stderr:
        lines.append(line.rstrip("\n"))
        if seen(lines[-1]):
            return lines
    pytest.fail(f"the build ended ({build.wait()}) before the line was seen: {lines[-5:]}")


def imported(module: str) -> Callable[[str], bool]:
    """A line of -X importtime saying ``module`` has been imported."""
    return lambda line: line.startswith("import time:") and line.split("|")[-1].strip() == module


# States of a starting or waiting build; it cannot finish on its own meanwhile
# (another build holds the lock), so Ctrl-C is the only way it ends.
WAITING_MOMENTS: dict[str, Callable[[str], bool]] = {
    "qacast-imported": imported("qacast"),  # its first lines run; the CLI is still importing
    "click-imported": imported("click"),
    "waiting-for-the-lock": lambda line: "another build of this show is running" in line,
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("moment", sorted(WAITING_MOMENTS))
def test_ctrl_c_while_starting_or_waiting_is_130_and_one_line(
    tmp_path: Path, template: Path, moment: str, entry: str
) -> None:
    show = copy_show(template, tmp_path)
    with lock_held_elsewhere(StateLayout.of_show(show).lock):
        build = start_build(ENTRY_POINTS[entry], show, PYTHONPROFILEIMPORTTIME="1")
        read_until(build, WAITING_MOMENTS[moment])
        os.killpg(build.pid, signal.SIGINT)
        _, rest = build.communicate(timeout=HANG_S)
    said = [line for line in rest.splitlines() if not line.startswith("import time:")]
    assert build.returncode == ExitStatus.INTERRUPTED, said
    assert said[-1:] == [INTERRUPTED_LINE], said
    assert "Traceback" not in rest and "Aborted" not in rest
    assert not (show / "out").exists() or leftovers(show / "out") == []


def _rendering(show: Path) -> bool:
    work = show / ".qacast" / "work"
    return work.is_dir() and any(entry.is_dir() for entry in work.iterdir())


RENDER_MOMENTS: dict[str, Callable[[Path], bool]] = {
    "first-render-begun": _rendering,
    "first-episode-published": lambda show: any((show / "out").glob("*.mp3")),
}


def interrupt_mid_build(build: subprocess.Popen[str], show: Path, moment: str) -> bool:
    """Ctrl-C once ``moment`` is reached, while the build is still at work;
    False when it had already written its feed (nothing left to interrupt)."""
    while not RENDER_MOMENTS[moment](show):
        if build.poll() is not None:
            return False
        time.sleep(0.002)  # how often to look, not how long to wait
    # Frozen, the build can be seen to be still at work (no feed yet) and
    # the signal waits for it: it lands at that very point when it resumes.
    # (A group whose build has just ended may be gone: nothing to signal.)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(build.pid, signal.SIGSTOP)
    at_work = build.poll() is None and not (show / "out" / "feed.xml").exists()
    with contextlib.suppress(ProcessLookupError):
        if at_work:
            os.killpg(build.pid, signal.SIGINT)
        os.killpg(build.pid, signal.SIGCONT)
    return at_work


@pytest.mark.parametrize("moment", sorted(RENDER_MOMENTS))
def test_ctrl_c_mid_build_leaves_no_partial_file(
    tmp_path: Path, template: Path, moment: str
) -> None:
    show = copy_show(template, tmp_path)
    build = start_build(qacast_command(), show)
    interrupted = interrupt_mid_build(build, show, moment)
    _, stderr = build.communicate(timeout=HANG_S)
    if not interrupted:
        pytest.skip(f"the build was done before {moment} was seen")  # pragma: no cover
    assert build.returncode == ExitStatus.INTERRUPTED, stderr
    assert stderr.splitlines()[-1:] == [INTERRUPTED_LINE], stderr
    assert "Traceback" not in stderr
    assert leftovers(show / "out") == []

    again = subprocess.run(
        [*qacast_command(), "build", str(show)],
        capture_output=True,
        text=True,
        timeout=HANG_S,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "failed 0" in again.stderr
    assert len(list((show / "out").glob("*.mp3"))) == 4
