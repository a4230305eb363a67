"""A Word document (.docx) -> Markdown script text, and its title, author and date.

Paragraphs are read in order, through python-docx. Their shape is what
carries an interview in Word: headings, bold questions, bold speaker labels
("**Jane:** rest of the answer"), lists, and paragraphs wholly in italics
(editorial notes). Other italics and fonts are dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import OpcError
from docx.table import Table
from lxml.etree import LxmlError

from qacast.errors import ScriptError
from qacast.limits import DEFAULT_MAX_SCRIPT_BYTES
from qacast.script.formats.decode import read_bytes
from qacast.script.formats.markdown_out import row_as_turn
from qacast.script.front.fields import text_or_none
from qacast.script.front.frontmatter import FrontMatter

# Paragraph style name -> Markdown heading marks.
HEADING_STYLES: dict[str, str] = {"Title": "#", **{f"Heading {n}": "#" * n for n in range(1, 7)}}

# What python-docx's own blank template says about every document made from
# it: not facts about the interview.
TEMPLATE_AUTHORS = frozenset({"python-docx"})
TEMPLATE_CREATED = dt.datetime(2013, 12, 23, 23, 15, tzinfo=dt.timezone.utc)


def _is_list(paragraph: Any) -> bool:
    style = paragraph.style.name if paragraph.style is not None else ""
    properties = paragraph._p.pPr  # numbering lives in the XML, not in the API
    return style.startswith("List") or (properties is not None and properties.numPr is not None)


def _is_bold(run: Any) -> bool:
    return bool(run.bold) or (run.style is not None and run.style.name == "Strong")


def _is_bold_piece(piece: Any) -> bool:
    """A run, or a hyperlink whose runs are all bold."""
    runs = getattr(piece, "runs", None)
    if runs is not None:
        return bool(runs) and all(_is_bold(run) for run in runs)
    return _is_bold(piece)


def _bolded(text: str) -> str:
    # Spaces go outside the markers: "**Jane: **" is not bold in Markdown.
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return f"{text[:start]}**{core}**{text[start + len(core) :]}"


def paragraph_markdown(paragraph: Any) -> str:
    """One paragraph as Markdown: heading, list item, bold line or bold label."""
    text = paragraph.text
    if not text.strip():
        return ""
    style = paragraph.style.name if paragraph.style is not None else ""
    if style in HEADING_STYLES:
        return f"{HEADING_STYLES[style]} {' '.join(text.split())}"
    runs = [(piece.text, _is_bold_piece(piece)) for piece in paragraph.iter_inner_content()]
    runs = [(piece, bold) for piece, bold in runs if piece]
    # Bold runs at the start make the label (or, when all are bold, the line).
    lead = 0
    while lead < len(runs) and (runs[lead][1] or not runs[lead][0].strip()):
        lead += 1
    head = "".join(t for t, _ in runs[:lead])
    rest = "".join(t for t, _ in runs[lead:])
    line = _bolded(head) + rest if head.strip() else rest
    line = "\n".join(part.strip() for part in line.strip().split("\n"))
    if not head.strip() and "\n" not in line and _all_italic(paragraph):
        line = f"*{line}*"  # an italic note ("Edited for length.") stays set apart
    return f"- {line}" if _is_list(paragraph) else line


def _all_italic(paragraph: Any) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.italic for run in runs)


def _row_markdown(row: Any) -> str:
    cells = [" ".join(cell.text.split()) for cell in row.cells]
    # A merged cell appears once per column it spans.
    cells = [cell for i, cell in enumerate(cells) if cell and cell not in cells[:i]]
    return row_as_turn(cells) or " ".join(cells)


def _blocks(document: Any) -> Iterator[str]:

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            yield from (_row_markdown(row) for row in item.rows)
        else:
            yield paragraph_markdown(item)


def document_markdown(document: Any) -> str:
    text = ""
    previous = ""
    for block in _blocks(document):
        if not block.strip():
            continue
        # Items of one list stay together, one per line (a "tight" list).
        joint = "\n" if previous.startswith("- ") and block.startswith("- ") else "\n\n"
        text += (joint if text else "") + block
        previous = block
    return text + "\n" if text else ""


def document_front_matter(document: Any) -> FrontMatter:
    """Title, author and creation day from the document's properties."""
    properties = document.core_properties
    title = text_or_none(" ".join((properties.title or "").split()))
    author = text_or_none(" ".join((properties.author or "").split()))
    created = properties.created
    return FrontMatter(
        title=title,
        author=None if author in TEMPLATE_AUTHORS else author,
        date=created.date() if created and created != TEMPLATE_CREATED else None,
    )


def read_docx(
    path: Path, *, limit_bytes: int = DEFAULT_MAX_SCRIPT_BYTES
) -> tuple[str, FrontMatter]:

    data = read_bytes(path, limit_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        text = document_markdown(document)
        facts = document_front_matter(document)
    except (OpcError, zipfile.BadZipFile, LxmlError, KeyError, ValueError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise ScriptError(f"{path}: not a readable .docx file ({reason})") from None
    if not text.strip():
        raise ScriptError(f"{path}: the Word document holds no text")
    return text, facts
