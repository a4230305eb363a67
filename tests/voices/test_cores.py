"""-j N keeps qacast and every process it starts on N cores.

The ffmpeg that qacast runs is swapped (through imageio-ffmpeg's own
IMAGEIO_FFMPEG_EXE setting) for a wrapper that writes down the cores it may
run on, as the kernel reports them, and then runs the real ffmpeg.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import pytest

SCRIPT = """\
Cores

SI: Which cores do you run on?

NJP: Whichever I am given.

SI: And when you are given one?

NJP: Then one it is.
"""


def cores_seen_by_ffmpeg(tmp_path: Path, *jobs: str) -> set[str]:
    tmp_path.mkdir()
    log = tmp_path / "cores.log"
    wrapper = tmp_path / "ffmpeg"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"grep Cpus_allowed_list /proc/self/status >> {log}\n"
        f'exec {imageio_ffmpeg.get_ffmpeg_exe()} "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    script = tmp_path / "talk.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "qacast.cli", "render", str(script), "-o", str(tmp_path / "out"),
         "--no-cache", "-q", *jobs],
        env={**os.environ, "IMAGEIO_FFMPEG_EXE": str(wrapper)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return set(log.read_text(encoding="utf-8").split("\n")) - {""}


def core_count(allowed_list: str) -> int:
    """How many cores a Cpus_allowed_list line names ("0-3,6" is 5)."""
    count = 0
    for part in allowed_list.split(":")[1].strip().split(","):
        first, _, last = part.partition("-")
        count += int(last or first) - int(first) + 1
    return count


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs a machine (and affinity calls) with two cores or more",
)
def test_one_job_keeps_ffmpeg_on_one_core(tmp_path: Path) -> None:
    (one,) = cores_seen_by_ffmpeg(tmp_path / "one", "-j", "1")
    assert core_count(one) == 1
    (every,) = cores_seen_by_ffmpeg(tmp_path / "every")  # -j defaults to every core
    assert core_count(every) == len(os.sched_getaffinity(0))
