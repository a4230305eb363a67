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

MAGIC = b"QACLIP2\n"
OLDER_MAGICS = (b"QACLIP1\n",)  # earlier layouts: not corrupt, just not ours to read
HEADER = struct.Struct("<8sII32s")  # magic, a number (a clip's sample rate), byte count, digest
NUMBER = struct.Struct("<I")


def _digest(number: int, payload: bytes) -> bytes:
    # The number is covered too: a damaged sample rate or frame count is as
    # wrong as damaged audio.
    return hashlib.sha256(NUMBER.pack(number) + payload).digest()


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
class ChecksummedStore:
    """A directory of checksummed blobs, each with one number beside it.

    ``warn`` is told about corrupt entries; ``redo`` says what happens next.
    """

    directory: Path
    warn: Callable[[str], None] = lambda message: None
    stats: CacheStats = field(default_factory=CacheStats)
    suffix: str = ".clip"
    redo: str = "synthesizing it again"

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}{self.suffix}"

    def get_entry(self, key: str) -> tuple[int, bytes] | None:
        """(number, payload), or None (counted as a miss) when absent or damaged."""
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
        magic, number, size, digest = HEADER.unpack_from(blob)
        payload = blob[HEADER.size :]
        if magic in OLDER_MAGICS:
            self.stats.misses += 1
            return None
        if magic != MAGIC or size != len(payload) or _digest(number, payload) != digest:
            self._corrupt(path, "checksum mismatch")
            return None
        self.stats.hits += 1
        return number, payload

    def put_entry(self, key: str, number: int, payload: bytes) -> None:
        path = self._path(key)
        header = HEADER.pack(MAGIC, number, len(payload), _digest(number, payload))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create cache dir {path.parent}: {exc.strerror}") from exc
        atomic_write_bytes(path, header + payload, durable=False)

    def _corrupt(self, path: Path, why: str) -> None:
        self.stats.corrupt += 1
        self.stats.misses += 1
        self.warn(f"cache entry {path.name} is {why}; {self.redo}")


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

    def encoded_spans(self) -> ChecksummedStore:
        """The sibling store of encoded MP3 spans (audio/spans.py), warning the same way."""
        return ChecksummedStore(
            self.directory / "encoded", self.warn, suffix=".frames", redo="encoding it again"
        )
