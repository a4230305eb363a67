"""Dates as site generators and web pages write them -> the day they name.

Front matter and page metadata carry a date, often with a time and a time
zone: ``2024-01-15``, ``2024-01-15 10:30:00 +0200`` (Jekyll),
``2024-01-15T10:30:00Z`` (Hugo, ``article:published_time``) or
``Mon, 15 Jan 2024 10:30:00 +0200`` (RFC 2822, from feeds and e-mail). An
episode keeps the day as written, in its own time zone: converting
``2024-01-15T23:30:00-05:00`` to UTC would publish it a day late.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

# "2024-01-15", then an optional time ("T10:30", " 10:30:00.250") and an
# optional zone ("Z", "+02:00", " +0200", " UTC"). Only the day is kept, but
# the rest must still be a real time: "2024-01-15 banana" is not a date.
_ISO = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ]\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
)


def _iso_day(text: str) -> dt.date | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    try:
        day = dt.date.fromisoformat(match["day"])
        if match["hour"] is not None:
            dt.time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    except ValueError:
        return None
    return day


def _rfc2822_day(text: str) -> dt.date | None:
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


# Tried in order; each returns None for text it does not recognise.
DATE_FORMS = (_iso_day, _rfc2822_day)


def parse_day(text: str) -> dt.date | None:
    """The day ``text`` names, as written (no time zone conversion); None if it is no date."""
    text = text.strip()
    for form in DATE_FORMS:
        day = form(text)
        if day is not None:
            return day
    return None
