"""Clips + pauses -> one programme on disk, and the Timeline that times it.

Segments are pydub AudioSegments joined once by writing their frames in order:
``sum()``/``+`` over many segments is quadratic and ``append()`` crossfades
100 ms by default (PITFALLS 10). Every time on the timeline comes from frame
counts, so chapters, captions and durations agree with the audio exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from qacast.audio.master import apply_gain
from qacast.audio.music import INTRO_OVERLAP_MS, Music
from qacast.audio.pydub_ffmpeg import AudioSegment
from qacast.audio.spans import SpanCuts
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
from qacast.voices.cache import SynthesisCache

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


def assemble(
    episode: Episode,
    utterances: Sequence[Utterance],
    clips: Sequence[Clip],
    pauses: Pauses,
    pcm_path: Path,
    store: SynthesisCache,
    gains_db: Mapping[str, float],
    pad_to_multiple_of: int = 1,
    music: Music | None = None,
    span_frame_samples: int | None = None,
) -> Programme:
    """Write the speech to ``pcm_path`` and time it, leaving room for ``music``.

    Clips are read from ``store`` one at a time and scaled by their speaker's
    gain, so memory does not grow with the episode's length.

    The length in frames is padded (with tail silence) to a multiple of
    ``pad_to_multiple_of``. Music is placed on the timeline here and mixed in
    by ``music.mix_music`` once the speech loudness is known.

    With ``span_frame_samples`` (programme samples per MP3 frame) the
    programme is also cut into encoding spans (audio/spans.py): in the middle
    of some pauses free of music, each pause stretched by less than one frame
    so that the cut falls on a frame boundary.
    """
    if not clips:
        raise EngineError("nothing to say: the script has no speakable text")
    rate_hz = clips[0].sample_rate_hz
    if any(clip.sample_rate_hz != rate_hz for clip in clips):
        raise EngineError("the speech engine returned clips at different sample rates")

    def frames(ms: int) -> int:
        return round(ms * rate_hz / 1000)

    cues: list[Cue] = []
    placements: list[MusicCue] = []
    cuts = SpanCuts(span_frame_samples, rate_hz) if span_frame_samples else None
    frame = 0
    previous: Utterance | None = None
    first_question = next((i for i, t in enumerate(episode.turns) if t.kind == "question"), None)
    try:
        with pcm_path.open("wb") as out:
            for utterance, clip in zip(utterances, clips, strict=True):
                gap = frames(pause_before_ms(previous, utterance, episode, pauses))
                new_turn = previous is None or previous.turn_index != utterance.turn_index
                if music and music.intro and previous is None:
                    placements.append(MusicCue("intro", 0, music.frames("intro")))
                    overlap = min(frames(INTRO_OVERLAP_MS), music.frames("intro") // 2)
                    gap = max(gap, music.frames("intro") - overlap)
                elif (
                    music
                    and music.sting
                    and new_turn
                    and episode.turns[utterance.turn_index].kind == "question"
                    and utterance.turn_index != first_question
                ):
                    sting = music.frames("sting")
                    gap = max(gap, sting + 2 * frames(STING_CLEARANCE_MS))
                    placements.append(MusicCue("sting", frame + (gap - sting) // 2, sting))
                if cuts and previous is not None:
                    paragraph = new_turn or previous.paragraph_index != utterance.paragraph_index
                    gap += cuts.stretch_for_cut(gap, frame, clip.key, paragraph, placements)
                silence = _segment(b"\0" * SAMPLE_WIDTH_BYTES * gap, rate_hz)
                pcm = apply_gain(store.load(clip.key), gains_db.get(utterance.speaker_id, 0.0))
                speech = _segment(pcm, rate_hz)
                for segment in (silence, speech):
                    out.write(segment.raw_data)
                start = frame + int(silence.frame_count())
                frame = start + int(speech.frame_count())
                cues.append(
                    Cue(
                        turn_index=utterance.turn_index,
                        speaker_id=utterance.speaker_id,
                        text=utterance.text,
                        start_ms=_ms(start, rate_hz),
                        end_ms=_ms(frame, rate_hz),
                    )
                )
                previous = utterance
            end = frame + frames(pauses.tail_ms)
            if music and music.outro:
                outro_start = frame + frames(OUTRO_GAP_MS)
                placements.append(MusicCue("outro", outro_start, music.frames("outro")))
                end = max(end, outro_start + music.frames("outro"))
            end += -end % pad_to_multiple_of
            out.write(b"\0" * SAMPLE_WIDTH_BYTES * (end - frame))
            frame = end
    except OSError as exc:
        raise OutputError(f"cannot write work file {pcm_path}: {exc.strerror}") from exc
    duration_ms = _ms(frame, rate_hz)
    turns = _turn_spans(episode, cues)
    return Programme(
        timeline=Timeline(
            cues=tuple(cues),
            turns=turns,
            chapters=_chapters(episode, turns, duration_ms),
            duration_ms=duration_ms,
            sample_rate_hz=rate_hz,
            frame_count=frame,
            music=tuple(placements),
        ),
        pcm_path=pcm_path,
        span_starts=tuple(cuts.starts) if cuts else (0,),
    )


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
