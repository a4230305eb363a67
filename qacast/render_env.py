"""What a render needs from outside, in a module light enough for a build with nothing to render.

``qacast.pipeline`` re-exports it; building one imports neither the audio
stages, the engines nor numpy.
"""

from __future__ import annotations

import datetime as dt
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
class RenderEnv:
    """Everything a render needs from outside: injected, never global."""

    show: ShowConfig
    out_dir: Path
    preset: CastPreset
    formats: tuple[EncodeSettings, ...]
    loudness: LoudnessTarget
    cover: tuple[bytes, str] | None = None  # the show's cover, loaded and checked once
    jobs: int = 1  # processes this render may keep busy (-j)
    pool: Callable[[], SynthesisPool] = field(default=_one_worker_pool)
    # The two stores of a show's cache: synthesized clips and encoded MP3 spans.
    # None: kept for one render only. Spans not given live beside the clips.
    clips: SynthesisCache | None = None
    spans: ChecksummedStore | None = None
    progress: Progress = field(default_factory=QuietProgress)
    # Encoder processes running at once, shared by every episode of a build.
    encoders: threading.Semaphore = field(default_factory=lambda: threading.BoundedSemaphore(1))
    # The date tagged into a script that gives none: a build passes the day the
    # episode was first published, so the tag and the feed's pubDate agree.
    default_date: dt.date | None = None
    # Where renders keep their work files: the show's .qacast/work in a build,
    # the system's temporary folder otherwise. Never out/, which is published.
    work_root: Path | None = None

    def __post_init__(self) -> None:
        if self.spans is None and self.clips is not None:
            from qacast.audio.spans import span_store

            object.__setattr__(self, "spans", span_store(self.clips))
