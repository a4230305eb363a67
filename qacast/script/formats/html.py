"""An HTML page -> the Markdown text of its article, and what the page says about it.

A saved web page is mostly not the interview: navigation, share bars, ads,
related articles, comments (which often look like dialogue themselves). A
main-content extractor built for that job keeps the article; see
benchmarks/README.md for how trafilatura and readability-lxml compared on
interview pages. Its HTML becomes Markdown (``markdown_out``), so the page
goes through the same parser as a Markdown script. The page's title, date,
author and description (``<title>``, ``og:title``,
``article:published_time``, ``<meta name="author">``) stand in for front
matter the page does not have.

Everything here is offline and deterministic: no URL is fetched, and the
extractor keeps no state between pages.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import re
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import Element
from trafilatura.settings import use_config

from qacast.errors import ScriptError
from qacast.limits import DEFAULT_MAX_SCRIPT_BYTES
from qacast.script.formats.decode import read_script
from qacast.script.formats.markdown_out import html_to_markdown
from qacast.script.front.dates import parse_day
from qacast.script.front.fields import text_or_none
from qacast.script.front.frontmatter import FrontMatter

# Browsers read these labels as Windows-1252 (the WHATWG encoding rules), and
# pages that say latin-1 while using curly quotes are common.
ENCODING_ALIASES: dict[str, str] = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}

# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">,
# which must come in the first 1024 bytes (we look a little further).
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")

# Where a page states its facts, most trusted first: (attribute, value) of a <meta>.
TITLE_META = (("property", "og:title"), ("name", "twitter:title"), ("name", "dc.title"))
DATE_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datepublished"),
    ("property", "og:published_time"),
    ("name", "dc.date.issued"),
    ("name", "dc.date"),
    ("name", "dcterms.date"),
    ("name", "date"),
    ("name", "pubdate"),
)
AUTHOR_META = (
    ("name", "author"),
    ("property", "article:author"),
    ("name", "dc.creator"),
    ("itemprop", "author"),
)
DESCRIPTION_META = (("property", "og:description"), ("name", "description"))

# When the extractor finds no article: where a page keeps its main text, and
# what HTML5 marks as around it.
FALLBACK_MAIN = "(//main | //article | //body)[1]"
FALLBACK_FURNITURE = "//header[not(ancestor::article)] | //footer | //aside | //nav"

# Between a page's title and its site's name in <title>: "Title | Site", "Title - Site".
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


def declared_charset(data: bytes) -> str | None:
    """The encoding a page names for itself; None if none (or one Python does not know)."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(ENCODING_ALIASES.get(label, label)).name
    except LookupError:
        return None  # guessed like a page that declares nothing


def decode_html(path: Path, limit_bytes: int = DEFAULT_MAX_SCRIPT_BYTES) -> str:
    """The page as text, in the encoding it declares (else as read_script guesses)."""
    # XHTML's "<?xml ... encoding=...?>" line: lxml refuses it on text that is
    # already decoded, and it says nothing the decoding did not use.
    text = read_script(path, declared=declared_charset, limit_bytes=limit_bytes)
    return _XML_DECLARATION.sub("", text, count=1)


def _meta(page: Any, names: tuple[tuple[str, str], ...]) -> str | None:
    found: dict[tuple[str, str], str] = {}
    for element in page.iter("meta"):
        for attribute in ("property", "name", "itemprop"):
            key = (attribute, (element.get(attribute) or "").strip().lower())
            content = " ".join((element.get("content") or "").split())
            if key in names and content and key not in found:
                found[key] = content
    return next((found[key] for key in names if key in found), None)


def _title(page: Any) -> str | None:
    title = _meta(page, TITLE_META)
    if title:
        return title
    element = page.find(".//title")
    text = " ".join(element.text_content().split()) if element is not None else ""
    # The article's own heading, when <title> wraps it in a section word or the
    # site's name ("Interview: <h1> – Site"): the heading is what a reader sees.
    headings = [" ".join(h.text_content().split()) for h in page.iter("h1")]
    if len(headings) == 1 and len(headings[0].split()) >= 2 and headings[0] in text:
        return headings[0]
    site = _meta(page, (("property", "og:site_name"),))
    for separator in _TITLE_SEPARATORS:
        # "Five questions - Allotment Notes": the part before the site's name,
        # which is the page's og:site_name or, when it has none, the part no longer than the title.
        head, found, tail = text.rpartition(separator)
        if found and head and (tail == site or (site is None and len(tail) <= len(head))):
            return head.strip()
    return text or None


