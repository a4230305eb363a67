"""The master stage of one render, run while the programme is being written.

``audio/master.py`` holds the arithmetic (each sentence's gain, the level a
programme is mastered from, the ffmpeg chain); this module runs it over a
render, as the streaming design needs:

- every sentence is measured the moment it is said and levelled to the
  speech level (``clip_said``, ``level``), so the mastering chain is known
  before the first clip arrives;
- every span of the programme, the moment the assembler has written it, is
  measured and handed to the encoders of each format cut into spans
  (``programme_file``): encoding overlaps synthesis and assembly;
- once the programme is whole, its loudness is checked and the spans are
  mastered again in the rare case it is far off the plan (``finish``);
- each format's file is then its spans joined, or the programme encoded
  whole with the same chain (``write``).

Measurements and encoded spans are cached in the span store, by what was
measured or encoded: the bytes never depend on what the store held, on the
order clips arrived in, or on how many encoders ran.
"""

from __future__ import annotations

import threading
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from qacast.audio.assemble import ProgrammeFile
from qacast.audio.encode import encode
from qacast.audio.grid import FrameGrid, Span
from qacast.audio.loudness import LoudnessTarget
from qacast.audio.master import SPEECH_LEVEL_LUFS, level_clip, master_chain, mastering_level
from qacast.audio.measured import Measurements
from qacast.audio.spans import SpanEncoder, SpannedEncoding, read_span
from qacast.errors import EngineError
from qacast.models import Clip, EncodeSettings, Programme
from qacast.store import ChecksummedStore


class SaidAudio(Protocol):
    """A sentence as the speech engine returned it."""

    @property
    def pcm(self) -> bytes: ...  # signed 16-bit little-endian mono

    @property
    def sample_rate_hz(self) -> int: ...


@dataclass(frozen=True)
class Workers:
    """Where and how widely a render encodes."""

    threads: Executor  # this render's threads, on which spans are encoded
    slots: threading.Semaphore  # encoder processes at once, shared by a build's episodes
    cores: int  # cores this render may keep busy (-j)


class Mastering:
    """Levels, measures and encodes one programme as it is made (see the module's docstring)."""

    def __init__(
        self,
        target: LoudnessTarget,
        formats: tuple[EncodeSettings, ...],
        store: ChecksummedStore,
        workers: Workers,
    ) -> None:
        self.target = target
        self.formats = formats
        self.workers = workers
        self.measurements = Measurements(store)
        # The loudness the chains master from: planned before anything is
        # said, changed by ``finish`` only when the programme measures far off.
        self.level_lufs = SPEECH_LEVEL_LUFS
        self._file: ProgrammeFile | None = None
        self._spanned: dict[EncodeSettings, SpannedEncoding] = {}
        self._spans: list[Span] = []

    def clip_said(self, key: str, audio: SaidAudio) -> None:
        """Start measuring a sentence just said (on the speech thread: returns at once)."""
        self.measurements.measure_clip_soon(key, audio.pcm, audio.sample_rate_hz)

    def level(self, clip: Clip, pcm: bytes) -> bytes:
        """``clip``'s ``pcm`` at the speech level, from its own measurement."""
        rate_hz = clip.sample_rate_hz
        return level_clip(pcm, rate_hz, self.measurements.clip_lufs(clip.key, pcm, rate_hz)).pcm

    def programme_file(self, pcm_path: Path, rate_hz: int) -> ProgrammeFile:
        """Where the assembler writes the programme, on the encoders' frame grid;
        each span it reports written is measured and encoded at once."""
        grid = FrameGrid.for_formats(self.formats, rate_hz)
        self._file = ProgrammeFile(pcm_path, grid, self._span_written)
        self._spanned = {
            settings: SpannedEncoding(
                SpanEncoder(pcm_path, rate_hz, settings, self._chain(settings),
                            self.measurements.span_store, grid.frame_samples or 0),
                self.workers.slots, self.workers.threads,
            )
            for settings in self.formats if grid.spliced(settings)
        }  # fmt: skip
        return self._file

    @property
    def spans(self) -> tuple[Span, ...]:
        """The programme's spans as written so far."""
        return tuple(self._spans)

    def _span_written(self, span: Span) -> None:
        assert self._file is not None  # spans come from the file programme_file made
        self._spans.append(span)
        self.measurements.add_span(read_span(self._file.pcm_path, span), self._file.grid.rate_hz)
        for encoding in self._spanned.values():
            encoding.submit(span)

    def finish(self) -> float:
        """The programme's loudness, measured over its spans; far off the plan,
        the spans are mastered again from it. Call once the programme is whole."""
        try:
            measured = self.measurements.programme_lufs()
        finally:
            self.measurements.close()
        self.level_lufs = mastering_level(measured)
        if self.level_lufs != SPEECH_LEVEL_LUFS:
            self._spanned = {s: e.again_with(self._chain(s)) for s, e in self._spanned.items()}
        return measured

    def write(self, settings: EncodeSettings, programme: Programme, dest: Path) -> None:
        """``settings``' file at ``dest``: its spans joined, or the programme encoded whole."""
        if settings in self._spanned:
            self._spanned[settings].write(dest, programme.timeline.frame_count)
        else:
            encode(programme, settings, dest, self._chain(settings),
                   processes=min(2, self.workers.cores))  # fmt: skip

    def close(self) -> None:
        """Drop the spans not yet started and stop measuring (after a failure)."""
        for encoding in self._spanned.values():
            encoding.cancel()
        self.measurements.close()

    def _chain(self, settings: EncodeSettings) -> str:
        if self._file is None:
            raise EngineError("the programme's rate is not known before its file is opened")
        return master_chain(self.level_lufs, self.target, settings, self._file.grid.rate_hz)
