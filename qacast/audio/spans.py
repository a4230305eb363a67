"""MP3 encoded span by span, each span cached: an edit re-encodes only its span.

Encoding is most of a render, so a fixed typo must not re-encode the episode.
``assemble`` cuts the programme into spans at pauses, each span starting on an
MP3 frame boundary and holding the same samples wherever it lands in the
episode. Each span is mastered and encoded on its own, fed a few frames of
what surrounds it (the limiter and the encoder warm up on them), and only the
frames that belong to the span are kept. Without a bit reservoir every MP3
frame carries all its own data, so the kept frames of all spans join into one
stream that decodes sample-aligned with the programme (test_spans.py checks
both against a whole-programme encode).

An entry is keyed by everything that shapes its bytes: the samples it was fed,
the mastering chain and the encoder settings. A cold render goes through the
same spans, so it gives the same bytes as an incremental one.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from pathlib import Path

from qacast.audio.encode import BITEXACT_ARGS, codec_args
from qacast.audio.ffmpeg import ffmpeg_version, run_ffmpeg, run_ffmpeg_bytes
from qacast.audio.grid import (
    POST_ROLL_FRAMES,
    PRE_ROLL_FRAMES,
    Span,
)
from qacast.audio.mp3frames import (
    ENCODER_DELAY_SAMPLES,
    FRAME_SAMPLES,
    set_gapless_info,
    split_frames,
)
from qacast.errors import EngineError, OutputError
from qacast.formats import FORMATS
from qacast.models import EncodeSettings
from qacast.store import ChecksummedStore

SAMPLE_WIDTH_BYTES = 2
SPAN_FORMAT_VERSION = 1  # bump when the way spans are cut or encoded changes
SPAN_FOLDER = "encoded"  # where spans live in a show's cache, beside its clips


def span_store(beside: ChecksummedStore) -> ChecksummedStore:
    """The store of encoded spans kept in a folder of the clip store ``beside``."""
    return beside.sub_store(SPAN_FOLDER, suffix=".frames", redo="encoding it again")


@dataclass(frozen=True)
class SpanEncoder:
    """Encodes spans of one programme file into one format, one ffmpeg per span."""

    pcm_path: Path  # the programme, s16le mono; spans are read as soon as they are written
    rate_hz: int
    settings: EncodeSettings
    chain: str
    store: ChecksummedStore
    frame_samples: int  # programme samples per MP3 frame

    @property
    def codec(self) -> tuple[str, ...]:
        splice = FORMATS[self.settings.format].splice_args or ()
        return (*codec_args(self.settings), *splice)

    def key(self, span: Span, pcm: bytes) -> str:
        recipe = json.dumps(
            [SPAN_FORMAT_VERSION, ffmpeg_version(), self.chain, self.codec,
             self.settings.sample_rate_hz, self.settings.channels, self.rate_hz,
             PRE_ROLL_FRAMES, POST_ROLL_FRAMES, span.last],
        )  # fmt: skip
        return hashlib.sha256(recipe.encode() + pcm).hexdigest()

    def read(self, span: Span) -> bytes:
        """The span's samples with its rolls; silence before the programme and
        past what is written (the last span's roll, beyond the end)."""
        first = span.start - PRE_ROLL_FRAMES * self.frame_samples
        end = span.stop + POST_ROLL_FRAMES * self.frame_samples
        start = max(first, 0)
        with self.pcm_path.open("rb") as file:
            pcm = os.pread(file.fileno(), (end - start) * SAMPLE_WIDTH_BYTES,
                           start * SAMPLE_WIDTH_BYTES)  # fmt: skip
        before = b"\0" * (SAMPLE_WIDTH_BYTES * max(0, -first))
        after = b"\0" * (SAMPLE_WIDTH_BYTES * (end - start) - len(pcm))
        return before + pcm + after

    def ensure(self, span: Span, slots: threading.Semaphore) -> EncodedSpan:
        """The span's frames in the store, encoded now if they were missing."""
        if (span.stop - span.start) % self.frame_samples:
            raise EngineError(f"span {span.start}-{span.stop} is not whole codec frames")
        pcm = self.read(span)
        key = self.key(span, pcm)
        entry = self.store.get_entry(key)
        if entry is not None:
            return EncodedSpan(key, entry[0], encoded=False)
        rate = str(self.settings.sample_rate_hz)
        args = [
            "-f", "s16le", "-ar", str(self.rate_hz), "-ac", "1",
            "-i", "pipe:0", "-af", self.chain, "-ar", rate,
            "-ac", str(self.settings.channels), *self.codec, *BITEXACT_ARGS,
            "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "pipe:1",
        ]  # fmt: skip
        with slots:
            stream = run_ffmpeg_bytes(args, pcm, what="encoding mp3")
        frames = split_frames(stream)
        wanted = (span.stop - span.start) // self.frame_samples + (1 if span.last else 0)
        kept = frames[PRE_ROLL_FRAMES : PRE_ROLL_FRAMES + wanted]
        if len(kept) != wanted:
            raise EngineError(f"the MP3 encoder gave {len(frames)} frames, expected more")
        self.store.put_entry(key, len(kept), b"".join(kept))
        return EncodedSpan(key, len(kept), encoded=True)


@dataclass(frozen=True)
class EncodedSpan:
    key: str  # its frames' entry in the store
    mp3_frames: int
    encoded: bool  # False: found in the store


@dataclass(frozen=True)
class SpanReport:
    spans: int
    encoded: int  # spans that were not in the store


class SpannedEncoding:
    """One format's spans, encoded on ``executor`` as the programme hands them over.

    ``submit`` returns at once; ``write`` waits for every span and joins their
    frames into one file. The spans' bytes depend only on their samples and
    the chain, never on when or in what order they were encoded.
    """

    def __init__(
        self, encoder: SpanEncoder, slots: threading.Semaphore, executor: Executor
    ) -> None:
        self.encoder = encoder
        self._slots = slots
        self._executor = executor
        self._spans: list[Span] = []
        self._done: list[Future[EncodedSpan]] = []

    @property
    def spans(self) -> tuple[Span, ...]:
        return tuple(self._spans)

    def submit(self, span: Span) -> None:
        self._spans.append(span)
        self._done.append(self._executor.submit(self.encoder.ensure, span, self._slots))

    def again_with(self, chain: str) -> SpannedEncoding:
        """The same spans with another mastering chain (a re-master); the spans
        of this chain not yet started are dropped."""
        self.cancel()
        again = SpannedEncoding(replace(self.encoder, chain=chain), self._slots, self._executor)
        for span in self._spans:
            again.submit(span)
        return again

    def cancel(self) -> None:
        for future in self._done:
            future.cancel()

    def write(self, dest: Path, frame_count: int) -> SpanReport:
        """Join the spans' frames into the MP3 file ``dest`` (``frame_count``
        programme frames long)."""
        done = [future.result() for future in self._done]
        join_spans([span.key for span in done], self.encoder.store, dest)
        settings, rate_hz = self.encoder.settings, self.encoder.rate_hz
        frames = sum(span.mp3_frames for span in done)
        output_samples = frame_count * settings.sample_rate_hz // rate_hz
        padding = frames * FRAME_SAMPLES - output_samples - ENCODER_DELAY_SAMPLES
        try:
            set_gapless_info(dest, ENCODER_DELAY_SAMPLES, padding)
        except OSError as exc:
            raise OutputError(f"cannot finish {dest}: {exc.strerror}") from exc
        return SpanReport(len(done), sum(1 for span in done if span.encoded))


def _entry(store: ChecksummedStore, key: str) -> tuple[int, bytes]:
    entry = store.get_entry(key)
    if entry is None:
        raise EngineError(f"encoded span {key[:12]} vanished from {store.directory}")
    return entry


def read_span(pcm_path: Path, span: Span) -> bytes:
    """The samples of ``span`` as written in the programme file."""
    with pcm_path.open("rb") as file:
        return os.pread(file.fileno(), SAMPLE_WIDTH_BYTES * (span.stop - span.start),
                        SAMPLE_WIDTH_BYTES * span.start)  # fmt: skip


def join_spans(keys: Sequence[str], store: ChecksummedStore, dest: Path) -> None:
    """The spans' frames, in order, as one MP3 file with its Info frame."""
    frames_path = dest.with_name(f"{dest.name}.frames")
    try:
        with frames_path.open("wb") as out:
            for key in keys:
                out.write(_entry(store, key)[1])
    except OSError as exc:
        raise OutputError(f"cannot write work file {frames_path}: {exc.strerror}") from exc
    try:
        # ffmpeg copies the frames as they are and adds the Info frame (length,
        # seek table) that players read; the gapless fields are ours to fill.
        run_ffmpeg(
            ["-f", "mp3", "-i", str(frames_path), "-map", "0:a", "-map_metadata", "-1",
             "-c:a", "copy", *BITEXACT_ARGS, "-id3v2_version", "0", "-write_xing", "1",
             "-f", "mp3", "-y", str(dest)],
            what="joining mp3 spans",
        )  # fmt: skip
    finally:
        frames_path.unlink(missing_ok=True)
