"""Small text helpers shared by the parser and the speech cleaner."""

from __future__ import annotations

import html
import re

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
