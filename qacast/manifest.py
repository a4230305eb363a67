"""What the last build made of each script, so the next build redoes only what changed.

Each rendered episode leaves ``.qacast/state/<slug>.json`` at the show root: a
fingerprint of every input that shapes its bytes, and what the feed and site
need to know about its outputs (files, durations, chapters). An episode whose
fingerprint matches and whose files are all still there is published without
rendering. Beside it, ``last-good/`` keeps a copy of each script as it was when
its episode was last built, so a script that later breaks keeps its episode
published.

``.qacast/identities.json`` holds what a listener's app knows each episode by:
its number, guid and first day. A build writes every script's identity there,
in one atomic write, before it renders anything (see qacast/build.py), so a
build that is killed has recorded all of them or none, and the next build
gives every episode the identity the killed one would have published.

The build state lives beside ``out/``, never in it: ``out/`` is what gets
uploaded, and a listener has no use for fingerprints, caches or work files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qacast import __version__
from qacast.fsutil import write_if_changed
from qacast.models import Chapter, EpisodeFile

STATE_DIR = ".qacast"


@dataclass(frozen=True)
class StateLayout:
    """The build-state folder of a show (``SHOW/.qacast``) and what lives in it."""

    root: Path

    @classmethod
    def of_show(cls, show_dir: Path) -> StateLayout:
        return cls(show_dir / STATE_DIR)

    @property
    def records(self) -> Path:
        return self.root / "state"

    @property
    def last_good(self) -> Path:
        return self.root / "state" / "last-good"

    @property
    def work(self) -> Path:
        """Scratch space of running renders; emptied by the next build when one is killed."""
        return self.root / "work"

    @property
    def cache(self) -> Path:
        """The default synthesis cache (``--cache-dir`` or QACAST_CACHE_DIR override it)."""
        return self.root / "cache"

    @property
    def lock(self) -> Path:
        return self.root / "build.lock"

    @property
    def identities(self) -> Path:
        """Beside the records, not among them: every *.json there is one episode's."""
        return self.root / "identities.json"


def fingerprint(parts: Iterable[tuple[str, bytes | str]]) -> str:
    """One hash over named inputs; the names keep two inputs from trading bytes."""
    digest = hashlib.sha256(f"qacast {__version__}\n".encode())
    for name, value in parts:
        data = value.encode("utf-8") if isinstance(value, str) else value
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class Identity:
    """What a listener's app knows an episode by, fixed by the first build that
    set out to publish it: adding, renaming or removing other scripts, or a
    build killed half-way, never changes it."""

    number: int | None  # None only in a record from before numbers were recorded
    guid: str  # "" only in a record from before guids were recorded
    first_built: dt.date  # the pubDate of an episode whose script gives no date


@dataclass(frozen=True)
class EpisodeRecord:
    slug: str
    inputs: str  # fingerprint of everything the render read
    files: tuple[EpisodeFile, ...]
    sidecars: dict[str, Path]
    chapters: tuple[Chapter, ...]
    cover: Path
    first_built: dt.date  # the pubDate of an episode whose script gives no date
    # The identity fixed when the episode was first published: a later build
    # keeps them, whatever scripts are added, renamed or removed around it.
    # None / "" in a record written before they were recorded.
    number: int | None = None
    guid: str = ""
    # The cache entries (clip and span keys) its last render read or wrote;
    # None when unknown (rendered on a cluster, or by an older qacast).
    cache_keys: tuple[str, ...] | None = None
    # The inputs' file metadata when ``inputs`` was last confirmed: while it
    # is the same, a build neither reads nor hashes them (qacast/stamps.py).
    stamp: str = ""

    @property
    def identity(self) -> Identity:
        return Identity(self.number, self.guid, self.first_built)

    def output_paths(self) -> list[Path]:
        """Every file in out/ that belongs to this episode."""
        return [f.path for f in self.files] + list(self.sidecars.values()) + [self.cover]

    def outputs_present(self) -> bool:
        paths = self.output_paths()
        sizes_match = all(f.path.is_file() and f.path.stat().st_size == f.size_bytes
                          for f in self.files)  # fmt: skip
        return sizes_match and all(path.is_file() for path in paths)


def record_path(state: StateLayout, slug: str) -> Path:
    return state.records / f"{slug}.json"


def recorded_slugs(state: StateLayout) -> list[str]:
    """Slugs of every episode a build has recorded."""
    if not state.records.is_dir():
        return []
    return sorted(path.stem for path in state.records.glob("*.json"))


def load_record(state: StateLayout, out_dir: Path, slug: str) -> EpisodeRecord | None:
    """The last build's record, or None when there is none or it cannot be read."""
    try:
        data = json.loads(record_path(state, slug).read_text(encoding="utf-8"))
        return EpisodeRecord(
            slug=data["slug"],
            inputs=data["inputs"],
            files=tuple(
                EpisodeFile(out_dir / f["name"], f["mime_type"], f["duration_ms"], f["size_bytes"])
                for f in data["files"]
            ),
            sidecars={kind: out_dir / name for kind, name in data["sidecars"].items()},
            chapters=tuple(Chapter(**c) for c in data["chapters"]),
            cover=out_dir / data["cover"],
            first_built=dt.date.fromisoformat(data["first_built"]),
            number=_optional_int(data.get("number")),
            guid=str(data.get("guid") or ""),
            cache_keys=_optional_keys(data.get("cache_keys")),
            stamp=str(data.get("stamp") or ""),  # absent in records of older builds
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a missing or damaged record only costs a render


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not an episode number: {value!r}")
    return value


def _optional_keys(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        raise TypeError("cache_keys is not a list of keys")
    return tuple(value)


def save_record(state: StateLayout, record: EpisodeRecord) -> None:
    data: dict[str, Any] = {
        "slug": record.slug,
        "inputs": record.inputs,
        "files": [
            {
                "name": f.path.name,
                "mime_type": f.mime_type,
                "duration_ms": f.duration_ms,
                "size_bytes": f.size_bytes,
            }
            for f in record.files
        ],
        "sidecars": {kind: path.name for kind, path in sorted(record.sidecars.items())},
        "chapters": [asdict(c) for c in record.chapters],
        "cover": record.cover.name,
        "first_built": record.first_built.isoformat(),
        "number": record.number,
        "guid": record.guid,
        "cache_keys": None if record.cache_keys is None else sorted(record.cache_keys),
        "stamp": record.stamp,
    }
    path = record_path(state, record.slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())


def load_identities(state: StateLayout) -> dict[str, Identity]:
    """Slug -> identity as the last build recorded them; a damaged file or
    entry counts as none (the records still hold every published episode's)."""
    try:
        data = json.loads(state.identities.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    identities = {}
    for slug, entry in data.items():
        try:
            identities[slug] = Identity(
                number=_optional_int(entry["number"]),
                guid=str(entry["guid"]),
                first_built=dt.date.fromisoformat(entry["first_built"]),
            )
        except (ValueError, KeyError, TypeError):
            continue
    return identities


def save_identities(state: StateLayout, identities: Mapping[str, Identity]) -> None:
    """Write every identity at once (atomically), in slug order: the same
    identities always give the same bytes."""
    data = {
        slug: {
            "number": identity.number,
            "guid": identity.guid,
            "first_built": identity.first_built.isoformat(),
        }
        for slug, identity in sorted(identities.items())
    }
    state.root.mkdir(parents=True, exist_ok=True)
    write_if_changed(state.identities, (json.dumps(data, indent=2) + "\n").encode())