def _author(page: Any) -> str | None:
    author = _meta(page, AUTHOR_META)
    # Facebook's article:author is often a profile URL, which is no name.
    return None if author is None or author.startswith(("http://", "https://")) else author


def page_front_matter(page: Any) -> FrontMatter:
    """What the page's <head> says: title, date, author, description."""
    date_text = _meta(page, DATE_META)
    return FrontMatter(
        title=text_or_none(_title(page)),
        date=parse_day(date_text) if date_text else None,
        author=text_or_none(_author(page)),
        description=text_or_none(_meta(page, DESCRIPTION_META)),
    )


@functools.cache
def _extractor_settings() -> Any:

    settings = use_config()
    # Below this many characters trafilatura distrusts its article and falls
    # back to all the page's text in one paragraph: a two-exchange interview
    # would lose every turn boundary. A short article is still an article.
    settings.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return settings


def _paragraphs_for_preformatted(page: Any) -> Any:
    """Each <pre> as paragraphs (one per blank-line-separated block, lines kept).

    Oral histories and briefings are often posted as one <pre> of plain text;
    the extractor would keep it as a single block and lose its turns.
    """

    for pre in list(page.iter("pre")):
        replacement = Element("div")
        for block in re.split(r"\n[ \t]*\n", pre.text_content()):
            lines = [line.strip() for line in block.splitlines() if line.strip()]
            if not lines:
                continue
            paragraph = Element("p")
            paragraph.text = lines[0]
            for line in lines[1:]:
                paragraph.append(Element("br"))
                paragraph[-1].tail = line
            replacement.append(paragraph)
        replacement.tail = pre.tail
        pre.getparent().replace(pre, replacement)
    return page


ARTICLE_FOUND = "html: the article as the extractor found it; the rest of the page left out"
NO_ARTICLE = (
    "html: the extractor found no article; read the page's <main>, <article> or <body> "
    "less header, footer, aside and nav"
)


def _main_content(html: str) -> tuple[Any, str]:
    """The article's element, as the extractor sees it (the body when it finds none),
    and a note saying which."""

    extracted = trafilatura.extract(
        # The extractor cleans the tree it is given: it gets a copy of its own.
        _paragraphs_for_preformatted(lxml.html.fromstring(html)),
        config=_extractor_settings(),
        output_format="html",
        include_formatting=True,  # bold labels and questions are the dialogue's shape
        include_comments=False,  # readers' comments are not the interview
        include_images=False,
        include_links=False,
        include_tables=True,
        deduplicate=False,  # no memory between pages: the same page reads the same way
    )
    if extracted:
        return lxml.html.fromstring(extracted), ARTICLE_FOUND
    # Too short for the extractor to call it an article (a bare transcript
    # page): the page's own main part, less its page-wide furniture.
    page = _paragraphs_for_preformatted(lxml.html.fromstring(html))
    for furniture in page.xpath(FALLBACK_FURNITURE):
        furniture.drop_tree()
    main = next(iter(page.xpath(FALLBACK_MAIN)), None)
    return (main if main is not None else page), NO_ARTICLE


def read_html(
    path: Path, *, limit_bytes: int = DEFAULT_MAX_SCRIPT_BYTES
) -> tuple[str, FrontMatter]:
    """The page's article as Markdown, and its <head> facts as stand-in front matter."""

    html = decode_html(path, limit_bytes)
    try:
        page = lxml.html.fromstring(html)
        article, how = _main_content(html)
        text = html_to_markdown(article)
    except (lxml.etree.ParserError, ValueError) as err:
        raise ScriptError(f"{path}: cannot read the HTML page ({err})") from None
    if not text.strip():
        raise ScriptError(f"{path}: the HTML page holds no text")
    return text, dataclasses.replace(page_front_matter(page), notes=(how,))
