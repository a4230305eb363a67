"""Front matter at the top of an episode script, as any site generator writes it.

    ---
    title: Building Things Together
    episode: 3
    season: 1
    date: 2024-01-15 10:30:00 +0200
    description: How a habit of taking radios apart became a career.
    keywords: [engineering, careers]      # or "engineering, careers"
    explicit: false
    type: full                            # full, trailer or bonus
    language: en-GB
    lexicon: {FCIPS: eff sips}
    cast:
      NJP: {name: Nestor J. Portillo, role: interviewee, voice: en-us+m3}
    said_by: {"Was that in Iceland": SI}  # and skip, labels, not_labels: see guide.py
    ---
    SI: Welcome to the show...

YAML between ``---`` lines (Jekyll, Hugo, Eleventy, Astro) or TOML between
``+++`` lines (Hugo). A page written for a blog carries that blog's own
fields too (``layout``, ``permalink``, ``weight``...): those are ignored
with a note. Several generators' names for one thing lead to one field
(``summary`` and ``excerpt`` to the description; ``tags`` and ``categories``
join the keywords). A key one or two typing slips away from a known one
(``sesaon``) is refused, naming the field it probably meant: a misspelt
season must not vanish silently.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

from qacast.errors import ScriptError
from qacast.script import fields, guide
from qacast.script.fields import CastEntry, CastFieldError, Converter, NotOurs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["CastEntry", "FrontMatter", "split_front_matter"]


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    episode: int | None = None
    season: int | None = None
    date: dt.date | None = None
    description: str | None = None
    keywords: tuple[str, ...] | None = None
    explicit: bool | None = None
    cast: tuple[CastEntry, ...] = ()
    image: str | None = None  # as written: a path (beside the script) or a URL
    author: str | None = None
    episode_type: str | None = None  # full, trailer or bonus
    language: str | None = None
    lexicon: tuple[tuple[str, str], ...] | None = None  # word -> how to say it
    draft: bool | None = None  # True: build does not publish the episode
    # How to read the text where it leaves a doubt (see qacast/script/guide.py).
    said_by: tuple[tuple[str, str], ...] = ()
    skip: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    not_labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what was ignored, and why (shown by parse -v)
    # Labels a transcription export names as speakers in a field of its own (not a key).
    speakers: frozenset[str] = frozenset()


# Key as written (lower case: Hugo's keys are case-insensitive) -> the field it
# sets and its converter. When several keys set one field, the first in this
# table wins and the others get a note; keywords are merged instead.
KEYS: dict[str, tuple[str, Converter]] = {
    "title": ("title", fields.text),
    "episode": ("episode", fields.positive_int),
    "season": ("season", fields.positive_int),
    "date": ("date", fields.date),
    "pubdate": ("date", fields.date),  # Astro's blog template
    "description": ("description", fields.text),
    "summary": ("description", fields.text),
    "excerpt": ("description", fields.text),
    "keywords": ("keywords", fields.keywords),
    "tags": ("keywords", fields.taxonomy),
    "categories": ("keywords", fields.taxonomy),
    "category": ("keywords", fields.taxonomy),
    "tag": ("keywords", fields.taxonomy),
    "explicit": ("explicit", fields.boolean),
    "cast": ("cast", fields.cast_entries),
    "image": ("image", fields.image),
    "cover": ("image", fields.image),
    "images": ("image", fields.image),
    "heroimage": ("image", fields.image),
    "author": ("author", fields.author),
    "authors": ("author", fields.author),
    "type": ("episode_type", fields.episode_type),
    "language": ("language", fields.language),
    "lang": ("language", fields.language),
    "lexicon": ("lexicon", fields.lexicon),
    "draft": ("draft", fields.boolean),
    "published": ("draft", fields.not_boolean),  # Jekyll: "published: false" is a draft
    "said_by": ("said_by", guide.said_by),
    "skip": ("skip", guide.openings),
    "labels": ("labels", guide.label_words),
    "not_labels": ("not_labels", guide.label_words),
}

PRIORITY = {key: rank for rank, key in enumerate(KEYS)}
MERGED_FIELDS = frozenset({"keywords"})

# Keys of Jekyll, Hugo, Eleventy, Astro, Gatsby and common themes. None of them
# is a misspelling of ours even when it is close to one ("name" and "date",
# "path" and "date"), so they are ignored without suspicion.
OTHER_GENERATORS_KEYS = frozenset(
    """
    layout permalink slug url uri aliases redirect_from redirect_to weight toc
    comments menu menus series lastmod publishdate expirydate linktitle headless
    outputs resources sitemap markup translationkey iscjklanguage build cascade
    eleventynavigation eleventyexcludefromcollections eleventycomputed eleventyimport
    pagination permalinkbypassoutputdir updateddate modified updated last_modified_at
    name path time host id uid guid status template subtitle header hero feature
    featured thumbnail banner share related math mermaid katex mathjax sidebar
    nav_order parent has_children grand_parent canonical canonical_url og_image
    social_image alt caption excerpt_separator reading_time readingtime showtoc
    tocopen hidemeta disableshare searchhidden showreadingtime showbreadcrumbs
    showpostnavlinks showwordcount showrssbuttoninsectionterms hidden pin sticky
    lang_ref ref locale timezone audio duration mp3 enclosure podcast
    """.split()  # noqa: SIM905 - a list of words reads better as words
)


# A block opens on the very first line and closes on a line of its own:
# YAML also closes with "..." (its document end marker).
DELIMITERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "---": ("YAML", ("---", "...")),
    "+++": ("TOML", ("+++",)),
}


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so "2024-13-01" gets our message
    naming the field instead of PyYAML's bare ValueError."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),  # type: ignore[arg-type]
)


def split_front_matter(text: str, *, source_name: str) -> tuple[FrontMatter, str]:
    """Return the front matter (all None when absent) and the text after it."""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    opening = lines[0].rstrip() if lines else ""
    if opening not in DELIMITERS:
        return FrontMatter(), text
    language, closings = DELIMITERS[opening]
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in closings:
            block = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            break
    else:
        raise ScriptError(f"{source_name}: front matter opened with {opening!r} is never closed")
    load = _load_yaml if language == "YAML" else _load_toml
    return _front_matter(load(block, source_name), source_name), body


def _load_yaml(block: str, source_name: str) -> Any:
    try:
        return yaml.load(block, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        # +2: the block starts on the line after the opening "---", and marks are 0-based.
        where = f" line {mark.line + 2}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise ScriptError(
            f"{source_name}:{where} front matter is not valid YAML ({problem})"
        ) from None


def _load_toml(block: str, source_name: str) -> Any:
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError as err:
        # The parser counts lines from the block; the file has "+++" above it.
        message = re.sub(
            r"line (\d+)", lambda m: f"line {int(m.group(1)) + 1}", str(err).splitlines()[0]
        )
        raise ScriptError(f"{source_name}: front matter is not valid TOML ({message})") from None


def _front_matter(data: Any, source_name: str) -> FrontMatter:
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        raise ScriptError(f"{source_name}: front matter must be 'key: value' lines")
    found: dict[str, list[tuple[str, Any]]] = {}
    notes: list[str] = []
    for raw_key, raw in data.items():
        key = str(raw_key).strip().lower()
        if key not in KEYS:
            notes.append(_unknown_key(raw_key, key, source_name))
            continue
        if raw is None:
            continue  # "date:" left empty means not set
        field, converter = KEYS[key]
        try:
            value = converter(raw)
        except NotOurs as verdict:
            notes.append(f"front matter: ignored field {raw_key!r}: {verdict}")
            continue
        except CastFieldError as err:
            raise ScriptError(
                f"{source_name}: front matter field '{err.field}' must {err}, got {err.value!r}"
            ) from None
        except ValueError as err:
            raise ScriptError(
                f"{source_name}: front matter field '{raw_key}' must {err}, got {raw!r}"
            ) from None
        found.setdefault(field, []).append((key, value))
    values: dict[str, Any] = {}
    for field, given in found.items():
        given.sort(key=lambda pair: PRIORITY[pair[0]])
        if field in MERGED_FIELDS:
            values[field] = _merge_words(value for _, value in given)
            continue
        (used_key, values[field]), *unused = given
        notes.extend(
            f"front matter: ignored field {key!r}: {used_key!r} gives the {field}"
            for key, _ in unused
        )
    if values.get("draft"):
        notes.append("front matter: a draft: build does not publish it")
    return FrontMatter(**values, notes=tuple(notes))


def _unknown_key(raw_key: Any, key: str, source_name: str) -> str:
    """The note for a key that is not ours; raises when it looks like a typo of one."""
    if key not in OTHER_GENERATORS_KEYS:
        guess = fields.closest(key, list(KEYS))
        if guess is not None:
            raise ScriptError(
                f"{source_name}: unknown front matter field {raw_key!r}: did you mean {guess!r}?"
            )
    return f"front matter: ignored field {raw_key!r}"


def _merge_words(lists: Any) -> tuple[str, ...]:
    """Every word once, in order, the first spelling kept ("AI" and "ai" are one)."""
    seen: dict[str, str] = {}
    for words in lists:
        for word in words:
            seen.setdefault(word.casefold(), word)
    return tuple(seen.values())
