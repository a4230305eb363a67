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
join the keywords).

Which values are ignored with a note, and which are refused. A producer with
two hundred scripts written for a blog has values qacast cannot read: a date
written in words qacast does not know, a title that is a list, a keyword
mapping. Refusing the whole episode for those would stop a build for
something a listener never misses, so a field whose fact has another source
(``TOLERANT_FIELDS``) is ignored with a note (``qacast parse -v``, ``build -v``)
naming what is used instead: the date the text states at its top, else the
day of the first build; the page's title; the intro as description; the
byline as author; the show's or the detected language; the show's cover.
A value that reads but is wrong (a date in the year 1019) is refused even
there: it is a typo, and ignoring it would publish another date.

The other fields are refused, with one line naming the field, because what
ignoring them publishes is wrong and nobody would notice:
- ``episode``, ``season``: the number is the episode's identity in podcast
  apps and is kept once published; the next free number is another episode's.
- ``explicit``: "maybe" read as false would publish explicit words as clean.
- ``draft``, ``published``: ignoring "maybe" would publish a draft.
- ``cast``: a label that is no speaker, a role or voice that does not exist
  (checked by ``qacast parse`` and ``build``): the person would be named,
  cast or voiced as the producer asked not to.
- ``lexicon``: it exists to fix a word the engine says wrong; ignored, the
  episode says exactly the word the producer wanted fixed.
- ``type``: a value one slip from full, trailer or bonus (``trialer``): a
  trailer would go out as a full episode. Hugo's own ``type: post`` is not
  ours and is ignored.
- a YAML or TOML block that cannot be read at all: no field is known then,
  a draft flag included.
