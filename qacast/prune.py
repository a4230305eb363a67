"""``qacast cache prune``: drop the cache entries the show no longer uses.

"Uses" is what the build state says: each episode's record lists the clip and
span keys its last render read or wrote (qacast/build.py records them). Those
are exactly the entries the next build of that episode reads, since every
entry is a pure function of its key; recomputing them instead would mean
assembling the programme again, as span keys hash encoded audio. An entry no
record names is removed, and so is a temporary file a killed build left.

A record that does not know its keys (an episode rendered on a cluster, or by
an older qacast) stops the prune: it cannot tell what that episode needs. The
prune holds the show's build lock, so it never deletes under a running build.
A cache shared by several shows (``--cache-dir``) keeps only this show's entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qacast.audio.measured import MEASURE_FOLDER, MEASURE_SUFFIX
from qacast.audio.spans import SPAN_FOLDER
from qacast.errors import ConfigError, OutputError
from qacast.fsutil import is_leftover_temp
from qacast.manifest import StateLayout, load_record, recorded_slugs
from qacast.transaction import LOCK_WAIT_S, show_lock

# (folder inside the cache, entry suffix): the clip store, the span store and
# the loudness measurements kept beside the spans.
STORES = (
    (".", ".clip"),
    (SPAN_FOLDER, ".frames"),
    (f"{SPAN_FOLDER}/{MEASURE_FOLDER}", MEASURE_SUFFIX),
)


@dataclass(frozen=True)
class PruneReport:
    removed: int  # entries (and leftover temporary files) deleted
    freed_bytes: int
    kept: int

    def summary(self) -> str:
        return (
            f"freed {self.freed_bytes / 1e6:,.1f} MB ({self.removed:,} entries); "
            f"kept {self.kept:,} entries"
        )


def keys_in_use(state: StateLayout, out_dir: Path) -> set[str]:
    """Every key a current record names; refuses when a record cannot say."""
    used: set[str] = set()
    for slug in recorded_slugs(state):
        record = load_record(state, out_dir, slug)
        if record is None:
            continue  # unreadable: the next build renders it again anyway
        if record.cache_keys is None:
            raise ConfigError(
                f"cannot prune: the build state does not say which cache entries {slug!r} "
                "uses (built on a cluster or by an older qacast); build the show first"
            )
        used.update(record.cache_keys)
    return used


def cache_files(cache_dir: Path) -> Iterator[tuple[Path, str | None]]:
    """(path, key) of every entry of the two stores; key None for a leftover temporary file."""
    for folder, suffix in STORES:
        for path in sorted((cache_dir / folder).glob("??/*")):
            if not path.is_file() or path.is_symlink():
                continue
            if path.name.endswith(suffix) and not path.name.startswith("."):
                yield path, path.name.removesuffix(suffix)
            elif is_leftover_temp(path.name):
                yield path, None


def prune_cache(show_dir: Path, cache_dir: Path, wait_s: float = LOCK_WAIT_S) -> PruneReport:
    """Remove what no record uses, waiting up to ``wait_s`` for a running build."""
    state = StateLayout.of_show(show_dir)
    if not cache_dir.is_dir():
        return PruneReport(0, 0, 0)
    with show_lock(state, wait_s):
        used = keys_in_use(state, show_dir / "out")
        removed = freed_bytes = kept = 0
        for path, key in cache_files(cache_dir):
            if key is not None and key in used:
                kept += 1
                continue
            try:
                size_bytes = path.stat().st_size
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as err:
                raise OutputError(f"cannot remove {path}: {err.strerror or err}") from err
            removed += 1
            freed_bytes += size_bytes
    return PruneReport(removed, freed_bytes, kept)
