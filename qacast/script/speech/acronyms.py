"""All-capital words: read as a word (NASA, UNESCO) or spelled letter by letter (FBI).

One policy for every language; each language's table adds fixed readings
(IEEE: "I triple E") and words its shape would not tell (RAM, PIN).
"""

from __future__ import annotations

import re

from qacast.script.speech.normalise_lang import Language

VOWELS = "AEIOUY"
# Consonant clusters English can start or end a syllable with: anything else
# between vowels or at an edge means the letters are spelled ("FCIPS").
ONSETS = frozenset(
    [
        "BL",
        "BR",
        "CH",
        "CL",
        "CR",
        "DR",
        "FL",
        "FR",
        "GL",
        "GN",
        "GR",
        "KN",
        "PH",
        "PL",
        "PR",
        "SC",
        "SH",
        "SK",
        "SL",
        "SM",
        "SN",
        "SP",
        "ST",
        "SW",
        "TH",
        "TR",
        "TW",
        "WH",
        "WR",
        "SCR",
        "SPL",
        "SPR",
        "STR",
    ]
)
CODAS = frozenset(
    [
        "CH",
        "CK",
        "CT",
        "DS",
        "FT",
        "GS",
        "KS",
        "LD",
        "LF",
        "LK",
        "LL",
        "LM",
        "LP",
        "LS",
        "LT",
        "MP",
        "MS",
        "ND",
        "NG",
        "NK",
        "NS",
        "NT",
        "PS",
        "PT",
        "RB",
        "RD",
        "RK",
        "RL",
        "RM",
        "RN",
        "RS",
        "RT",
        "SH",
        "SK",
        "SP",
        "SS",
        "ST",
        "TH",
        "TS",
    ]
)
SHAPE = re.compile(r"([^AEIOUY]*)((?:[AEIOUY]+[^AEIOUY]+)*?)([AEIOUY]+)([^AEIOUY]*)")


def pronounceable(word: str) -> bool:
    """Whether an all-capitals word reads as a word (NASA, UNESCO), not letters (FCIPS).

    Three letters are too few to tell a word from initials (FBI, EPA, SEC are
    spelled; the table lists RAM, PIN). A final "U" after a consonant is not
    how English words end (ACLU, NYU).
    """
    if len(word) < 4 or not any(c in VOWELS for c in word):
        return False
    if word.endswith("U") and word[-2] not in VOWELS:
        return False
    pieces = re.findall(r"[AEIOUY]+|[^AEIOUY]+", word)
    for index, piece in enumerate(pieces):
        if piece[0] in VOWELS:
            if len(piece) > 2:
                return False
            continue
        if index == 0:
            ok = len(piece) == 1 or piece in ONSETS
        elif index == len(pieces) - 1:
            ok = len(piece) == 1 or piece in CODAS
        else:
            ok = len(piece) == 1 or (
                len(piece) == 2 and (piece in ONSETS or piece in CODAS or piece[1] in "LR")
            )
        if not ok:
            return False
    return True


def spell(letters: str) -> str:
    """ "FCIPS" -> "F-C-I-P-S": espeak-ng says each letter's name, and a lone "A"
    joined this way is "ay", not the article."""
    return "-".join(letters)


def shouting(text: str) -> bool:
    """A sentence typed in capitals: its words are words, not acronyms."""
    words = re.findall(r"[A-Za-z]{3,}", text)
    capitals = [w for w in words if w.isupper()]
    return len(words) >= 4 and len(capitals) * 4 >= len(words) * 3


def plural_of(said: str) -> str:
    """ "F-B-I" -> "F-B-I's" (espeak-ng would read "F-B-Is" as "F B is"); "NASA" -> "NASAs"."""
    return f"{said}'s" if re.search(r"(?:^|[\s-])[A-Za-z]$", said) else f"{said}s"


def say_acronym(letters: str, lang: Language) -> str:
    """The one policy for all-capital words, in every language: a fixed reading
    from the language's table (IEEE: "I triple E"), else a word if the table
    says so (NASA) or its shape reads as one (UNESCO), else its letters spelled
    (FBI: "F-B-I"). The show's lexicon comes before all of it."""
    if letters in lang.acronym_said:
        return lang.acronym_said[letters]
    if letters in lang.acronym_words or pronounceable(letters):
        return letters
    return spell(letters)
