from __future__ import annotations

import math
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import numpy.typing as npt
import pyloudnorm
import pytest
import readback

from qacast.audio import loudness
from qacast.audio.loudness import (
    ENCODER_LEVEL_LOSS_DB,
    LOUDNESS_PRESETS,
    ChainOutput,
    LoudnessMeter,
    LoudnessTarget,
    apply_gain_s16le,
    integrated_loudness_lufs,
    loudness_of_pcm,
    master_filter,
    measure_file_loudness,
    parse_ebur128_summary,
    parse_loudness_target,
)
from qacast.audio.master import (
    MAX_LIFT_DB,
    SPEECH_LEVEL_LUFS,
    LevelledClip,
    level_clip,
    mastering_level,
)
from qacast.errors import ConfigError, EngineError

RATE = 22050
PRODUCT_FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


def speech_like(seconds: float, *, peak: float, seed: int = 0, rate: int = RATE) -> bytes:
    """Syllables of gliding harmonic tones, hiss and plosive bursts with pauses, as s16le.

    Speech-like where it matters here: a high crest factor, silent gaps the
    gate must skip, and transients a limiter has to catch.
    """
    rng = np.random.default_rng(seed)
    pieces: list[npt.NDArray[np.float64]] = []
    total = 0
    while total < seconds * rate:
        n = int(rate * rng.uniform(0.08, 0.3))
        t = np.arange(n) / rate
        kind = rng.random()
        if kind < 0.7:  # a vowel: harmonics of a gliding pitch
            f0 = rng.uniform(90, 220) * (1 + 0.2 * t / t[-1])
            phase = 2 * np.pi * np.cumsum(f0) / rate
            harmonics = [k for k in range(1, 25) if k * f0.max() < 0.45 * rate]
            piece = sum(np.sin(k * phase) / k for k in harmonics) * np.sqrt(
                np.sin(np.pi * np.arange(n) / n)
            )
        elif kind < 0.9:  # a fricative
            piece = 0.5 * rng.standard_normal(n) * np.sin(np.pi * np.arange(n) / n)
        else:  # a plosive
            piece = 1.5 * rng.standard_normal(n) * np.exp(-np.arange(n) / (rate * 0.02))
        pieces.append(np.asarray(piece * rng.uniform(0.3, 1.0), dtype=np.float64))
        if rng.random() < 0.25:
            pieces.append(np.zeros(int(rate * rng.uniform(0.1, 0.5))))
        total += sum(p.size for p in pieces[-2:])
    signal = np.concatenate(pieces)[: int(seconds * rate)]
    signal *= peak / np.max(np.abs(signal))
    return to_s16le(signal)


def to_s16le(signal: npt.NDArray[np.float64]) -> bytes:
    return np.clip(np.rint(signal * 32768), -32768, 32767).astype("<i2").tobytes()


def as_float(pcm: bytes) -> npt.NDArray[np.float64]:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768


def sine(freq_hz: float, seconds: float, amplitude: float, rate: int = RATE) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    return to_s16le(amplitude * np.sin(2 * np.pi * freq_hz * t))


# --- targets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mono", LoudnessTarget(-19.0, -1.0)),
        ("Stereo", LoudnessTarget(-16.0, -1.0)),
        ("-19", LoudnessTarget(-19.0, -1.0)),
        ("-16/-1.5", LoudnessTarget(-16.0, -1.5)),
        (" -23.5 / -2 ", LoudnessTarget(-23.5, -2.0)),
    ],
)
def test_parse_loudness_target(text: str, expected: LoudnessTarget) -> None:
    assert parse_loudness_target(text) == expected


