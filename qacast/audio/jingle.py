"""The project's own jingle, synthesized in code so no audio file is committed.

A five-second phrase in D major: a rising arpeggio of soft mallet notes that
lands on a ringing chord, over a quiet pad, with a fade in and a long fade
out. Pure arithmetic on numpy arrays, no randomness: the same sample rate
gives the same bytes on every run.
"""

from __future__ import annotations

import io
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from qacast.fsutil import atomic_write_bytes

# numpy is imported where it is used: importing the render pipeline (as a
# build with nothing to render does) should not cost numpy's start-up.
if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]


JINGLE_SECONDS = 5.0
PEAK_DBFS = -6.0  # soft: it plays under or between voices mastered to -19 LUFS
FADE_IN_SECONDS = 0.3
FADE_OUT_SECONDS = 1.2
_BEAT_SECONDS = 0.25  # an eighth note at 120 bpm

# (start in beats, MIDI note, length in beats). Notes ring on past their
# length as mallet notes do; the length only shapes their decay.
MELODY: tuple[tuple[float, int, float], ...] = (
    (0.5, 74, 1.0),  # D5
    (1.5, 78, 1.0),  # F#5
    (2.5, 81, 1.0),  # A5
    (3.5, 86, 2.0),  # D6
    (5.5, 83, 1.0),  # B5
    (6.5, 81, 1.5),  # A5
    (8.5, 74, 8.0),  # the closing chord: D5, F#5, A5 together
    (8.5, 78, 8.0),
    (8.5, 81, 8.0),
    (8.5, 62, 8.0),  # D4 underneath
)
PAD_NOTES: tuple[int, ...] = (50, 57, 62, 66)  # D3 A3 D4 F#4: an open D chord
PAD_LEVEL = 0.08  # relative to a mallet note's fundamental

# Mallet timbre: (partial multiple, relative level, decay time in seconds).
# Upper partials die faster, which is what makes a struck note sound struck.
_PARTIALS: tuple[tuple[float, float, float], ...] = (
    (1.0, 1.0, 0.9),
    (2.0, 0.35, 0.45),
    (3.0, 0.15, 0.25),
    (4.0, 0.06, 0.15),
)
_ATTACK_SECONDS = 0.006  # no click at the onset, still a clear strike


def _midi_hz(note: int) -> float:
    return float(440.0 * 2.0 ** ((note - 69) / 12))


def _mallet(note: int, length_s: float, t: FloatArray) -> FloatArray:
    """One struck note, starting at t = 0 (``t`` holds only times >= 0)."""
    import numpy as np

    freq = _midi_hz(note)
    tone = np.zeros_like(t)
    for multiple, level, decay_s in _PARTIALS:
        # Longer notes ring longer: scale decays with the written length.
        decay = decay_s * (0.6 + 0.4 * length_s)
        tone += level * np.exp(-t / decay) * np.sin(2 * np.pi * freq * multiple * t)
    attack = np.minimum(t / _ATTACK_SECONDS, 1.0)
    return np.asarray(tone * attack, dtype=np.float64)


def _pad(t: FloatArray) -> FloatArray:
    """A quiet sustained chord that swells in over the first second."""
    import numpy as np

    pad = sum(np.sin(2 * np.pi * _midi_hz(note) * t) for note in PAD_NOTES)
    swell = np.minimum(t / 1.0, 1.0)
    return np.asarray(PAD_LEVEL * pad * swell, dtype=np.float64)


def _fades(frames: int, sample_rate_hz: int) -> FloatArray:
    """Raised-cosine fade in and fade out over the whole jingle."""
    import numpy as np

    envelope = np.ones(frames)
    fade_in = int(FADE_IN_SECONDS * sample_rate_hz)
    fade_out = int(FADE_OUT_SECONDS * sample_rate_hz)
    envelope[:fade_in] = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade_in) / fade_in)
    envelope[frames - fade_out :] = 0.5 + 0.5 * np.cos(
        np.pi * np.arange(1, fade_out + 1) / fade_out
    )
    return envelope


def jingle_samples(sample_rate_hz: int = 44100) -> FloatArray:
    """The jingle as floats, peak at ``PEAK_DBFS``."""
    import numpy as np

    if sample_rate_hz < 8000:
        raise ValueError(f"sample rate too low for the jingle: {sample_rate_hz} Hz")
    frames = round(JINGLE_SECONDS * sample_rate_hz)
    t = np.arange(frames) / sample_rate_hz
    mix = _pad(t)
    for start_beats, note, length_beats in MELODY:
        start = round(start_beats * _BEAT_SECONDS * sample_rate_hz)
        mix[start:] += 0.5 * _mallet(note, length_beats * _BEAT_SECONDS, t[: frames - start])
    mix *= _fades(frames, sample_rate_hz)
    peak = float(np.max(np.abs(mix)))
    return np.asarray(mix * (10 ** (PEAK_DBFS / 20) / peak), dtype=np.float64)


def jingle_pcm(sample_rate_hz: int = 44100) -> bytes:
    """The jingle as signed 16-bit little-endian mono PCM.

    Only IEEE arithmetic plus numpy's sin/exp feed the final rounding; a
    last-bit difference in those between machines would have to land exactly
    on a rounding boundary to change a sample.
    """
    import numpy as np

    scaled = np.rint(jingle_samples(sample_rate_hz) * 32767)
    pcm: npt.NDArray[np.int16] = scaled.astype("<i2")
    return pcm.tobytes()


def write_jingle_wav(path: Path, sample_rate_hz: int = 44100) -> None:
    """Write the jingle as a 16-bit mono WAV file, atomically."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate_hz)
        wav.writeframes(jingle_pcm(sample_rate_hz))
    atomic_write_bytes(path, buffer.getvalue())
