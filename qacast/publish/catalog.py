"""What the publishing stage knows about each rendered episode.

``PublishedEpisode`` is the one value the feed and the site are built from:
the episode as parsed, its encoded files, its sidecar files and its chapters
(read from the Timeline, never re-measured). All paths point into ``out/``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from qacast.artwork import generate_cover, published_cover
from qacast.config import ShowConfig
from qacast.errors import OutputError
from qacast.fsutil import write_if_changed
from qacast.models import Chapter, Episode, EpisodeFile

# Fixed namespace for shows whose qacast.toml has no guid_namespace (made with
# uuid5(NAMESPACE_URL, "https://qacast.invalid/guid")), so the fallback guids
# are the same on every machine.
_FALLBACK_NAMESPACE = uuid.UUID("043f13d9-256c-5500-8d83-a8a6fae03c6e")


@dataclass(frozen=True)
class PublishedEpisode:
    slug: str  # file stem shared by everything of this episode in out/: "<slug>.mp3"
    episode: Episode
    audio: tuple[EpisodeFile, ...]  # the first is the feed enclosure
    # kind -> file in out/; kinds and names as qacast.publish.sidecars.sidecar_paths:
    # "vtt", "srt", "transcript_json", "chapters_json", "show_notes". Any may be missing.
    sidecars: dict[str, Path]
    chapters: tuple[Chapter, ...]  # from the Timeline, in milliseconds
    cover: Path | None  # episode image in out/, e.g. "<slug>.jpg"
    pub_date: dt.date
    guid: str  # see episode_guid(); never changes once published
    # The time of day front matter gives with the date (aware, or naive for
    # UTC); None: a date alone, published at noon UTC (see feed.publish_moments).
    pub_time: dt.time | None = None
    # False when the script gives no date and ``pub_date`` is the day the
    # episode was first built (several may share it: see feed.publish_moments).
    dated: bool = True


# A date alone (no time of day) is published at noon UTC: the same calendar
# day from UTC-11 to UTC+11, so apps show the date as written in the front matter.
PUBLISH_TIME_UTC = dt.time(12, 0, tzinfo=dt.timezone.utc)


def publish_datetime(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, PUBLISH_TIME_UTC)


def publish_moment(published: PublishedEpisode) -> dt.datetime:
    """When the episode is published: its day at the time front matter gives
    (in the zone it gives; UTC when it gives none), else at noon UTC."""
    clock = published.pub_time
    if clock is None:
        return publish_datetime(published.pub_date)
    if clock.tzinfo is None:
        clock = clock.replace(tzinfo=dt.timezone.utc)
    return dt.datetime.combine(published.pub_date, clock)


def episode_guid(show: ShowConfig, slug: str) -> str:
    """A guid stable across builds, machines and base URL changes.

    UUIDv5 of the slug in the show's ``guid_namespace`` (a random UUID that
    ``qacast init`` writes into qacast.toml once). Shows without one fall back
    to a namespace derived from the title, so renaming such a show changes
    its guids: apps would then list every episode again. Renaming the script
    file (the slug) changes the guid too, by design: it is another episode.
    """
    namespace = show.guid_namespace or uuid.uuid5(_FALLBACK_NAMESPACE, show.title)
    return str(uuid.uuid5(namespace, slug))


def relative_url(path: Path, out_dir: Path) -> str:
    """The URL of a file in out/ relative to out/ itself (percent-encoded)."""
    try:
        relative = path.resolve().relative_to(out_dir.resolve())
    except ValueError:
        raise OutputError(f"{path}: not inside the output folder {out_dir}") from None
    return quote(relative.as_posix())


def absolute_url(show: ShowConfig, path: Path, out_dir: Path) -> str:
    return show.base_url + relative_url(path, out_dir)


# Cover file name in out/ by source suffix. feedgen drops itunes:image URLs not
# ending in .jpg or .png, so ".jpeg" is published as ".jpg".
_COVER_NAMES: dict[str, str] = {".jpg": "cover.jpg", ".jpeg": "cover.jpg", ".png": "cover.png"}


GENERATED_COVER = "cover.jpg"
# An episode's own artwork is published as "<slug>.episode.jpg", apart from the
# copy of the show's cover every other episode has ("<slug>.jpg"): the site
# shows only an episode's own beside it in the list of episodes.
OWN_ARTWORK_INFIX = ".episode"


def episode_image_name(slug: str, mime_type: str, own: bool) -> str:
    suffix = ".png" if mime_type == "image/png" else ".jpg"
    return f"{slug}{OWN_ARTWORK_INFIX if own else ''}{suffix}"


def has_own_artwork(published: PublishedEpisode) -> bool:
    cover = published.cover
    return cover is not None and cover.name.startswith(f"{published.slug}{OWN_ARTWORK_INFIX}.")


def show_cover_path(show: ShowConfig, out_dir: Path) -> Path:
    """Where the show's cover is published in out/ (generated when it has none)."""
    if show.cover is None:
        return out_dir / GENERATED_COVER
    return out_dir / _COVER_NAMES[show.cover.suffix.lower()]


def publish_show_cover(show: ShowConfig, out_dir: Path) -> Path:
    """Copy the show's cover into out/ unless an identical copy is there.

    Apple requires channel artwork, so a show without a cover gets a plain
    generated one (its title on a quiet background).
    """
    target = show_cover_path(show, out_dir)
    if show.cover is None:
        data = generate_cover(show.title, show.author)
    else:
        data = published_cover(show.cover)  # in RGB, as directories take it
    # Rewriting identical bytes would still bump the mtime and re-upload on sync.
    write_if_changed(target, data)
    return target
