"""Script text -> frozen blocks, read by a CommonMark parser (markdown-it-py).

Headings, emphasis, lists, block quotes, links, images, HTML and breaks
arrive as structure, so no markup character reaches the turn grammar: a block
carries its text lines without markup, where each line came from in the file,
and whether the whole line was bold or italic (a bold paragraph is often the
question in magazine layouts).

Plain-text transcripts take the same path, with two CommonMark readings
turned off or undone because they lose or bend dialogue:

* indented code: transcripts indented by four spaces are text, so the rule
  that would make them code is disabled and they read as paragraphs;
* ordered lists that start with a year ("1993. That year..."): a list number
  of three digits or more is put back in front of the text as prose.

Lines the parser consumed without a block (link reference definitions, and
the translation-project headers written in that syntax) are reported as
dropped, with their line numbers, so the decisions stay visible.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

BlockKind = Literal["heading", "paragraph", "item", "code", "html", "rule"]

# An ordered-list number this long is a year or an amount, not a list item.
MAX_LIST_NUMBER_DIGITS = 2
HTML_TAG = re.compile(r"<[^<>]*>")
HTML_TAG_NAME = re.compile(r"</?([A-Za-z][\w-]*)|<!--")
# Inline tags that format text; any other "<word>" is text ("<nick>" in a chat log).
HTML_TAG_WORDS = """
    a abbr b bdi bdo big br cite code del dfn em font i img ins kbd mark q s samp small span
    strike strong sub sup time u var wbr
