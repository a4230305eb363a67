"""Dates as people, site generators and web pages write them -> the moment they name.

Front matter and page metadata carry a date, often with a time and a time
zone: ``2024-01-15``, ``2024-01-15 10:30:00 +0200`` (Jekyll),
``2024-01-15T10:30:00Z`` (Hugo, ``article:published_time``),
``Mon, 15 Jan 2024 10:30:00 +0200`` (RFC 2822, from feeds and e-mail), and
just as often as a person writes one: ``March 4, 2019``, ``4th of March,
2019``, ``Monday, March 4, 2019``, ``04.03.2019``, ``4 mars 2019``,
``4. März 2019``, ``4 de marzo de 2019``.

The machine forms are read here, quickly (a build asks every script's front
matter whether it is a draft). Everything else goes to ``dateparser``,
limited to absolute dates (``"yesterday"`` or ``"in 2 days"`` would change
meaning with the day of the build) that give a day, a month and a year.
Why dateparser and not a month table of our own over dateutil's parser,
measured on Python 3.11: dateparser is already installed (trafilatura needs
it, through htmldate), so it adds nothing to an install; it imports in
50-100 ms and reads its first date in 0.2-0.6 s (it loads the languages'
data), then about 2 ms a date; and it knows ordinals ("1er", "4."), "de"
and "of", weekdays, times ("à 10h30", "9am EST") and zones in every
language, which a table of our own would have to grow one case at a time
(dateutil alone reads "4 mars 2019" as the 4th of April in fuzzy mode, and
refuses it otherwise). Its load is only paid for a date the quick forms do
not read.

An episode keeps the day as written, in its own time zone: converting
``2024-01-15T23:30:00-05:00`` to UTC would publish it a day late. A time and
a zone, when written, are kept in the moment ``parse_moment`` returns.

``04/03/2019`` is the 3rd of April in the United States and the 4th of March
almost everywhere else: a language decides (``day_first``), and a value
decides when it can (``13/03/2019``). Dots (``04.03.2019``) are always day
first: nobody writes the month first with them.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from typing import Any

# "2024-01-15", then an optional time ("T10:30", " 10:30:00.250") and an
# optional zone ("Z", "+02:00", " +0200", " UTC"). The rest must still be
# a real time: "2024-01-15 banana" is not an ISO date.
_ISO = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ]\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?"
    r"\s*(?P<zone>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
)

# Numeric dates with the year last: the order of the first two is a convention.
_NUMERIC = re.compile(
    r"(?P<first>\d{1,2})(?P<mark>[./-])(?P<second>\d{1,2})(?P=mark)(?P<year>\d{2,4})"
)
# With the year first the month always follows: "2019/03/04", "2019.3.4".
_YEAR_FIRST = re.compile(
    r"(?P<year>\d{4})(?P<mark>[./])(?P<month>\d{1,2})(?P=mark)(?P<day>\d{1,2})"
)

# Languages dateparser reads a date in, besides the one the episode is written in:
# those qacast speaks (qacast/script/normalise_langs.py).
DATE_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")

# English as the United States writes it puts the month first; every other
# language qacast knows, and British English, the day.
MONTH_FIRST_LANGUAGES = frozenset({"en", "en-us", "en-ph", "en-ca"})

Moment = dt.date | dt.datetime  # a datetime when a time was written; aware when a zone was


def day_first_in(language: str | None) -> bool:
    """Does ``language`` ("fr", "en-GB") write a numeric date day first?"""
    if not language:
        return False
    return language.lower().replace("_", "-") not in MONTH_FIRST_LANGUAGES


def _zone(text: str | None) -> dt.tzinfo | None:
    if text is None:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _iso(text: str, day_first: bool) -> Moment | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    try:
        day = dt.date.fromisoformat(match["day"])
        if match["hour"] is None:
            return day
        micro = int((match["fraction"] or "0")[:6].ljust(6, "0"))
        clock = dt.time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0), micro)
        return dt.datetime.combine(day, clock, tzinfo=_zone(match["zone"]))
    except ValueError:
        return None


def _rfc2822(text: str, day_first: bool) -> Moment | None:
    if not re.search(r"\d{1,2}:\d{2}", text):
        return None  # "4 Mar 2019" alone: the written forms read it, without inventing a time
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _numeric(text: str, day_first: bool) -> Moment | None:
    """ "04.03.2019", "4/3/2019", "04-03-19": the convention orders the first two numbers."""
    year_first = _YEAR_FIRST.fullmatch(text)
    if year_first is not None:
        try:
            return dt.date(
                int(year_first["year"]), int(year_first["month"]), int(year_first["day"])
            )
        except ValueError:
            return None
    match = _NUMERIC.fullmatch(text)
    if match is None:
        return None
    first, second, year = int(match["first"]), int(match["second"]), int(match["year"])
    if len(match["year"]) == 3:
        return None
    if year < 100:
        year += 2000 if year < 70 else 1900  # how RFC 2822 and POSIX read two-digit years
    day_leads = day_first or match["mark"] == "." or first > 12
    day, month = (first, second) if day_leads and second <= 12 else (second, first)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _written(text: str, day_first: bool, language: str | None) -> Moment | None:
    """Any other written form, in the episode's language or one qacast speaks."""
    found = _parser()(text, languages=_languages(language), settings=_settings(day_first))
    if found is None:
        return None
    moment: Moment = found if _has_time(text) else found.date()
    return moment


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    # Imported on first use: its import and its language data cost a second at
    # worst, which the machine forms (nearly every front matter) never pay.
    import dateparser

    return dateparser.parse


