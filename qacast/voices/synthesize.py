"""Utterances + casting -> clips, through the cache and the worker pool."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qacast.models import Casting, Clip, Utterance
from qacast.voices.cache import SynthesisCache, cache_key
from qacast.voices.engines import ENGINES
from qacast.voices.engines.base import SpeechAudio
from qacast.voices.pool import SynthesisPool, SynthesisRequest


def synthesize(
    utterances: Sequence[Utterance],
    casting: Casting,
    pool: Callable[[], SynthesisPool],
    cache: SynthesisCache | None,
    on_clip: Callable[[int], None] = lambda done: None,
) -> tuple[Clip, ...]:
    """Return one clip per utterance, in order. ``pool`` is only called on a cache miss."""
    versions = {name: spec.version() for name, spec in ENGINES.items()}
    audio: dict[int, SpeechAudio] = {}
    keys: list[str] = []
    missing: list[int] = []
    for index, utterance in enumerate(utterances):
        voice = casting.voices[utterance.speaker_id]
        key = cache_key(versions[voice.engine], voice, utterance.speech)
        keys.append(key)
        cached = cache.get(key) if cache else None
        if cached is None:
            missing.append(index)
        else:
            audio[index] = cached
            on_clip(len(audio))
    if missing:
        requests = [
            SynthesisRequest(utterances[i].speech, casting.voices[utterances[i].speaker_id])
            for i in missing
        ]
        for position, result in pool().synthesize(requests):
            index = missing[position]
            audio[index] = result
            if cache:
                cache.put(keys[index], result)
            on_clip(len(audio))
    return tuple(
        Clip(utterance_index=i, pcm=audio[i].pcm, sample_rate_hz=audio[i].sample_rate_hz)
        for i in range(len(utterances))
    )
