"""Which language an episode is in, and where that came from.

In order: the script's front matter ``language``; the show's ``language`` in
``qacast.toml``; else the language of the words themselves (when they are
enough to tell; else the show's default, "en"), told by
lingua-language-detector (offline: its n-gram models ship inside its wheel;
measured against py3langid in benchmarks/README.md). One
episode has one language: a quoted phrase in another is read with the rest.

The show's language is only used when ``qacast.toml`` sets it: a show
without the key has ``ShowConfig.language == "en"`` for its feed, but its
episodes' language is detected (``ShowConfig.language_set`` tells the two apart).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

from qacast.models import Episode
from qacast.script.languages import localise_speakers

# Where the language came from, as ``qacast parse`` reports it.
FRONT_MATTER = "front matter"
SHOW = "show"
DETECTED = "detected"
# Enough words to tell languages apart; more only costs time.
DETECT_MAX_CHARS = 4000
# How far ahead of the runner-up the best language must be (lingua's relative
# distance): "Q: Hi? A: Yes." could be several; then the show's default stands.
DETECT_MIN_DISTANCE = 0.1


@dataclass(frozen=True)
class EpisodeLanguage:
    code: str  # BCP-47 as written ("fr", "en-gb") or as detected ("fr")
    source: str  # FRONT_MATTER, SHOW or DETECTED


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    # Imported on first use: its models take a moment to load, and most
    # commands (serve, feed) never need them.
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages()
    return builder.with_minimum_relative_distance(DETECT_MIN_DISTANCE).build()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in; None when unsure."""
    if not any(ch.isalpha() for ch in text):
        return None
    found = _identifier().detect_language_of(text[:DETECT_MAX_CHARS])
    return None if found is None else str(found.iso_code_639_1.name.lower())


def spoken_text(episode: Episode) -> str:
    return " ".join(paragraph.text for turn in episode.turns for paragraph in turn.paragraphs)


def episode_language(
    episode: Episode, show_language: str, show_language_set: bool
) -> EpisodeLanguage:
    if episode.meta.language:
        return EpisodeLanguage(episode.meta.language, FRONT_MATTER)
    detected = None if show_language_set else detect_language(spoken_text(episode))
    if detected is None:  # set by the show, or too few words to tell: the show's default
        return EpisodeLanguage(show_language, SHOW)
    return EpisodeLanguage(detected, DETECTED)


def with_language(episode: Episode, show_language: str, show_language_set: bool) -> Episode:
    """The episode with its language decided (a detected one is written into its meta)
    and its role-word speakers named in that language."""
    found = episode_language(episode, show_language, show_language_set)
    meta = episode.meta
    if found.source == DETECTED:
        meta = dataclasses.replace(meta, language=found.code)
    meta = dataclasses.replace(meta, language_source=found.source)
    note = f"language: {found.code} (from the {found.source})"
    if found.source == DETECTED:
        note = f"language: {found.code} (detected; neither the front matter nor the show sets one)"
    episode = dataclasses.replace(episode, meta=meta, notes=(*episode.notes, note))
    return localise_speakers(episode, found.code)
