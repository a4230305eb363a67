"""Utterances + casting -> clips in the store, synthesizing only what it lacks."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qacast.models import Casting, Clip, Utterance
from qacast.voices.cache import SynthesisCache, cache_key
from qacast.voices.engines import ENGINES
from qacast.voices.pool import SynthesisPool, SynthesisRequest

SAMPLE_WIDTH_BYTES = 2


def synthesize(
    utterances: Sequence[Utterance],
    casting: Casting,
    pool: Callable[[], SynthesisPool],
    store: SynthesisCache,
    on_clip: Callable[[], None] = lambda: None,
) -> tuple[Clip, ...]:
    """One clip per utterance, in order. ``pool`` is only called when something is missing.

    The audio stays on disk in ``store``: an episode of any length costs memory
    for one clip at a time, and an unchanged sentence is never spoken twice.
    """
    versions = {name: spec.version() for name, spec in ENGINES.items()}
    voices = {u.speaker_id: casting.voices[u.speaker_id] for u in utterances}
    # A model file's hash joins the engine's version (Piper voices are files).
    voice_versions = {
        speaker: versions[voice.engine] + ENGINES[voice.engine].voice_version(voice.voice_id)
        for speaker, voice in voices.items()
    }
    keys = [
        cache_key(voice_versions[u.speaker_id], voices[u.speaker_id], u.speech) for u in utterances
    ]
    found: dict[str, tuple[int, int]] = {}  # key -> (frames, sample rate)
    missing: dict[str, SynthesisRequest] = {}  # the same sentence said twice is made once
    for utterance, key in zip(utterances, keys, strict=True):
        if key in found or key in missing:
            continue
        cached = store.get(key)
        if cached is None:
            voice = casting.voices[utterance.speaker_id]
            missing[key] = SynthesisRequest(utterance.speech, voice)
        else:
            found[key] = (len(cached.pcm) // SAMPLE_WIDTH_BYTES, cached.sample_rate_hz)
            on_clip()
    if missing:
        order = list(missing)
        for position, audio in pool().synthesize([missing[k] for k in order]):
            store.put(order[position], audio)
            found[order[position]] = (len(audio.pcm) // SAMPLE_WIDTH_BYTES, audio.sample_rate_hz)
            on_clip()
    return tuple(Clip(index, key, *found[key]) for index, key in enumerate(keys))