A key one or two typing slips away from a known one is refused when it
names a refused field (``sesaon``: a misspelt season must not vanish) and
ignored with a note naming the field it probably meant otherwise (``titel``).
A YAML comment where a value belongs (``episode: #12``: YAML reads nothing)
is treated the same way as an unreadable value.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

from qacast.errors import ScriptError
from qacast.script.front import dates, fields, guide
from qacast.script.front.fields import CastEntry, CastFieldError, Converter, NotOurs, Unreadable

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
    # The time of day written with the date, aware when a zone was written
    # ("2024-03-04 09:00 +0100"); None for a date alone.
    time: dt.time | None = None
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
    # How to read the text where it leaves a doubt (see guide.py).
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
    "episode": ("episode", fields.episode_number),
    "season": ("season", fields.season_number),
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
    "explicit": ("explicit", fields.explicit),
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

# Fields an unreadable value of is ignored with a note (the module docstring
# says why these and no others) -> what gives the fact instead.
TOLERANT_FIELDS: dict[str, str] = {
    "title": "the title the page gives (its first heading, else the file name)",
    "date": "the date the text states at its top, else the day of the first build",
    "description": "the intro",
    "keywords": "the other keyword fields, if any",
    "image": "the show's cover",
    "author": "the byline, if any",
    "language": "the show's language, or the one the words are in",
}
NOTE = "front matter: "  # every note front matter writes starts so (build -v shows them)

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


def split_front_matter(
    text: str, *, source_name: str, language: str | None = None
) -> tuple[FrontMatter, str]:
    """Return the front matter (all None when absent) and the text after it.

    ``language``: the show's, when it sets one; with the front matter's own
    it says how a numeric date such as 04/03/2019 reads.
    """
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    opening = lines[0].rstrip() if lines else ""
    if opening not in DELIMITERS:
        return FrontMatter(), text
    syntax, closings = DELIMITERS[opening]
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in closings:
            block = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            break
    else:
        raise ScriptError(f"{source_name}: front matter opened with {opening!r} is never closed")
    data = (_load_yaml if syntax == "YAML" else _load_toml)(block, source_name)
    commented = _commented_keys(block) if syntax == "YAML" else {}
    return _front_matter(data, source_name, language, commented), body


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


def _front_matter(
    data: Any, source_name: str, language: str | None, commented: dict[str, str]
) -> FrontMatter:
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        raise ScriptError(f"{source_name}: front matter must be 'key: value' lines")
    hints = _date_hints(data, language)
    found: dict[str, list[tuple[str, Any]]] = {}
    notes: list[str] = []
    for raw_key, raw in data.items():
        key = str(raw_key).strip().lower()
        if key not in KEYS:
            notes.append(_unknown_key(raw_key, key, source_name))
            continue
        field, converter = KEYS[key]
        if raw is None:  # "date:" left empty means not set
            if key in commented:
                notes.append(_commented_out(field, raw_key, commented[key], source_name))
            continue
        try:
            value = fields.date(raw, **hints) if field == "date" else converter(raw)
        except NotOurs as verdict:
            notes.append(f"{NOTE}ignored field {raw_key!r}: {verdict}")
            continue
        except CastFieldError as err:
            raise ScriptError(
                f"{source_name}: front matter field '{err.field}' must {err}, got {err.value!r}"
            ) from None
        except Unreadable as err:
            notes.append(_unreadable(field, raw_key, raw, err, source_name))
            continue
        except ValueError as err:
            raise ScriptError(
                f"{source_name}: front matter field '{raw_key}' must {err}, got {raw!r}"
            ) from None
        if field == "date" and isinstance(raw, str):
            reading = dates.ambiguity(raw, hints["day_first"])
            if reading:
                day = value.date() if isinstance(value, dt.datetime) else value
                notes.append(f"{NOTE}date {raw!r} read as {day.isoformat()} ({reading})")
        found.setdefault(field, []).append((key, value))
    values = _chosen(found, notes)
    moment = values.get("date")
    if isinstance(moment, dt.datetime):  # the day as written, in its own zone; its time apart
        values["date"], values["time"] = moment.date(), moment.timetz()
    if values.get("draft"):
        notes.append(f"{NOTE}a draft: build does not publish it")
    return FrontMatter(**values, notes=tuple(notes))


def _chosen(found: dict[str, list[tuple[str, Any]]], notes: list[str]) -> dict[str, Any]:
    """Each field's value: the first key of the table that gives it, or all keywords merged."""
    values: dict[str, Any] = {}
    for field, given in found.items():
        given.sort(key=lambda pair: PRIORITY[pair[0]])
        if field in MERGED_FIELDS:
            values[field] = _merge_words(value for _, value in given)
            continue
        (used_key, values[field]), *unused = given
        notes.extend(
            f"{NOTE}ignored field {key!r}: {used_key!r} gives the {field}" for key, _ in unused
        )
    return values


def _date_hints(data: dict[Any, Any], show_language: str | None) -> dict[str, Any]:
    """How a date reads: in the front matter's own language, else the show's."""
    own = next((v for k, v in data.items() if str(k).strip().lower() in ("language", "lang")), None)
    language = own.strip() if isinstance(own, str) and own.strip() else show_language
    return {"day_first": dates.day_first_in(language), "language": language}


def _unreadable(field: str, raw_key: Any, raw: Any, err: ValueError, source_name: str) -> str:
    """The note for a value qacast cannot read; raises for a field that must not be ignored."""
    if field not in TOLERANT_FIELDS:
        raise ScriptError(f"{source_name}: front matter field '{raw_key}' must {err}, got {raw!r}")
    return (
        f"{NOTE}ignored field {raw_key!r}: it must {err}, got {raw!r}; "
        f"{TOLERANT_FIELDS[field]} is used instead"
    )


# A top-level key whose value starts with "#": YAML reads a comment and no value.
_COMMENTED = re.compile(r"^(?P<key>[^\s#:][^:#]*?)\s*:\s+(?P<comment>#.*?)\s*$", re.MULTILINE)


def _commented_keys(block: str) -> dict[str, str]:
    """Key (lower case) -> the comment YAML read where its value was written."""
    return {m["key"].strip().lower(): m["comment"] for m in _COMMENTED.finditer(block)}


def _commented_out(field: str, raw_key: Any, comment: str, source_name: str) -> str:
    if field not in TOLERANT_FIELDS:
        raise ScriptError(
            f"{source_name}: front matter field '{raw_key}' has no value: YAML reads "
            f"{comment!r} as a comment; quote it ({raw_key}: \"{comment}\") or leave out the '#'"
        )
    return (
        f"{NOTE}ignored field {raw_key!r}: YAML reads {comment!r} as a comment, not a value; "
        f"{TOLERANT_FIELDS[field]} is used instead"
    )


def _unknown_key(raw_key: Any, key: str, source_name: str) -> str:
    """The note for a key that is not ours; raises when it looks like a typo of a field
    that must not be ignored."""
    guess = None if key in OTHER_GENERATORS_KEYS else fields.closest(key, list(KEYS))
    if guess is None:
        return f"{NOTE}ignored field {raw_key!r}"
    if KEYS[guess][0] not in TOLERANT_FIELDS:
        raise ScriptError(
            f"{source_name}: unknown front matter field {raw_key!r}: did you mean {guess!r}?"
        )
    return f"{NOTE}ignored field {raw_key!r} (did you mean {guess!r}?)"


def _merge_words(lists: Any) -> tuple[str, ...]:
    """Every word once, in order, the first spelling kept ("AI" and "ai" are one)."""
    seen: dict[str, str] = {}
    for words in lists:
        for word in words:
            seen.setdefault(word.casefold(), word)
    return tuple(seen.values())
