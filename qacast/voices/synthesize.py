"""Utterances + casting -> clips in the store, synthesizing only what it lacks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence

from qacast.models import Casting, Clip, Utterance
from qacast.voices.cache import SynthesisCache, cache_key
from qacast.voices.engines import ENGINES
from qacast.voices.engines.base import SpeechAudio
from qacast.voices.pool import SynthesisPool, SynthesisRequest

SAMPLE_WIDTH_BYTES = 2


def clip_keys(utterances: Sequence[Utterance], casting: Casting) -> list[str]:
    """The clip store's key of each utterance: engine, its version, voice, text."""
    versions = {name: spec.version() for name, spec in ENGINES.items()}
    voices = {u.speaker_id: casting.voices[u.speaker_id] for u in utterances}
    # A model file's hash joins the engine's version (Piper voices are files).
    voice_versions = {
        speaker: versions[voice.engine] + ENGINES[voice.engine].voice_version(voice.voice_id)
        for speaker, voice in voices.items()
    }
    return [
        cache_key(voice_versions[u.speaker_id], voices[u.speaker_id], u.speech) for u in utterances
    ]


def synthesize_in_order(
    utterances: Sequence[Utterance],
    casting: Casting,
    pool: Callable[[], SynthesisPool],
    store: SynthesisCache,
    on_clip: Callable[[], None] = lambda: None,
) -> Iterator[tuple[Clip, bytes]]:
    """Each utterance's clip and its PCM, in script order, as soon as it and all
    before it exist. ``pool`` is only called when something is missing.

    Clips found in ``store`` are read when their turn comes; missing ones are
    said on the pool in script order and kept until their turn (the pool keeps
    a few ahead at most). Every clip goes into ``store`` as it arrives, so an
    interrupted render keeps what it synthesized. What is yielded does not
    depend on the order clips arrive in.
    """
    keys = clip_keys(utterances, casting)
    requests: dict[str, SynthesisRequest] = {}  # the same sentence said twice is made once
    for utterance, key in zip(utterances, keys, strict=True):
        if key not in requests and not store.has(key):
            requests[key] = SynthesisRequest(utterance.speech, casting.voices[utterance.speaker_id])
            store.stats.misses += 1
    order = list(requests)
    arrivals = pool().synthesize(list(requests.values())) if requests else iter(())
    held: dict[str, SpeechAudio] = {}  # arrived ahead of their turn
    said: set[str] = set()
    uses_left = Counter(keys)

    def receive(position: int, audio: SpeechAudio, keep: bool) -> None:
        store.put(order[position], audio)
        said.add(order[position])
        if keep:
            held[order[position]] = audio
        on_clip()

    for index, key in enumerate(keys):
        while key in requests and key not in said:
            receive(*next(arrivals), keep=True)
        audio = held.get(key) or store.get(key)
        if audio is None:  # found damaged: finish what the pool is saying, then say it
            for position, other in arrivals:
                receive(position, other, keep=False)
            request = SynthesisRequest(utterances[index].speech,
                                       casting.voices[utterances[index].speaker_id])  # fmt: skip
            audio = next(iter(pool().synthesize([request])))[1]
            store.put(key, audio)
        if key not in requests:
            on_clip()
        uses_left[key] -= 1
        if not uses_left[key]:
            held.pop(key, None)
        yield (
            Clip(index, key, len(audio.pcm) // SAMPLE_WIDTH_BYTES, audio.sample_rate_hz),
            audio.pcm,
        )


def synthesize(
    utterances: Sequence[Utterance],
    casting: Casting,
    pool: Callable[[], SynthesisPool],
    store: SynthesisCache,
    on_clip: Callable[[], None] = lambda: None,
) -> tuple[Clip, ...]:
    """One clip per utterance, in order, every one in ``store`` (none kept in memory)."""
    return tuple(clip for clip, _ in synthesize_in_order(utterances, casting, pool, store, on_clip))
