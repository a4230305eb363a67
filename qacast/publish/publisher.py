"""``qacast publish``: carry out the plan (qacast/publish/plan.py) against a host.

What was published where is kept twice, in the same format: at the
destination (``.qacast-publish.json``, so a second machine, or this one after
losing its state, uploads only what differs) and in the show's build state
(``.qacast/state/publish/``, one file per destination, rewritten after every
upload, so a publish that is killed resumes where it stopped). The hash of
each file of out/ is remembered by size and modification time there too.

A killed publish leaves the destination consistent: every object is replaced
whole (a PUT on S3, a rename on SFTP and in a folder), and the feed goes up
only after everything it names, so the feed an app reads is either the old one,
whose files are all still there (deletions come after the new feed), or the
new one, whose files are all up. The next run uploads what is missing or
different and ends where an uninterrupted run would have.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qacast.errors import ConfigError, OutputError, PublishError
from qacast.fsutil import atomic_write_bytes
from qacast.manifest import StateLayout
from qacast.progress import Progress
from qacast.publish.hosts import Host, open_host
from qacast.publish.plan import (
    CACHE_NONE,
    FEED_NAME,
    MANIFEST_NAME,
    Action,
    LocalFile,
    Plan,
    Published,
    Step,
    inventory,
    make_plan,
    manifest_bytes,
    parse_manifest,
)
from qacast.publish.schedule import load_scheduled
from qacast.transaction import show_lock

PUBLISH_STATE_DIR = "publish"  # in .qacast/state/, beside the episode records
HASHES_NAME = "hashes.json"  # not an episode record: those are the *.json of state/ itself


@dataclass(frozen=True)
class PublishReport:
    address: str
    plan: Plan
    done: tuple[Step, ...]  # what was carried out, in order
    manifest_written: bool

    def summary(self, dry_run: bool) -> str:
        uploads, deletions = self.plan.of(Action.UPLOAD), self.plan.of(Action.DELETE)
        sent = sum(step.size_bytes for step in uploads)
        counts = (
            f"upload {len(uploads)} ({human_size(sent)}), "
            f"unchanged {len(self.plan.of(Action.SKIP))}, delete {len(deletions)}"
        )
        if dry_run:
            return f"{self.address}: would {counts}; nothing was changed (--dry-run)"
        done = counts.replace("upload ", "uploaded ").replace("delete ", "deleted ")
        return f"published to {self.address}: {done}"

    def plan_lines(self) -> list[str]:
        """The plan, one step a line, in the order a publish runs it."""
        width = max((len(step.path) for step in self.plan.steps), default=0)
        return [
            f"{step.action.name.lower():<7} {step.path:<{width}} {human_size(step.size_bytes):>9}"
            for step in self.plan.steps
        ]


def human_size(size_bytes: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size_bytes >= scale:
            return f"{size_bytes / scale:.1f} {unit}"
    return f"{size_bytes} B"


def publish(
    show_dir: Path,
    destination: str,
    endpoint_url: str | None,
    progress: Progress,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> PublishReport:
    """Publish ``show_dir/out/`` to ``destination``; with ``dry_run``, only plan.
    The files of episodes the last build scheduled stay unpublished; one due
    by ``now`` (the clock by default) is named: a build publishes it."""
    out_dir = show_dir / "out"
    if not (out_dir / FEED_NAME).is_file():
        raise ConfigError(
            f"{out_dir}: nothing built yet (no feed.xml); run: qacast build {show_dir}"
        )
    host = open_host(destination, endpoint_url)
    try:
        _refuse_own_folder(host, out_dir)
        state = StateLayout.of_show(show_dir)
        # Holding the build lock keeps a build from changing out/ under the upload.
        with show_lock(state, on_wait=progress.log):
            held = _held_back(state, now or dt.datetime.now(dt.timezone.utc), progress)
            return _publish_locked(out_dir, host, state.records / PUBLISH_STATE_DIR, progress,
                                   dry_run, held)  # fmt: skip
    finally:
        host.close()


def _held_back(state: StateLayout, now: dt.datetime, progress: Progress) -> frozenset[str]:
    """The files of out/ the last build scheduled for later, not to publish yet."""
    held: set[str] = set()
    for scheduled in load_scheduled(state):
        held.update(scheduled.files)
        if scheduled.due_at <= now:
            progress.log(f"{scheduled.slug} is due since {scheduled.due}: run qacast build, "
                         "then publish again, to publish it")  # fmt: skip
    return frozenset(held)


def _refuse_own_folder(host: Host, out_dir: Path) -> None:
    root = getattr(host, "root", None)
    if isinstance(root, Path) and root.resolve().is_relative_to(out_dir.resolve()):
        raise ConfigError(f"--to {host.address}: is inside out/; publish to a folder outside it")


def _publish_locked(
    out_dir: Path,
    host: Host,
    state_dir: Path,
    progress: Progress,
    dry_run: bool,
    held: frozenset[str] = frozenset(),
) -> PublishReport:
    hashes: dict[str, list[Any]] = _load_json(state_dir / HASHES_NAME)
    local = {path: file for path, file in inventory(out_dir, hashes).items() if path not in held}
    listing = host.listing()
    remote_bytes = host.read(MANIFEST_NAME) if MANIFEST_NAME in listing else None
    mine_path = state_dir / f"{state_name(host.identity)}.json"
    plan = make_plan(local, listing, (parse_manifest(remote_bytes), _read_manifest(mine_path)))
    if dry_run:
        return PublishReport(host.address, plan, (), False)
    _save(state_dir / HASHES_NAME, (json.dumps(hashes, sort_keys=True) + "\n").encode())
    done, recorded = _carry_out(plan, local, host, mine_path, progress)
    data = manifest_bytes(host.identity, recorded)
    written = data != remote_bytes
    if written:
        host.upload(data, MANIFEST_NAME, "application/json", CACHE_NONE)
    return PublishReport(host.address, plan, done, written)


def _carry_out(
    plan: Plan, local: dict[str, LocalFile], host: Host, mine_path: Path, progress: Progress
) -> tuple[tuple[Step, ...], dict[str, Published]]:
    """Uploads in the plan's order (the feed last), then deletions; the local
    record is rewritten after each, so a kill loses at most the one in flight."""
    recorded = dict(plan.known)
    done: list[Step] = []
    uploads, deletions = plan.of(Action.UPLOAD), plan.of(Action.DELETE)
    for count, step in enumerate(uploads, 1):
        file = local[step.path]
        listed = host.upload(file.source, file.path, file.content_type, file.cache_control)
        if listed.size_bytes != file.size_bytes:
            raise PublishError(
                f"{host.address}: {file.path} arrived with {listed.size_bytes} bytes "
                f"instead of {file.size_bytes}; run publish again"
            )
        recorded[file.path] = Published(
            file.sha256, file.size_bytes, file.content_type, file.cache_control, listed.tag
        )
        _save(mine_path, manifest_bytes(host.identity, recorded))
        done.append(step)
        progress.log(f"uploaded {count} of {len(uploads)}: {file.path} "
                     f"({human_size(file.size_bytes)})")  # fmt: skip
    for count, step in enumerate(deletions, 1):
        host.delete(step.path)
        recorded.pop(step.path, None)
        _save(mine_path, manifest_bytes(host.identity, recorded))
        done.append(step)
        progress.log(f"deleted {count} of {len(deletions)}: {step.path}")
    return tuple(done), recorded


def state_name(identity: str) -> str:
    """A file name for a destination's local record: readable, and unique by hash."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", identity).strip("-.")[:60]
    return f"{readable}-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"


def _read_manifest(path: Path) -> dict[str, Published]:
    try:
        return parse_manifest(path.read_bytes())
    except OSError:
        return {}


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(path: Path, data: bytes) -> None:
    """The local record: not fsynced, as a record lost to a crash only costs
    re-uploads (the host's listing is compared with it anyway)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create {path.parent}: {err.strerror or err}") from err
    atomic_write_bytes(path, data, durable=False)
