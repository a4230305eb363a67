"""Find and run the ffmpeg binary shipped in the imageio-ffmpeg wheel.

Resolved once, up front, so a missing binary is a clear message rather than a
late FileNotFoundError and a 0-byte output. A system ffmpeg is neither needed
nor used.
"""

from __future__ import annotations

import errno
import functools
import os
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from qacast.errors import EngineError, OutputError


@functools.cache
def ffmpeg_exe() -> str:
    try:
        # Here, not at the top: a missing wheel becomes the message below, and
        # its import (about 0.1 s) is paid only by a command that runs ffmpeg.
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise EngineError(f"ffmpeg not found: reinstall qacast (imageio-ffmpeg: {exc})") from exc


@functools.cache
def ffmpeg_version() -> str:
    """``ffmpeg -version``'s first line: a cached encode is only reused by the same encoder."""
    done = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, check=False)
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if done.returncode != 0 or not lines:
        raise EngineError(f"ffmpeg at {ffmpeg_exe()} does not run")
    return lines[0]


def run_ffmpeg(args: Sequence[str], *, what: str) -> None:
    """Run ffmpeg quietly; raise EngineError with ffmpeg's last line on failure."""
    command = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", *args]
    result = subprocess.run(command, capture_output=True, check=False)
    _check(result.returncode, result.stderr, what)


def run_ffmpeg_bytes(args: Sequence[str], stdin: bytes, *, what: str) -> bytes:
    """Run ffmpeg on ``stdin`` and return what it writes to stdout (a few MB at most)."""
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", *args]
    result = subprocess.run(command, input=stdin, capture_output=True, check=False)
    _check(result.returncode, result.stderr, what)
    return result.stdout


# ffmpeg's words for an output it could not write: the disk's fault, not the
# encoder's, so the build stops with exit 4 rather than failing each episode.
_OUTPUT_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


# ffmpeg exits 255 when a signal stops it; Ctrl-C reaches it with the rest of
# the process group, a moment before the KeyboardInterrupt reaches us.
_INTERRUPTED_CODES = (255, -signal.SIGINT)


def _check(returncode: int, stderr: bytes, what: str) -> None:
    # At -loglevel error a stopped ffmpeg says nothing; a failing one says why.
    quiet_or_signalled = not stderr.strip() or b"signal" in stderr.lower()
    if returncode in _INTERRUPTED_CODES and quiet_or_signalled:
        raise KeyboardInterrupt
    if returncode != 0:
        lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        detail = lines[-1] if lines else f"exit code {returncode}"
        full = next((os.strerror(n) for n in _OUTPUT_ERRNOS if os.strerror(n) in detail), None)
        if full:
            raise OutputError(f"cannot write the output while {what}: {full}")
        raise EngineError(f"ffmpeg failed while {what}: {detail}")


def run_ffmpeg_pipeline(producer: Sequence[str], consumer: Sequence[str], *, what: str) -> None:
    """Run two ffmpeg processes, the first's stdout feeding the second's stdin.

    Filtering (mastering) and encoding each keep one core busy; as two
    processes they run side by side instead of one after the other. Only raw
    PCM crosses the pipe: the encoded file is still written to a file.
    """
    base = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error"]
    with tempfile.TemporaryFile() as first_err, tempfile.TemporaryFile() as second_err:
        first = subprocess.Popen([*base, *producer], stdout=subprocess.PIPE, stderr=first_err)
        try:
            second = subprocess.run(
                [*base, *consumer], stdin=first.stdout, stderr=second_err, check=False
            )
        finally:
            if first.stdout:
                first.stdout.close()
            first_code = first.wait()
        for code, err in ((first_code, first_err), (second.returncode, second_err)):
            err.seek(0)
            _check(code, err.read(), what)


def decoded_duration_ms(path: str) -> int:
    """How long the first audio stream of ``path`` plays, found by decoding all
    of it (a header can claim anything); EngineError saying why when it cannot
    be decoded, as a file of zeros cannot. Damaged frames are skipped, as
    players skip them (padding after the last frame is common)."""
    command = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error",
               "-i", path, "-map", "0:a:0", "-f", "null", "-progress", "pipe:1", "-"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, check=False)
    _check(result.returncode, result.stderr, f"decoding {Path(path).name}")
    # -progress writes "out_time_us=N" as it goes; the last is the whole stream's.
    times = [line.split(b"=", 1)[1] for line in result.stdout.splitlines()
             if line.startswith(b"out_time_us=")]  # fmt: skip
    if not times or not times[-1].strip().isdigit():
        raise EngineError(f"ffmpeg found no audio to decode in {Path(path).name}")
    return int(times[-1]) // 1000
