"""The title of a script: its first heading, or a lone first line, never a URL or a date.

Among the header lines at the top of a page ("THE WHITE HOUSE / Office of the
Press Secretary / Press Briefing by ..."), the one that says what the page is
(a briefing, an interview) wins; the others are header lines, not read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from qacast.script.blocks.clean import Notes
from qacast.script.blocks.paragraphs import RawParagraph
from qacast.script.text import collapse_whitespace

TITLE_MAX_CHARS = 150


# "Title: from Jane Doe, ..." / "Title — by Jane Doe" / "Title | with Jane Doe".
# Only from/by/with start a byline: "Cloud: An Interview" stays one title.
BYLINE = re.compile(
    r"(?P<title>.+?)\s*(?::|\s[-—–]\s|—|–|\|)\s*(?P<byline>(?:from|by|with)\b.+)",
    re.IGNORECASE,
)


# A first line ending like a sentence or a lead-in is prose, not a title.
NOT_A_TITLE_END = re.compile(r"[.:;,]$")


# Header lines: short and with no sentence end (a page header, a venue, a show name).
HEADER_MAX_WORDS = 12


HEADER_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")


# A sentence ending inside a line: "Thank you. Would you...?" is two sentences.
SENTENCE_BREAK = re.compile(r"[a-z][.!?](?=\s+[A-Z])")
TITLE_MIN_WORDS = 3  # "HEARING" alone is a header word, not a title


# Words that say what a page is: the header line with one of them is the title.
TITLE_WORDS = re.compile(
    r"\b(?:interview|transcript|conversation|briefing|hearing|q ?& ?a|questions|episode"
    r"|podcast|talks? with|oral history|press conference|in conversation)\b",
    re.IGNORECASE,
)


# Lines that are never a title: where and when it was recorded, a web address, a date.
NOT_A_TITLE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a URL", re.compile(r"(?:https?://|www\.)\S+", re.I)),
    (
        "a venue line",
        re.compile(r"(?:recorded|live|filmed|taped|held)\b.*\b(?:at|in|from)\b.*", re.I),
    ),
    ("a venue line", re.compile(r"(?:location|venue|place|date|time)\s*:.*", re.I)),
    (
        "a date",
        re.compile(r"[\d\s,./-]*(?:\w+\s+)?\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}.*"),
    ),
    ("a byline", re.compile(r"by\s+\S.*", re.I)),
)


def title_from_name(source_name: str) -> str:
    """ "mvp-interview.txt" -> "Mvp Interview"."""
    words = re.split(r"[-_.\s]+", PurePath(source_name).stem)
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or "Untitled"


def not_a_title(text: str) -> str | None:
    for name, pattern in NOT_A_TITLE:
        if pattern.fullmatch(text):
            return name
    return None


def is_header(p: RawParagraph) -> bool:
    """A short line or block of lines with no sentence in it: a page header, not prose."""
    if p.label is not None or p.list_item or p.kind not in ("paragraph", "heading"):
        return False
    return all(
        len(line.split()) <= HEADER_MAX_WORDS and not HEADER_END.search(line) for line in p.lines
    )


def take_title(
    paragraphs: list[RawParagraph], source_name: str, notes: Notes
) -> tuple[str, str, list[RawParagraph]]:
    """(title, byline, remaining paragraphs): the first heading, or a lone first line.

    "Lone" means a paragraph of its own, and not ending like a sentence: "This
    interview was recorded in May." is intro. A venue line, a URL, a date or a
    byline is never the title. Among the header lines at the top of a page
    ("THE WHITE HOUSE / Office of the Press Secretary / Press Briefing by..."),
    the one that says what the page is (a briefing, an interview) wins.
    """
    says_what = _header_saying_what(paragraphs)
    if says_what:
        return title_from(*says_what, paragraphs, notes)
    for index, first in enumerate(paragraphs[:3]):
        if first.label is not None or first.list_item:
            break
        stands_alone = len(first.lines) == 1 and len(paragraphs) > index + 1
        if not (first.kind == "heading" or stands_alone):
            break
        heading = collapse_whitespace(first.text)
        below = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if _in_capitals(heading) and below and below.kind != "rule" and _title_shaped(below):
            # A masthead in capitals ("WESTBROOK SOCIETY NEWSLETTER, No. 58") over the
            # piece's own title in ordinary case: the series, not this piece.
            notes.say(f"line {first.line_no} is not the title: a masthead in capitals")
            continue
        reason = not_a_title(heading)
        if reason:
            notes.say(f"line {first.line_no} is not the title: {reason}")
            continue
        if _names_the_piece(heading, first, paragraphs):
            return title_from(heading, first, paragraphs, notes)
        break
    return title_from_name(source_name), "", paragraphs


def _header_saying_what(paragraphs: list[RawParagraph]) -> tuple[str, RawParagraph] | None:
    """The header line at the top that says what the page is ("Press Briefing by ...")."""
    leading = []
    for p in paragraphs:
        if p.kind == "rule":
            continue
        if not (is_header(p) or p.kind == "heading"):
            break
        leading.append(p)
    says_what = [
        (line, p)
        for p in leading
        if len(p.lines) <= 3
        for line in (p.lines if p.kind != "heading" else (p.text,))
        if TITLE_WORDS.search(line)
        and len(line.split()) >= TITLE_MIN_WORDS
        and not not_a_title(line)
    ]
    # "ORAL HISTORY PROJECT" above "Interview with Margaret Ellison": a line in
    # capitals names the series; the line in ordinary case names this piece.
    return next(((t, q) for t, q in says_what if not t.isupper()), None) or (
        says_what[0] if says_what else None
    )


def _names_the_piece(heading: str, first: RawParagraph, paragraphs: list[RawParagraph]) -> bool:
    """Is this lone first line a title: one short phrase that does not end like a sentence,
    and not one of the questions set the same way?"""
    match = BYLINE.fullmatch(heading)
    title = match["title"] if match else heading
    sentences = len(SENTENCE_BREAK.findall(title)) + 1
    if sentences > 1 and first.kind != "heading":
        return False  # "Thank you for coming. Would you...?" speaks; a title names
    if not title or len(title) > TITLE_MAX_CHARS or NOT_A_TITLE_END.search(title):
        return False
    set_apart = first.kind == "heading" or first.bold or first.italic
    # A question among questions set the same way is one of them, not a title.
    return not ("?" in title and set_apart and same_shape_questions(paragraphs, first) > 1)


CAPITALS_SHARE = 0.75


def _in_capitals(text: str) -> bool:
    """Set in capitals, give or take a "No." or "and": most of its words are."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1]
    return bool(words) and sum(w.isupper() for w in words) >= CAPITALS_SHARE * len(words)


