"""Text -> paragraphs: page furniture dropped, list bullets recognised.

Works line by line so that transcripts without blank lines between turns
("Q: ...\\nA: ...") still split where a speaker label starts a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from qacast.script.text import collapse_whitespace

# Lines that come from the web page around an interview, not from the interview.
# Matched against a whole line (case-insensitive), and only short lines, so a
# paragraph that merely starts with "Posted" or "Print" is never dropped.
FURNITURE: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"comments?\s*[(\[]\d+[)\]]",  # Comments (0)
        r"\d+\s+(?:comments?|responses?|replies)",  # 3 comments
        r"(?:no|add|add a|post a|view|view all|show|hide|leave)\s+comments?(?:\s+yet)?\W*",
        r"skip to (?:main )?(?:content|navigation)",
        r"(?:share|tweet|e-?mail|print|like)(?: this)?(?: (?:post|article|page|story))?"
        r"(?: on \w+)?\W*",
        r"posted (?:by|in|on|at)\b.*",
        r"(?:filed|posted) under\b.*",
        r"(?:©|\(c\)|copyright\s*(?:©|\(c\))?)\s*(?:\d{4}|by\b).*",
        r"all rights reserved\W*",
        r"(?:read more|continue reading|read the full (?:story|article|interview))\W*",
        r"leave a (?:reply|comment)\W*",
        r"permalink",
        r"trackbacks?\s*[(\[]\d+[)\]]",
        r"tags?:.*",
        r"(?:«\s*)?(?:previous|next|older|newer) (?:post|article|entry)\b.*",
        r"back to top\W*",
        r"advertisement",
        r"(?:log|sign) in(?: to (?:comment|reply))?\W*",
        r"subscribe(?: to (?:this|our) \w+)?\W*",
        r"related (?:posts|articles|stories)\W*",
        r"(?:facebook|twitter|linkedin|reddit|digg|delicious)",
        r"page \d+ of \d+",
        r"rate this(?: (?:post|article))?\W*",
    )
)
FURNITURE_MAX_CHARS = 120

# A line of only rule characters ("---", "* * *", "====") separates blocks.
RULE_LINE = re.compile(r"([-*_=~#])(?:\s*\1){2,}")

# List bullets and numbers: the match is removed, the rest is the item text.
# Symbol bullets may touch the word ("ØContinue", from Wingdings exports);
# "-", "*" and "+" need a space so "-5 degrees" and "*emphasis*" stay prose.
# Ø only counts before a capital, so Scandinavian names ("Øyvind") survive.
BULLETS: tuple[re.Pattern[str], ...] = (
    re.compile(r"[•·▪◦●○■□➢➤►▶→⇒✓✔❖◆◇§]\s*(?=\S)"),
    re.compile(r"Ø\s*(?=[A-Z0-9\"“‘'(])"),
    re.compile(r"[-*+–—]\s+(?=\S)"),
    re.compile(r"\(?\d{1,2}[.)]\s+(?=\S)"),  # 1. / 1) / (1) ; "2008. That year" has 4 digits
    re.compile(r"\(?[a-z][.)]\s+(?=\S)"),  # a) / b.
)

MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")

# A line ending like this ends its paragraph even without a blank line after it.
PARAGRAPH_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")


@dataclass(frozen=True)
class RawParagraph:
    """A paragraph as laid out in the file, before turns are known."""

    text: str  # label and bullet removed, whitespace collapsed
    lines: tuple[str, ...]  # the source lines, stripped, for line-based checks
    list_item: bool = False
    label: str | None = None  # the speaker id whose label opened this paragraph


# line -> (speaker id, text after the label), or None when the line has no label.
LabelFinder = Callable[[str], tuple[str, str] | None]


def is_furniture(line: str) -> bool:
    return len(line) <= FURNITURE_MAX_CHARS and any(p.fullmatch(line) for p in FURNITURE)


def content_lines(text: str) -> list[str]:
    """Stripped lines with page furniture and rules turned into blank lines."""
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        blank = not line or is_furniture(line) or RULE_LINE.fullmatch(line)
        lines.append("" if blank else raw.rstrip())
    return lines


def split_bullet(line: str) -> str | None:
    """The item text when ``line`` (stripped) starts with a list bullet, else None."""
    for pattern in BULLETS:
        match = pattern.match(line)
        if match:
            return line[match.end() :]
    return None


def _continues(previous: str, raw: str, list_item: bool, first_line_of_file: bool) -> bool:
    """Does ``raw`` (no bullet, no label) continue the paragraph ending in ``previous``?"""
    if list_item:
        return raw[:1].isspace()  # wrapped bullets are indented under their text
    if PARAGRAPH_END.search(previous):
        return False  # one paragraph per line, as word processors export
    # A title line is often followed directly by the text.
    return not (first_line_of_file and raw.strip()[:1].isupper())


def split_paragraphs(lines: list[str], find_label: LabelFinder) -> list[RawParagraph]:
    """Group lines into paragraphs.

    A paragraph ends at a blank line, and a new one starts at a list bullet or a
    speaker label. Without those, a line continues the paragraph above it when
    that paragraph's last line does not end like a sentence (hard-wrapped prose,
    "Thank you,\nStephen Ibaraki"); an indented line continues a list item.
    """
    paragraphs: list[RawParagraph] = []
    current: list[str] = []
    texts: list[str] = []
    list_item = False
    label: str | None = None

    def flush() -> None:
        nonlocal current, texts
        if current:
            text = collapse_whitespace(" ".join(texts))
            paragraphs.append(RawParagraph(text, tuple(current), list_item, label))
        current, texts = [], []

    for raw in lines:
        line = raw.strip()
        if not line:
            flush()
            continue
        item = split_bullet(line)
        labelled = None if item is not None else find_label(line)
        first_line_of_file = not paragraphs and len(current) == 1
        if (
            current
            and item is None
            and labelled is None
            and _continues(current[-1], raw, list_item, first_line_of_file)
        ):
            current.append(line)
            texts.append(line)
            continue
        flush()
        list_item = item is not None
        label = labelled[0] if labelled else None
        current = [line]
        texts = [item if item is not None else labelled[1] if labelled else line]
    flush()
    return paragraphs


def strip_heading(line: str) -> str:
    """Drop a markdown heading mark ("# Title")."""
    match = MARKDOWN_HEADING.match(line)
    return line[match.end() :] if match else line
