"""What the producer tells the reader in front matter, where the text alone left a doubt.

A producer never edits the transcript itself: each doubt `qacast parse`
lists comes with one front-matter line that settles it, and these are the
keys those lines use::

    cast: {AA: {role: interviewee}}          # who asks and who answers
    said_by: {"Was that in Iceland": HOST}   # the paragraph opening so is HOST's
    said_by: {"Thank you for your": intro}   # ... is part of the intro, not a turn
    skip: ["Subscribe to our newsletter"]    # paragraphs opening so are not read
    labels: [Rosa]                           # "Rosa:" at a line start names a speaker
    not_labels: [Main goals]                 # "Main goals:" is text, not a speaker

Openings match the start of a paragraph's text, ignoring case, spacing and
quotes, so a few words copied from the transcript are enough.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qacast.models import Role


@dataclass(frozen=True)
class Guide:
    roles: Mapping[str, Role] = field(default_factory=dict)  # label -> role (front matter cast)
    said_by: tuple[tuple[str, str], ...] = ()  # (paragraph opening, speaker label)
    skip: tuple[str, ...] = ()  # paragraph openings to leave out
    labels: tuple[str, ...] = ()  # words that are speaker labels at a line start
    not_labels: tuple[str, ...] = ()  # words that are not, though they look it
    # Labels a transcription export named in a speaker field of its own (not front matter).
    vouched: frozenset[str] = frozenset()

    def speaker_of(self, text: str) -> str | None:
        """The label front matter gives the paragraph ``text``, if any."""
        key = comparable(text)
        return next((label for opening, label in self.said_by if key.startswith(opening)), None)

    def skips(self, text: str) -> bool:
        key = comparable(text)
        return any(key.startswith(opening) for opening in self.skip)


INTRO_SPEAKER = "intro"  # said_by this "speaker": the paragraph belongs to the intro

QUOTES = re.compile(r"[\"'“”‘’«»]")
OPENING_WORDS = 6


def opening_of(text: str) -> str:
    """The first words of a paragraph, as a fix line quotes them."""
    words = QUOTES.sub("", text).split()[:OPENING_WORDS]
    return " ".join(words).rstrip(",.;:!?")


def said_by_line(text: str, label: str) -> str:
    return said_by_lines(((text, label),))


def said_by_lines(pairs: tuple[tuple[str, str], ...]) -> str:
    """The ``said_by`` line that gives each paragraph (by its text) to a label."""
    entries = ", ".join(f'"{opening_of(text)}": {label}' for text, label in pairs)
    return f"said_by: {{{entries}}}"


def comparable(text: str) -> str:
    """Text as an opening is matched: quotes dropped, spacing collapsed, case folded."""
    return " ".join(QUOTES.sub("", text).split()).casefold()


def openings(value: Any) -> tuple[str, ...]:
    """Front matter ``skip``: a list of paragraph openings (or one)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise ValueError("be a list of the opening words of paragraphs")
    return tuple(comparable(v) for v in items)


def label_words(value: Any) -> tuple[str, ...]:
    """Front matter ``labels`` / ``not_labels``: a list of labels as written (or one)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise ValueError("be a list of speaker labels as written in the script")
    return tuple(" ".join(v.split()).rstrip(":：") for v in items)


def said_by(value: Any) -> tuple[tuple[str, str], ...]:
    """Front matter ``said_by``: paragraph opening -> the label of who says it."""
    if not isinstance(value, dict) or not value:
        raise ValueError('be a mapping of paragraph openings to labels ("Was that": HOST)')
    pairs = []
    for opening, label in value.items():
        if not isinstance(opening, str) or not opening.strip() or not isinstance(label, str):
            raise ValueError("map the opening words of a paragraph to a speaker label")
        pairs.append((comparable(opening), " ".join(label.split())))
    return tuple(pairs)
