"""Numbers that agree with the noun they count: gender and apocope.

num2words says a number on its own ("uno", "un", "eins", "um", "doscientos");
before a noun a reader says the form that agrees with it: Spanish "un euro",
"veintiún años", "una persona", "unas seiscientas tazas"; French "une tasse",
"vingt et une personnes"; Italian "un euro", "una persona", "un'ora";
Portuguese "uma pessoa", "duas pessoas", "duzentas pessoas"; German "ein
Euro", "eine Frau".

Which gender a noun has is decided by, in order:

1. words after which nothing agrees (prepositions, conjunctions, common
   verbs: "el 1 de mayo", "1 es primo");
2. a table of the nouns that most often follow amounts (currencies, units,
   time, people), where the ending misleads ("día" is masculine) or says
   nothing ("mujer", "vez");
3. endings that in practice only nouns of one gender have ("-ción", "-dad";
   in Spanish and Portuguese also plain "-a"/"-as" and "-o"/"-os");
4. German: any capitalised word, since German capitalises its nouns (and
   elsewhere a capitalised word is a name: "en 2001 Pedro").

A word none of these decides is left alone and the number keeps its bare
form: a wrong guess on a verb ("el 21 llega") is worse than "veintiuno". A
table with endings, rather than a full dictionary, because the words that
follow numbers are few and repetitive, and a rule by ending covers the new
nouns a producer's 200 interviews bring, in a few hundred bytes.

German case ("mit einem Mann") needs the sentence's grammar and is not made:
the nominative "ein"/"eine" is said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MASCULINE = "m"
FEMININE = "f"

# (number words, gender, noun) -> the number as said before that noun.
Inflect = Callable[[str, str, str], str]

_NEXT_WORD = re.compile(r"\s*([^\W\d_][\w'’-]*)")
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)\s*$")
# Shorter words are decided by the tables alone: "es", "era", "a" end like nouns.
_SHORTEST_BY_ENDING = 4


@dataclass(frozen=True)
class Agreement:
    """How one language's numbers agree with the noun after them."""

    feminine: frozenset[str]  # nouns known feminine, lower case, singular and plural
    masculine: frozenset[str]  # nouns known masculine, often those whose ending misleads
    feminine_endings: tuple[str, ...]
    masculine_endings: tuple[str, ...]
    not_nouns: frozenset[str]  # words after which nothing agrees
    # Words just before a number that make the number itself a noun ("el 21 llega").
    nominalising: frozenset[str]
    inflect: Inflect
    capitalised_nouns: bool = False  # German: a capitalised word after a number is a noun


def gender_of(word: str, rules: Agreement) -> str | None:
    """ "personas" -> "f", "años" -> "m", "de" -> None."""
    lower = word.lower()
    if lower in rules.not_nouns or word[:1].isupper() != rules.capitalised_nouns:
        return None  # German nouns are capitalised; elsewhere a capital starts a name
    if lower in rules.feminine:
        return FEMININE
    if lower in rules.masculine:
        return MASCULINE
    if len(lower) >= _SHORTEST_BY_ENDING:
        if lower.endswith(rules.feminine_endings):
            return FEMININE
        if lower.endswith(rules.masculine_endings):
            return MASCULINE
    if rules.capitalised_nouns:
        return MASCULINE  # "ein" serves masculine and neuter alike
    return None


def agree_with_noun(said: str, noun: str, rules: Agreement | None) -> str:
    """``said`` (number words) as read before ``noun`` (a known noun: a currency, a unit)."""
    if rules is None:
        return said
    gender = gender_of(noun.split()[0], rules)
    return rules.inflect(said, gender, noun) if gender else said


def agree_in_text(said: str, written: str, before: str, after: str, rules: Agreement | None) -> str:
    """``said`` (the words of the number ``written``) as read between ``before`` and ``after``.

    Only whole numbers agree: "1,5 millones" keeps "uno coma cinco".
    """
    if rules is None or not written.isdigit():
        return said
    previous = _PREVIOUS_WORD.search(before)
    if previous and previous[1].lower() in rules.nominalising:
        return said
    following = _NEXT_WORD.match(after)
    if following is None:
        return said
    return agree_with_noun(said, following[1], rules)


def next_word(after: str) -> str | None:
    following = _NEXT_WORD.match(after)
    return following[1] if following else None


# --- the languages' forms ------------------------------------------------------


def _split_at_last(said: str, scale: re.Pattern[str]) -> tuple[str, str]:
    """ "doscientos millones seiscientos" -> ("doscientos millones ", "seiscientos"):
    only what follows the last million agrees with the noun; the millions agree
    with "millones" (masculine)."""
    ends = [match.end() for match in scale.finditer(said)]
    if not ends:
        return "", said
    return said[: ends[-1]], said[ends[-1] :]


_ES_SCALE = re.compile(r"\b(?:millón|millones|billón|billones|trillón|trillones)\b")
_ES_ONE = re.compile(r"\b(veinti)?uno$")


def inflect_es(said: str, gender: str, _noun: str) -> str:
    """ "veintiuno" -> "veintiún" (masculine) / "veintiuna"; "seiscientos" -> "seiscientas"."""
    head, tail = _split_at_last(said, _ES_SCALE)
    if gender == FEMININE:
        tail = tail.replace("ientos", "ientas")
        tail = _ES_ONE.sub(lambda m: "veintiuna" if m[1] else "una", tail)
    else:
        tail = _ES_ONE.sub(lambda m: "veintiún" if m[1] else "un", tail)
    return head + tail


_PT_SCALE = re.compile(r"\b(?:milhão|milhões|bilião|biliões|bilhão|bilhões)\b")


def inflect_pt(said: str, gender: str, _noun: str) -> str:
    """ "um" -> "uma", "dois" -> "duas", "duzentos" -> "duzentas" before a feminine noun."""
    if gender != FEMININE:
        return said
    head, tail = _split_at_last(said, _PT_SCALE)
    tail = re.sub(r"entos\b", "entas", tail)
    tail = re.sub(r"\bum\b", "uma", tail)
    tail = re.sub(r"\bdois\b", "duas", tail)
    return head + tail


def inflect_fr(said: str, gender: str, _noun: str) -> str:
    """ "vingt et un" -> "vingt et une" before a feminine noun."""
    return re.sub(r"\bun$", "une", said) if gender == FEMININE else said


# Masculine nouns that take "uno" rather than "un": s + consonant, z, gn, ps, x, y, pn.
_IT_UNO = re.compile(r"(?:s[^aeiouàèéìòù]|z|gn|ps|pn|x|y)", re.I)


def inflect_it(said: str, gender: str, noun: str) -> str:
    """ "uno" -> "un euro", "uno studente", "una persona", "un'ora"; "ventun milioni"."""
    if said.endswith("uno") and noun in ("milioni", "miliardi"):
        return said[:-1]  # "ventun milioni"
    if said != "uno":
        return said
    if gender == FEMININE:
        return "un'" if noun[:1].lower() in "aeiouàèéìòù" else "una"
    return "uno" if _IT_UNO.match(noun) else "un"


def inflect_de(said: str, gender: str, _noun: str) -> str:
    """ "eins" -> "ein Euro", "eine Frau"; "hunderteins" -> "hundertein Euro"."""
    if not said.endswith("eins"):
        return said
    return said[: -len("eins")] + ("eine" if gender == FEMININE and said == "eins" else "ein")


def joined(said: str, noun: str) -> str:
    """ "un'" + "ora" -> "un'ora"; otherwise a space between."""
    return f"{said}{noun}" if said.endswith("'") else f"{said} {noun}"
