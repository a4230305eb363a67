"""One episode's identity: its script read with front matter, its slug and its tags."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from pathlib import Path

from qacast.config import ShowConfig
from qacast.frontmatter import split_front_matter
from qacast.models import Episode, EpisodeTags
from qacast.script import parse_script, read_script
from qacast.script.overrides import apply_front_matter, voice_overrides


def read_episode(
    script_path: Path, default_number: int | None = None
) -> tuple[Episode, dict[str, str]]:
    """The episode as written, front matter applied; and label -> voice overrides.

    ``default_number`` numbers an episode whose front matter gives none: a
    number at the start of the file name ("012-title.txt"), else its place
    among the show's scripts.
    """
    text = read_script(script_path)
    front, body = split_front_matter(text, source_name=script_path.name)
    episode = parse_script(body, source_name=script_path.name)
    episode = apply_front_matter(episode, front, source_name=script_path.name)
    if episode.meta.episode_number is None and default_number is not None:
        leading = re.match(r"\d+", script_path.stem)
        number = int(leading.group()) if leading and int(leading.group()) > 0 else default_number
        episode = dataclasses.replace(
            episode, meta=dataclasses.replace(episode.meta, episode_number=number)
        )
    return episode, voice_overrides(front)


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
