"""What the build makes of a parsed episode: its slug, its audio tags, its description.

Reading a script lives in ``qacast.script.read``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from qacast.config import ShowConfig
from qacast.models import Episode, EpisodeTags
from qacast.script.languages import three_letter_code


def episode_tags(episode: Episode, show: ShowConfig, date: dt.date | None = None) -> EpisodeTags:
    """The tags every format carries; ``date`` (default: the front matter's) is
    the day the feed gives as pubDate, written as the file's date tag."""
    meta = episode.meta
    date = date or meta.date
    interviewer = next((s.name for s in episode.speakers if s.role == "interviewer"), "")
    return EpisodeTags(
        title=meta.title,
        artist=interviewer or show.author or show.title,
        album=show.title,
        track=meta.episode_number,
        date=date.isoformat() if date else "",
        comment=describe(episode),
        language=three_letter_code(meta.language or show.language),
    )


def describe(episode: Episode) -> str:
    """The episode's description: its own, else who talks with whom."""
    if episode.meta.description:
        return episode.meta.description
    hosts = [s.name for s in episode.speakers if s.role == "interviewer"]
    guests = [s.name for s in episode.speakers if s.role == "interviewee"]
    if hosts and guests:
        return f"{' and '.join(hosts)} in conversation with {' and '.join(guests)}."
    return episode.meta.title


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "episode"
