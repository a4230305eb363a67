"""The date a script's own text gives, for an episode whose front matter gives none.

Articles and transcripts state when they appeared near their top, on a line
the parser then drops as furniture: a byline ("By Jane Doe | June 2, 2024 |
8 min read"), "Posted on March 4, 2024", "Published: 2024-03-04", or a
dateline alone on its line ("March 12, 1998" under an oral history's header).
Only the head of the text is read, so a date said in an answer is never taken
for the episode's. An "Updated ..." line is not the day it first appeared.
"""

from __future__ import annotations

import datetime as dt
import re

HEAD_LINES = 15  # non-blank lines read from the top

# Month names and their usual abbreviations -> the month's number.
_MONTH_NAMES = (
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
    "august aug", "september sep sept", "october oct", "november nov", "december dec",
)  # fmt: skip
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# How a day is written: "June 2, 2024", "2 June 2024", "2024-06-02".
DAY_FORMS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)

# Lines that state when the piece appeared: the date is anywhere in them.
DATED_LINES = re.compile(
    r"(?:by\s|posted\b|published\b|first published\b|date\b|interview date\b"
    r"|date of interview\b|recorded\b|interviewed\b)",
    re.IGNORECASE,
)
# Not the day it first appeared; and a turn ("JD: June 2, 2024") is dialogue.
NOT_DATED = re.compile(r"(?:(?:last\s+)?updated|modified|edited)\b|[\w .'’-]{1,30}:\s", re.I)
_MARKUP = re.compile(r"^[\s#>*_`|-]+|[\s*_`|]+$")


def day_in(text: str) -> dt.date | None:
    """The first day ``text`` names in one of DAY_FORMS, or None."""
    for form in DAY_FORMS:
        for match in form.finditer(text):
            month = match["month"]
            number = int(month) if month.isdigit() else MONTHS.get(month.lower())
            if number is None:
                continue
            try:
                return dt.date(int(match["year"]), number, int(match["day"]))
            except ValueError:
                continue
    return None


def date_in_text(text: str) -> tuple[dt.date, str] | None:
    """The day the head of ``text`` says the piece appeared, and the line saying so."""
    lines = [line for line in text.splitlines() if line.strip()][:HEAD_LINES]
    for raw in lines:
        line = _MARKUP.sub("", raw)
        day = day_in(line)
        if day is None:
            continue
        dated = DATED_LINES.match(line) is not None
        if not dated and NOT_DATED.match(line):
            continue
        # A dateline: the date and at most a place or a weekday beside it.
        alone = len(_strip_day(line)) <= 25
        if dated or alone:
            return day, line
    return None


def _strip_day(line: str) -> str:
    for form in DAY_FORMS:
        line = form.sub("", line)
    return line.strip(" ,.;:—–-")