@functools.lru_cache(maxsize=16)
def _languages(language: str | None) -> list[str]:
    from dateparser.languages.loader import default_loader  # as _parser: on first use

    known = set(default_loader.get_locale_map())
    wanted = [language.lower().split("-")[0]] if language else []
    return [code for code in dict.fromkeys([*wanted, *DATE_LANGUAGES]) if code in known]


def _settings(day_first: bool) -> dict[str, Any]:
    return {
        # A date names a day: "March 2019" or "March 4" is no day of its own.
        "REQUIRE_PARTS": ["day", "month", "year"],
        "STRICT_PARSING": True,
        # Not "relative-time": "yesterday" would date the episode by the day of the
        # build; not "timestamp": "20190304" is no count of seconds since 1970.
        "PARSERS": ["absolute-time"],
        "DATE_ORDER": "DMY" if day_first else "MDY",
    }


_TIME = re.compile(r"\d{1,2}\s*(?::\d{2}|h\d{2}|h\b|\s*[ap]\.?m\b)|\b(?:noon|midi|mittag)\b", re.I)


def _has_time(text: str) -> bool:
    return _TIME.search(text) is not None


# Tried in order; each returns None for text it does not read. The quick
# forms first: only a date none of them reads loads dateparser.
QUICK_FORMS = (_iso, _rfc2822, _numeric)


def parse_moment(
    text: str, *, day_first: bool = False, language: str | None = None
) -> Moment | None:
    """The moment ``text`` names, as written (no time zone conversion); None if it is no date.

    ``day_first``: how to read "04/03/2019" (``day_first_in`` tells it for a
    language). ``language``: the episode's, when known, read before the others.
    """
    text = " ".join(text.split())
    if not text or not any(ch.isdigit() for ch in text):
        return None
    for form in QUICK_FORMS:
        moment = form(text, day_first)
        if moment is not None:
            return moment
    return _written(text, day_first, language)


def parse_day(text: str, *, day_first: bool = False, language: str | None = None) -> dt.date | None:
    """The day ``text`` names, as written; None if it is no date."""
    moment = parse_moment(text, day_first=day_first, language=language)
    return moment.date() if isinstance(moment, dt.datetime) else moment


def ambiguity(text: str, day_first: bool) -> str | None:
    """How an ambiguous numeric date was read ("04/03/2019"), for a note; None when it is not."""
    match = _NUMERIC.fullmatch(" ".join(text.split()))
    if match is None or match["mark"] == "." or match["first"] == match["second"]:
        return None
    if int(match["first"]) > 12 or int(match["second"]) > 12:
        return None
    return "day first" if day_first else "month first, as the United States writes it"
