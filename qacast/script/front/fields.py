"""Front matter values -> checked field values.

Each converter takes a raw YAML or TOML value and returns the field's value,
or raises ``ValueError`` with text that finishes "front matter field 'x'
must ...". A value that belongs to another site generator's use of the same
key (Hugo's ``type: post``, Eleventy's ``date: Last Modified``) raises
``NotOurs``: the field is then ignored with a note, not refused. A value
that cannot be read at all (a title that is a list, a date that names no
day) raises ``Unreadable``, a ``ValueError``: frontmatter.py decides per
field whether that is ignored with a note or refused. A value that reads
but is wrong stays a plain ``ValueError``, refused in every field: a date
in the year 1019 is a typo, and ignoring it would publish another date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from qacast.limits import NOT_XML_CHARS, is_language_tag
from qacast.models import ROLES, Role
from qacast.script.episode_language import code_for_name
from qacast.script.front.dates import Moment, parse_moment

Converter = Callable[[Any], Any]

EPISODE_TYPES = ("full", "trailer", "bonus")  # Apple's itunes:episodeType values

# Eleventy's date keywords: the file's own dates, which say nothing about the episode.
ELEVENTY_DATES = frozenset({"last modified", "created", "git last modified", "git created"})

# "en", "en-US", "pt-BR", "zh-Hant-TW", "es-419": a language, then subtags.
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


class NotOurs(Exception):  # noqa: N818 - a verdict, not an error
    """The value is another generator's: ignore the field, say why in a note."""


class Unreadable(ValueError):  # noqa: N818 - a verdict on a value, like NotOurs
    """qacast cannot read the value at all: not text, not a date, not a list of words."""


@dataclass(frozen=True)
class CastEntry:
    label: str  # the speaker label as written in the script ("NJP")
    name: str | None = None  # None: keep the name found in the text
    role: Role | None = None  # None: keep the inferred role
    voice: str | None = None  # an engine voice such as "en-gb+m3"; None: the cast preset decides
    pitch: int | None = None  # 0-99, 50 is the voice's normal; None: the preset's
    rate_wpm: int | None = None  # words per minute, higher is faster; None: the preset's
    gender: str | None = None  # "female" or "male": a preset voice of that gender


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn a into b."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def closest(word: str, known: tuple[str, ...] | list[str]) -> str | None:
    """The known word ``word`` is most likely a misspelling of, if any.

    Two edits are allowed ("sesaon", "desciption"), one for words of four
    letters or less: with two, "name" would pass for "date" and "time" for "type".
    """
    allowed = 1 if len(word) <= 4 else 2
    distance, best = min((edit_distance(word, k), k) for k in known)
    return best if 0 < distance <= allowed else None


# --- converters -------------------------------------------------------------


def text(value: Any) -> str:
    # YAML reads "title: 1984" as an int; a title is still text.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Unreadable("be text")
    result = str(value).strip()
    if not result:
        raise Unreadable("not be empty")
    if NOT_XML_CHARS.search(result):
        # YAML's "\x01" escapes reach here; the feed (XML) cannot carry them.
        raise Unreadable("hold no control characters")
    return result


def text_or_none(value: Any) -> str | None:
    """``text`` for a fact a file states about itself: None where it would be refused."""
    try:
        return text(value)
    except ValueError:
        return None


# Apple and the podcast indexes keep episode and season numbers as 32-bit
# integers; a date used as a number (20240115) fits, a slip of the keyboard not.
NUMBER_MAX = 2**31 - 1
# No podcast episode was published before 1900, nor is one planned years
# ahead: "0024-01-15" or "2204-01-15" is a typo. RFC 2822 dates, as feeds
# write them, have four-digit years.
EARLIEST_DAY = dt.date(1900, 1, 1)
YEARS_AHEAD = 2

Plausible = TypeVar("Plausible", int, dt.date)


def in_plausible_range(value: Plausible) -> Plausible:
    """``value``, when an episode can carry it: a number from 1 to NUMBER_MAX, a
    day from EARLIEST_DAY to the end of the year YEARS_AHEAD from now.
    ValueError (finishing "must ...") otherwise. Build and check both ask this."""
    if isinstance(value, dt.date):
        latest = dt.date(dt.date.today().year + YEARS_AHEAD, 12, 31)
        if not EARLIEST_DAY <= value <= latest:
            raise ValueError(f"be a day from {EARLIEST_DAY} to {latest}")
    elif not 1 <= value <= NUMBER_MAX:
        raise ValueError(f"be a whole number from 1 to {NUMBER_MAX}")
    return value


