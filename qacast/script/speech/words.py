"""Words run together in addresses, handles and hashtags, split as a reader says them.

"cityofriverton.gov" is one word to espeak-ng ("cityofriverton"), said as
an unknown name; a reader says "city of riverton dot gov". The split is
made in three passes:

1. the writer's own marks: "-", "_", "." and digits ("jane_doe", "covid19"),
   and capitals inside a word ("BlackLivesMatter", "NYTimes");
2. a lower-case run is cut into the likeliest words by ``wordsegment``
   (unigram and bigram counts of a trillion-word web corpus, shipped inside
   the wheel: nothing is downloaded); a word it knows stays whole ("healthcare");
3. a piece without a vowel ("bbc", "npr") cannot be said as a word, so its
   letters are spelled, as the acronym rule spells "FBI".

The counts take about 0.4 s and 100 MB to load, so they are loaded the first
time a sentence has an address, handle or hashtag, once per process.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

# Runs of letters or of digits; anything else ("-", "_", ".") separates words.
_RUNS = re.compile(r"[^\W\d_]+|[0-9]+")
_VOWELS = frozenset("aeiouyàâäéèêëïîôöùûüáíóúý")
# All-capital runs this long are words typed in capitals ("#BLACKLIVESMATTER"),
# not acronyms, and are split like lower-case ones.
_LONGEST_ACRONYM = 6
_ONE_LETTER_WORDS = frozenset("ai")  # "openai": "open a i"


@functools.cache
def _segmenter() -> Callable[[str], list[str]]:
    # Imported and loaded on first use: most scripts have no address at all.
    import wordsegment

    wordsegment.load()
    segment: Callable[[str], list[str]] = wordsegment.segment
    return segment


def split_words(text: str) -> list[str]:
    """ "cityofriverton" -> ["city", "of", "riverton"]; "jane_doe" -> ["jane", "doe"];
    "BlackLivesMatter" -> ["Black", "Lives", "Matter"]; "bbc" -> ["B-B-C"]; "NHS" -> ["NHS"]."""
    words: list[str] = []
    for piece in _pieces(text):
        if piece.isdigit():
            words.append(piece)
        elif piece.isupper() and len(piece) <= _LONGEST_ACRONYM:
            words.append(piece)  # an acronym: the acronym rule says it
        elif piece.islower() or piece.isupper():
            words.extend(_said(word) for word in _segment(piece.lower()))
        else:
            words.append(_said(piece))  # "Black": the writer's capital already split it
    return words


def _pieces(text: str) -> list[str]:
    """Cut at separators, between letters and digits, and where a capital starts
    a word: "NYTimes2024" -> ["NY", "Times", "2024"]."""
    pieces: list[str] = []
    for run in _RUNS.findall(text):
        start = 0
        for index in range(1, len(run)):
            here, before = run[index], run[index - 1]
            after = run[index + 1] if index + 1 < len(run) else ""
            if here.isupper() and (before.islower() or (before.isupper() and after.islower())):
                pieces.append(run[start:index])
                start = index
        pieces.append(run[start:])
    return pieces


@functools.lru_cache(maxsize=1024)
def _segment(run: str) -> tuple[str, ...]:
    if not run.isascii():
        return (run,)  # the counts are of ASCII words only
    words = tuple(_segmenter()(run))
    # A stray letter is a guess, not a word ("fcips" -> "fcip s"): keep the run whole.
    if not words or any(len(w) == 1 and w not in _ONE_LETTER_WORDS for w in words):
        return (run,)
    return words


def _said(word: str) -> str:
    if len(word) > 1 and not _VOWELS & set(word.lower()):
        return "-".join(word.upper())  # "bbc" -> "B-B-C"
    return word
