"""Optional YAML front matter at the top of an episode script.

    ---
    title: Building Things Together
    episode: 3
    season: 1
    date: 2024-01-15
    description: How a habit of taking radios apart became a career.
    keywords: [engineering, careers]      # or "engineering, careers"
    explicit: false
    cast:
      NJP: {name: Nestor J. Portillo, role: interviewee, voice: en-us+m3}
    ---
    SI: Welcome to the show...

Each key is declared once in ``FIELDS`` with its converter. Unknown keys are
errors: a misspelt ``sesaon`` must not vanish silently. Cast entries override
what the script parser infers from the text, one attribute at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import yaml

from qacast.config import NOT_XML_CHARS
from qacast.errors import ScriptError
from qacast.models import ROLES, Role

# A block opens with "---" on the very first line and closes with "---" or
# "..." (YAML's document end marker) on a line of its own.
_OPEN = "---"
_CLOSE = ("---", "...")


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so "2024-13-01" gets our message
    naming the field instead of PyYAML's bare ValueError."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),  # type: ignore[arg-type]
)


@dataclass(frozen=True)
class CastEntry:
    label: str  # the speaker label as written in the script ("NJP")
    name: str | None = None  # None: keep the name found in the text
    role: Role | None = None  # None: keep the inferred role
    voice: str | None = None  # an engine voice such as "en-gb+m3"; None: the cast preset decides


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


# --- converters: raw YAML value -> field value, or ValueError finishing "must ..." ---

Converter = Callable[[Any], Any]


def _text(value: Any) -> str:
    # YAML reads "title: 1984" as an int; a title is still text.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("be text")
    text = str(value).strip()
    if not text:
        raise ValueError("not be empty")
    if NOT_XML_CHARS.search(text):
        # YAML's "\x01" escapes reach here; the feed (XML) cannot carry them.
        raise ValueError("hold no control characters")
    return text


def _positive_int(value: Any) -> int:
    # bool is an int subclass: "episode: yes" must not become 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("be a whole number from 1 up")
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError("be a date like 2024-01-15")


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise ValueError("be a list or a comma-separated string")
    if any(
        not isinstance(item, (str, int, float))
        or isinstance(item, bool)
        or NOT_XML_CHARS.search(str(item))
        for item in items
    ):
        raise ValueError("hold only words")
    return tuple(word for word in (str(item).strip() for item in items) if word)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("be true or false")
    return value


def _role(value: Any) -> Role:
    if value not in ROLES:
        raise ValueError(f"be one of {', '.join(ROLES)}")
    return cast(Role, value)


class _CastFieldError(ValueError):
    """A cast attribute that is wrong: names its own dotted field and value."""

    def __init__(self, field: str, message: str, value: Any) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


CAST_FIELDS: dict[str, Converter] = {"name": _text, "role": _role, "voice": _text}


def _cast(value: Any) -> tuple[CastEntry, ...]:
    if not isinstance(value, dict):
        raise ValueError("be a mapping of speaker label to {name, role, voice}")
    entries = []
    for label, spec in value.items():
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"use speaker labels as keys, not {label!r}")
        if not isinstance(spec, dict) or not spec:
            raise _CastFieldError(
                f"cast.{label}", "be a mapping with name, role and/or voice", spec
            )
        attributes: dict[str, Any] = {}
        for key, raw in spec.items():
            converter = CAST_FIELDS.get(key)
            if converter is None:
                known = ", ".join(CAST_FIELDS)
                raise _CastFieldError(f"cast.{label}", f"hold only {known}", key)
            try:
                attributes[key] = converter(raw)
            except ValueError as err:
                raise _CastFieldError(f"cast.{label}.{key}", str(err), raw) from None
        entries.append(CastEntry(label=label.strip(), **attributes))
    return tuple(entries)


FIELDS: dict[str, Converter] = {
    "title": _text,
    "episode": _positive_int,
    "season": _positive_int,
    "date": _date,
    "description": _text,
    "keywords": _keywords,
    "explicit": _boolean,
    "cast": _cast,
}


def split_front_matter(text: str, *, source_name: str) -> tuple[FrontMatter, str]:
    """Return the front matter (all None when absent) and the text after it."""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _OPEN:
        return FrontMatter(), text
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in _CLOSE:
            block = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            break
    else:
        raise ScriptError(f"{source_name}: front matter opened with '---' is never closed")
    return _parse_block(block, source_name), body


def _parse_block(block: str, source_name: str) -> FrontMatter:
    try:
        data = yaml.load(block, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        # +2: the block starts on the line after the opening "---", and marks are 0-based.
        where = f" line {mark.line + 2}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise ScriptError(
            f"{source_name}:{where} front matter is not valid YAML ({problem})"
        ) from None
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        raise ScriptError(f"{source_name}: front matter must be 'key: value' lines")
    values: dict[str, Any] = {}
    for key, raw in data.items():
        converter = FIELDS.get(key) if isinstance(key, str) else None
        if converter is None:
            known = ", ".join(FIELDS)
            raise ScriptError(f"{source_name}: unknown front matter field {key!r} (known: {known})")
        if raw is None:
            continue  # "date:" left empty means not set
        try:
            values[key] = converter(raw)
        except _CastFieldError as err:
            raise ScriptError(
                f"{source_name}: front matter field '{err.field}' must {err}, got {err.value!r}"
            ) from None
        except ValueError as err:
            raise ScriptError(
                f"{source_name}: front matter field '{key}' must {err}, got {raw!r}"
            ) from None
    return FrontMatter(**values)
