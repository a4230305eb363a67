"""Small text helpers shared by the file readers, the parser and the speech cleaner."""

from __future__ import annotations

import html
import re
import unicodedata

# Line separators other than \n that editors and exports leave behind.
NEWLINES: tuple[tuple[str, str], ...] = (
    ("\r\n", "\n"),
    ("\r", "\n"),
    ("\u2028", "\n"),
    ("\u2029", "\n\n"),
    ("\x0c", "\n\n"),  # form feed: a page break in old exports
    ("\x85", "\n"),  # NEL, from EBCDIC-era tools
)

# Whitespace controls that belong in text (the line ends among them are rewritten
# by NEWLINES); any other C0/C1 control is a sign of a binary file, or a stray
# byte, tolerated in small numbers.
TEXT_CONTROLS = frozenset("\n\r\t\x0b\x0c\x85")

# Ctrl-Z ends some DOS-era text files; it is not content.
DOS_EOF = "\x1a"


# Markup that may wrap words in pasted transcripts; the words stay, the marks go.
# Order matters: links before brackets, bold before italic.
MARKUP_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<[A-Za-z/!][^<>\n]{0,200}>"), ""),  # <b>, </i>, <br/>, <!-- -->
    (re.compile(r"\[([^\]\n]+)\]\((?:https?://|www\.|mailto:)[^)\s]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)(.+?)(?<=\S)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
)

WHITESPACE = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    # Also folds no-break spaces, which word processors scatter through text.
    return WHITESPACE.sub(" ", text).strip()


def strip_markup(text: str) -> str:
    """Remove HTML tags, entities and markdown emphasis, keeping the words."""
    text = html.unescape(text) if "&" in text else text
    for pattern, replacement in MARKUP_RULES:
        text = pattern.sub(replacement, text)
    return text


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, "…" when cut."""
    text = collapse_whitespace(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and text[limit - 1] != " ":
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def _plain_character(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Zs":
        # No-break and thin spaces (French "Nom\u00a0:", "?\u202f") are spaces to a
        # reader: left in, a label's colon or a sentence's end would not be found.
        return " "
    return "" if category == "Cc" and ch not in TEXT_CONTROLS else ch


def normalise_text(text: str) -> str:
    """Newlines to \\n, every kind of space to " ", Unicode to NFC, stray controls removed."""
    text = text.lstrip("\ufeff").rstrip(DOS_EOF)
    for old, new in NEWLINES:
        text = text.replace(old, new)
    text = "".join(map(_plain_character, text))
    return unicodedata.normalize("NFC", text)
