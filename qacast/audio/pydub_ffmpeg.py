"""pydub's AudioSegment, pointed at the ffmpeg inside the imageio-ffmpeg wheel.

``import pydub`` looks for ffmpeg/avconv on PATH and, on a machine without a
system ffmpeg, warns "Couldn't find ffmpeg or avconv" on stderr: noise for
users, since qacast ships its own ffmpeg. Every qacast module takes
AudioSegment from here, so pydub is imported once with that warning (and the
audioop deprecation, pydub's to fix) silenced, and then told which ffmpeg to
use should it ever convert a file.
"""

from __future__ import annotations

import contextlib
import warnings

from qacast.audio.ffmpeg import ffmpeg_exe
from qacast.errors import EngineError

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Couldn't find ffmpeg or avconv", RuntimeWarning)
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    from pydub import AudioSegment

# On a broken install qacast's own ffmpeg calls say so when one is needed:
# importing must not fail for commands that never run ffmpeg.
with contextlib.suppress(EngineError):
    AudioSegment.converter = ffmpeg_exe()

__all__ = ["AudioSegment"]