def positive_int(value: Any) -> int:
    # bool is an int subclass: "episode: yes" must not become 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("be a whole number from 1 up")
    return in_plausible_range(value)


def date(value: Any, *, day_first: bool = False, language: str | None = None) -> Moment:
    """A date as written ("2024-01-15", "March 4, 2019", "4. März 2019"), with
    its time of day and zone when written ("2024-03-04 09:00 +0100"): a
    datetime then, a date otherwise.

    ``day_first``: how "04/03/2019" reads; ``language``: the episode's, whose
    month names are tried first.
    """
    # TOML gives dates and datetimes as values. The day stays the one written:
    # an aware datetime's .date() is its own local day, never UTC's.
    if isinstance(value, dt.datetime):
        in_plausible_range(value.date())
        return value
    if isinstance(value, dt.date):
        return in_plausible_range(value)
    if isinstance(value, str):
        if value.strip().lower() in ELEVENTY_DATES:
            raise NotOurs(f"date {value.strip()!r} is an Eleventy keyword, not a date")
        moment = parse_moment(value, day_first=day_first, language=language)
        if moment is not None:
            day = moment.date() if isinstance(moment, dt.datetime) else moment
            in_plausible_range(day)
            return moment
    raise Unreadable("be a date, such as 2024-01-15, 2024-01-15 10:30 +0200 or March 4, 2024")


def _word_list(value: Any, split: Callable[[str], list[str]]) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[Any] = split(value)
    elif isinstance(value, list):
        items = value
    else:
        raise Unreadable("be a list or a comma-separated string")
    if any(
        not isinstance(item, (str, int, float))
        or isinstance(item, bool)
        or NOT_XML_CHARS.search(str(item))
        for item in items
    ):
        raise Unreadable("hold only words")
    return tuple(word for word in (str(item).strip() for item in items) if word)


def keywords(value: Any) -> tuple[str, ...]:
    return _word_list(value, lambda line: line.split(","))


def taxonomy(value: Any) -> tuple[str, ...]:
    """Jekyll's tags and categories: a list, or words split on spaces unless commas are used."""
    return _word_list(value, lambda line: line.split(",") if "," in line else line.split())


# Booleans written as text ("'false'" quoted, TOML's "yes"), and Apple's own
# words for the explicit flag: each reads one way only.
BOOLEAN_WORDS = {"true": True, "false": False, "yes": True, "no": False}
EXPLICIT_WORDS = {**BOOLEAN_WORDS, "explicit": True, "clean": False}


def boolean(value: Any) -> bool:
    if isinstance(value, str) and value.strip().lower() in BOOLEAN_WORDS:
        return BOOLEAN_WORDS[value.strip().lower()]
    if not isinstance(value, bool):
        raise ValueError("be true or false")
    return value


def explicit(value: Any) -> bool:
    """true or false, or Apple's words: "explicit", "clean"."""
    if isinstance(value, str) and value.strip().lower() in EXPLICIT_WORDS:
        return EXPLICIT_WORDS[value.strip().lower()]
    if not isinstance(value, bool):
        raise ValueError("be true or false (or explicit or clean)")
    return value


# "Episode 12", "Ep. 12", "#12", "No. 12" (quoted in YAML, where "#" opens a
# comment), in the languages qacast speaks: the number is the one written.
_EPISODE_NUMBER = re.compile(
    r"(?:(?:episode|ep|e|no|nr|n[º°o]|number|épisode|folge|episodio|episódio|aflevering)"
    r"\.?\s*)?#?\s*(\d+)",
    re.IGNORECASE,
)
_SEASON_NUMBER = re.compile(
    r"(?:(?:season|s|series|saison|staffel|temporada|stagione|seizoen)\.?\s*)?#?\s*(\d+)",
    re.IGNORECASE,
)


def _number_in(value: Any, written: re.Pattern[str]) -> Any:
    if isinstance(value, str) and (match := written.fullmatch(value.strip())):
        return int(match.group(1))
    return value


def episode_number(value: Any) -> int:
    return positive_int(_number_in(value, _EPISODE_NUMBER))


