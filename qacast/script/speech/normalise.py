"""Text as espeak-ng should hear it: numbers, amounts, addresses and acronyms in words.

espeak-ng reads digits itself, but "$85,000" comes out as "dollar eighty-five
thousand", "24/7" as "twenty-four slash seven" and "10 km" as "ten K M".
Words are said the same way by every engine and can be tested; so each
sentence is normalised here, after sentence splitting (so "$3.50." never
gains a sentence boundary) and only for ``Utterance.speech``: captions keep
what was written.

The steps, in order:

1. the pronunciation lexicon: whole words, case-aware; its readings are final
   and no later rule touches them;
2. the language's rule table (``RULES[language]``, see normalise_rules.py for
   its order), each rule a pattern and the function that says it;
3. a sweep that removes every character espeak-ng would read as a symbol's
   name ("$", "/", "&", "@", emoji...), keeping letters, digits and the
   punctuation it pauses on.

Readings decided where writing is ambiguous (English):

- a bare number from 1100 to 2099 is a year ("in 1993": "nineteen
  ninety-three", 2005: "two thousand five"); counts carry a comma ("1,500");
- after a product name or "v"/"version", dotted numbers are versions, each
  part a number ("Python 3.11": "three point eleven"); otherwise a decimal
  reads its digits ("3.11 percent": "three point one one");
- "n/d" with d from 2 to 9 is a fraction ("3/4": "three quarters"); other
  "a/b" read "a out of b" (ratings such as 8/10), or "a over b" when a > b;
  idioms such as "24/7" have fixed readings;
- spelling follows the show's language: "en"/"en-us" American
  ("kilometers", "one hundred five", dates month first), "en-gb" and other
  Commonwealth regions British ("kilometres", "one hundred and five", day
  first);
- phone numbers are read group by group, a comma between groups (see
  normalise_phone.py for the shapes and each language's way); IP addresses
  and digit runs of 10 or more are read digit by digit; a number with a
  leading zero ("007") too;
- after a determiner and before a noun an amount is the noun's modifier,
  said in the singular ("a $12 million plan": "a twelve million dollar plan");
- "-teen" numbers are written "four-teen", so the engine stresses "teen"
  and "fourteen" is not heard as "forty" (years keep "nineteen ninety");
- addresses, handles and hashtags are split into words (words.py):
  "cityofriverton.gov" is "city of riverton dot gov";
- an all-capitals word is said as a word when it is in the language's table
  (NASA, NATO) or has the shape of one (vowels, clusters English starts and
  ends syllables with); otherwise it is spelled as "F-C-I-P-S". Mixed case
  ("iPhone", "GitHub") is left to the engine, and so is a sentence typed in
  capitals.

Languages: ``RULES`` holds a table per language code. "en" and "en-us" read
American English, "en-gb" British; a French table is ``standard_rules`` of a
French ``Language`` (num2words ``lang="fr"``) registered as ``RULES["fr"]``.
A language without its own table is read with the English one for now.
In French, Spanish, Italian, Portuguese and German a number agrees with the
noun after it ("una persona", "vingt et une personnes", "eine Frau"; see
agreement.py). A sentence's final mark is given back when a rule took it
("on 1 September." keeps its full stop).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping

from qacast.script.speech.acronyms import plural_of
from qacast.script.speech.normalise_en import EN_GB, EN_US
from qacast.script.speech.normalise_lang import Language, Rule
from qacast.script.speech.normalise_langs import OTHER_LANGUAGES
from qacast.script.speech.normalise_rules import standard_rules

LANGUAGES: dict[str, Language] = {
    "en": EN_US,
    "en-us": EN_US,
    "en-gb": EN_GB,
    **OTHER_LANGUAGES,  # fr, es, de, it, pt, nl
}


class _RulesByLanguage(Mapping[str, tuple[Rule, ...]]):
    """Each language's rule table, compiled the first time that language is
    spoken: compiling all nine costs a tenth of a second, which a build that
    speaks nothing, or only English, should not pay at import."""

    def __getitem__(self, code: str) -> tuple[Rule, ...]:
        return _rules_of(code)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


@functools.cache
def _rules_of(code: str) -> tuple[Rule, ...]:
    return standard_rules(LANGUAGES[code])


RULES: Mapping[str, tuple[Rule, ...]] = _RulesByLanguage()
# English regions that write like Britain.
_BRITISH_REGIONS = ("gb", "uk", "ie", "au", "nz", "za", "in")

# Punctuation espeak-ng pauses on or ignores; every other non-word character goes.
# Spanish opens questions and exclamations with "¿" and "¡": the engines say
# neither aloud, and voices trained on Spanish text take the question's
# intonation from the start.
KEPT_PUNCTUATION = frozenset(".,;:!?¿¡'\"()-")
# What may end a sentence; a rule that took its last mark ("on 1 September.")
# must give it back, or the engine runs the sentence into the next one.
SENTENCE_ENDS = ".!?…"
_CLOSING = " \"')]»”’"  # what may follow a sentence's mark
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
# Lexicon readings wait in the text as private-use characters while the rules run.
_PLACEHOLDER_BASE = 0xF0000
_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"',
     "‟": '"', "«": '"', "»": '"', "″": '"', "…": "...", "−": "-", "\u00a0": " "}
)  # fmt: skip
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")
_REPEATED_COMMAS = re.compile(r",(?:\s*,)+")
_LEADING_PUNCTUATION = re.compile(r"^[\s,.;:]+")
_POSSESSIVE_AFTER_READING = re.compile("([\U000f0000-\U000ffffd])\\s+(?='s?\\b)")
_SPACE_AFTER_OPENING = re.compile(r"([¿¡])\s+")
# Italian "un'ora", French "millions d'habitants": an elided word a number
# rule wrote ends in "'" and joins the noun after it.
_ELIDED_ONE = re.compile(r"(?<!\w)(un|d)' (?=[^\W\d_])", re.I)


def language_key(language: str) -> str:
    """The ``RULES`` key for a show or episode language such as "en-GB" or "en"."""
    code = language.lower().replace("_", "-")
    if code in RULES:
        return code
    base, _, region = code.partition("-")
    if base == "en" and region in _BRITISH_REGIONS:
        return "en-gb"
    return base if base in RULES else "en"


def normalise(text: str, language: str = "en", lexicon: Mapping[str, str] | None = None) -> str:
    """``text`` with every number, amount, address, symbol and acronym in words."""
    key = language_key(language)
    lang = LANGUAGES[key]
    written = text
    text = _fold_numbers(_PRIVATE_USE.sub(" ", text).translate(_TYPOGRAPHY))
    readings: list[str] = []
    if lexicon:
        text = _apply_lexicon(text, lexicon, readings)
    for rule in RULES[key]:
        if rule.needs and not rule.needs.search(text):
            continue
        text = rule.pattern.sub(lambda m, rule=rule: rule.handler(m, lang), text)  # type: ignore[misc]
    text = sweep(text)
    if readings:
        text = _POSSESSIVE_AFTER_READING.sub(r"\1", text)  # "the SEC's": "the sec's"
        text = re.sub(
            "[\U000f0000-\U000ffffd]",
            lambda m: readings[ord(m[0]) - _PLACEHOLDER_BASE],
            text,
        )
    return _ended_as(written, tidy(text))


def _ended_as(written: str, said: str) -> str:
    """``said`` with the sentence mark ``written`` ended with, if a rule took it."""
    end = written.rstrip(_CLOSING)[-1:]
    body = said.rstrip(_CLOSING)
    if end and end in SENTENCE_ENDS and body and body[-1] not in SENTENCE_ENDS:
        return f"{body}{end}{said[len(body) :]}"
    return said


def _fold_numbers(text: str) -> str:
    """Number forms the rules can read: "½" -> "1/2", "Ⅻ" -> "XII", "①" -> "1", "٣" -> "3".

    espeak-ng names some of them ("letter two one seven B" for "Ⅻ") and is
    silent on others; "²" and "³" stay for the units that use them ("km²").
    """
    if text.isascii():
        return text
    return "".join(_fold_char(char) for char in text)


@functools.lru_cache(maxsize=1024)
def _fold_char(char: str) -> str:
    if char.isascii() or char in "²³":
        return char
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.digit(char))
    if category in ("No", "Nl") or "\uff01" <= char <= "\uff5e":  # and fullwidth ＄％
        folded = unicodedata.normalize("NFKC", char).replace("\u2044", "/")
        return f" {folded} " if "/" in folded else folded
    return char


def sweep(text: str) -> str:
    """Every character espeak-ng would name ("dollar", "slash") becomes a space."""
    return "".join(ch if _kept(ch) else " " for ch in text)


def _kept(char: str) -> bool:
    if char in KEPT_PUNCTUATION or char.isspace():
        return True
    category = unicodedata.category(char)
    if category == "Co":
        return ord(char) >= _PLACEHOLDER_BASE  # a lexicon reading, restored next
    return category[0] in "LMN"


def tidy(text: str) -> str:
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", _SPACES.sub(" ", text))
    text = _REPEATED_COMMAS.sub(",", text)
    text = _ELIDED_ONE.sub(r"\1'", _SPACE_AFTER_OPENING.sub(r"\1", text))
    return _LEADING_PUNCTUATION.sub("", text).strip()


def _apply_lexicon(text: str, lexicon: Mapping[str, str], readings: list[str]) -> str:
    pattern, by_case, by_lower = _lexicon_matcher(tuple(sorted(lexicon.items())))

    def reading(match: re.Match[str]) -> str:
        word = match[0]
        said = by_case.get(word)
        if said is None and word.lower() in by_lower:
            said = by_lower[word.lower()]
        if said is None:  # "APIs" with an entry for "API"
            said = plural_of(by_case[word[:-1]])
        readings.append(tidy(sweep(_PRIVATE_USE.sub(" ", said))))
        return f" {chr(_PLACEHOLDER_BASE + len(readings) - 1)} "

    return pattern.sub(reading, text)


@functools.lru_cache(maxsize=32)
def _lexicon_matcher(
    entries: tuple[tuple[str, str], ...],
) -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    """One pattern for all entries, longest first so "New York Times" beats "New York".

    Case-aware: a word written with a capital ("FCIPS", "Portillo") matches
    that spelling only; one written in lower case ("gif") matches any case.
    An acronym matches its plural too ("APIs" with an entry for "API"), said
    as the acronym rule would say it.
    """
    words = sorted((w for w, _ in entries if w.strip()), key=len, reverse=True)
    alternatives = [_alternative(w) for w in words]
    body = "|".join(alternatives) or r"(?!)"
    pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
    by_case = {w: said for w, said in entries if w != w.lower()}
    by_lower = {w: said for w, said in entries if w == w.lower()}
    return pattern, by_case, by_lower


def _alternative(word: str) -> str:
    if word == word.lower():
        return f"(?i:{re.escape(word)})"
    if word.isalpha() and word.isupper():
        return f"{re.escape(word)}s?"
    return re.escape(word)
