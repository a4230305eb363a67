"""A folder of checksummed blobs: the store that synthesized clips and encoded MP3 spans share.

Each entry is one file named by its key, holding a header (magic, one number
kept beside the blob, the blob's length, a SHA-256 of both) and the blob. A
missing entry is a miss; a truncated, damaged or unreadable one is reported
through ``warn``, counted as corrupt and treated as a miss, never used. Every
write is atomic, so a killed build leaves whole entries or none.

Neither clips nor spans need the store to give byte-identical renders: each
entry is a pure function of its key, so one rebuilt from scratch has the bytes
of the one it replaces. The store only saves time.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qacast.errors import OutputError
from qacast.fsutil import atomic_write_bytes

MAGIC = b"QACLIP2\n"
OLDER_MAGICS = (b"QACLIP1\n",)  # earlier layouts: not corrupt, just not ours to read
HEADER = struct.Struct("<8sII32s")  # magic, the number beside the blob, byte count, digest
NUMBER = struct.Struct("<I")


def _digest(number: int, payload: bytes) -> bytes:
    # The number is covered too: a damaged sample rate or frame count is as
    # wrong as damaged audio.
    return hashlib.sha256(NUMBER.pack(number) + payload).digest()


@dataclass
class StoreStats:
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
    stats: StoreStats = field(default_factory=StoreStats)
    suffix: str = ".clip"
    redo: str = "synthesizing it again"
    # When a set: every key asked for or stored is added to it, so a build can
    # record which entries an episode uses (``qacast cache prune`` keeps those).
    used: set[str] | None = None

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}{self.suffix}"

    def has(self, key: str) -> bool:
        """Whether an entry exists (not whether it is whole: ``get_entry`` checks that)."""
        return self._path(key).is_file()

    def get_entry(self, key: str) -> tuple[int, bytes] | None:
        """(number, payload), or None (counted as a miss) when absent or damaged."""
        if self.used is not None:
            self.used.add(key)
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
        if self.used is not None:
            self.used.add(key)
        path = self._path(key)
        header = HEADER.pack(MAGIC, number, len(payload), _digest(number, payload))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create cache dir {path.parent}: {exc.strerror}") from exc
        atomic_write_bytes(path, header + payload, durable=False)

    def sub_store(self, folder: str, suffix: str, redo: str) -> ChecksummedStore:
        """Another store in a folder of this one, warning the same way (its own stats)."""
        return ChecksummedStore(self.directory / folder, self.warn, suffix=suffix, redo=redo)

    def _corrupt(self, path: Path, why: str) -> None:
        self.stats.corrupt += 1
        self.stats.misses += 1
        self.warn(f"cache entry {path.name} is {why}; {self.redo}")
