"""What a publish must do: which files of out/ to upload, skip or delete, in which order.

Files are compared by content (sha256), not by time: a rebuild that rewrites
identical bytes uploads nothing. What the destination holds is known from the
manifest a publish leaves there (``MANIFEST_NAME``) and from the copy kept in
the show's build state, each trusted only where the host's own listing agrees
(the same size, and the same ETag or modification time recorded after the
upload): a file someone replaced by hand, or a manifest that lost a run, makes
the file upload again rather than be skipped on a stale word.

The order is what keeps a podcast app from ever reading a feed that points at
a file not there yet: audio, sidecars, artwork, styles first; then the episode
pages; then ``index.html``; the feed last; and files the show no longer has are
deleted only after the new feed is up.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import IntEnum
from pathlib import Path, PurePosixPath
from typing import Any

from qacast.fsutil import is_leftover_temp
from qacast.publish.serve import DEFAULT_MIME_TYPE, MIME_TYPES

# Beside the show at the destination: a dotfile, so `qacast serve` never serves
# it; on a public bucket it is readable, and holds only paths and hashes of
# files that are public anyway.
MANIFEST_NAME = ".qacast-publish.json"
MANIFEST_FORMAT = 1
FEED_NAME = "feed.xml"
INDEX_NAME = "index.html"
_HASH_CHUNK_BYTES = 1024 * 1024

# How long browsers, CDNs and podcast apps may keep each kind of file.
# Audio and artwork are NOT immutable: an episode keeps its file name (its slug)
# when its script is fixed and it is rendered again, and the feed then gives
# the new length at once. A day lets a CDN serve a popular episode from its
# edge, and a corrected one reaches every listener by the next day; a year
# ("immutable") would let a cache hand out the old take with the new length.
# The feed and the pages say what is current, so they are kept five minutes;
# sidecars (captions, chapters, transcripts) and styles sit between.
CACHE_LONG = "public, max-age=86400"
CACHE_MEDIUM = "public, max-age=3600"
CACHE_SHORT = "public, max-age=300"
CACHE_NONE = "no-cache"
CACHE_CONTROL_BY_SUFFIX: dict[str, str] = {
    ".mp3": CACHE_LONG,
    ".m4a": CACHE_LONG,
    ".opus": CACHE_LONG,
    ".ogg": CACHE_LONG,
    ".flac": CACHE_LONG,
    ".wav": CACHE_LONG,
    ".jpg": CACHE_LONG,
    ".jpeg": CACHE_LONG,
    ".png": CACHE_LONG,
    ".webp": CACHE_LONG,
    ".xml": CACHE_SHORT,
    ".html": CACHE_SHORT,
}
DEFAULT_CACHE_CONTROL = CACHE_MEDIUM


class Phase(IntEnum):
    """When a file goes up; uploads run in this order, deletions after the feed."""

    ASSETS = 0  # audio, sidecars, artwork, styles: what the pages and the feed link
    PAGES = 1  # episode pages, which the index links
    INDEX = 2
    FEED = 3  # last: once it is up, everything it names is there
    DELETE = 4


def phase_of(path: str) -> Phase:
    if path == FEED_NAME:
        return Phase.FEED
    if path == INDEX_NAME:
        return Phase.INDEX
    if path.endswith(".html"):
        return Phase.PAGES
    return Phase.ASSETS


def content_type(path: str) -> str:
    return MIME_TYPES.get(PurePosixPath(path).suffix.lower(), DEFAULT_MIME_TYPE)


def cache_control(path: str) -> str:
    return CACHE_CONTROL_BY_SUFFIX.get(PurePosixPath(path).suffix.lower(), DEFAULT_CACHE_CONTROL)


@dataclass(frozen=True)
class LocalFile:
    """One file of out/, as it would be published."""

    path: str  # relative to out/, with "/"
    source: Path
    size_bytes: int
    sha256: str
    content_type: str
    cache_control: str


@dataclass(frozen=True)
class RemoteFile:
    """One object as the host lists it."""

    size_bytes: int
    tag: str  # S3's ETag; the modification time on SFTP and in a folder


@dataclass(frozen=True)
class Published:
    """A manifest entry: what was uploaded to a path, and how the host listed it then."""

    sha256: str
    size_bytes: int
    content_type: str
    cache_control: str
    tag: str


class Action(IntEnum):
    UPLOAD = 0
    SKIP = 1
    DELETE = 2


@dataclass(frozen=True)
class Step:
    action: Action
    path: str
    size_bytes: int
    phase: Phase


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]  # in the order they run
    known: dict[str, Published]  # what the destination is trusted to hold now

    def of(self, action: Action) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.action is action)


# --- out/ as it is ---------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def inventory(out_dir: Path, hashes: dict[str, list[Any]]) -> dict[str, LocalFile]:
    """Every file a listener may fetch from ``out_dir``: dotfiles and dot-folders
    (temporary files, a repository's .gitkeep) are not published.

    ``hashes`` (path -> [size, mtime_ns, sha256]) remembers the hash of each file
    by its size and modification time, as git's index does, so a show of 200
    long episodes is not read whole on every publish; it is updated in place.
    """
    files: dict[str, LocalFile] = {}
    for directory, folders, names in os.walk(out_dir):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(names):
            source = Path(directory) / name
            if name.startswith(".") or not source.is_file():
                continue
            path = source.relative_to(out_dir).as_posix()
            status = source.stat()
            remembered = hashes.get(path)
            if remembered and remembered[:2] == [status.st_size, status.st_mtime_ns]:
                digest = str(remembered[2])
            else:
                digest = sha256_of(source)
                hashes[path] = [status.st_size, status.st_mtime_ns, digest]
            files[path] = LocalFile(
                path, source, status.st_size, digest, content_type(path), cache_control(path)
            )
    for gone in set(hashes) - set(files):
        del hashes[gone]
    return files


# --- what the destination holds --------------------------------------------------


def manifest_bytes(destination: str, entries: Mapping[str, Published]) -> bytes:
    files = {path: asdict(entries[path]) for path in sorted(entries)}
    data = {"format": MANIFEST_FORMAT, "destination": destination, "files": files}
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def parse_manifest(data: bytes | None) -> dict[str, Published]:
    """The entries of a manifest; none from a missing, damaged or foreign one
    (then every file is compared afresh: uploaded again, never wrongly skipped)."""
    if not data:
        return {}
    try:
        parsed = json.loads(data)
        if parsed.get("format") != MANIFEST_FORMAT:
            return {}
        return {str(path): Published(**entry) for path, entry in parsed["files"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}


def trusted(
    listing: Mapping[str, RemoteFile], *manifests: Mapping[str, Published]
) -> dict[str, Published]:
    """What each listed file is known to hold: the entry the host's listing bears
    out (same size and tag). Two manifests that both fit but disagree (another
    machine published since) leave the file unknown."""
    known: dict[str, Published] = {}
    for path, listed in listing.items():
        fitting = {
            entry
            for manifest in manifests
            if (entry := manifest.get(path)) is not None
            and entry.size_bytes == listed.size_bytes
            and entry.tag == listed.tag
        }
        if len({entry.sha256 for entry in fitting}) == 1:
            known[path] = next(iter(fitting))
    return known


def is_current(local: LocalFile, entry: Published | None) -> bool:
    return (
        entry is not None
        and entry.sha256 == local.sha256
        and entry.size_bytes == local.size_bytes
        and entry.content_type == local.content_type
        and entry.cache_control == local.cache_control
    )


def make_plan(
    local: Mapping[str, LocalFile],
    listing: Mapping[str, RemoteFile],
    manifests: Iterable[Mapping[str, Published]],
) -> Plan:
    """Upload what differs, in phase order; delete what qacast published there
    before (or a temporary file a killed upload left) that out/ no longer has.
    Files at the destination that no publish put there are left alone."""
    manifests = tuple(manifests)
    known = trusted(listing, *manifests)
    ours = set().union(*(manifest.keys() for manifest in manifests)) if manifests else set()
    steps = [
        Step(
            Action.SKIP if is_current(file, known.get(path)) else Action.UPLOAD,
            path,
            file.size_bytes,
            phase_of(path),
        )
        for path, file in local.items()
    ]
    for path, listed in listing.items():
        if path in local or path == MANIFEST_NAME:
            continue
        if path in ours or is_leftover_temp(PurePosixPath(path).name):
            steps.append(Step(Action.DELETE, path, listed.size_bytes, Phase.DELETE))
    steps.sort(key=lambda step: (step.phase, step.path))
    return Plan(tuple(steps), known)
