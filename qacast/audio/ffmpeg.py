"""Find and run the ffmpeg binary shipped in the imageio-ffmpeg wheel.

Resolved once, up front, so a missing binary is a clear message rather than a
late FileNotFoundError and a 0-byte output (PITFALLS 13). A system ffmpeg is
neither needed nor used.
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Sequence

from qacast.errors import EngineError


@functools.cache
def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise EngineError(f"ffmpeg not found: reinstall qacast (imageio-ffmpeg: {exc})") from exc


def run_ffmpeg(args: Sequence[str], *, what: str) -> None:
    """Run ffmpeg quietly; raise EngineError with ffmpeg's last line on failure."""
    command = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        detail = lines[-1] if lines else f"exit code {result.returncode}"
        raise EngineError(f"ffmpeg failed while {what}: {detail}")
