"""Content-addressed store of synthesized utterances.

Key: engine, engine version, voice settings and the text as spoken. Value: the
PCM and its sample rate, with a checksum so a corrupt or truncated entry is
detected on read, reported and re-synthesized, never used.

espeak-ng carries state from one utterance to the next (measured: the same
sentence gives a few samples more or less depending on what came before), so
this cache is also what makes a re-render byte-identical to the first.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qacast.errors import EngineError, OutputError
from qacast.fsutil import atomic_write_bytes
from qacast.models import VoicePreset
from qacast.voices.engines.base import SpeechAudio

MAGIC = b"QACLIP1\n"
HEADER = struct.Struct("<8sII32s")  # magic, sample rate (Hz), byte count, sha256 of the PCM


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
class CacheStats:
    hits: int = 0
    misses: int = 0
    corrupt: int = 0


@dataclass
class SynthesisCache:
    """A directory of entries; ``warn`` is told about corrupt ones."""

    directory: Path
    warn: Callable[[str], None] = lambda message: None
    stats: CacheStats = field(default_factory=CacheStats)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.clip"

    def get(self, key: str) -> SpeechAudio | None:
        """The entry, or None (counted as a miss) when absent or damaged."""
        path = self._path(key)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            self.stats.misses += 1
            return None
        except OSError as exc:
            self._corrupt(path, f"unreadable ({exc.strerror})")
            return None
        if len(blob) < HEADER.size:
            self._corrupt(path, "truncated")
            return None
        magic, rate_hz, size, digest = HEADER.unpack_from(blob)
        pcm = blob[HEADER.size :]
        if magic != MAGIC or size != len(pcm) or hashlib.sha256(pcm).digest() != digest:
            self._corrupt(path, "checksum mismatch")
            return None
        self.stats.hits += 1
        return SpeechAudio(pcm=pcm, sample_rate_hz=rate_hz)

    def load(self, key: str) -> bytes:
        """The PCM of an entry this run has just found or stored (not counted)."""
        before = (self.stats.hits, self.stats.misses)
        audio = self.get(key)
        self.stats.hits, self.stats.misses = before
        if audio is None:
            raise EngineError(f"synthesized clip {key[:12]} vanished from {self.directory}")
        return audio.pcm

    def put(self, key: str, audio: SpeechAudio) -> None:
        path = self._path(key)
        header = HEADER.pack(
            MAGIC, audio.sample_rate_hz, len(audio.pcm), hashlib.sha256(audio.pcm).digest()
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create cache dir {path.parent}: {exc.strerror}") from exc
        atomic_write_bytes(path, header + audio.pcm, durable=False)

    def _corrupt(self, path: Path, why: str) -> None:
        self.stats.corrupt += 1
        self.stats.misses += 1
        self.warn(f"cache entry {path.name} is {why}; synthesizing it again")
