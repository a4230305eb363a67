"""Script text -> the page: its blocks without furniture, and the lines labels are read from."""

from __future__ import annotations

from dataclasses import dataclass

from qacast.script.blocks.clean import Cleaned, Notes, clean_blocks
from qacast.script.blocks.commonmark import Block, read_blocks
from qacast.script.blocks.furniture import (
    furniture_rule,
    unwrap_text_shortcodes,
    voice_tags_as_labels,
)
from qacast.script.text import normalise_text


@dataclass(frozen=True)
class Page:
    text: str  # the script, newlines and spaces normalised
    blocks: tuple[Block, ...]  # furniture dropped
    cleaned: Cleaned  # what the furniture said: metadata, bylines, where the footer starts


def read_page(text: str, notes: Notes) -> Page:
    """The page's blocks, every dropped line noted with the rule that dropped it."""
    text = unwrap_text_shortcodes(voice_tags_as_labels(normalise_text(text)))
    document = read_blocks(text)
    for dropped in document.dropped:
        notes.drop(dropped.line_no, furniture_rule(dropped.text) or dropped.rule, dropped.text)
    cleaned = clean_blocks(document.blocks, notes)
    return Page(text, tuple(cleaned.blocks), cleaned)
