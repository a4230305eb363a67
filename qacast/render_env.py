"""What a render takes from outside, in a module light enough for a build with nothing to render.

Two values, because they answer different questions. ``RenderSettings``
shape an episode's bytes: the show, the cast preset, the formats, the
loudness, the cover (``qacast.render_inputs`` lists them for the build's
change checks). ``RenderResources`` only decide how fast and where the work
happens: speech processes, encoder slots, the caches, progress lines, the
work folder; none of them changes a byte. What differs from one episode to
the next (its number, its date) is an argument of the render, never a field.

Building either imports neither the audio stages, the engines nor numpy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qacast.config import LoudnessTarget, ShowConfig
from qacast.models import EncodeSettings
from qacast.progress import Progress, QuietProgress

if TYPE_CHECKING:
    from qacast.store import ChecksummedStore
    from qacast.voices.cache import SynthesisCache
    from qacast.voices.pool import SynthesisPool
    from qacast.voices.presets import CastPreset


def _one_worker_pool() -> SynthesisPool:
    from qacast.voices.pool import SynthesisPool

    return SynthesisPool(1)


@dataclass(frozen=True)
class RenderSettings:
    """What shapes every episode of a render or build: the show and the options over it."""

    show: ShowConfig
    preset: CastPreset  # the show's voices setting, or --voices, loaded
    formats: tuple[EncodeSettings, ...]
    loudness: LoudnessTarget
    cover: tuple[bytes, str] | None = None  # the show's cover, loaded and checked once


@dataclass(frozen=True)
class RenderResources:
    """What a render works with and where it writes; injected, never global."""

    out_dir: Path
    jobs: int = 1  # cores this render may keep busy (-j)
    pool: Callable[[], SynthesisPool] = field(default=_one_worker_pool)
    # The two stores of a show's cache: synthesized clips and encoded MP3 spans.
    # None: kept for one render only. Spans not given live beside the clips.
    clips: SynthesisCache | None = None
    spans: ChecksummedStore | None = None
    progress: Progress = field(default_factory=QuietProgress)
    # Encoder processes running at once, shared by every episode of a build.
    encoders: threading.Semaphore = field(default_factory=lambda: threading.BoundedSemaphore(1))
    # Where renders keep their work files: the show's .qacast/work in a build,
    # the system's temporary folder otherwise. Never out/, which is published.
    work_root: Path | None = None

    def __post_init__(self) -> None:
        if self.spans is None and self.clips is not None:
            from qacast.audio.spans import span_store

            object.__setattr__(self, "spans", span_store(self.clips))
