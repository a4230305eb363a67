"""Ctrl-C during a build leaves no partial file in out/, and the next build completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

QACAST = [sys.executable, "-m", "qacast.cli"]
KEPT_HIDDEN = {".gitkeep"}  # a repository may commit one; qacast never writes it


def leftovers(out_dir: Path) -> list[str]:
    """Anything a half-finished write could leave: work folders, temporary files."""
    return [
        p.name
        for p in out_dir.iterdir()
        if (p.name.startswith(".") and p.name not in KEPT_HIDDEN) or p.name.endswith(".tmp")
    ]


@pytest.mark.parametrize("after_s", [0.5, 2.0])
def test_ctrl_c_leaves_no_partial_file(tmp_path: Path, after_s: float) -> None:
    show = tmp_path / "show"
    subprocess.run([*QACAST, "init", str(show)], check=True, capture_output=True)
    first = show / "scripts" / "building-things-together.txt"
    for n in range(2, 5):
        (show / "scripts" / f"talk-{n}.txt").write_text(
            first.read_text(encoding="utf-8").replace("episode: 1", f"episode: {n}"),
            encoding="utf-8",
        )
    # Its own session, so the signal reaches the whole process group as a
    # terminal's Ctrl-C does: the build, its speech processes and ffmpeg.
    build = subprocess.Popen(
        [*QACAST, "build", str(show), "--no-cache"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(after_s)  # not a timing check: interrupting at some point of the build
    os.killpg(build.pid, signal.SIGINT)
    _, stderr = build.communicate(timeout=300)
    assert "Traceback" not in stderr
    assert build.returncode in (0, 130), stderr
    assert leftovers(show / "out") == []

    again = subprocess.run(
        [*QACAST, "build", str(show)], capture_output=True, text=True, timeout=300, check=False
    )
    assert again.returncode == 0, again.stderr
    assert "failed 0" in again.stderr
    assert len(list((show / "out").glob("*.mp3"))) == 4
