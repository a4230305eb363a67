"""Labels set apart by markup: emphasis, a heading, or a second turn on one line.

Writers set a label apart in many ways; each is read here as the plain
"Label: text" form the label finder knows, so no marker is ever spoken.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from qacast.script.blocks.commonmark import Block, Line
from qacast.script.labels.find import ROLE_LABELS, candidate

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


def heading_labels(blocks: Sequence[Block]) -> frozenset[str]:
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
