"""Mastering: voices level-matched, then the programme brought to podcast loudness.

Two steps, because they fix different things: espeak-ng voices differ in
loudness by a few LU (a listener reaches for the volume at every change of
speaker), and raw espeak-ng speech sits near -20.4 LUFS with true peaks up to
+0.1 dBTP (PITFALLS 16), so the programme needs gain and a true-peak limiter.
"""

from __future__ import annotations

from collections.abc import Sequence

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

GAIN_EPSILON_DB = 0.01  # below this a gain changes no 16-bit sample worth the work


def level_voices(utterances: Sequence[Utterance], clips: Sequence[Clip]) -> tuple[Clip, ...]:
    """Scale each speaker's clips so every voice has the same integrated loudness."""
    by_speaker: dict[str, list[bytes]] = {}
    for utterance, clip in zip(utterances, clips, strict=True):
        by_speaker.setdefault(utterance.speaker_id, []).append(clip.pcm)
    rate_hz = clips[0].sample_rate_hz
    loudness = {sid: loudness_of_pcm(pcms, rate_hz) for sid, pcms in by_speaker.items()}
    try:
        gains = speaker_gains_db(loudness)
    except ValueError as exc:
        raise EngineError(f"cannot level the voices: {exc}") from exc
    return tuple(
        Clip(clip.utterance_index, apply_gain_s16le(clip.pcm, gain), clip.sample_rate_hz)
        if abs(gain := gains[utterance.speaker_id]) > GAIN_EPSILON_DB
        else clip
        for utterance, clip in zip(utterances, clips, strict=True)
    )


def master_chain(measured_lufs: float, target: LoudnessTarget, settings: EncodeSettings) -> str:
    """The ffmpeg -af chain that masters a programme measured at ``measured_lufs``
    into ``settings``: gain, resampling, true-peak limiter, channel layout."""
    from qacast.audio.encode import FORMATS

    try:
        return master_filter(
            measured_lufs,
            target,
            output_rate_hz=settings.sample_rate_hz,
            output_channels=settings.channels,
            # The encoder takes a little level away; give it back up front.
            makeup_db=ENCODER_LEVEL_LOSS_DB.get(FORMATS[settings.format].codec, 0.0),
        )
    except ValueError as exc:
        raise EngineError(f"cannot master the episode: {exc}") from exc
