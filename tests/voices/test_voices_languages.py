"""Voices follow the episode's language: the default preset speaks any espeak-ng language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from qacast.errors import ConfigError
from qacast.voices.engines import ENGINES
from qacast.voices.pool import SynthesisPool, SynthesisRequest
from qacast.voices.presets import CastPreset, for_language, load_preset

from conftest import DEFAULT_PRESET

# One sentence per language, written for this test.
SENTENCES = {
    "fr": "Nous avons commencé le projet avec trois amis dans un petit atelier.",
    "es": "Empezamos el proyecto con tres amigos en un pequeño taller.",
    "de": "Wir haben das Projekt mit drei Freunden in einer kleinen Werkstatt begonnen.",
    "it": "Abbiamo iniziato il progetto con tre amici in una piccola bottega.",
    "pt": "Começámos o projeto com três amigos numa pequena oficina.",
    "nl": "We zijn het project met drie vrienden in een kleine werkplaats begonnen.",
}


@pytest.fixture(scope="module")
def preset() -> CastPreset:
    return load_preset(DEFAULT_PRESET)


@pytest.fixture(scope="module")
def pool() -> Iterator[SynthesisPool]:
    with SynthesisPool(2) as started:
        yield started


def _median_pitch_hz(pcm: bytes, rate_hz: int) -> float:
    """Median f0 over voiced 40 ms frames, by autocorrelation (60-400 Hz)."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    frame = int(0.04 * rate_hz)
    lags = np.arange(rate_hz // 400, rate_hz // 60)
    pitches = []
    for start in range(0, len(samples) - frame, frame):
        chunk = samples[start : start + frame] - samples[start : start + frame].mean()
        energy = float(np.dot(chunk, chunk))
        if energy < 1e-3:
            continue
        corr = np.array([np.dot(chunk[:-lag], chunk[lag:]) for lag in lags])
        best = int(np.argmax(corr))
        if corr[best] / energy > 0.5:
            pitches.append(rate_hz / lags[best])
    return float(np.median(pitches))


def test_english_shows_keep_their_voices(preset: CastPreset) -> None:
    for code in ("en", "en-us", "en-gb"):
        assert for_language(preset, code) == preset


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_every_role_speaks_the_language(preset: CastPreset, language: str) -> None:
    local = for_language(preset, language)
    espeak = ENGINES["pyttsx3"]
    for voice in (local.interviewer, local.interviewee, local.narrator, *local.guests):
        assert voice.voice_id.split("+")[0].startswith(language), voice.voice_id
        assert espeak.resolve_voice(voice.voice_id) == voice.voice_id
    # The roles keep their character: variants and pitch as in English.
    assert local.interviewee.pitch == preset.interviewee.pitch
    assert (
        local.interviewee.voice_id.partition("+")[2]
        == preset.interviewee.voice_id.partition("+")[2]
    )


@pytest.mark.slow
def test_roles_are_a_quarter_apart_in_median_pitch_in_every_language(
    preset: CastPreset, pool: SynthesisPool
) -> None:
    requests = []
    for language, sentence in sorted(SENTENCES.items()):
        local = for_language(preset, language)
        requests += [
            SynthesisRequest(sentence, local.interviewer),
            SynthesisRequest(sentence, local.interviewee),
        ]
    audio = dict(pool.synthesize(requests))
    for index, language in enumerate(sorted(SENTENCES)):
        host = audio[2 * index]
        guest = audio[2 * index + 1]
        low, high = sorted(
            (
                _median_pitch_hz(host.pcm, host.sample_rate_hz),
                _median_pitch_hz(guest.pcm, guest.sample_rate_hz),
            )
        )
        assert high >= 1.25 * low, (language, low, high)


def test_a_preset_can_map_a_language_to_its_own_voices(tmp_path: Path) -> None:
    text = DEFAULT_PRESET.read_text(encoding="utf-8")
    mapped = tmp_path / "mapped.toml"
    mapped.write_text(
        text + '\n[languages.fr.interviewee]\nvoice = "fr-be+f4"\npitch = 60\n', encoding="utf-8"
    )
    local = for_language(load_preset(mapped), "fr")
    assert (local.interviewee.voice_id, local.interviewee.pitch) == ("fr-be+f4", 60)
    assert local.interviewer.voice_id == "fr"  # unmapped roles follow the language


def test_an_unsupported_language_names_the_nearest_supported_ones(preset: CastPreset) -> None:
    with pytest.raises(ConfigError) as caught:
        for_language(preset, "frr")
    message = str(caught.value)
    assert "frr" in message and "nearest supported" in message and "\n" not in message
