"""Blocks -> paragraphs: furniture dropped, labels and list bullets found.

A Markdown paragraph is not always one paragraph of the interview: plain-text
transcripts put "Q: ...\\nA: ..." on consecutive lines, and word processors
export one paragraph per line with no blank line between. So the lines of
each block are split again: where a speaker label or a bullet starts a line,
and where a line ends like a sentence (hard-wrapped prose, whose lines end
mid-sentence, stays joined).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from qacast.script.blocks.commonmark import Block, BlockKind, Line
from qacast.script.blocks.furniture import drop_timestamps
from qacast.script.labels.find import ROLE_LABELS, Candidate, candidate
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


# line -> the accepted label opening it, or None.
LabelFinder = Callable[[str], Candidate | None]


# A name or role word set in bold or italics at the start of a line.
MARKED_LABEL = re.compile(r"[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w.'’-]*){0,3}")
BOLD_NAME = MARKED_LABEL
# What may separate a marked label from its text, inside the emphasis or after it:
# "**Jane:**", "**Jane**:", "**Jane** :" (French spacing), "**Q**.", "**Q.**", "*Jane* —".
# The emphasis already sets the label apart, so a period or a dash is enough.
SEPARATOR_AFTER = re.compile(r"\s*(?:[:：.]|[—–]|-(?=\s))")
SEPARATOR_INSIDE = re.compile(r"\s*(?:[:：]|[—–]|-)$")
# "**Q.**", "**Jane.**": one word and a full stop (not "J.D." or "Dr. Li").
WORD_AND_STOP = re.compile(r"(?P<word>[^\s.]{1,20})\.")


def marked_label_text(line: Line) -> str:
    """The line as "Label: text" when it opens with a label in bold or italics, else as it is.

    Writers set labels apart with emphasis in many ways ("**Jane:**", "**Jane**:",
    "_Jane:_", "**Jane** :", "**Q**.", "**Q.**", "**Jane** What..."); all of them
    are one label form to the parser, so none of the markers is ever spoken.
    """
    lead = line.lead_mark
    if not lead or not line.text.startswith(lead):
        return line.text
    rest = line.text[len(lead) :]
    stop = WORD_AND_STOP.fullmatch(lead)
    label = stop["word"] if stop else SEPARATOR_INSIDE.sub("", lead).rstrip()
    if label == lead and (separator := SEPARATOR_AFTER.match(rest)):
        rest = rest[separator.end() :]
    if not MARKED_LABEL.fullmatch(label) or not rest.strip():
        return line.text
    return f"{label}: {rest.lstrip()}"


def is_name_heading(block: Block) -> bool:
    """ "### Jane Doe": a heading that is only a name (or a role word)."""
    return block.kind == "heading" and block.level > 1 and bool(BOLD_NAME.fullmatch(block.text))


def heading_labels(blocks: list[Block]) -> frozenset[str]:
    """The name headings that are speaker labels: all of them when the document uses
    headings that way, i.e. one name heads two sections or more; else none, since a
    lone "## Bitcoin Knots" or "## About Jane" over prose is a section title."""
    names = Counter(block.text for block in blocks if is_name_heading(block))
    return frozenset(names) if any(count >= 2 for count in names.values()) else frozenset()


def heading_label_text(block: Block, labels: frozenset[str]) -> str:
    """A name heading the document uses as a label, as a label alone on its line."""
    return f"{block.text}:" if block.text in labels else block.text


# A label after a sentence end within a line: "Q: When do you start? A: At three."
INLINE_LABEL = re.compile(
    r"(?<=[.?!…\"”’)])[ \t]+"
    r"(?P<label>[A-ZÀ-ÖØ-Þ][\w.'’-]{0,24}(?:[ \t][A-ZÀ-ÖØ-Þ][\w.'’-]{0,24}){0,2})"
    r"[ \t]?[:：][ \t]+(?=\S)"
)


def split_inline_labels(blocks: list[Block], starts: frozenset[str]) -> list[Block]:
    """Lines that hold two turns ("Q: Why? A: Because.") as one line per turn.

    Only in a line that opens with a label, and only at a role word or at a label
    that opens other lines of the document: "He said: no." is no turn.
    """
    return [
        replace(
            block, lines=tuple(piece for line in block.lines for piece in _pieces(line, starts))
        )
        if block.kind in ("paragraph", "item")
        else block
        for block in blocks
    ]


def _pieces(line: Line, starts: frozenset[str]) -> list[Line]:
    opening = candidate(line.text)
    if opening is None:
        return [line]
    cuts = [
        m.start("label")
        for m in INLINE_LABEL.finditer(line.text)
        if m["label"].lower() in ROLE_LABELS or m["label"] in starts
    ]
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(line.text)]
    return [
        replace(line, text=line.text[a:b].strip(), lead_mark=line.lead_mark if a == 0 else "")
        for a, b in itertools.pairwise(bounds)
    ]


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


def split_block(
    block: Block,
    find_label: LabelFinder,
    first_of_file: bool,
    name_headings: frozenset[str] = frozenset(),
) -> list[RawParagraph]:
    """The paragraphs of one block (its lines split at labels, bullets and sentence ends)."""
    if block.kind == "rule":
        return [RawParagraph("", (block.text,), line_no=block.line_no, kind="rule")]
    if block.kind == "heading":
        # A top-level heading is a title ("Kernel Stories: Season 2: ..."), never a turn.
        found = (
            find_label(block.text) or find_label(heading_label_text(block, name_headings))
            if block.level > 1
            else None
        )
        text = collapse_whitespace(drop_timestamps(found.rest if found else block.text))
        return [
            RawParagraph(
                text,
                tuple(line.text for line in block.lines),
                label=found.label if found else None,
                line_no=block.line_no,
                kind="paragraph" if found else "heading",
                bold=block.bold,
                level=block.level,
                label_form=found.form if found else "",
            )
        ]
    paragraphs: list[RawParagraph] = []
    current: list[Line] = []
    texts: list[str] = []
    list_item = block.kind == "item"
    label: Candidate | None = None
    first_item = True

    def flush() -> None:
        nonlocal current, texts
        if current:
            text = collapse_whitespace(drop_timestamps(" ".join(texts)))
            paragraphs.append(
                RawParagraph(
                    text,
                    tuple(line.text for line in current),
                    list_item,
                    label.label if label else None,
                    current[0].line_no,
                    block.kind if block.kind != "item" else "paragraph",
                    all(line.bold for line in current if line.text),
                    italic=all(line.italic for line in current if line.text),
                    quoted=block.quoted,
                    end_line=current[-1].line_no,
                    label_form=label.form if label else "",
                )
            )
        current, texts = [], []

    for line in block.lines:
        if not line.text:
            flush()
            continue
        item = None if block.kind == "code" else split_bullet(line.text)
        labelled = None
        if item is None:
            labelled = find_label(line.text) or (
                find_label(marked_label_text(line)) if line.lead_mark else None
            )
        if labelled is not None and list_item and first_item and not current:
            labelled = None  # "- Q: ..." is a list item that says "Q:"; keep it whole
        first_line_of_file = first_of_file and not paragraphs and len(current) == 1
        if (
            current
            and item is None
            and labelled is None
            and _continues(current[-1].text, line, list_item, first_line_of_file)
        ):
            current.append(line)
            texts.append(line.text)
            continue
        flush()
        list_item = item is not None or (block.kind == "item" and first_item)
        first_item = False
        label = labelled
        current = [line]
        texts = [item if item is not None else labelled.rest if labelled else line.text]
    flush()
    return paragraphs