"""
HTML_TAGS = frozenset(HTML_TAG_WORDS.split())
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Line:
    """One line of a block, markup removed."""

    text: str
    line_no: int  # 1-based, in the text given to the parser
    bold: bool = False  # every word of the line is strong
    italic: bool = False  # every word of the line is emphasised
    indented: bool = False  # the source line starts with whitespace
    lead_mark: str = ""  # the text of a bold or italic span that opens the line


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    lines: tuple[Line, ...]
    level: int = 0  # heading level, 1-6
    quoted: bool = False  # inside a block quote
    link_only: bool = False  # the block is one link and nothing else (a card, a TOC entry)
    anchor_link: bool = False  # ... and that link points inside the page ("#part-2")
    by_image: bool = False  # the block holds an image, or follows a block that is one

    @property
    def line_no(self) -> int:
        return self.lines[0].line_no if self.lines else 0

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def bold(self) -> bool:
        return bool(self.lines) and all(line.bold for line in self.lines)


@dataclass(frozen=True)
class Dropped:
    line_no: int
    text: str
    rule: str


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    dropped: tuple[Dropped, ...]


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").disable("code").enable("table")


_MD = _parser()


class _LineBuilder:
    """Accumulates inline tokens into lines, tracking emphasis per character run."""

    def __init__(self, first_line: int, source: list[str]) -> None:
        self.lines: list[Line] = []
        self.first_line = first_line
        self.source = source
        self.parts: list[tuple[str, bool, bool]] = []  # (text, strong, em)
        self.strong = 0
        self.em = 0
        self.link_count = 0
        self.other_text = False
        self.anchor = False

    def add(self, text: str) -> None:
        if text:
            self.parts.append((text, self.strong > 0, self.em > 0))

    def end_line(self) -> None:
        text = "".join(t for t, _, _ in self.parts)
        stripped = text.strip()
        line_no = self.first_line + len(self.lines)
        words = [(t, s, e) for t, s, e in self.parts if t.strip()]
        lead = ""
        if words and (words[0][1] or words[0][2]):
            lead = "".join(t for t, _, _ in _leading(self.parts)).strip()
        raw = self.source[line_no - 1] if 0 < line_no <= len(self.source) else ""
        self.lines.append(
            Line(
                text=stripped,
                line_no=line_no,
                bold=bool(words) and all(s for _, s, _ in words),
                italic=bool(words) and all(e for _, _, e in words),
                indented=raw[:1].isspace(),
                lead_mark=lead,
            )
        )
        self.parts = []


def _leading(parts: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
    """The emphasised (bold or italic) parts that open a line."""
    lead: list[tuple[str, bool, bool]] = []
    for part in parts:
        if not (part[1] or part[2]) and part[0].strip():
            break
        lead.append(part)
    return lead


def _inline_lines(token: Token, source: list[str]) -> tuple[list[Line], bool, bool]:
    """Lines of an inline token; and whether it is a single link (to an anchor)."""
    assert token.map is not None
    builder = _LineBuilder(token.map[0] + 1, source)
    in_link = 0
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            builder.add(child.content)
            if not in_link and child.content.strip():
                builder.other_text = True
        elif kind in ("softbreak", "hardbreak"):
            builder.end_line()
        elif kind == "strong_open":
            builder.strong += 1
        elif kind == "strong_close":
            builder.strong -= 1
        elif kind == "em_open":
            builder.em += 1
        elif kind == "em_close":
            builder.em -= 1
        elif kind == "link_open":
            in_link += 1
            builder.link_count += 1
            builder.anchor = str(child.attrs.get("href", "")).startswith("#")
        elif kind == "link_close":
            in_link -= 1
        elif kind == "html_inline":
            name = HTML_TAG_NAME.match(child.content)
            if child.content.lower().startswith("<br"):
                builder.end_line()
            elif not name or name.group(1).lower() not in HTML_TAGS:
                builder.add(child.content)  # "<mbaraka>" in an IRC log is a nick, not a tag
        # images are dropped: their alt text describes a picture, it is not said
    builder.end_line()
    link_only = builder.link_count == 1 and not builder.other_text
    return builder.lines, link_only, link_only and builder.anchor


def _plain_lines(content: str, first_line: int, source: list[str]) -> list[Line]:
    lines = []
    for offset, text in enumerate(content.split("\n")):
        line_no = first_line + offset
        raw = source[line_no - 1] if 0 < line_no <= len(source) else ""
        lines.append(Line(text.strip(), line_no, indented=raw[:1].isspace()))
    return lines


def _html_lines(content: str, first_line: int, source: list[str]) -> list[Line]:
    # Keep the words of an HTML block, drop its tags and comments; line numbers
    # are kept by blanking comments line by line.
    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group().count("\n")

    text = HTML_COMMENT.sub(blank, content)
    return [
        Line(HTML_TAG.sub(" ", line.text).strip(), line.line_no)
        for line in _plain_lines(text, first_line, source)
    ]


@dataclass(frozen=True)
class Row:
    line_no: int
    cells: tuple[str, ...]
    header: bool


SPEAKER_CELL = re.compile(r"[A-ZÀ-ÖØ-Þ][\w.'’ -]{0,40}")
SPEAKER_CELL_MAX_WORDS = 5


def _speaker_column(rows: list[Row]) -> int | None:
    """The column of a table that names who speaks: short names, some of them recurring."""
    body = [row for row in rows if not row.header]
    width = min((len(row.cells) for row in body), default=0)
    for column in range(width):
        values = [row.cells[column].strip() for row in body]
        names = all(
            SPEAKER_CELL.fullmatch(v) and len(v.split()) <= SPEAKER_CELL_MAX_WORDS for v in values
        )
        if names and len(body) >= 2 and len(set(values)) < len(values):
            return column
    return None


def table_blocks(rows: list[Row]) -> tuple[list[Block], list[Dropped]]:
    """A table with a column of speakers is dialogue, one turn a row ("Name: words");
    any other table (an episode guide, a list of links) is page furniture."""
    speaker = _speaker_column(rows)
    if speaker is None:
        return [], [Dropped(r.line_no, "| " + " | ".join(r.cells) + " |", "table") for r in rows]
    blocks, dropped = [], []
    for row in rows:
        if row.header:
            dropped.append(Dropped(row.line_no, " | ".join(row.cells), "table header"))
            continue
        # The words: the longest other cell (a time column is left out).
        text = max((c for i, c in enumerate(row.cells) if i != speaker), key=len, default="")
        line = Line(f"{row.cells[speaker].strip()}: {text.strip()}", row.line_no)
        blocks.append(Block("paragraph", (line,)))
    return blocks, dropped


def read_blocks(text: str) -> Document:
    """Parse ``text`` (CommonMark) into blocks of plain lines."""
    reader = _TokenReader(text.split("\n"))
    for token in _MD.parse(text):
        if token.map:
            reader.covered.update(range(token.map[0] + 1, token.map[1] + 1))
        if reader.table is not None and token.type != "table_close":
            reader.table_token(token)
            continue
        handle = _HANDLERS.get(token.type)
        if handle:
            handle(reader, token)
    return reader.document()


class _TokenReader:
    """The state of a walk through markdown-it's tokens, and what each token does to it."""

    def __init__(self, source: list[str]) -> None:
        self.source = source
        self.blocks: list[Block] = []
        self.dropped: list[Dropped] = []
        self.covered: set[int] = set()  # source lines some token stood for
        self.quoted = 0  # block quotes open
        self.in_item: list[str] = []  # the list number of each open item ("" for bullets)
        self.prefix = ""  # a year read as a list number, to put back in front of the text
        self.heading_level = 0
        self.pending_rule: Block | None = None  # the underline of a setext non-heading
        self.image_above = False  # the last inline content was an image alone
        self.table: list[Row] | None = None
        self.cells: list[str] = []
        self.row_line, self.in_head = 0, False

    def document(self) -> Document:
        dropped = self.dropped + [
            Dropped(number, line.strip(), "link reference definition")
            for number, line in enumerate(self.source, start=1)
            if line.strip() and number not in self.covered
        ]
        dropped.sort(key=lambda d: d.line_no)
        return Document(tuple(b for b in self.blocks if b.lines), tuple(dropped))

    def table_token(self, token: Token) -> None:
        assert self.table is not None
        if token.type == "tr_open":
            self.cells = []
            self.row_line = token.map[0] + 1 if token.map else 0
        elif token.type == "inline":
            lines = _inline_lines(token, self.source)[0]
            self.cells.append(" ".join(line.text for line in lines))
        elif token.type == "tr_close":
            header = not self.table and self.in_head
            self.table.append(Row(self.row_line, tuple(self.cells), header=header))
        elif token.type in ("thead_open", "thead_close"):
            self.in_head = token.type == "thead_open"

    def table_open(self, token: Token) -> None:
        self.table = []

    def table_close(self, token: Token) -> None:
        rows, dropped = table_blocks(self.table or [])
        self.blocks += rows
        self.dropped += dropped
        self.table = None

    def quote(self, token: Token) -> None:
        self.quoted += 1 if token.type == "blockquote_open" else -1

    def item_open(self, token: Token) -> None:
        number = token.info
        if number and len(number) > MAX_LIST_NUMBER_DIGITS:
            self.in_item.append("")  # a year: prose, the number goes back in front
            self.prefix = f"{number}{token.markup} "
        else:
            self.in_item.append("item")

    def item_close(self, token: Token) -> None:
        self.in_item.pop()

    def heading_open(self, token: Token) -> None:
        self.heading_level = int(token.tag[1:])
        if token.markup in ("-", "=") and token.map and token.map[1] - token.map[0] > 2:
            # Several lines over "---": plain text above a rule, not a heading.
            self.heading_level = 0
            underline = token.map[1]
            line = Line(self.source[underline - 1].strip(), underline)
            self.pending_rule = Block("rule", (line,))

    def heading_close(self, token: Token) -> None:
        self.heading_level = 0
        if self.pending_rule:
            self.blocks.append(self.pending_rule)
            self.pending_rule = None

    def inline(self, token: Token) -> None:
        lines, link_only, anchor = _inline_lines(token, self.source)
        has_image = any(c.type == "image" for c in token.children or [])
        if not any(line.text for line in lines):
            if has_image:
                self.dropped.append(Dropped(lines[0].line_no, token.content.strip(), "image"))
                self.image_above = True
            return
        if self.prefix and lines:
            first = lines[0]
            lines[0] = Line(self.prefix + first.text, first.line_no, indented=first.indented)
            self.prefix = ""
        in_list = self.in_item and self.in_item[-1] == "item"
        kind: BlockKind = "heading" if self.heading_level else "item" if in_list else "paragraph"
        by_image = has_image or self.image_above
        block = Block(
            kind, tuple(lines), self.heading_level, self.quoted > 0, link_only, anchor, by_image
        )
        self.blocks.append(block)
        self.image_above = False

    def fence(self, token: Token) -> None:
        assert token.map is not None
        lines = _plain_lines(token.content.rstrip("\n"), token.map[0] + 2, self.source)
        self.blocks.append(Block("code", tuple(lines)))

    def html_block(self, token: Token) -> None:
        assert token.map is not None
        lines = _html_lines(token.content.rstrip("\n"), token.map[0] + 1, self.source)
        self.blocks.append(Block("html", tuple(lines), quoted=self.quoted > 0))

    def rule(self, token: Token) -> None:
        assert token.map is not None
        line_no = token.map[0] + 1
        self.blocks.append(Block("rule", (Line(self.source[line_no - 1].strip(), line_no),)))


# markdown-it token type -> what it does to the blocks being read.
_HANDLERS: dict[str, Callable[[_TokenReader, Token], None]] = {
    "table_open": _TokenReader.table_open,
    "table_close": _TokenReader.table_close,
    "blockquote_open": _TokenReader.quote,
    "blockquote_close": _TokenReader.quote,
    "list_item_open": _TokenReader.item_open,
    "list_item_close": _TokenReader.item_close,
    "heading_open": _TokenReader.heading_open,
    "heading_close": _TokenReader.heading_close,
    "inline": _TokenReader.inline,
    "fence": _TokenReader.fence,
    "html_block": _TokenReader.html_block,
    "hr": _TokenReader.rule,
}
