"""What a language's speech normalisation is made of, and the rules all share.

A ``Language`` holds the words and tables of one language (unit names,
currency names, months, acronyms read as words...). ``standard_rules`` turns
one into the ordered rule table: each rule is a pattern and the function that
says a match aloud. Numbers become words through num2words with the
language's code, so a French table is mostly a French ``Language``; a rule
that reads differently in French is swapped in its own tuple.

Every handler returns words and punctuation only: the final sweep in
``normalise.py`` removes any symbol a rule did not claim, so espeak-ng never
reads "dollar sign" or "slash".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qacast.script.speech.agreement import Agreement

# Numbers larger than this are read digit by digit: nobody says them, and
# num2words has no names past the quintillions.
LARGEST_SAID = 10**15
# Digit runs this long or longer without separators are codes, not amounts.
CODE_DIGITS = 10


@dataclass(frozen=True)
class Currency:
    one: str  # "dollar"
    many: str  # "dollars"
    cent_one: str = ""  # "cent"; empty for a currency without subunits in use (yen)
    cent_many: str = ""


@dataclass(frozen=True)
class Language:
    """Everything the standard rules need to speak numbers and symbols in one language."""

    num2words_lang: str  # a num2words ``lang=``
    words: Mapping[str, str]  # "to", "by", "point", "percent"... (see normalise_en.WORDS)
    currencies: Mapping[str, Currency]  # ISO code -> names
    currency_symbols: Mapping[str, str]  # "$" -> "USD"
    units: Mapping[str, tuple[str, str]]  # "km" -> ("kilometer", "kilometers")
    per_units: Mapping[str, str]  # "km/h" -> "kilometers per hour" (also said without a number)
    scales: Mapping[str, str]  # "k" -> "thousand", "bn" -> "billion"
    months: tuple[str, ...]  # 12 names, January first
    month_abbreviations: Mapping[str, int]  # "jan" -> 1, "sept" -> 9
    fractions: Mapping[int, tuple[str, str]]  # 2 -> ("half", "halves")
    slash_idioms: Mapping[str, str]  # "24/7" -> "twenty-four seven"
    acronym_words: frozenset[str]  # read as a word: NASA, NATO
    acronym_said: Mapping[str, str]  # fixed readings: IEEE -> "I triple E"
    named: Mapping[str, str]  # "C#" -> "C sharp": names a symbol is part of
    tlds_said: Mapping[str, str]  # "io" -> "I-O"; others are read as words
    function_words: frozenset[str]  # lower case; "In 3.25 hours" is not a version
    say_date: Callable[[Language, int | None, int, int | None, bool], str]
    group_mark: str = ","  # 85,000 (English); French writes 85 000 and 3,50
    decimal_mark: str = "."
    keep_number_and: bool = False  # "one hundred and five" (en-GB) or "one hundred five"
    day_first: bool = False  # 03/04/2024 is 3 April (day first) or March 4
    ordinal_marks: str = "st|nd|rd|th"  # "1st"; French "1er", "2e" (a regex alternation)
    extra_rules: tuple[Rule, ...] = field(default=())  # run before the standard ones
    # Gender and apocope of a number before its noun (Romance languages, German).
    agreement: Agreement | None = None
    # The words of every number said as an amount (not as a year), reworded:
    # English stresses "four-teen"; Spanish mends num2words' "veintiuno mil".
    number_words: Callable[[str], str] | None = None
    # "millones" -> "millón": the scale word after exactly one (French: below two).
    scale_singular: Mapping[str, str] = field(default_factory=dict)
    scale_of: str = ""  # "douze millions d'euros": the word between scale and currency
    elides: bool = False  # "de" before a vowel is "d'" (French)
    singular_below_two: bool = False  # French "1,5 million": singular up to 2
    # A phone number's groups said as numbers ("zéro un, vingt-trois": French)
    # rather than digit by digit.
    phone_groups_as_numbers: bool = False
    phone_cues: frozenset[str] = frozenset()  # "call 555-1234": a number, not a range
    # English "a $12 million plan": after these words and before a noun, an
    # amount is singular ("a twelve million dollar plan").
    determiners: frozenset[str] = frozenset()
    not_nouns: frozenset[str] = frozenset()  # words after an amount that are no noun
    # "3,25" is "trois virgule vingt-cinq" in French, Spanish, Italian and
    # Portuguese: up to two decimals are said as a number (a leading zero
    # each as "zero"); English reads every decimal as a digit ("three point
    # two five"), and so does every language past two decimals.
    decimals_as_number: bool = False

    def word(self, key: str) -> str:
        return self.words[key]


Handler = Callable[[re.Match[str], Language], str]


@dataclass(frozen=True)
class Rule:
    name: str  # what it reads, for tests and documentation
    pattern: re.Pattern[str]
    handler: Handler
    # A cheap test the text must pass for the rule to be tried at all ("[0-9]"
    # for the number rules): most sentences have no digits, and skipping
    # thirty patterns for them makes normalising several times faster.
    needs: re.Pattern[str] | None = None


# --- numbers ---------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def num2words(value: int, *, lang: str, to: str = "cardinal") -> str:
    # Imported on first use: num2words loads every language it has, which
    # commands that never speak (serve, feed) should not pay for.
    from num2words import num2words as convert

    said: Any = convert(value, lang=lang, to=to)
    return str(said)


def _tidy(words: str, lang: Language) -> str:
    # num2words writes British "one hundred and five"; American English drops it.
    if not lang.keep_number_and:
        words = words.replace(" and ", " ")
    return words.replace(",", "")


def digits(text: str, lang: Language) -> str:
    """Each digit as a word: "007" -> "zero zero seven"."""
    return " ".join(
        _tidy(num2words(int(d), lang=lang.num2words_lang), lang) for d in text if d.isdigit()
    )


def integer(value: int, lang: Language) -> str:
    if value >= LARGEST_SAID:
        return digits(str(value), lang)
    return _reworded(_tidy(num2words(value, lang=lang.num2words_lang), lang), lang)


def _reworded(words: str, lang: Language) -> str:
    return lang.number_words(words) if lang.number_words else words


def cardinal(text: str, lang: Language) -> str:
    """A written number ("85,000", "1.5", "007") as words."""
    whole, _, fraction = text.partition(lang.decimal_mark)
    whole = whole.replace(lang.group_mark, "")
    if not whole.isdigit():
        whole = "0"
    if len(whole) > 1 and whole.startswith("0") and not fraction:
        return digits(whole, lang)  # a code such as "007"
    said = integer(int(whole), lang)
    if fraction:
        said += f" {lang.word('point')} {decimals(fraction, lang)}"
    return said


def decimals(fraction: str, lang: Language) -> str:
    """The digits after the decimal mark: "25" -> "two five", or "vingt-cinq" in French."""
    if not (lang.decimals_as_number and fraction.isdigit() and len(fraction) <= 2):
        return digits(fraction, lang)
    zeros = len(fraction) - len(fraction.lstrip("0"))
    rest = fraction[zeros:]
    said = [digits("0" * zeros, lang)] if zeros else []
    if rest:
        said.append(integer(int(rest), lang))
    return " ".join(said)


def ordinal(value: int, lang: Language) -> str:
    if value >= LARGEST_SAID:
        return digits(str(value), lang)
    return _reworded(_tidy(num2words(value, lang=lang.num2words_lang, to="ordinal"), lang), lang)


def year(value: int, lang: Language) -> str:
    return _tidy(num2words(value, lang=lang.num2words_lang, to="year"), lang)


def is_one(text: str) -> bool:
    return text == "1"


def plural_of_number_word(words: str) -> str:
    """ "nineteen ninety" -> "nineteen nineties": the last word takes the plural."""
    head, _, last = words.rpartition(" ")
    last = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return f"{head} {last}".strip()