@pytest.mark.parametrize(
    "text", ["loud", "", "-3", "-50", "-19/+1", "-19/-12", "-19/-1/-2", "19 LUFS"]
)
def test_parse_loudness_target_rejects_bad_values(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_loudness_target(text)
    assert "\n" not in str(caught.value) and repr(text) in str(caught.value)


# --- measurement --------------------------------------------------------------


def test_full_scale_997_hz_sine_reads_minus_3_01_lufs() -> None:
    # BS.1770-4's own calibration point, at its reference rate.
    assert loudness_of_pcm(sine(997, 5.0, 1.0, 48000), 48000) == pytest.approx(-3.01, abs=0.01)


def test_streaming_file_measurement_matches_pyloudnorm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pcm = speech_like(12.0, peak=0.9)
    path = tmp_path / "speech-like.raw"
    path.write_bytes(pcm)
    # Small, odd chunks: hop boundaries and filter state cross many chunk edges.
    monkeypatch.setattr(loudness, "_CHUNK_FRAMES", 12_345)
    streamed = integrated_loudness_lufs(path, RATE)

    samples = as_float(pcm)
    # pyloudnorm's "DeMan" filters are the same BS.1770 derivation we use.
    same_filters = pyloudnorm.Meter(RATE, filter_class="DeMan").integrated_loudness(samples)
    assert streamed == pytest.approx(same_filters, abs=0.01)
    # Its default filter design differs near 11 kHz; speech agrees within 0.1 LU.
    default = pyloudnorm.Meter(RATE).integrated_loudness(samples)
    assert streamed == pytest.approx(default, abs=0.1)


@pytest.mark.parametrize("rate", [11025, 44100, 48000])
def test_other_rates_match_pyloudnorm(rate: int) -> None:
    pcm = speech_like(6.0, peak=0.5, seed=3, rate=rate)
    meter = pyloudnorm.Meter(rate, filter_class="DeMan")
    assert loudness_of_pcm(pcm, rate) == pytest.approx(
        meter.integrated_loudness(as_float(pcm)), abs=0.01
    )


def test_gating_ignores_silence_between_words() -> None:
    speech = speech_like(10.0, peak=0.5)
    padded = b"\0" * RATE * 2 * 5 + speech + b"\0" * RATE * 2 * 15
    # Ungated, two thirds silence would read 4.8 LU quieter; the gate keeps
    # only the blocks at the edges of the speech, which pull it down a little.
    assert loudness_of_pcm(padded, RATE) == pytest.approx(loudness_of_pcm(speech, RATE), abs=0.3)


def test_silence_and_empty_input_measure_minus_infinity(tmp_path: Path) -> None:
    assert loudness_of_pcm(b"\0" * RATE * 2 * 3, RATE) == -math.inf
    assert loudness_of_pcm(b"", RATE) == -math.inf
    empty = tmp_path / "empty.raw"
    empty.write_bytes(b"")
    assert integrated_loudness_lufs(empty, RATE) == -math.inf
    # Below the -70 LUFS absolute gate counts as silence too.
    assert loudness_of_pcm(sine(440, 2.0, 10**-4), RATE) == -math.inf


def test_clip_shorter_than_one_block_is_measured_whole() -> None:
    short = loudness_of_pcm(sine(440, 0.25, 0.3), RATE)
    long = loudness_of_pcm(sine(440, 3.0, 0.3), RATE)
    assert short == pytest.approx(long, abs=0.3)


def test_clips_measured_together_equal_their_concatenation() -> None:
    clips = [speech_like(1.3, peak=0.5, seed=seed) for seed in range(3)]
    assert loudness_of_pcm(clips, RATE) == pytest.approx(
        loudness_of_pcm(b"".join(clips), RATE), abs=1e-9
    )


def test_odd_byte_count_is_rejected() -> None:
    with pytest.raises(ValueError, match="even"):
        LoudnessMeter(RATE).feed_pcm_s16le(b"\0\0\0")


# --- level matching -----------------------------------------------------------


def test_every_sentence_is_levelled_to_the_speech_level() -> None:
    voices = {
        "SI": speech_like(5.0, peak=0.9, seed=1),
        "NP": speech_like(5.0, peak=0.2, seed=2),
        "NARRATOR": speech_like(5.0, peak=0.5, seed=4),
    }
    measured = {speaker: loudness_of_pcm(pcm, RATE) for speaker, pcm in voices.items()}
    assert max(measured.values()) - min(measured.values()) > 5
    levelled = {speaker: level_clip(pcm, RATE) for speaker, pcm in voices.items()}
    for speaker, clip in levelled.items():
        assert clip.loudness_lufs == measured[speaker]
        # Voices a few LU apart end within a tenth of an LU (the issue asked for 1 LU).
        assert abs(loudness_of_pcm(clip.pcm, RATE) - SPEECH_LEVEL_LUFS) < 0.1, speaker


def test_a_lift_never_clips_and_silence_is_left_alone() -> None:
    # Quiet on average but with one full-scale click: lifting it to the speech
    # level would clip the click, so the lift stops under full scale.
    quiet = np.zeros(RATE, dtype="<i2")
    quiet[::50] = 300
    quiet[100] = 32000
    clip = level_clip(quiet.tobytes(), RATE)
    assert 0 <= clip.gain_db <= 0.11  # 0.2 dB of room, less the margin
    assert np.max(np.abs(np.frombuffer(clip.pcm, dtype="<i2"))) < 32767
    silence = bytes(2 * RATE)
    assert level_clip(silence, RATE) == LevelledClip(silence, -math.inf, 0.0)
    # A near-silent breath is lifted at most MAX_LIFT_DB.
    breath = (np.random.default_rng(3).standard_normal(RATE) * 20).astype("<i2").tobytes()
    assert level_clip(breath, RATE).gain_db == MAX_LIFT_DB


def test_the_chain_masters_from_the_plan_unless_the_programme_measures_far_off() -> None:
    assert mastering_level(SPEECH_LEVEL_LUFS - 0.3) == SPEECH_LEVEL_LUFS
    assert mastering_level(SPEECH_LEVEL_LUFS + 0.5) == SPEECH_LEVEL_LUFS
    assert mastering_level(SPEECH_LEVEL_LUFS - 1.13) == SPEECH_LEVEL_LUFS - 1.25
    assert mastering_level(-math.inf) == -math.inf


def test_apply_gain_clips_instead_of_wrapping() -> None:
    pcm = np.array([30000, -30000, 100], dtype="<i2").tobytes()
    louder = np.frombuffer(apply_gain_s16le(pcm, 6.0), dtype="<i2")
    assert louder.tolist() == [32767, -32768, 200]


# --- the mastering filter, through real encoders --------------------------------


def master_to_mp3(pcm: bytes, tmp_path: Path, target: LoudnessTarget, *, channels: int = 1) -> Path:
    raw = tmp_path / "programme.raw"
    raw.write_bytes(pcm)
    chain = master_filter(
        integrated_loudness_lufs(raw, RATE),
        target,
        ChainOutput(44100, channels, makeup_db=ENCODER_LEVEL_LOSS_DB["libmp3lame"]),
    )
    out = tmp_path / "episode.mp3"
    bitrate = "96k" if channels == 1 else "128k"
    subprocess.run(
        [
            *(PRODUCT_FFMPEG, "-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", str(raw), "-af", chain),
            *("-c:a", "libmp3lame", "-b:a", bitrate, "-ar", "44100", "-ac", str(channels)),
            str(out),
        ],
        check=True,
    )
    return out


def check_meter(path: Path) -> tuple[float, float]:
    """The encoded file measured by a different FFmpeg build than the one that made it
    (Debian's ffmpeg, or PyAV's libraries: see readback.py)."""
    measured = readback.ebur128(path)
    return measured.integrated_lufs, measured.true_peak_dbtp


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "peak"),
    [("typical", 0.5), ("clipping-ish", 1.0), ("quiet", 0.02)],
)
@pytest.mark.parametrize(("preset", "channels"), [("mono", 1), ("stereo", 2)])
def test_master_reaches_target_loudness_and_true_peak(
    tmp_path: Path, name: str, peak: float, preset: str, channels: int
) -> None:
    target = LOUDNESS_PRESETS[preset]
    mp3 = master_to_mp3(speech_like(12.0, peak=peak, seed=7), tmp_path, target, channels=channels)
    integrated, true_peak = check_meter(mp3)
    assert abs(integrated - target.integrated_lufs) <= 1.0, (name, integrated)
    assert true_peak <= target.true_peak_dbtp, (name, true_peak)


