"""What the encoders ask of the programme's layout, handed to ``assemble`` as one object.

Two things: the programme's length padded to whole codec frames (MP3 readers
report whole frames and ignore ffmpeg's padding tag), and, for a format whose
frames can be spliced, where the programme may be cut into encoding spans
(``audio/spans.py``): in the middle of pauses, on the frame grid, chosen by
content so an edit moves no other cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from qacast.audio.encode import length_multiple_frames
from qacast.formats import FORMATS
from qacast.models import EncodeSettings, MusicCue

PRE_ROLL_FRAMES = 3  # codec frames of context encoded before a span, then dropped
POST_ROLL_FRAMES = 3  # and after it: the encoder looks ahead about one frame

# A span opens at a paragraph whose first clip's key says so (one in
# PARAGRAPHS_PER_SPAN), once the span is MIN_SPAN_S long; past MAX_SPAN_S the
# next pause that can take a cut gets one anyway, between sentences if need be.
PARAGRAPHS_PER_SPAN = 3
MIN_SPAN_S = 8
MAX_SPAN_S = 45


@dataclass(frozen=True)
class Span:
    start: int  # programme frames
    stop: int
    last: bool  # the last span also keeps the frame that decodes the programme's end


def frame_in_programme_samples(settings: EncodeSettings, programme_rate_hz: int) -> int | None:
    """Programme samples per codec frame when ``settings`` can be encoded in spans:
    None for a format that cannot be spliced, or when the number is not whole
    (spans could not start on frame boundaries); the episode is then encoded whole."""
    spec = FORMATS[settings.format]
    if spec.splice_args is None:
        return None
    samples, remainder = divmod(spec.frame_samples * programme_rate_hz, settings.sample_rate_hz)
    return None if remainder else samples


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
    """Where the programme is cut, decided pause by pause as it is written."""

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


@dataclass(frozen=True)
class FrameGrid:
    """The encoders' frame grid at the programme's rate, and whether spans are cut on it."""

    rate_hz: int
    length_multiple: int = 1  # the programme's length is padded to a multiple of this
    frame_samples: int | None = None  # programme samples per spliceable frame; None: no spans

    @classmethod
    def for_formats(cls, formats: Sequence[EncodeSettings], rate_hz: int) -> FrameGrid:
        frames = [frame_in_programme_samples(settings, rate_hz) for settings in formats]
        return cls(
            rate_hz,
            length_multiple_frames(tuple(formats), rate_hz),
            next((f for f in frames if f), None),
        )

    def spliced(self, settings: EncodeSettings) -> bool:
        """Whether ``settings`` is encoded span by span on this grid."""
        samples = frame_in_programme_samples(settings, self.rate_hz)
        return samples is not None and samples == self.frame_samples

    def padded(self, frames: int) -> int:
        return frames + -frames % self.length_multiple

    def cuts(self) -> SpanCuts | None:
        return SpanCuts(self.frame_samples, self.rate_hz) if self.frame_samples else None
