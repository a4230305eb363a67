"""Mastering: voices level-matched, then the programme brought to podcast loudness.

Two steps, because they fix different things: espeak-ng voices differ in
loudness by a few LU (a listener reaches for the volume at every change of
speaker), and raw espeak-ng speech sits near -20.4 LUFS with true peaks up to
+0.1 dBTP (PITFALLS 16), so the programme needs gain and a true-peak limiter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qacast.audio.loudness import (
    ENCODER_LEVEL_LOSS_DB,
    LoudnessTarget,
    apply_gain_s16le,
    loudness_of_pcm,
    master_filter,
    speaker_gains_db,
)
from qacast.errors import EngineError
from qacast.models import Clip, EncodeSettings, Utterance
from qacast.voices.cache import SynthesisCache

GAIN_EPSILON_DB = 0.01  # below this a gain changes no 16-bit sample worth the work
# Gains move in steps of this much: an edit shifts a voice's or the programme's
# loudness by hundredths of a dB, and a gain that followed it would change
# every sample, so every encoded span (audio/spans.py). The cost, at most half
# a step off target, is far inside the +-1 LU podcast loudness tolerance.
GAIN_STEP_DB = 0.25


def in_gain_steps(level_db: float) -> float:
    return round(level_db / GAIN_STEP_DB) * GAIN_STEP_DB


@dataclass(frozen=True)
class VoiceLevels:
    gains_db: dict[str, float]  # speaker id -> gain that brings the voice to level_lufs
    level_lufs: float  # every voice's integrated loudness after its gain


def voice_levels(
    utterances: Sequence[Utterance], clips: Sequence[Clip], store: SynthesisCache
) -> VoiceLevels:
    """Measure each speaker over all their clips (streamed from the store, one at
    a time) and find the gains that make every voice equally loud."""
    if not clips:  # every turn was emoji or sound marks: nothing to measure or say
        raise EngineError("nothing to say: the script has no speakable text")
    speakers = dict.fromkeys(u.speaker_id for u in utterances)
    rate_hz = clips[0].sample_rate_hz
    loudness = {
        speaker: loudness_of_pcm(
            (store.load(c.key) for u, c in zip(utterances, clips, strict=True)
             if u.speaker_id == speaker),
            rate_hz,
        )
        for speaker in speakers
    }  # fmt: skip
    try:
        gains = speaker_gains_db(loudness)
    except ValueError as exc:
        raise EngineError(f"cannot level the voices: {exc}") from exc
    stepped = {speaker: in_gain_steps(gain) for speaker, gain in gains.items()}
    return VoiceLevels(stepped, in_gain_steps(min(loudness.values())))


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
    from qacast.audio.encode import FORMATS

    try:
        return master_filter(
            in_gain_steps(measured_lufs),
            target,
            output_rate_hz=settings.sample_rate_hz,
            output_channels=settings.channels,
            # The encoder takes a little level away; give it back up front.
            makeup_db=ENCODER_LEVEL_LOSS_DB.get(FORMATS[settings.format].codec, 0.0),
            bandwidth_hz=programme_rate_hz // 2 if programme_rate_hz else None,
        )
    except ValueError as exc:
        raise EngineError(f"cannot master the episode: {exc}") from exc