@pytest.mark.slow
def test_master_keeps_length_and_timing(tmp_path: Path) -> None:
    # A click at exactly 1 s must come out at exactly 1 s: captions depend on it.
    signal = np.zeros(RATE * 3)
    signal[RATE] = 0.9
    raw = tmp_path / "click.raw"
    raw.write_bytes(to_s16le(signal))
    chain = master_filter(-30.0, LOUDNESS_PRESETS["mono"], ChainOutput(44100))
    out = tmp_path / "click-44100.raw"
    subprocess.run(
        [
            *(PRODUCT_FFMPEG, "-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", str(raw), "-af", chain),
            *("-f", "f32le", str(out)),
        ],
        check=True,
    )
    result = np.fromfile(out, dtype="<f4")
    assert result.size == 2 * signal.size
    assert abs(int(np.argmax(np.abs(result))) - 44100) <= 44  # within 1 ms


def test_master_filter_chain_shape() -> None:
    chain = master_filter(-20.5, LoudnessTarget(-19.0, -1.0), ChainOutput(44100))
    parts = chain.split(",")
    assert parts[0] == "volume=1.50dB:precision=double"
    assert parts[1].startswith("aresample=176400:resampler=soxr")
    assert parts[2].startswith("alimiter=limit=0.841395:") and "level=disabled" in parts[2]
    assert parts[3].startswith("aresample=44100:resampler=soxr")
    stereo = master_filter(-20.5, LoudnessTarget(-16.0, -1.0), ChainOutput(48000, channels=2))
    assert stereo.startswith("volume=1.49dB") and stereo.endswith("pan=stereo|c0=c0|c1=c0")
    with pytest.raises(ValueError, match="silence"):
        master_filter(-math.inf, LoudnessTarget(), ChainOutput(44100))


