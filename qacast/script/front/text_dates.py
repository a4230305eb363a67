"""The date a script's own text gives, for an episode whose front matter gives none.

Articles and transcripts state when they appeared near their top, on a line
the parser then drops as furniture: a byline ("By Jane Doe | June 2, 2024 |
8 min read"), "Posted on March 4, 2024", "Published: 2024-03-04", "Publié le
4 mars 2019", "Veröffentlicht am 4. März 2019", or a dateline alone on its
line ("March 12, 1998" under an oral history's header). Month names are read
in every language qacast speaks.
Only the head of the text is read, so a date said in an answer is never taken
for the episode's. An "Updated ..." line is not the day it first appeared.
"""

from __future__ import annotations

import datetime as dt
import re

from qacast.script.front.dates import day_first_in
from qacast.script.speech.normalise_en import EN_US
from qacast.script.speech.normalise_langs import OTHER_LANGUAGES

HEAD_LINES = 15  # non-blank lines read from the top


def _month_numbers() -> dict[str, int]:
    """Month names and their usual abbreviations, in every language qacast speaks -> 1-12.

    The speech tables already hold them (a French date is said from its names);
    no two languages give one word to two months.
    """

    names: dict[str, int] = {}
    for language in (EN_US, *OTHER_LANGUAGES.values()):
        names.update(language.month_abbreviations)
    return names


MONTHS = _month_numbers()

_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
# "2", "2nd", "1er" (French), "1º" (Spanish), "4." (German).
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|°|\.)?"
_YEAR = r"(?P<year>\d{4})"
# How a day is written: "June 2, 2024", "2 June 2024", "4th of March, 2019",
# "4. März 2019", "4 de marzo de 2019", "2024-06-02", "2024/06/02", "04.03.2019";
# "04/03/2019" is read as the language writes it (dates.day_first_in).
DAY_FORMS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+|de\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?{_YEAR}\b"),
    re.compile(r"\b(?P<year>\d{4})([-/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b"),
)
# Day and month in the order of the language: the month first in US English.
SLASHED = re.compile(r"\b(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})\b")

# Lines that state when the piece appeared: the date is anywhere in them.
DATED_LINES = re.compile(
    r"(?:by\s|posted\b|published\b|first published\b|date\b|interview date\b"
    r"|date of interview\b|recorded\b|interviewed\b"
    # French, German, Spanish, Italian, Portuguese, Dutch: "by", "published", "recorded".
    r"|par\s|publié|mis en ligne\b|enregistré|entretien réalisé\b"
    r"|von\s|veröffentlicht\b|erschienen\b|aufgezeichnet\b|datum\b"
    r"|por\s|publicad[oa]\b|grabad[oa]\b|fecha\b"
    r"|di\s|pubblicat[oa]\b|registrat[oa]\b"
    r"|door\s|gepubliceerd\b|opgenomen\b)",
    re.IGNORECASE,
)
# Not the day it first appeared; and a turn ("JD: June 2, 2024") is dialogue.
NOT_DATED = re.compile(
    r"(?:(?:last\s+)?updated|modified|edited|mis à jour|modifié|aktualisiert|geändert"
    r"|actualizad[oa]|modificad[oa]|aggiornat[oa]|bijgewerkt|atualizad[oa])\b"
    r"|[\w .'’-]{1,30}:\s",
    re.I,
)
_MARKUP = re.compile(r"^[\s#>*_`|-]+|[\s*_`|]+$")


def day_in(text: str, day_first: bool = False) -> dt.date | None:
    """The first day ``text`` names in one of DAY_FORMS (or SLASHED), or None."""
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
    for match in SLASHED.finditer(text):
        first, second = int(match["first"]), int(match["second"])
        day, month = (first, second) if (day_first or first > 12) else (second, first)
        try:
            return dt.date(int(match["year"]), month, day)
        except ValueError:
            continue
    return None


def date_in_text(text: str, language: str | None = None) -> tuple[dt.date, str] | None:
    """The day the head of ``text`` says the piece appeared, and the line saying so.

    ``language``: the episode's, which says how "04/03/2019" reads.
    """
    day_first = day_first_in(language)
    lines = [line for line in text.splitlines() if line.strip()][:HEAD_LINES]
    for raw in lines:
        line = _MARKUP.sub("", raw)
        day = day_in(line, day_first)
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
    for form in (*DAY_FORMS, SLASHED):
        line = form.sub("", line)
    return line.strip(" ,.;:—–-")
