"""Blocks -> blocks without furniture, and the notes that say what went.

Lines are dropped by the named rules of furniture.py, metadata lines
("Narrator: Beatrix Quaye") are kept aside as evidence of who is who, and
link cards that follow a "Related:" or "Contents" line go with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from qacast.models import Doubt
from qacast.script.blocks.commonmark import Block, Line
from qacast.script.blocks.furniture import furniture_rule, metadata
from qacast.script.text import shorten

CARD_LEADS = frozenset({"read-more line", "table of contents"})
# Dropped lines that still tell who is who: "By Jane Doe | June 2", "Interview conducted by".
EVIDENCE_RULES = frozenset({"byline", "credit line"})


class Notes:
    """Human-readable decisions, in the order they were made, and the doubts among them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.doubts: list[Doubt] = []

    def doubt(self, what: str, fix: str) -> None:
        """A guess the text did not settle; ``fix`` is the front-matter line for the other
        reading, should this one be wrong."""
        self.lines.append(f"{what} (a doubt; if wrong, front matter: {fix})")
        self.doubts.append(Doubt(what, fix))

    def drop(self, line_no: int, rule: str, text: str = "", last_line: int | None = None) -> None:
        shown = f" {shorten(text, 40)!r}" if text else ""
        where = (
            f"lines {line_no}-{last_line}"
            if last_line and last_line > line_no
            else f"line {line_no}"
        )
        self.lines.append(f"{where} dropped{shown}: {rule}")

    def say(self, note: str) -> None:
        self.lines.append(note)


@dataclass
class Cleaned:
    blocks: list[Block]
    metadata: list[tuple[str, str]] = field(default_factory=list)  # ("narrator", "Beatrix Quaye")
    evidence: list[str] = field(default_factory=list)  # dropped bylines and credits
    furniture: list[tuple[int, str]] = field(default_factory=list)  # (line number, rule)


def _card_rule(lead: str) -> str:
    return lead if lead == "table of contents" else "related-article card"


CAPTION_MAX_WORDS = 25
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def is_caption(block: Block) -> bool:
    """A paragraph with or under a picture that describes it: set in italics, or a few
    words with no sentence end ("Top of the amplifier board"). A caption is seen, not said."""
    words = len(block.text.split())
    if block.kind != "paragraph" or not block.by_image or words > CAPTION_MAX_WORDS:
        return False
    italic = all(line.italic for line in block.lines if line.text)
    return italic or not SENTENCE_END.search(block.text)


# "| Some words in a box |": a paragraph set in a one-cell table row without the
# row under it that would make Markdown read a table. The words stay, the pipes go.
BOXED = re.compile(r"\|\s*(?P<words>[^|]+?)\s*\|")


def unboxed(line: Line) -> Line:
    box = BOXED.fullmatch(line.text)
    return replace(line, text=box["words"]) if box else line


def clean_blocks(blocks: tuple[Block, ...], notes: Notes) -> Cleaned:
    """Drop furniture lines and blocks, and bare timestamps inside lines."""
    cleaned = Cleaned([])
    after_lead = ""  # the rule of a "Related:" / "Contents" line just above
    for block in blocks:
        if block.kind == "rule":
            cleaned.blocks.append(block)  # kept as a boundary; the parser notes it
            continue
        if is_caption(block):
            notes.drop(block.line_no, "image caption", block.text)
            continue
        if block.anchor_link or (block.link_only and after_lead):
            card = "table of contents" if block.anchor_link else _card_rule(after_lead)
            notes.drop(block.line_no, card, block.text)
            continue
        lines: list[Line] = []
        for line in block.lines:
            if block.kind == "code" or not line.text:
                lines.append(line)
                continue
            line = unboxed(line)
            rule: str | None = furniture_rule(line.text)
            meta = None if rule or block.kind == "heading" else metadata(line.text)
            if meta:
                cleaned.metadata.append(meta)
                rule = "metadata line"
            if rule:
                notes.drop(line.line_no, rule, line.text)
                cleaned.furniture.append((line.line_no, rule))
                if rule in EVIDENCE_RULES:
                    cleaned.evidence.append(line.text)
                after_lead = rule if rule in CARD_LEADS else after_lead
                continue
            lines.append(line)
        if any(line.text for line in lines):
            cleaned.blocks.append(Block(block.kind, tuple(lines), block.level, block.quoted))
            if not block.link_only and len(lines) == len(block.lines):
                after_lead = ""
    return cleaned
