"""Utterances + casting -> clips in the store, synthesizing only what it lacks."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

from qacast.errors import EngineError
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


# Clips that arrive ahead of their turn are kept in memory up to this much
# (a few sentences); past it they are read back from the store when their
# turn comes, so a long episode's memory does not grow with its length.
HELD_BYTES = 4 << 20


def synthesize_in_order(
    utterances: Sequence[Utterance],
    casting: Casting,
    pool: Callable[[], SynthesisPool],
    store: SynthesisCache,
    on_clip: Callable[[], None] = lambda: None,
    on_arrival: Callable[[str, SpeechAudio], object] = lambda key, audio: None,
) -> Iterator[tuple[Clip, bytes]]:
    """Each utterance's clip and its PCM, in script order, as soon as it and all
    before it exist. ``pool`` is only called when something is missing.

    The missing clips are said on the pool by a thread of their own, so the
    workers never wait for the caller (who levels, assembles and measures
    meanwhile), and each goes into ``store`` as it arrives: an interrupted
    render keeps what it synthesized. Clips found in ``store`` are read when
    their turn comes. What is yielded does not depend on the order clips
    arrive in. ``on_arrival(key, audio)`` runs on that thread for each clip
    said (the caller measures it there, off its own path).
    """
    keys = clip_keys(utterances, casting)
    requests: dict[str, SynthesisRequest] = {}  # the same sentence said twice is made once
    for utterance, key in zip(utterances, keys, strict=True):
        if key not in requests and not store.has(key):
            requests[key] = SynthesisRequest(utterance.speech, casting.voices[utterance.speaker_id])
            store.stats.misses += 1
    arrivals = _Arrivals(pool(), list(requests.items()), store, on_arrival) if requests else None
    uses_left = Counter(keys)
    try:
        for index, key in enumerate(keys):
            audio = arrivals.take(key) if arrivals and key in requests else store.get(key)
            if audio is None:  # found damaged in the store: say it again
                utterance = utterances[index]
                request = SynthesisRequest(utterance.speech, casting.voices[utterance.speaker_id])
                audio = next(iter(pool().synthesize([request])))[1]
                store.put(key, audio)
            uses_left[key] -= 1
            if arrivals and not uses_left[key]:
                arrivals.forget(key)
            on_clip()
            clip = Clip(index, key, len(audio.pcm) // SAMPLE_WIDTH_BYTES, audio.sample_rate_hz)
            yield clip, audio.pcm
    finally:
        if arrivals:
            arrivals.stop()


class _Arrivals:
    """Missing clips said on ``pool`` by a thread, stored and kept until taken."""

    def __init__(
        self, pool: SynthesisPool, requests: list[tuple[str, SynthesisRequest]],
        store: SynthesisCache, on_arrival: Callable[[str, SpeechAudio], object],
    ) -> None:  # fmt: skip
        self._keys = [key for key, _ in requests]
        self._store = store
        self._on_arrival = on_arrival
        self._held: dict[str, SpeechAudio | None] = {}  # None: arrived, left in the store
        self._held_bytes = 0
        self._failure: BaseException | None = None
        self._done = False
        self._stopping = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(
            target=self._drive, args=(pool, [r for _, r in requests]), daemon=True
        )
        self._thread.start()

    def _drive(self, pool: SynthesisPool, requests: list[SynthesisRequest]) -> None:
        try:
            for position, audio in pool.synthesize(requests):
                key = self._keys[position]
                self._store.put(key, audio)
                self._on_arrival(key, audio)
                with self._changed:
                    keep = self._held_bytes + len(audio.pcm) <= HELD_BYTES
                    self._held[key] = audio if keep else None
                    self._held_bytes += len(audio.pcm) if keep else 0
                    self._changed.notify_all()
                    if self._stopping:
                        break
        except BaseException as exc:  # handed to the thread that waits for the clips
            with self._changed:
                self._failure = exc
        finally:
            with self._changed:
                self._done = True
                self._changed.notify_all()

    def take(self, key: str) -> SpeechAudio | None:
        with self._changed:
            while key not in self._held:
                if self._failure is not None:
                    raise self._failure
                if self._done:
                    raise EngineError("the speech workers stopped before every sentence was said")
                self._changed.wait()
            audio = self._held[key]
        return audio if audio is not None else self._store.get(key)

    def forget(self, key: str) -> None:
        with self._changed:
            audio = self._held.pop(key, None)
            self._held_bytes -= len(audio.pcm) if audio is not None else 0

    def stop(self) -> None:
        """Say nothing more (the render ended early, or is done)."""
        with self._changed:
            self._stopping = True


def synthesize(
    utterances: Sequence[Utterance],
    casting: Casting,
    pool: Callable[[], SynthesisPool],
    store: SynthesisCache,
    on_clip: Callable[[], None] = lambda: None,
) -> tuple[Clip, ...]:
    """One clip per utterance, in order, every one in ``store`` (none kept in memory)."""
    return tuple(clip for clip, _ in synthesize_in_order(utterances, casting, pool, store, on_clip))
