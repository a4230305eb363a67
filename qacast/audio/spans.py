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
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from qacast.audio.encode import BITEXACT_ARGS, FORMATS, codec_args
from qacast.audio.ffmpeg import ffmpeg_version, run_ffmpeg, run_ffmpeg_bytes
from qacast.audio.mp3frames import (
    ENCODER_DELAY_SAMPLES,
    FRAME_SAMPLES,
    set_gapless_info,
    split_frames,
)
from qacast.errors import EngineError, OutputError
from qacast.models import EncodeSettings, MusicCue, Programme
from qacast.store import ChecksummedStore

PRE_ROLL_FRAMES = 3  # MP3 frames of context encoded before a span, then dropped
POST_ROLL_FRAMES = 3  # and after it: the encoder looks ahead about one frame
SAMPLE_WIDTH_BYTES = 2
SPAN_FORMAT_VERSION = 1  # bump when the way spans are cut or encoded changes
SPAN_FOLDER = "encoded"  # where spans live in a show's cache, beside its clips


def span_store(beside: ChecksummedStore) -> ChecksummedStore:
    """The store of encoded spans kept in a folder of the clip store ``beside``."""
    return beside.sub_store(SPAN_FOLDER, suffix=".frames", redo="encoding it again")


# A span opens at a paragraph whose first clip's key says so (one in
# PARAGRAPHS_PER_SPAN), once the span is MIN_SPAN_S long; past MAX_SPAN_S the
# next pause that can take a cut gets one anyway, between sentences if need be.
PARAGRAPHS_PER_SPAN = 3
MIN_SPAN_S = 8
MAX_SPAN_S = 45


def starts_span(
    first_clip_key: str, frames_since_span_start: int, rate_hz: int, paragraph: bool
) -> bool:
    """Whether the utterance with this clip opens a new span (if its pause allows).

    Decided by content and the span's own length, never by position in the
    episode, so an edit usually re-encodes its own span only; a cut it moves
    (the span grew past a limit or shrank under one) can move the next cut or
    two, never the rest: every other span keeps its samples, so its bytes.
    """
    seconds = frames_since_span_start / rate_hz
    by_content = paragraph and int(first_clip_key[:8], 16) % PARAGRAPHS_PER_SPAN == 0
    return (by_content and seconds >= MIN_SPAN_S) or seconds >= MAX_SPAN_S


def roll_frames(frame_samples: int) -> int:
    """The silence a cut needs on each side: the rolls must hear only the pause."""
    return max(PRE_ROLL_FRAMES, POST_ROLL_FRAMES) * frame_samples


@dataclass
class SpanCuts:
    """Where ``assemble`` cuts the programme, decided pause by pause as it writes."""

    frame_samples: int  # programme samples per codec frame: cuts fall on these
    rate_hz: int
    starts: list[int] = field(default_factory=lambda: [0])

    def stretch_for_cut(
        self, gap: int, frame: int, key: str, paragraph: bool, music: Sequence[MusicCue]
    ) -> int:
        """Cut in the middle of the pause of ``gap`` frames that follows ``frame``
        if it is time to; return how much the pause grows so the cut lands on a
        frame boundary (0 when there is no cut)."""
        lead = gap // 2  # the new span opens with this much of the pause
        roll = roll_frames(self.frame_samples)
        if min(lead, gap - lead) < roll:
            return 0
        if not starts_span(key, frame - self.starts[-1], self.rate_hz, paragraph):
            return 0
        stretch = -(frame + gap - lead) % self.frame_samples
        cut = frame + gap - lead + stretch
        if any(m.start_frame < cut + roll and cut - roll < m.start_frame + m.frame_count
               for m in music):  # fmt: skip
            return 0  # music is not silence: the rolls would hear the neighbours
        self.starts.append(cut)
        return stretch


def frame_in_programme_samples(settings: EncodeSettings, programme_rate_hz: int) -> int | None:
    """Programme samples per codec frame when ``settings`` can be encoded in spans:
    None for a format that cannot be spliced, or when the number is not whole
    (spans could not start on frame boundaries); the episode is then encoded whole."""
    spec = FORMATS[settings.format]
    if spec.splice_args is None:
        return None
    samples, remainder = divmod(spec.frame_samples * programme_rate_hz, settings.sample_rate_hz)
    return None if remainder else samples


@dataclass(frozen=True)
class Span:
    start: int  # programme frames
    stop: int
    last: bool  # the last span also keeps the frame that decodes the programme's end


def spans_of(programme: Programme) -> list[Span]:
    starts = list(programme.span_starts)
    stops = [*starts[1:], programme.timeline.frame_count]
    return [
        Span(start, stop, last=i == len(starts) - 1)
        for i, (start, stop) in enumerate(zip(starts, stops, strict=True))
    ]


