"""Music: intro, stings between questions and outro, ducked under speech.

The render with music is a real one (``render_script``). To tell music from
speech where they overlap, the test keeps a copy of the programme just before
``mix_music`` mixes into it and just after: the difference is exactly the
music that was added (before mastering, which scales both by the same gain and
only limits rare peaks), and the copy before is exactly the speech. Each cue
that overlaps a music placement is then compared over the overlap: the music's
energy must sit at least 12 dB under the speech's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from readback import decode_s16

import qacast.audio.assemble

from conftest import SAMPLE

MUSIC = {"intro_music": "jingle", "sting": "sting", "outro_music": "jingle"}
MIN_DUCKING_DB = 12.0
AUDIBLE_DBFS = -45.0  # music alone in a gap is well above this; digital silence is -inf


@dataclass(frozen=True)
class Mixed:
    rendered: Any
    speech: np.ndarray  # the programme without its music (float, s16 scale)
    music: np.ndarray  # what mixing added


@pytest.fixture(scope="module")
def mixed(render_script: Callable[..., Any]) -> Iterator[Mixed]:
    """The music is mixed span by span while the programme is written: each call
    is seen with the whole file before and after it."""
    original = qacast.audio.assemble.mix_music
    captured: list[tuple[bytes, bytes]] = []

    def spy(pcm_path: Path, *args: Any, **kwargs: Any) -> Any:
        before = pcm_path.read_bytes()
        result = original(pcm_path, *args, **kwargs)
        captured.append((before, pcm_path.read_bytes()))
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(qacast.audio.assemble, "mix_music", spy)
        rendered, _ = render_script(SAMPLE, **MUSIC)
    if not captured:
        pytest.fail("mix_music never ran: was this render already made by another test?")
    # The last call comes when the whole programme is written.
    final = np.frombuffer(captured[-1][1], dtype="<i2").astype(np.float64)
    music = np.zeros(final.size)
    for before, after in captured:
        added = np.frombuffer(after, dtype="<i2").astype(np.float64)
        added[: len(before) // 2] -= np.frombuffer(before, dtype="<i2")
        music[: added.size] += added
    yield Mixed(rendered, final - music, music)


def _db(samples: np.ndarray) -> float:
    mean_square = float(np.mean(np.square(samples))) if samples.size else 0.0
    return 10 * math.log10(mean_square) if mean_square > 0 else -math.inf


def test_intro_stings_between_questions_and_outro(mixed: Mixed) -> None:
    timeline = mixed.rendered.timeline
    kinds = [m.kind for m in timeline.music]
    questions = [span for span in timeline.turns if span.kind == "question"]
    assert kinds == ["intro", *["sting"] * (len(questions) - 1), "outro"], kinds
    rate_hz: int = timeline.sample_rate_hz

    def ms(frame: int) -> float:
        return frame * 1000 / rate_hz

    intro, *stings, outro = timeline.music
    assert intro.start_frame == 0
    assert ms(intro.start_frame + intro.frame_count) > timeline.cues[0].start_ms
    # Each sting sits in the silence before a question (not the first), clear of words.
    spans = list(timeline.turns)
    for sting, question in zip(stings, questions[1:], strict=True):
        before = spans[spans.index(question) - 1]
        assert before.end_ms < ms(sting.start_frame)
        assert ms(sting.start_frame + sting.frame_count) < question.start_ms
    assert ms(outro.start_frame) > timeline.cues[-1].end_ms
    assert outro.start_frame + outro.frame_count <= timeline.frame_count


def test_the_music_is_in_the_encoded_file(mixed: Mixed) -> None:
    """Decoded independently (readback.py): each placement is audible where nobody speaks."""
    timeline = mixed.rendered.timeline
    rate_hz = 44100
    audio = decode_s16(mixed.rendered.files[0].path, rate_hz).astype(np.float64) / 32768
    speaking = np.zeros(audio.size, dtype=bool)
    for cue in timeline.cues:
        speaking[cue.start_ms * rate_hz // 1000 : -(-cue.end_ms * rate_hz // 1000)] = True
    for placement in timeline.music:
        start = placement.start_frame * rate_hz // timeline.sample_rate_hz
        end = start + placement.frame_count * rate_hz // timeline.sample_rate_hz
        alone = audio[start:end][~speaking[start:end]]
        assert alone.size > rate_hz // 2, placement
        assert _db(alone) > AUDIBLE_DBFS, (placement, _db(alone))


def test_music_sits_at_least_12_db_under_overlapping_speech(mixed: Mixed) -> None:
    timeline = mixed.rendered.timeline
    rate_hz = timeline.sample_rate_hz
    overlaps = 0
    for placement in timeline.music:
        first, last = placement.start_frame, placement.start_frame + placement.frame_count
        for cue in timeline.cues:
            start = max(first, cue.start_ms * rate_hz // 1000)
            end = min(last, -(-cue.end_ms * rate_hz // 1000))
            if start >= end:
                continue
            overlaps += 1
            speech_db = _db(mixed.speech[start:end])
            music_db = _db(mixed.music[start:end])
            assert speech_db - music_db >= MIN_DUCKING_DB, (placement, cue, speech_db, music_db)
    # The intro runs under the first words: the check above is never vacuous.
    assert overlaps >= 1


def test_music_adds_nothing_outside_its_placements(mixed: Mixed) -> None:
    timeline = mixed.rendered.timeline
    inside = np.zeros(mixed.music.size, dtype=bool)
    for placement in timeline.music:
        inside[placement.start_frame : placement.start_frame + placement.frame_count] = True
    assert not np.any(mixed.music[~inside])
