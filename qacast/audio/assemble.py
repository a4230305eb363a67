"""Clips + pauses -> one programme on disk, and the Timeline that times it.

Segments are pydub AudioSegments joined once by writing their frames in order:
``sum()``/``+`` over many segments is quadratic and ``append()`` crossfades
100 ms by default. Every time on the timeline comes from frame
counts, so chapters, captions and durations agree with the audio exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from qacast.audio.grid import FrameGrid, Span
from qacast.audio.master import SPEECH_LEVEL_LUFS
from qacast.audio.music import INTRO_OVERLAP_MS, Music, mix_music
from qacast.audio.pydub_ffmpeg import AudioSegment
from qacast.errors import EngineError, OutputError
from qacast.models import (
    Chapter,
    Clip,
    Cue,
    Episode,
    MusicCue,
    Pauses,
    Programme,
    Timeline,
    TurnSpan,
    Utterance,
)

SAMPLE_WIDTH_BYTES = 2  # signed 16-bit
STING_CLEARANCE_MS = 300  # silence either side of a sting, so it never touches a word
OUTRO_GAP_MS = 600  # from the last word to the outro music


def pause_before_ms(
    previous: Utterance | None, current: Utterance, episode: Episode, pauses: Pauses
) -> int:
    """The silence in front of ``current``: the rhythm of a conversation."""
    if previous is None:
        return pauses.lead_in_ms
    if previous.turn_index != current.turn_index:
        turn = episode.turns[current.turn_index]
        if turn.kind == "question":
            return pauses.question_ms
        if episode.turns[previous.turn_index].speaker_id != turn.speaker_id:
            return pauses.speaker_ms
        return pauses.paragraph_ms
    if previous.paragraph_index != current.paragraph_index:
        paragraphs = episode.turns[current.turn_index].paragraphs
        if (
            paragraphs[current.paragraph_index].list_item
            or paragraphs[previous.paragraph_index].list_item
        ):
            return pauses.list_item_ms
        return pauses.paragraph_ms
    return pauses.sentence_ms


def _segment(pcm: bytes, rate_hz: int) -> AudioSegment:
    # Built from frames, not milliseconds: AudioSegment.silent() rounds to whole
    # ms, which would put the timeline a fraction of a ms off at every pause.
    return AudioSegment(data=pcm, sample_width=SAMPLE_WIDTH_BYTES, frame_rate=rate_hz, channels=1)


def _ms(frames: int, rate_hz: int) -> int:
    return round(frames * 1000 / rate_hz)


@dataclass(frozen=True)
class ProgrammeFile:
    """Where the programme is written, the frame grid it is cut on, and who is
    told of each span the moment its samples are on disk."""

    pcm_path: Path
    grid: FrameGrid
    on_span: Callable[[Span], None] = lambda span: None


@dataclass(frozen=True)
class Cut:
    at_frame: int  # where the new span starts
    stretch_frames: int  # what the pause grew by to put it on the grid


@dataclass
class Assembler:
    """Clips laid end to end in script order, as they arrive, into the programme file.

    Each clip comes with its pause in front (the conversation's rhythm, room
    for music), and where the file's grid cuts spans, the pause may be
    stretched by less than one codec frame so a cut lands on the grid. Every
    span is handed to the file's ``on_span`` as soon as its samples (music
    mixed in) are on disk, so it can be measured and encoded while later clips
    are still being synthesized. Memory holds one clip at a time, whatever the
    length.
    """

    episode: Episode
    pauses: Pauses
    file: ProgrammeFile
    music: Music | None = None
    speech_lufs: float = SPEECH_LEVEL_LUFS  # the speech's level, which the music is set against
    frame: int = 0
    cues: list[Cue] = field(default_factory=list)
    placements: list[MusicCue] = field(default_factory=list)
    _previous: Utterance | None = None
    _mixed: int = 0  # placements already mixed into the file
    _span_start: int = 0

    def __post_init__(self) -> None:
        self._cuts = self.file.grid.cuts()
        self._first_question = next(
            (i for i, t in enumerate(self.episode.turns) if t.kind == "question"), None
        )
        try:
            self._out: BinaryIO = self.file.pcm_path.open("wb")
        except OSError as exc:
            raise OutputError(
                f"cannot write work file {self.file.pcm_path}: {exc.strerror}"
            ) from exc

    def add(self, utterance: Utterance, clip: Clip, pcm: bytes) -> None:
        """Append ``pcm`` (``clip``'s audio, levelled) after its pause."""
        if clip.sample_rate_hz != self.file.grid.rate_hz:
            raise EngineError("the speech engine returned clips at different sample rates")
        gap = self._pause_and_music(utterance)
        cut = self._cut(utterance, clip, gap)
        if cut is not None:
            gap += cut.stretch_frames
        start = self.frame + gap
        speech = _segment(pcm, self.file.grid.rate_hz)
        end = start + int(speech.frame_count())
        rate_hz = self.file.grid.rate_hz
        self.cues.append(
            Cue(utterance.turn_index, utterance.speaker_id, utterance.text,
                _ms(start, rate_hz), _ms(end, rate_hz))
        )  # fmt: skip
        self._write(b"\0" * SAMPLE_WIDTH_BYTES * gap)
        if cut is not None:  # the span before the cut is whole: the pause is written
            self._close_span(cut.at_frame, last=False)
        self._write(speech.raw_data)
        self.frame, self._previous = end, utterance

    def finish(self) -> Programme:
        """Write the tail (and the outro), pad to the grid, close the last span."""
        if self._previous is None:
            raise EngineError("nothing to say: the script has no speakable text")
        end = self.frame + self._frames(self.pauses.tail_ms)
        if self.music and self.music.outro:
            outro_start = self.frame + self._frames(OUTRO_GAP_MS)
            self.placements.append(MusicCue("outro", outro_start, self.music.frames("outro")))
            end = max(end, outro_start + self.music.frames("outro"))
        end = self.file.grid.padded(end)
        self._write(b"\0" * SAMPLE_WIDTH_BYTES * (end - self.frame))
        self.frame = end
        self._close_span(end, last=True)
        self._out.close()
        return Programme(self._timeline(), self.file.pcm_path)

    def close(self) -> None:
        self._out.close()

    def _frames(self, ms: int) -> int:
        return round(ms * self.file.grid.rate_hz / 1000)

    def _pause_and_music(self, utterance: Utterance) -> int:
        """The pause in front of ``utterance``, long enough for the music placed in it."""
        previous, music = self._previous, self.music
        gap = self._frames(pause_before_ms(previous, utterance, self.episode, self.pauses))
        new_turn = previous is None or previous.turn_index != utterance.turn_index
        if music and music.intro and previous is None:
            self.placements.append(MusicCue("intro", 0, music.frames("intro")))
            overlap = min(self._frames(INTRO_OVERLAP_MS), music.frames("intro") // 2)
            return max(gap, music.frames("intro") - overlap)
        kind = self.episode.turns[utterance.turn_index].kind
        if (
            music
            and music.sting
            and new_turn
            and kind == "question"
            and (utterance.turn_index != self._first_question)
        ):
            sting = music.frames("sting")
            gap = max(gap, sting + 2 * self._frames(STING_CLEARANCE_MS))
            self.placements.append(MusicCue("sting", self.frame + (gap - sting) // 2, sting))
        return gap

    def _cut(self, utterance: Utterance, clip: Clip, gap: int) -> Cut | None:
        """Where a span cut falls in this pause, if it takes one."""
        previous = self._previous
        if self._cuts is None or previous is None:
            return None
        paragraph = (
            previous.turn_index != utterance.turn_index
            or previous.paragraph_index != utterance.paragraph_index
        )
        cuts_before = len(self._cuts.starts)
        stretch = self._cuts.stretch_for_cut(gap, self.frame, clip.key, paragraph, self.placements)
        if len(self._cuts.starts) == cuts_before:
            return None
        return Cut(self._cuts.starts[-1], stretch)

    def _close_span(self, stop: int, last: bool) -> None:
        """Mix the music that lies before ``stop``, then hand the span over."""
        self._out.flush()
        ready = [m for m in self.placements[self._mixed :] if m.start_frame < stop]
        if self.music and ready:
            mix_music(self.file.pcm_path, ready, self.cues, self.music, self.speech_lufs)
        self._mixed += len(ready)
        self.file.on_span(Span(self._span_start, stop, last))
        self._span_start = stop

    def _write(self, data: bytes) -> None:
        try:
            self._out.write(data)
        except OSError as exc:
            raise OutputError(
                f"cannot write work file {self.file.pcm_path}: {exc.strerror}"
            ) from exc

    def _timeline(self) -> Timeline:
        duration_ms = _ms(self.frame, self.file.grid.rate_hz)
        turns = _turn_spans(self.episode, self.cues)
        return Timeline(
            cues=tuple(self.cues),
            turns=turns,
            chapters=_chapters(self.episode, turns, duration_ms),
            duration_ms=duration_ms,
            sample_rate_hz=self.file.grid.rate_hz,
            frame_count=self.frame,
            music=tuple(self.placements),
        )


def assemble(
    episode: Episode,
    pieces: Iterable[tuple[Utterance, Clip, bytes]],
    pauses: Pauses,
    file: ProgrammeFile,
    music: Music | None = None,
) -> Programme:
    """Write every (utterance, clip, levelled PCM) to ``file`` in order and time it."""
    assembler = Assembler(episode, pauses, file, music)
    try:
        for utterance, clip, pcm in pieces:
            assembler.add(utterance, clip, pcm)
        return assembler.finish()
    finally:
        assembler.close()


def _turn_spans(episode: Episode, cues: Sequence[Cue]) -> tuple[TurnSpan, ...]:
    spans: list[TurnSpan] = []
    for cue in cues:
        if spans and spans[-1].turn_index == cue.turn_index:
            last = spans[-1]
            spans[-1] = TurnSpan(
                last.turn_index, last.speaker_id, last.kind, last.start_ms, cue.end_ms
            )
        else:
            kind = episode.turns[cue.turn_index].kind
            spans.append(TurnSpan(cue.turn_index, cue.speaker_id, kind, cue.start_ms, cue.end_ms))
    return tuple(spans)


def _chapters(episode: Episode, turns: Sequence[TurnSpan], duration_ms: int) -> tuple[Chapter, ...]:
    """Chapters start where their first turn starts; the first at 0, the last ends at the end.

    A planned chapter whose turn said nothing (an emoji-only answer, a lone
    "[laughs]") has no start on the timeline and is left out; with no chapter
    left, the episode is one chapter. Two chapters starting at the same moment
    keep only the later title, so no chapter is empty.
    """
    start_of = {span.turn_index: span.start_ms for span in turns}
    placed: list[tuple[str, int]] = []
    for mark in sorted(episode.chapters, key=lambda m: m.start_turn):
        if mark.start_turn not in start_of:
            continue
        start = 0 if not placed else start_of[mark.start_turn]
        if placed and start <= placed[-1][1]:
            placed.pop()
            start = 0 if not placed else start
        placed.append((mark.title, start))
    if not placed:
        # No planned chapter spoke (no question recognised): one chapter, the episode.
        return (Chapter(title=episode.meta.title, start_ms=0, end_ms=duration_ms),)
    ends = [start for _, start in placed[1:]] + [duration_ms]
    return tuple(
        Chapter(title=title, start_ms=start, end_ms=end)
        for (title, start), end in zip(placed, ends, strict=True)
    )
