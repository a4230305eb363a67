from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from qacast.audio.jingle import JINGLE_SECONDS, jingle_pcm, write_jingle_wav


def samples(pcm: bytes) -> npt.NDArray[np.float64]:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768


def rms_db(x: npt.NDArray[np.float64]) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x))) + 1e-12))


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_jingle_length_and_format(rate: int) -> None:
    pcm = jingle_pcm(rate)
    assert len(pcm) == 2 * round(JINGLE_SECONDS * rate)
    assert 4.0 <= len(pcm) / 2 / rate <= 6.0


def test_jingle_is_deterministic() -> None:
    assert jingle_pcm(44100) == jingle_pcm(44100)


def test_jingle_is_audible_but_peaks_below_minus_3_dbfs() -> None:
    x = samples(jingle_pcm())
    peak_dbfs = 20 * np.log10(np.max(np.abs(x)))
    assert -9.0 <= peak_dbfs <= -3.0
    assert rms_db(x) > -35.0


def test_jingle_fades_in_and_out() -> None:
    rate = 44100
    x = samples(jingle_pcm(rate))
    edge = int(0.05 * rate)
    middle = x[len(x) // 2 - rate // 2 : len(x) // 2 + rate // 2]
    assert rms_db(x[:edge]) < rms_db(middle) - 30
    assert rms_db(x[-edge:]) < rms_db(middle) - 30
    assert abs(x[0]) < 1e-3 and abs(x[-1]) < 1e-3  # no click at either end


def test_jingle_is_music_not_noise() -> None:
    # Tonal: almost all energy below 5 kHz, where the notes and their partials are.
    x = samples(jingle_pcm(44100))
    power = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(x.size, 1 / 44100)
    assert power[freqs > 5000].sum() < 1e-4 * power.sum()
    # The strongest pitch is one of the phrase's notes (D, F#, A or B).
    strongest_hz = freqs[np.argmax(power)]
    midi = 69 + 12 * np.log2(strongest_hz / 440)
    assert round(midi) % 12 in {2, 6, 9, 11}


def test_write_jingle_wav_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "jingle.wav"
    write_jingle_wav(path, 22050)
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        assert wav.readframes(wav.getnframes()) == jingle_pcm(22050)
    first = path.read_bytes()
    write_jingle_wav(path, 22050)
    assert path.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["jingle.wav"]


def test_too_low_sample_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="sample rate"):
        jingle_pcm(4000)