@dataclass(frozen=True)
class SpanEncoder:
    """Encodes the spans of one programme into one format."""

    programme: Programme
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
             self.settings.sample_rate_hz,
             self.settings.channels, self.programme.timeline.sample_rate_hz,
             PRE_ROLL_FRAMES, POST_ROLL_FRAMES, span.last],
        )  # fmt: skip
        return hashlib.sha256(recipe.encode() + pcm).hexdigest()

    def read(self, span: Span) -> bytes:
        """The span's samples with its rolls; silence beyond the programme's ends."""
        first = span.start - PRE_ROLL_FRAMES * self.frame_samples
        end = span.stop + POST_ROLL_FRAMES * self.frame_samples
        total = self.programme.timeline.frame_count
        with self.programme.pcm_path.open("rb") as file:
            start = max(first, 0)
            pcm = os.pread(
                file.fileno(),
                (min(end, total) - start) * SAMPLE_WIDTH_BYTES,
                start * SAMPLE_WIDTH_BYTES,
            )
        before = b"\0" * (SAMPLE_WIDTH_BYTES * max(0, -first))
        after = b"\0" * (SAMPLE_WIDTH_BYTES * max(0, end - total))
        return before + pcm + after

    def ensure(self, span: Span, slots: threading.Semaphore) -> tuple[str, bool]:
        """The key of the span's frames in the store, encoding them if missing."""
        pcm = self.read(span)
        key = self.key(span, pcm)
        if self.store.get_entry(key) is not None:
            return key, False
        rate = str(self.settings.sample_rate_hz)
        args = [
            "-f", "s16le", "-ar", str(self.programme.timeline.sample_rate_hz), "-ac", "1",
            "-i", "pipe:0", "-af", self.chain, "-ar", rate,
            "-ac", str(self.settings.channels), *self.codec, *BITEXACT_ARGS,
            "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "pipe:1",
        ]  # fmt: skip
        with slots:
            stream = run_ffmpeg_bytes(args, pcm, what="encoding mp3")
        frames = split_frames(stream)
        if (span.stop - span.start) % self.frame_samples:
            raise EngineError(f"span {span.start}-{span.stop} is not whole codec frames")
        wanted = (span.stop - span.start) // self.frame_samples + (1 if span.last else 0)
        kept = frames[PRE_ROLL_FRAMES : PRE_ROLL_FRAMES + wanted]
        if len(kept) != wanted:
            raise EngineError(f"the MP3 encoder gave {len(frames)} frames, expected more")
        self.store.put_entry(key, len(kept), b"".join(kept))
        return key, True

    def frames_in_order(self, keys: list[str]) -> Iterator[tuple[int, bytes]]:
        for key in keys:
            entry = self.store.get_entry(key)
            if entry is None:
                raise EngineError(f"encoded span {key[:12]} vanished from {self.store.directory}")
            yield entry


@dataclass(frozen=True)
class SpanReport:
    spans: int
    encoded: int  # spans that were not in the store


def encode_in_spans(
    programme: Programme,
    settings: EncodeSettings,
    dest: Path,
    chain: str,
    store: ChecksummedStore,
    slots: threading.Semaphore,
    workers: int,
) -> SpanReport:
    """Encode ``programme`` into the MP3 file ``dest``, reusing spans in ``store``.

    Up to ``workers`` spans are prepared at once; ``slots`` bounds the encoder
    processes across every episode of a build."""
    frame_samples = frame_in_programme_samples(settings, programme.timeline.sample_rate_hz)
    if frame_samples is None:
        raise EngineError(f"{settings.format} at {settings.sample_rate_hz} Hz cannot be spliced")
    encoder = SpanEncoder(programme, settings, chain, store, frame_samples)
    spans = spans_of(programme)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        done = list(pool.map(lambda span: encoder.ensure(span, slots), spans))
    frames_path = dest.with_name(f"{dest.name}.frames")
    frame_count = 0
    try:
        with frames_path.open("wb") as out:
            for count, frames in encoder.frames_in_order([key for key, _ in done]):
                out.write(frames)
                frame_count += count
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
    output_samples = programme.timeline.frame_count * settings.sample_rate_hz
    output_samples //= programme.timeline.sample_rate_hz
    padding = frame_count * FRAME_SAMPLES - output_samples - ENCODER_DELAY_SAMPLES
    try:
        set_gapless_info(dest, ENCODER_DELAY_SAMPLES, padding)
    except OSError as exc:
        raise OutputError(f"cannot finish {dest}: {exc.strerror}") from exc
    return SpanReport(len(spans), sum(1 for _, encoded in done if encoded))
