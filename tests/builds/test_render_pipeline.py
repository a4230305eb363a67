"""The render is a pipeline: synthesis feeds the assembler, spans are encoded as they are written.

What must hold whatever the timing: the bytes do not depend on ``-j`` or on
the order clips arrive in; spans are handed to the encoders before the last
sentence is synthesized (the design, shown by the order of events, never by
a clock); and the levelled, mastered result is on target, including when the
programme measures far from the planned speech level and is mastered again.
Real renders of tiny scripts, read back by a decoder qacast did not run.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import readback

import qacast.audio.mastering
import qacast.pipeline
from qacast.audio.encode import encode_settings
from qacast.audio.loudness import LoudnessTarget
from qacast.audio.master import LEVEL_TOLERANCE_LU, SPEECH_LEVEL_LUFS
from qacast.config import ShowConfig
from qacast.pipeline import RenderResources, RenderSettings, render_episode
from qacast.voices.engines.base import SpeechAudio
from qacast.voices.pool import SynthesisPool, SynthesisRequest
from qacast.voices.presets import load_preset

from conftest import DEFAULT_PRESET, REPO

# Long enough for several spans (a span is at least 8 s), short enough to be quick.
SCRIPT = "\n\n".join(
    [
        "SI: Welcome to the show. Where did the project start?",
        "NJP: It started in a basement in nineteen ninety three. We had one machine "
        "and a modem. Nobody thought it would last a year.",
        "It lasted thirty. The people who came made it last, not the machine.",
        "SI: What changed when the company arrived?",
        "NJP: Money came, and with it deadlines. We learned to say no to features. "
        "Saying no was the hardest skill of all.",
        "SI: And what comes next?",
        "NJP: More of the same, done a little better every year. That is the plan.",
        "SI: Who helped you most along the way?",
        "NJP: The people who wrote to say something was broken. They were right.",
        "SI: Would you start it again?",
        "NJP: Tomorrow, and in the same basement if it is still there.",
        "SI: Thank you for your time.",
    ]
)


class ReversedArrivals(SynthesisPool):
    """A real pool whose clips arrive in the reverse of the order they were asked for."""

    def synthesize(self, requests: Sequence[SynthesisRequest]) -> Iterator[tuple[int, SpeechAudio]]:
        yield from reversed(list(super().synthesize(requests)))


def render(tmp_path: Path, name: str, pool: SynthesisPool, jobs: int, **show: Any) -> Any:
    script = tmp_path / name / "interview.txt"
    script.parent.mkdir()
    script.write_text(SCRIPT, encoding="utf-8")
    settings = RenderSettings(
        show=ShowConfig(title="Pipeline", author="Test", show_dir=REPO, **show),
        preset=load_preset(DEFAULT_PRESET),
        formats=(encode_settings("mp3"), encode_settings("opus")),
        loudness=LoudnessTarget(-19.0, -1.0),
    )
    resources = RenderResources(
        out_dir=script.parent / "out",
        pool=lambda: pool,
        clips=None,  # cold: every clip synthesized, every span encoded
        jobs=jobs,
        encoders=threading.BoundedSemaphore(jobs),
    )
    return render_episode(script, settings, resources)


def test_bytes_do_not_depend_on_jobs_or_the_order_clips_arrive_in(tmp_path: Path) -> None:
    with SynthesisPool(1) as one, SynthesisPool(2) as two, ReversedArrivals(2) as reversed_:
        outs = [
            render(tmp_path, "j1", one, jobs=1).cover.parent,
            render(tmp_path, "j2", two, jobs=2).cover.parent,
            render(tmp_path, "reversed", reversed_, jobs=2).cover.parent,
        ]
    for name in ("interview.mp3", "interview.opus", "interview.vtt", "interview.chapters.json"):
        contents = {(out / name).read_bytes() for out in outs}
        assert len(contents) == 1, name


def test_spans_are_encoded_while_speech_is_still_being_synthesized(tmp_path: Path) -> None:
    events: list[str] = []
    real = qacast.pipeline.synthesize_in_order

    def recording(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for clip in real(*args, **kwargs):
            events.append("clip")
            yield clip

    class Recording(qacast.audio.mastering.SpannedEncoding):
        def submit(self, span: Any) -> None:
            events.append("span")
            super().submit(span)

    with pytest.MonkeyPatch.context() as patch, SynthesisPool(2) as pool:
        patch.setattr(qacast.pipeline, "synthesize_in_order", recording)
        patch.setattr(qacast.audio.mastering, "SpannedEncoding", Recording)
        render(tmp_path, "events", pool, jobs=2)
    spans = [i for i, event in enumerate(events) if event == "span"]
    last_clip = max(i for i, event in enumerate(events) if event == "clip")
    assert len(spans) >= 3, events
    # Every span but the last went to the encoders before the last clip arrived.
    assert all(i < last_clip for i in spans[:-1]), events


def render_measured(tmp_path: Path, name: str, **show: Any) -> tuple[Any, float]:
    """A render, and the programme loudness the pipeline measured to master it."""
    measured: list[float] = []
    real = qacast.audio.mastering.mastering_level

    def spy(lufs: float) -> float:
        measured.append(lufs)
        return real(lufs)

    with pytest.MonkeyPatch.context() as patch, SynthesisPool(2) as pool:
        patch.setattr(qacast.audio.mastering, "mastering_level", spy)
        rendered = render(tmp_path, name, pool, jobs=2, **show)
    (programme_lufs,) = measured
    return rendered, programme_lufs


def assert_on_target(rendered: Any) -> None:
    for file in rendered.files:
        result = readback.ebur128(file.path)
        assert abs(result.integrated_lufs + 19.0) <= 0.5, (file.path.name, result)
        assert result.true_peak_dbtp <= -1.0, (file.path.name, result)


def test_the_levelled_programme_is_on_target_and_needs_no_second_master(tmp_path: Path) -> None:
    rendered, programme_lufs = render_measured(tmp_path, "plain")
    assert abs(programme_lufs - SPEECH_LEVEL_LUFS) <= LEVEL_TOLERANCE_LU, programme_lufs
    assert_on_target(rendered)
    for file in rendered.files:
        probed_ms = readback.probed_duration_ms(file.path)
        assert abs(probed_ms - rendered.timeline.duration_ms) <= readback.TOLERANCE_MS, (
            file.path.name,
            probed_ms,
        )


def test_a_programme_far_off_the_plan_is_mastered_again_from_its_measurement(
    tmp_path: Path,
) -> None:
    # Long intro and outro music around a short talk: the programme measures
    # well under the speech level, so the planned chain would leave it quiet.
    rendered, programme_lufs = render_measured(
        tmp_path, "music", intro_music="jingle", outro_music="jingle"
    )
    assert abs(programme_lufs - SPEECH_LEVEL_LUFS) > LEVEL_TOLERANCE_LU, programme_lufs
    assert_on_target(rendered)