def season_number(value: Any) -> int:
    return positive_int(_number_in(value, _SEASON_NUMBER))


def not_boolean(value: Any) -> bool:
    """Jekyll's ``published: false`` is a draft."""
    return not boolean(value)


def role(value: Any) -> Role:
    if value not in ROLES:
        raise ValueError(f"be one of {', '.join(ROLES)}")
    return cast(Role, value)


def image(value: Any) -> str:
    """A path or URL; Hugo's ``images`` is a list, PaperMod's ``cover`` a mapping."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = next((value[k] for k in ("image", "src", "url") if k in value), None)
    if not isinstance(value, str) or not value.strip():
        raise Unreadable("be an image path or URL")
    return text(value)


def _person(value: Any) -> str:
    if isinstance(value, dict) and "name" in value:
        value = value["name"]
    return text(value)


def author(value: Any) -> str:
    """One name, or a list (``authors``), or ``{name: ..., url: ...}``."""
    names = [_person(item) for item in value] if isinstance(value, list) else [_person(value)]
    if not names:
        raise Unreadable("name at least one person")
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def episode_type(value: Any) -> str:
    """full, trailer or bonus; Hugo's own ``type`` (a layout such as "post") is not ours."""
    word = str(value).strip().lower()
    if word in EPISODE_TYPES:
        return word
    guess = closest(word, EPISODE_TYPES)
    if guess is not None:
        raise ValueError(f"be one of {', '.join(EPISODE_TYPES)} (did you mean {guess!r}?)")
    raise NotOurs(f"type {value!r} is not an episode type ({', '.join(EPISODE_TYPES)})")


def language(value: Any) -> str:
    """A BCP-47 code, written the usual way: "en_us" -> "en-US", "ZH-hant" -> "zh-Hant";
    or a language's name ("French", "Deutsch"); a locale's encoding is dropped ("fr_FR.UTF-8").
    A code of the right shape that names no language ("qq") cannot be used either."""
    written = value.strip().partition(".")[0] if isinstance(value, str) else value
    named = code_for_name(written) if isinstance(written, str) else None
    if named is not None:
        return named
    tag = written.lower().replace("_", "-") if isinstance(written, str) else ""
    if not _LANGUAGE.fullmatch(tag) or not is_language_tag(tag):
        raise Unreadable("be a language code like en or en-US")
    first, *rest = tag.split("-")
    subtags = [
        part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part
        for part in rest
    ]
    return "-".join([first, *subtags])


def lexicon(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not value:
        raise ValueError("be a mapping of word to how to say it, like {FCIPS: eff sips}")
    pairs = []
    for word, saying in value.items():
        try:
            pairs.append((text(word), text(saying)))
        except ValueError:
            raise ValueError(f"map words to text, not {word!r} to {saying!r}") from None
    return tuple(pairs)


class CastFieldError(ValueError):
    """A cast attribute that is wrong: names its own dotted field and value."""

    def __init__(self, field: str, message: str, value: Any) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


def whole_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("be a whole number")
    return value


def gender(value: Any) -> str:
    if value not in ("female", "male"):
        raise ValueError("be female or male")
    return str(value)


CAST_FIELDS: dict[str, Converter] = {
    "name": text,
    "role": role,
    "voice": text,
    "pitch": whole_number,
    "rate_wpm": whole_number,
    "gender": gender,
}


def cast_entries(value: Any) -> tuple[CastEntry, ...]:
    if not isinstance(value, dict):
        raise ValueError("be a mapping of speaker label to {name, role, voice}")
    entries = []
    for label, spec in value.items():
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"use speaker labels as keys, not {label!r}")
        if not isinstance(spec, dict) or not spec:
            raise CastFieldError(
                f"cast.{label}",
                "be a mapping with name, role, voice, pitch, rate_wpm and/or gender",
                spec,
            )
        attributes: dict[str, Any] = {}
        for key, raw in spec.items():
            converter = CAST_FIELDS.get(key)
            if converter is None:
                known = ", ".join(CAST_FIELDS)
                raise CastFieldError(f"cast.{label}", f"hold only {known}", key)
            try:
                attributes[key] = converter(raw)
            except ValueError as err:
                raise CastFieldError(f"cast.{label}.{key}", str(err), raw) from None
        entries.append(CastEntry(label=label.strip(), **attributes))
    return tuple(entries)