def _title_shaped(p: RawParagraph) -> bool:
    """A lone line in ordinary case that does not end like a sentence."""
    text = collapse_whitespace(p.text)
    return (
        len(p.lines) == 1
        and p.label is None
        and not p.list_item
        and not _in_capitals(text)
        and not NOT_A_TITLE_END.search(text)
        and not HEADER_END.search(text)
        and not not_a_title(text)
    )


def title_from(
    line: str, paragraph: RawParagraph, paragraphs: list[RawParagraph], notes: Notes
) -> tuple[str, str, list[RawParagraph]]:
    heading = collapse_whitespace(line)
    match = BYLINE.fullmatch(heading)
    title, byline = (match["title"], match["byline"]) if match else (heading, "")
    offset = paragraph.lines.index(line) if line in paragraph.lines else 0
    notes.say(f"title from line {paragraph.line_no + offset}")
    rest = [q for q in paragraph.lines if q != line] if paragraph.kind != "heading" else []
    remaining = [p for p in paragraphs if p is not paragraph]
    if rest:
        index = paragraphs.index(paragraph)
        first_line = paragraph.line_no + (1 if offset == 0 else 0)
        remaining.insert(
            index,
            replace(paragraph, text=" ".join(rest), lines=tuple(rest), line_no=first_line),
        )
    return title[:TITLE_MAX_CHARS], byline, remaining


def same_shape_questions(paragraphs: list[RawParagraph], first: RawParagraph) -> int:
    """Questions set like ``first`` (headings, bold or italic paragraphs)."""

    def shape(p: RawParagraph) -> tuple[str, bool, bool]:
        return (p.kind, p.bold, p.italic)

    return sum(1 for p in paragraphs if shape(p) == shape(first) and p.text.endswith("?"))
