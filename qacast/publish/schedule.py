"""Episodes dated in the future: rendered now, published when due.

A build renders every episode, so that a scheduled one is ready (and its
files cached) the day it is due; but the feed and the site list only the
episodes due by now (``qacast.clock``), and ``qacast publish`` leaves the
files of the others in out/ unpublished. The build says which episode waits
for what moment, and records it in the show's build state
(``.qacast/scheduled.json``): the files to hold back, and when each is due.

Due means: the moment front matter gives (a date with a time of day) has
come; or, for a date alone, its day has begun here (as before scheduling,
when an episode built today is today's).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qacast.fsutil import write_if_changed
from qacast.manifest import StateLayout
from qacast.publish.catalog import PublishedEpisode, publish_moment, relative_url

SCHEDULED_NAME = "scheduled.json"  # in .qacast/, beside identities.json


@dataclass(frozen=True)
class Scheduled:
    slug: str
    due: str  # when it is published, as written for people: "2027-01-15 09:00 +0100"
    due_at: dt.datetime  # the same, aware
    files: tuple[str, ...]  # its files in out/, relative to it, held back until then

    def line(self) -> str:
        return f"{self.slug}: scheduled for {self.due}; rendered, published from then on"


def is_due(published: PublishedEpisode, now: dt.datetime) -> bool:
    if published.pub_time is None:
        return published.pub_date <= now.astimezone().date()
    return publish_moment(published) <= now


def due_text(published: PublishedEpisode) -> str:
    if published.pub_time is None:
        return published.pub_date.isoformat()
    return publish_moment(published).strftime("%Y-%m-%d %H:%M %z")


def split_due(
    episodes: Iterable[PublishedEpisode], now: dt.datetime, out_dir: Path
) -> tuple[list[PublishedEpisode], list[Scheduled]]:
    """The episodes due by ``now``, and the others as scheduled (by slug)."""
    due: list[PublishedEpisode] = []
    waiting: list[Scheduled] = []
    for published in episodes:
        if is_due(published, now):
            due.append(published)
            continue
        paths = [f.path for f in published.audio] + sorted(published.sidecars.values())
        paths += [published.cover] if published.cover else []
        files = tuple(relative_url(path, out_dir) for path in paths)
        moment = publish_moment(published)
        waiting.append(Scheduled(published.slug, due_text(published), moment, files))
    return due, sorted(waiting, key=lambda s: (s.due_at, s.slug))


def record_scheduled(state: StateLayout, scheduled: Sequence[Scheduled]) -> None:
    """What ``publish`` holds back: rewritten by every build (empty when none waits)."""
    data = {
        "episodes": [
            {"slug": s.slug, "due": s.due, "due_at": s.due_at.isoformat(), "files": list(s.files)}
            for s in scheduled
        ]
    }
    state.root.mkdir(parents=True, exist_ok=True)
    write_if_changed(state.root / SCHEDULED_NAME, (json.dumps(data, indent=1) + "\n").encode())


def load_scheduled(state: StateLayout) -> list[Scheduled]:
    """What the last build held back; none when it recorded nothing (or it is unreadable)."""
    try:
        data = json.loads((state.root / SCHEDULED_NAME).read_bytes())
        return [
            Scheduled(
                entry["slug"],
                entry["due"],
                dt.datetime.fromisoformat(entry["due_at"]),
                tuple(entry["files"]),
            )
            for entry in data["episodes"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return []