# --- reading a file back ---------------------------------------------------------


def test_parse_ebur128_summary() -> None:
    stderr = (
        "[Parsed_ebur128_0 @ 0x1] t: 1.0 M: -20.0 S: -20.0 I: -20.0 LUFS LRA: 0.0 LU\n"
        "[Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -19.2 LUFS\n"
        "    Threshold: -29.4 LUFS\n\n  Loudness range:\n    LRA:         3.1 LU\n\n"
        "  True peak:\n    Peak:       -1.6 dBFS\n"
    )
    assert parse_ebur128_summary(stderr) == loudness.FileLoudness(-19.2, -1.6)
    silent = "Summary:\n    I:         -70.0 LUFS\n    Peak:       -inf dBFS\n"
    assert parse_ebur128_summary(silent) == loudness.FileLoudness(-70.0, -math.inf)
    with pytest.raises(ValueError, match="summary"):
        parse_ebur128_summary("no meter here")


@pytest.mark.slow
def test_measure_file_loudness_agrees_with_an_independent_ffmpeg(tmp_path: Path) -> None:
    mp3 = master_to_mp3(speech_like(8.0, peak=0.7, seed=9), tmp_path, LOUDNESS_PRESETS["mono"])
    ours = measure_file_loudness(mp3)
    integrated, true_peak = check_meter(mp3)
    assert ours.integrated_lufs == pytest.approx(integrated, abs=0.1)
    assert ours.true_peak_dbtp == pytest.approx(true_peak, abs=0.1)


def test_measure_file_loudness_reports_unreadable_file(tmp_path: Path) -> None:
    bogus = tmp_path / "not-audio.mp3"
    bogus.write_text("hello")
    with pytest.raises(EngineError, match=r"not-audio\.mp3"):
        measure_file_loudness(bogus)
