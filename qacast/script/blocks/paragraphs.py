"""Blocks -> paragraphs: furniture dropped, labels and list bullets found.

A Markdown paragraph is not always one paragraph of the interview: plain-text
transcripts put "Q: ...\\nA: ..." on consecutive lines, and word processors
export one paragraph per line with no blank line between. So the lines of
each block are split again: where a speaker label or a bullet starts a line,
and where a line ends like a sentence (hard-wrapped prose, whose lines end
mid-sentence, stays joined).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from qacast.script.blocks.commonmark import Block, BlockKind, Line
from qacast.script.blocks.furniture import clean_marks
from qacast.script.text import collapse_whitespace

# List bullets and numbers that CommonMark does not read as lists: the match is
# removed, the rest is the item text. Symbol bullets may touch the word
# ("ØContinue", from Wingdings exports); dashes need a space so "-5 degrees"
# stays prose. Ø only counts before a capital, so Scandinavian names
# ("Øyvind") survive.
BULLETS: tuple[re.Pattern[str], ...] = (
    re.compile(r"[•·▪◦●○■□➢➤►▶→⇒✓✔❖◆◇§]\s*(?=\S)"),
    re.compile(r"Ø\s*(?=[A-Z0-9\"“‘'(])"),
    re.compile(r"[-*+–—]\s+(?=\S)"),
    re.compile(r"\(?\d{1,2}[.)]\s+(?=\S)"),  # 1. / 1) / (1) ; "2008. That year" has 4 digits
    re.compile(r"\(?[a-z][.)]\s+(?=\S)"),  # a) / b.
)

# A line ending like this ends its paragraph even without a blank line after it.
PARAGRAPH_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")


@dataclass(frozen=True)
class RawParagraph:
    """A paragraph as laid out in the file, before turns are known."""

    text: str  # label and bullet removed, whitespace collapsed
    lines: tuple[str, ...]  # the source lines, stripped, markup removed
    list_item: bool = False
    label: str | None = None  # the speaker id whose label opened this paragraph
    line_no: int = 0  # where it starts in the file (1-based)
    kind: BlockKind = "paragraph"
    bold: bool = False  # every line in bold
    italic: bool = False  # every line in italics
    quoted: bool = False  # inside a block quote
    end_line: int = 0  # the file line of its last line (lines dropped within it included)
    level: int = 0  # heading level
    label_form: str = ""  # how the label was written (labels.FORMS), when there is one
    settled: bool = False  # front matter says who says it (said_by), so nothing is inferred


class FoundLabel(Protocol):
    """A label found at the start of a line (labels.find.Candidate)."""

    @property
    def label(self) -> str: ...  # the speaker id
    @property
    def rest(self) -> str: ...  # the line after the label
    @property
    def form(self) -> str: ...  # how it was written


# line -> the accepted label opening it, or None (whatever markup sets it apart).
LabelFinder = Callable[[Line], FoundLabel | None]


def split_bullet(line: str) -> str | None:
    """The item text when ``line`` (stripped) starts with a list bullet, else None."""
    for pattern in BULLETS:
        match = pattern.match(line)
        if match:
            return line[match.end() :]
    return None


def _continues(previous: str, line: Line, list_item: bool, first_line_of_file: bool) -> bool:
    """Does ``line`` (no bullet, no label) continue the paragraph ending in ``previous``?"""
    if list_item:
        return line.indented or not PARAGRAPH_END.search(previous)
    if PARAGRAPH_END.search(previous):
        return False  # one paragraph per line, as word processors export
    # A title line is often followed directly by the text.
    return not (first_line_of_file and line.text[:1].isupper())


def split_block(block: Block, find_label: LabelFinder, first_of_file: bool) -> list[RawParagraph]:
    """The paragraphs of one block (its lines split at labels, bullets and sentence ends)."""
    if block.kind == "rule":
        return [RawParagraph("", (block.text,), line_no=block.line_no, kind="rule")]
    if block.kind == "heading":
        return [_heading(block, find_label)]
    splitter = _Splitter(block, first_of_file)
    for line in block.lines:
        splitter.add(line, find_label)
    return splitter.done()


def _heading(block: Block, find_label: LabelFinder) -> RawParagraph:
    # A top-level heading is a title ("Kernel Stories: Season 2: ..."), never a turn.
    found = find_label(Line(block.text, block.line_no)) if block.level > 1 else None
    return RawParagraph(
        collapse_whitespace(clean_marks(found.rest if found else block.text)),
        tuple(line.text for line in block.lines),
        label=found.label if found else None,
        line_no=block.line_no,
        kind="paragraph" if found else "heading",
        bold=block.bold,
        level=block.level,
        label_form=found.form if found else "",
    )


class _Splitter:
    """Gathers a block's lines into paragraphs, one line at a time."""

    def __init__(self, block: Block, first_of_file: bool) -> None:
        self.block = block
        self.first_of_file = first_of_file
        self.paragraphs: list[RawParagraph] = []
        self.lines: list[Line] = []  # of the paragraph being gathered
        self.texts: list[str] = []  # ... with labels and bullets removed
        self.label: FoundLabel | None = None  # ... the label that opened it
        self.list_item = block.kind == "item"
        self.first_item = True

    def add(self, line: Line, find_label: LabelFinder) -> None:
        if not line.text:
            self._flush()
            return
        item = None if self.block.kind == "code" else split_bullet(line.text)
        labelled = find_label(line) if item is None else None
        if labelled is not None and self.list_item and self.first_item and not self.lines:
            labelled = None  # "- Q: ..." is a list item that says "Q:"; keep it whole
        first_line = self.first_of_file and not self.paragraphs and len(self.lines) == 1
        joins = item is None and labelled is None and self.lines
        if joins and _continues(self.lines[-1].text, line, self.list_item, first_line):
            self.lines.append(line)
            self.texts.append(line.text)
            return
        self._flush()
        self.list_item = item is not None or (self.block.kind == "item" and self.first_item)
        self.first_item = False
        self.label = labelled
        self.lines = [line]
        self.texts = [item if item is not None else labelled.rest if labelled else line.text]

    def done(self) -> list[RawParagraph]:
        self._flush()
        return self.paragraphs

    def _flush(self) -> None:
        if not self.lines:
            return
        lines, block, label = self.lines, self.block, self.label
        self.paragraphs.append(
            RawParagraph(
                collapse_whitespace(clean_marks(" ".join(self.texts))),
                tuple(line.text for line in lines),
                self.list_item,
                label.label if label else None,
                lines[0].line_no,
                block.kind if block.kind != "item" else "paragraph",
                all(line.bold for line in lines if line.text),
                italic=all(line.italic for line in lines if line.text),
                quoted=block.quoted,
                end_line=lines[-1].line_no,
                label_form=label.form if label else "",
            )
        )
        self.lines, self.texts = [], []
