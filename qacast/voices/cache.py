"""Synthesized utterances, kept in a checksummed store (qacast/store.py).

Key: engine, engine version, voice settings and the text as spoken. Value: the
PCM, with its sample rate as the number beside it. A clip is a pure function
of its key (each utterance is said by a process that said nothing before, see
voices/pool.py), so the cache saves time and nothing else: a render with a
partial, damaged or empty cache gives the bytes of one with a full cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from qacast.errors import EngineError
from qacast.models import VoicePreset
from qacast.store import ChecksummedStore
from qacast.voices.engines.base import SpeechAudio


def cache_key(engine_version: str, voice: VoicePreset, speech: str) -> str:
    material = json.dumps(
        {
            "engine_version": engine_version,
            "voice": asdict(voice),
            "speech": " ".join(speech.split()),
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass
class SynthesisCache(ChecksummedStore):
    """Synthesized clips: the number beside each PCM blob is its sample rate."""

    def get(self, key: str) -> SpeechAudio | None:
        """The entry, or None (counted as a miss) when absent or damaged."""
        entry = self.get_entry(key)
        return None if entry is None else SpeechAudio(pcm=entry[1], sample_rate_hz=entry[0])

    def load(self, key: str) -> bytes:
        """The PCM of an entry this run has just found or stored (not counted)."""
        before = (self.stats.hits, self.stats.misses)
        audio = self.get(key)
        self.stats.hits, self.stats.misses = before
        if audio is None:
            raise EngineError(f"synthesized clip {key[:12]} vanished from {self.directory}")
        return audio.pcm

    def put(self, key: str, audio: SpeechAudio) -> None:
        self.put_entry(key, audio.sample_rate_hz, audio.pcm)
