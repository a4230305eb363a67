"""Find people's names in the text, to resolve labels like "NJP" or "Portillo".

A name is a run of capitalised words, optionally with middle initials ("J.")
and particles ("van", "de"): "Nestor J. Portillo", "Ludwig van Beethoven".
Every window of two or more words of such a run is a possible name, counted
over the whole text; the most frequent (then longest) match wins.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

# Latin-1 plus Latin Extended-A (Vuković, Łukasz, Şahin), whose capitals and small
# letters alternate in one range: it counts as both.
UPPER = "A-ZÀ-ÖØ-ÞĀ-ž"
LOWER = "a-zß-öø-ÿĀ-ž"
# A capitalised word that ends in a lower-case letter: "Nestor", "McDonald",
# "O'Brien", "Jean-Luc"; not "IT" or "MVP", which are acronyms.
NAME_WORD = rf"[{UPPER}][{UPPER}{LOWER}'’-]*[{LOWER}]"
INITIAL = rf"[{UPPER}]\."
PARTICLE = r"(?:van|von|der|den|de|da|das|del|della|di|du|la|le|bin|ibn|al|el|ten|ter)"
NAME_RUN = re.compile(
    rf"(?<![\w.])(?:{NAME_WORD}|{INITIAL})(?:[ \t]+(?:{NAME_WORD}|{INITIAL}|{PARTICLE}(?=[ \t])))*"
)
TOKEN = re.compile(rf"{NAME_WORD}|{INITIAL}|{PARTICLE}")
PARTICLES = re.compile(rf"{PARTICLE}")

# Capitalised words that start sentences or sit before names without being
# part of them: "Today Nestor", "Thanks Jane", "Dear John".
NOT_NAME_STARTS_WORDS = """
    a an and as at but by dear for from hello hi if in interview interviewer it my of on
    our question answer so thank thanks that the this today tomorrow we when with
    yesterday welcome i'm i’m i've i’ve i'll i’ll i'd i’d it's it’s here there meet
"""
NOT_NAME_STARTS = frozenset(NOT_NAME_STARTS_WORDS.split())

MAX_NAME_WORDS = 5


@dataclass(frozen=True)
class NameIndex:
    counts: Counter[str]  # candidate full name -> occurrences in the text

    def best(self, accept: Callable[[list[str]], bool]) -> str | None:
        """The most frequent candidate accepted by ``accept``; ties go to the longest."""
        found = [name for name in self.counts if accept(name.split(" "))]
        if not found:
            return None
        return max(found, key=lambda name: (self.counts[name], len(name.split(" "))))

    def occurrences(self, name: str) -> int:
        return self.counts.get(name, 0)


def _is_word(token: str) -> bool:
    return not PARTICLES.fullmatch(token) and not token.endswith(".")


def index_names(text: str) -> NameIndex:
    counts: Counter[str] = Counter()
    for run in NAME_RUN.finditer(text):
        tokens = TOKEN.findall(run.group())
        for start in range(len(tokens)):
            if PARTICLES.fullmatch(tokens[start]) or tokens[start].lower() in NOT_NAME_STARTS:
                continue
            for end in range(start + 2, min(len(tokens), start + MAX_NAME_WORDS) + 1):
                window = tokens[start:end]
                # A name ends with a surname, never with "J." or "van".
                if _is_word(window[-1]):
                    counts[" ".join(window)] += 1
    return NameIndex(counts)


def initials_of(tokens: list[str]) -> str:
    return "".join(token[0] for token in tokens if not PARTICLES.fullmatch(token)).upper()


def resolve_initials(index: NameIndex, label: str) -> str | None:
    """ "NJP" -> "Nestor J. Portillo" when such a name is in the text.

    A hyphenated surname gives one initial or two: "SA" or "SAF" for
    Saoirse Adeyemi-Fogh.
    """
    wanted = label.replace(".", "").upper()

    def matches(tokens: list[str]) -> bool:
        split = [part for token in tokens for part in token.split("-") if part]
        return wanted in (initials_of(tokens), initials_of(split))

    return index.best(matches)


def resolve_word(index: NameIndex, word: str) -> str | None:
    """A surname ("Portillo") or a first name ("Jane") -> the full name in the text."""
    surname = index.best(lambda tokens: tokens[-1] == word)
    return surname or index.best(lambda tokens: tokens[0] == word)


def is_surname(index: NameIndex, word: str) -> bool:
    return index.best(lambda tokens: tokens[-1] == word) is not None
