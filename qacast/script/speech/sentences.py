"""Sentence splitting that survives names, titles and abbreviations.

A boundary is ".", "!", "?" or "…" (plus closing quotes/brackets), then
whitespace, then something that can start a sentence (a capital, a digit or an
opening quote). A "." boundary is vetoed when the word before it is an
abbreviation ("Dr.", "e.g."), an initial ("J.") or a dotted acronym ("U.S.",
"I.S.P."): a missed split only makes one utterance longer, while a wrong split
makes the engine pause inside a name.
"""

from __future__ import annotations

import re

CANDIDATE = re.compile(r"(?P<end>[.!?…]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]*[A-ZÀ-ÖØ-Þ0-9])")
LAST_WORD = re.compile(r"[\w.'’-]*$")

# Words (lower-case, without the final ".") after which "." does not end a sentence.
ABBREVIATIONS_WORDS = """
    mr mrs ms mx dr prof sr jr st mt rev hon gen col capt cpt lt sgt gov sen rep pres
    supt insp fr br e.g eg i.e ie vs cf approx incl dept univ a.k.a aka ft viz al jan
    feb mar apr jun jul aug sep sept oct nov dec
"""
ABBREVIATIONS = frozenset(ABBREVIATIONS_WORDS.split())
# Abbreviations that are also ordinary words ("the answer is no."): only when a
# number follows ("No. 5", "p. 12").
NUMBER_ABBREVIATIONS = frozenset(["no", "nos", "p", "pp", "vol", "vols", "fig", "figs"])
INITIAL = re.compile(r"[A-ZÀ-ÖØ-Þ]")
DOTTED = re.compile(r"(?:\w\.)+\w")  # "U.S", "I.S.P", "e.g", "a.m" (final dot excluded)

LONG_SENTENCE_CHARS = 300
# Where an over-long sentence may be cut, coarsest first.
CHUNK_SEPARATORS: tuple[str, ...] = ("; ", ": ", ", ", " ")


def _vetoed(before: str, end: str, after: str) -> bool:
    if end != ".":
        return False
    word = LAST_WORD.search(before)
    token = word.group() if word else ""
    return (
        token.lower() in ABBREVIATIONS
        or (token.lower() in NUMBER_ABBREVIATIONS and after[:1].isdigit())
        or bool(INITIAL.fullmatch(token))
        or bool(DOTTED.fullmatch(token))
    )


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, in order, none empty."""
    sentences: list[str] = []
    start = 0
    for match in CANDIDATE.finditer(text):
        before, after = text[start : match.start("end")], text[match.end() :]
        if _vetoed(before, match.group("end"), after):
            continue
        sentences.append(text[start : match.end("end")].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def chunk_long(sentence: str, limit: int = LONG_SENTENCE_CHARS) -> list[str]:
    """Cut a sentence longer than ``limit`` at ";", ":", "," or spaces.

    Pieces are packed greedily so each chunk is as long as allowed: TTS engines
    slow down and drift on very long inputs, but many tiny chunks sound choppy.
    """
    if len(sentence) <= limit:
        return [sentence]
    for separator in CHUNK_SEPARATORS:
        pieces = sentence.split(separator)
        if len(pieces) < 2:
            continue
        # Keep the separator's punctuation on the left piece: "a;" "b".
        kept = [p + separator.rstrip() for p in pieces[:-1]] + [pieces[-1]]
        chunks: list[str] = []
        for piece in kept:
            if chunks and len(chunks[-1]) + 1 + len(piece) <= limit:
                chunks[-1] = f"{chunks[-1]} {piece}"
            else:
                chunks.append(piece)
        return [part for chunk in chunks for part in chunk_long(chunk.strip(), limit) if part]
    return [sentence[i : i + limit] for i in range(0, len(sentence), limit)]
