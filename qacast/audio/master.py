"""Mastering: every sentence brought to one speech level, then the programme to podcast loudness.

Two steps, because they fix different things: espeak-ng voices differ in
loudness by a few LU (a listener reaches for the volume at every change of
speaker), and raw espeak-ng speech sits near -20.4 LUFS with true peaks up to
+0.1 dBTP, so the programme needs gain and a true-peak limiter.

Each sentence is levelled on its own, from its own measurement, the moment it
is synthesized. So the speech's level is known before the first clip exists,
the mastering chain is fixed before anything is assembled, and each span of
the programme can be encoded while later sentences are still being said: a
render needs no whole-programme pass before encoding. The programme's
loudness is measured as it is written and checked afterwards; gated loudness
leaves pauses out, so a programme of sentences at one level measures at that
level (the sample: within 0.1 LU). Only a programme that measures more than
LEVEL_TOLERANCE_LU off (a great deal of music, say) is mastered again from
its measurement. Levelling per sentence also means an edit changes the
samples of its own sentences only, never a voice's gain everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qacast.audio.loudness import (
    CODEC_LIMITER_MARGIN_DB,
    ENCODER_LEVEL_LOSS_DB,
    LIMITER_MARGIN_DB,
    ChainOutput,
    LoudnessTarget,
    apply_gain_s16le,
    loudness_of_pcm,
    master_filter,
)
from qacast.errors import EngineError
from qacast.formats import FORMATS
from qacast.models import EncodeSettings

GAIN_EPSILON_DB = 0.01  # below this a gain changes no 16-bit sample worth the work
# Every sentence is levelled to this before mastering. Under raw espeak-ng
# speech (about -20 to -22 LUFS) so most gains cut, and a quiet sentence has
# room to be lifted without clipping; 16-bit noise stays some 70 dB under it.
SPEECH_LEVEL_LUFS = -24.0
# A programme measuring further than this from SPEECH_LEVEL_LUFS is mastered
# from its measurement instead (its spans encoded again). Half the podcast
# loudness tolerance of +-1 LU.
LEVEL_TOLERANCE_LU = 0.5
FALLBACK_STEP_LU = 0.25
MAX_LIFT_DB = 12.0  # a near-silent clip (a breath, a click) is not pumped up
PEAK_MARGIN_DB = 0.1  # a lifted sentence's sample peak stays this far under full scale


@dataclass(frozen=True)
class LevelledClip:
    pcm: bytes
    loudness_lufs: float  # as synthesized; -inf for silence
    gain_db: float


def level_clip(pcm: bytes, sample_rate_hz: int, loudness_lufs: float | None = None) -> LevelledClip:
    """One sentence brought to SPEECH_LEVEL_LUFS: a cut, or a lift that never clips.

    ``loudness_lufs`` is the clip's measured loudness when already known."""
    loudness = loudness_of_pcm(pcm, sample_rate_hz) if loudness_lufs is None else loudness_lufs
    if not math.isfinite(loudness):
        return LevelledClip(pcm, loudness, 0.0)
    gain_db = min(SPEECH_LEVEL_LUFS - loudness, MAX_LIFT_DB)
    if gain_db > 0:
        import numpy as np  # here, not at import: a build with nothing to render skips numpy

        peak = int(np.max(np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32))))
        headroom_db = 20 * math.log10(32767 / max(peak, 1)) - PEAK_MARGIN_DB
        gain_db = math.floor(100 * max(0.0, min(gain_db, headroom_db))) / 100
    gain_db = round(gain_db, 2)  # hundredths: the same gain wherever floats round
    return LevelledClip(apply_gain(pcm, gain_db), loudness, gain_db)


def mastering_level(measured_lufs: float) -> float:
    """The loudness the chain masters from: the planned speech level, unless the
    programme measured too far from it."""
    if not math.isfinite(measured_lufs):
        return measured_lufs  # silence: master_chain says it cannot be mastered
    if abs(measured_lufs - SPEECH_LEVEL_LUFS) <= LEVEL_TOLERANCE_LU:
        return SPEECH_LEVEL_LUFS
    # In steps, so that an edit which nudges such a programme's loudness by
    # hundredths of a dB does not change every sample (every encoded span).
    return round(measured_lufs / FALLBACK_STEP_LU) * FALLBACK_STEP_LU


def apply_gain(pcm: bytes, gain_db: float) -> bytes:
    return apply_gain_s16le(pcm, gain_db) if abs(gain_db) > GAIN_EPSILON_DB else pcm


def master_chain(
    measured_lufs: float,
    target: LoudnessTarget,
    settings: EncodeSettings,
    programme_rate_hz: int | None = None,
) -> str:
    """The ffmpeg -af chain that masters a programme measured at ``measured_lufs``
    into ``settings``: gain, resampling, true-peak limiter, channel layout."""
    codec = FORMATS[settings.format].codec
    try:
        output = ChainOutput(
            settings.sample_rate_hz,
            settings.channels,
            # The encoder takes a little level away; give it back up front.
            makeup_db=ENCODER_LEVEL_LOSS_DB.get(codec, 0.0),
            margin_db=CODEC_LIMITER_MARGIN_DB.get(codec, LIMITER_MARGIN_DB),
        )
        bandwidth_hz = programme_rate_hz // 2 if programme_rate_hz else None
        return master_filter(measured_lufs, target, output, bandwidth_hz)
    except ValueError as exc:
        raise EngineError(f"cannot master the episode: {exc}") from exc
