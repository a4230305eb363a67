"""An HTML fragment -> the Markdown the script parser reads.

Only what carries an interview's shape survives: paragraphs (blank line
between), headings (``###`` for ``<h3>``), bold (``**...**``, where labels and
questions live), italics (``*...*``: a paragraph set in italics is a
question as often as a bold one), list items (``- ``) and line breaks. Links
keep their text; images, forms, scripts and the like are dropped.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html

HEADING_LEVELS: dict[str, int] = {f"h{level}": level for level in range(1, 7)}

BOLD_TAGS = frozenset({"b", "strong"})
ITALIC_TAGS = frozenset({"i", "em"})

# Elements whose content is never part of the text.
SKIPPED_TAGS = frozenset(
    """
    script style noscript template head title meta link nav form button input select
    textarea option iframe svg canvas img picture source video audio object embed map
    """.split()  # noqa: SIM905 - a list of tag names reads better as words
)

# Elements that start and end a block of text (a paragraph break before and after).
BLOCK_TAGS = frozenset(
    """
    p div section article main header footer aside blockquote figure figcaption
    table thead tbody tfoot tr td th caption dl dt dd ul ol li center address
    details summary fieldset hgroup body html hr
    """.split()  # noqa: SIM905
)

# A table row read as a turn: two cells, the first short enough to be a
# speaker ("CHAIR WEBB", "MS. ORTIZ", "Q:") and not ending like a sentence.
_LABEL_CELL = re.compile(r"[^\n]{0,39}[^\s.!?]:?")
LABEL_CELL_WORDS = 5


def row_as_turn(cells: list[str]) -> str | None:
    """ "Speaker: words" for a two-cell row of speaker and words; None otherwise."""
    cells = [cell for cell in cells if cell]
    if (
        len(cells) == 2
        and _LABEL_CELL.fullmatch(cells[0])
        and len(cells[0].split()) <= LABEL_CELL_WORDS
    ):
        return f"{cells[0].rstrip(':').strip()}: {cells[1]}"
    return None


_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")

# A line break inside a paragraph is written as this mark, which no text holds.
_BREAK = "\x00"


def _tag(element: Any) -> str:
    # Comments and processing instructions have a callable tag; they hold no text.
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _has_block(element: Any) -> bool:
    return any(_tag(child) in BLOCK_TAGS for child in element.iterdescendants())


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.prefix = ""  # "- " for the first block of a list item

    def text(self, text: str | None) -> None:
        if text:
            self.inline.append(_SPACES.sub(" ", text))

    def flush(self) -> None:
        """End the current block; two line breaks in a row end a paragraph too."""
        lines = [line.strip() for line in "".join(self.inline).split(_BREAK)]
        self.inline = []
        paragraph: list[str] = []
        for line in [*lines, ""]:
            if line:
                paragraph.append(line)
            elif paragraph:
                self.blocks.append(self.prefix + "\n".join(paragraph))
                self.prefix, paragraph = "", []

    def walk(self, element: Any) -> None:
        tag = _tag(element)
        if tag in SKIPPED_TAGS or not tag:
            self.text(element.tail)
            return
        if tag in HEADING_LEVELS:
            self.flush()
            words = _SPACES.sub(" ", element.text_content()).strip()
            if words:
                self.blocks.append(f"{'#' * HEADING_LEVELS[tag]} {words}")
        elif tag == "pre":
            self.flush()
            for block in re.split(r"\n\s*\n", element.text_content()):
                lines = [line.rstrip() for line in block.strip("\n").splitlines() if line.strip()]
                if lines:
                    self.blocks.append("\n".join(line.strip() for line in lines))
        elif tag == "tr" and self._table_row(element):
            pass
        elif tag == "br":
            self.inline.append(_BREAK)
        elif tag in BOLD_TAGS and not _has_block(element):
            self._emphasis(element, BOLD_TAGS, "**")
        elif tag in ITALIC_TAGS and not _has_block(element):
            self._emphasis(element, ITALIC_TAGS, "*")
        else:
            block = tag in BLOCK_TAGS
            if block:
                self.flush()
                if tag == "li":
                    self.prefix = "- "
                elif tag == "dt":
                    # A definition list's terms are its questions: written bold.
                    self._emphasis(element, BOLD_TAGS, "**")
                    self.flush()
                    self.text(element.tail)
                    return
            self.text(element.text)
            for child in element:
                self.walk(child)
            if block:
                self.flush()
        self.text(element.tail)

    def _table_row(self, row: Any) -> bool:
        """A row of column headings (dropped), or a turn; False for any other row."""
        cells = [cell for cell in row if _tag(cell) in ("td", "th")]
        if cells and all(_tag(cell) == "th" for cell in cells):
            self.flush()
            return True  # "Speaker | Text": headings, not words anyone said
        turn = row_as_turn([_SPACES.sub(" ", cell.text_content()).strip() for cell in cells])
        if turn is None or any(_has_block(cell) for cell in cells):
            return False
        self.flush()
        self.blocks.append(turn)
        return True

    def _emphasis(self, element: Any, same: frozenset[str], marker: str) -> None:
        inner = _Writer()
        inner.text(element.text)
        for child in element:
            if _tag(child) in same:  # <b><strong>x</strong></b> is bold once
                inner.text(child.text_content())
                inner.text(child.tail)
            else:
                inner.walk(child)
        words = "".join(inner.inline)
        core = words.strip(" " + _BREAK)
        if not core:
            self.inline.append(words)
            return
        # Spaces go outside the markers: "** A:**" is not bold in Markdown.
        start = words.index(core)
        self.inline.append(f"{words[:start]}{marker}{core}{marker}{words[start + len(core) :]}")


def html_to_markdown(root: Any) -> str:
    """Markdown text for an lxml element (a whole page or the extracted article)."""
    writer = _Writer()
    writer.walk(root)
    writer.flush()
    text = ""
    previous = ""
    for block in writer.blocks:
        # Items of one list stay together, one per line (a "tight" list).
        joint = "\n" if previous.startswith("- ") and block.startswith("- ") else "\n\n"
        text += (joint if text else "") + block
        previous = block
    return text + "\n" if text else ""


def fragment_to_markdown(html: str) -> str:
    """Markdown text for an HTML string."""

    if not html.strip():
        return ""
    return html_to_markdown(lxml.html.fromstring(html))


# A chunk of a Markdown file that is HTML: it opens with a block element's tag.
_HTML_CHUNK = re.compile(
    r"\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|table|section|article|dl|figure)\b[^>]*>", re.I
)
_CHUNKS = re.compile(r"\n[ \t]*\n")


def html_blocks_as_markdown(text: str) -> str:
    """Markdown whose paragraphs are written as HTML (``<p><strong>Q?</strong></p>``, as
    blog engines store posts) with those paragraphs as Markdown, so their bold and
    headings reach the reader as structure; Markdown paragraphs stay as they are."""
    if "<" not in text:
        return text
    chunks = _CHUNKS.split(text)
    if not any(_HTML_CHUNK.match(chunk) for chunk in chunks):
        return text
    converted = [
        fragment_to_markdown(chunk).strip() if _HTML_CHUNK.match(chunk) else chunk
        for chunk in chunks
    ]
    return "\n\n".join(chunk for chunk in converted if chunk.strip()) + "\n"
