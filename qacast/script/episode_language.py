"""Which language an episode is in, and where that came from.

In order: the script's front matter ``language``; then the words themselves
when they say so with confidence; then the show's ``language`` in
``qacast.toml``. A show that sets no language (``ShowConfig.language_set``
tells "en" set from "en" by default apart) takes any language the words
lean to, and "en" when they are too few to tell. One episode has one
language: a quoted phrase in another is read with the rest.

Why the words may overrule the show: a show set to English that publishes
one interview in French would otherwise read it with English voices and
English numbers ("one,25", "twenty twenty-four"), and nobody is told. So
a *confident* detection that differs from the show's language decides the
episode's language, and ``qacast parse`` and ``build`` say so.

What "confident" is, measured with lingua-language-detector 2.1 (offline:
its n-gram models ship inside its wheel) on our own texts in English,
French, German, Spanish, Italian, Portuguese and Norwegian:
- lingua's own confidence means little alone: a 60-word English panel
  intro full of people's names scored Tagalog 0.999, a line of names
  Yoruba 0.99, "¿Y usted? Sí, claro." Maori 0.65. So the words read are
  the ones that are no names: a capitalised word inside a sentence (a
  person, a place, a brand) and an all-capitals word (an acronym) are left
  out. On what remains every one of those texts was read right, at 1.000.
- Enough words: two-line scripts (7-9 words) were right but at 0.4-1.0;
  texts of 30 words and more were all right at 1.000. A confident reading
  needs ``MIN_LETTERS`` letters (about 40 words), counted in letters so
  that Chinese or Japanese, written without spaces, count too.
- Mostly one language: the text is cut into passages of about 20 words,
  each read alone. An English interview quoting French ("mise en place",
  "c'est la patience avant tout") read 100% English; a French interview
  with an English introduction 83% French; half English and half French
  54/46. The language must hold ``MIN_SHARE`` of the letters: a half-and-half
  episode keeps the show's language, with a note.
- Neighbours are not overruled: Bokmål and Nynorsk, Bosnian, Croatian and
  Serbian, Malay and Indonesian are told apart by lingua but read alike by
  the voices; a show's "nb" is not turned into "nn".

lingua runs in its low accuracy mode (trigrams only). For texts of 120
characters or more lingua reads trigrams only in either mode, so nothing is
lost there; but the high accuracy mode loads every language's 1- to 5-gram
models for a shorter text: +897 MB and 30 s for a two-line script, measured,
against +71 MB and under a second for all 75 languages in low accuracy mode.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from qacast.models import Episode
from qacast.script.languages import base_code, localise_speakers

# Where the language came from, as ``qacast parse`` reports it.
FRONT_MATTER = "front matter"
SHOW = "show"
DETECTED = "detected"

# A confident detection (see the module docstring for the measurements).
MIN_LETTERS = 200  # about 40 words of evidence
MIN_CONFIDENCE = 0.9  # lingua's confidence for the language over all the words read
MIN_SHARE = 0.75  # the part of the letters in passages read as that language
PASSAGE_LETTERS = 100  # about 20 words: a passage read on its own
MAX_PASSAGES = 20  # spread over the episode (about 400 words); more only costs time
# A show without a language takes the words' language when lingua puts it this
# far ahead of the runner-up: "Q: Hi? A: Yes." could be several.
DETECT_MIN_DISTANCE = 0.1

# Languages the voices read alike and lingua tells apart: never overruled by one another.
NEIGHBOURS: tuple[frozenset[str], ...] = (
    frozenset({"nb", "nn", "no"}),
    frozenset({"bs", "hr", "sr"}),
    frozenset({"ms", "id"}),
)

# A language's name as a producer may write it in front matter, in its own
# language (English names come from lingua's table).
NATIVE_NAMES = {
    "français": "fr", "francais": "fr", "deutsch": "de", "español": "es", "espanol": "es",
    "castellano": "es", "italiano": "it", "português": "pt", "portugues": "pt",
    "nederlands": "nl", "norsk": "no", "svenska": "sv", "dansk": "da", "polski": "pl",
}  # fmt: skip

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# What may stand just before the first word of a sentence.
SENTENCE_OPENERS = frozenset(".!?¿¡:;…\"“”«„‘'([—–-")


@dataclass(frozen=True)
class Detection:
    """What the words say about their language."""

    code: str | None  # ISO 639-1 of the language most of the words are in; None: no words
    confidence: float  # lingua's confidence for it over all the words read, 0-1
    margin: float  # how far ahead of the runner-up it is
    share: float  # the part of the letters in passages read as this language
    letters: int  # letters in the words read (names, places and acronyms left out)

    @property
    def confident(self) -> bool:
        return (
            self.code is not None
            and self.letters >= MIN_LETTERS
            and self.confidence >= MIN_CONFIDENCE
            and self.share >= MIN_SHARE
        )

    def evidence(self) -> str:
        words = self.letters // 5
        return f"about {words} words, {self.share:.0%} {language_name(self.code or '')}"


NO_WORDS = Detection(None, 0.0, 0.0, 0.0, 0)


@dataclass(frozen=True)
class EpisodeLanguage:
    code: str  # BCP-47 as written ("fr", "en-gb") or as detected ("fr")
    source: str  # FRONT_MATTER, SHOW or DETECTED
    detection: Detection | None = None  # None: not asked (the front matter decided)


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    # Built on first use: its models take a moment to load, and most commands
    # (serve, feed) never need them.
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def evidence_words(paragraph: str) -> list[str]:
    """The words of ``paragraph`` that can tell its language, lower case: no names
    (capitalised inside a sentence), no acronyms."""
    kept = []
    end = 0  # where the word before ended
    for match in _WORD.finditer(paragraph):
        word, gap = match.group(), paragraph[end : match.start()].strip()
        end = match.end()
        if word[0].isupper():
            opens = (gap[-1:] in SENTENCE_OPENERS) if gap else match.start() == 0
            if not opens or (len(word) > 1 and word.isupper()):
                continue
        kept.append(word.lower())
    return kept


def _passages(paragraphs: Iterable[str]) -> list[list[str]]:
    """The evidence words in passages of at least PASSAGE_LETTERS, spread over the text."""
    passages: list[list[str]] = []
    current: list[str] = []
    for paragraph in paragraphs:
        current += evidence_words(paragraph)
        if sum(map(len, current)) >= PASSAGE_LETTERS:
            passages.append(current)
            current = []
    if current:
        passages.append(current)
    if len(passages) > MAX_PASSAGES:
        step = len(passages) / MAX_PASSAGES
        passages = [passages[int(i * step)] for i in range(MAX_PASSAGES)]
    return passages


def _code(language: Any) -> str:
    return str(language.iso_code_639_1.name.lower())


def detect(paragraphs: Iterable[str]) -> Detection:
    """What language the paragraphs are in, with the evidence for it."""
    passages = _passages(paragraphs)
    words = [word for passage in passages for word in passage]
    if not words:
        return NO_WORDS
    identifier = _identifier()
    values = identifier.compute_language_confidence_values(" ".join(words))
    best = values[0]
    runner_up = values[1].value if len(values) > 1 else 0.0
    letters: Counter[str] = Counter()
    for passage in passages:
        found = identifier.detect_language_of(" ".join(passage))
        letters[_code(found) if found else ""] += sum(map(len, passage))
    total = sum(letters.values())
    code = _code(best.language)
    return Detection(code, best.value, best.value - runner_up, letters[code] / total, total)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` leans to; None when it cannot tell."""
    found = detect(text.splitlines())
    return found.code if found.code and found.margin >= DETECT_MIN_DISTANCE else None


def spoken_paragraphs(episode: Episode) -> list[str]:
    return [paragraph.text for turn in episode.turns for paragraph in turn.paragraphs]


def differs(one: str, other: str) -> bool:
    """Two languages the voices read differently (not "en-GB" and "en", not "nb" and "nn")."""
    a, b = base_code(one), base_code(other)
    return a != b and not any(a in group and b in group for group in NEIGHBOURS)


def episode_language(
    episode: Episode, show_language: str, show_language_set: bool
) -> EpisodeLanguage:
    if episode.meta.language:
        return EpisodeLanguage(episode.meta.language, FRONT_MATTER)
    found = detect(spoken_paragraphs(episode))
    if show_language_set:
        overrules = found.confident and differs(found.code or "", show_language)
        return EpisodeLanguage(
            found.code if overrules and found.code else show_language,
            DETECTED if overrules else SHOW,
            found,
        )
    if found.code is None or found.margin < DETECT_MIN_DISTANCE:
        return EpisodeLanguage(show_language, SHOW, found)  # too few words: the default
    return EpisodeLanguage(found.code, DETECTED, found)


def language_note(found: EpisodeLanguage, show_language: str, show_language_set: bool) -> str:
    """How ``qacast parse -v`` explains the decision."""
    seen = found.detection
    if found.source == FRONT_MATTER:
        return f"language: {found.code} (from the front matter)"
    if found.source == DETECTED and not show_language_set:
        return f"language: {found.code} (detected; neither the front matter nor the show sets one)"
    if found.source == DETECTED and seen is not None:
        return (
            f"language: {found.code} (detected: {seen.evidence()}), not the show's "
            f"{show_language}: read in {language_name(found.code)}"
        )
    note = f"language: {found.code} (from the {found.source})"
    if seen is None or seen.code is None or not differs(seen.code, found.code):
        return note
    return (
        f"{note}; the words look {language_name(seen.code)} ({seen.evidence()}), "
        f"too little to be sure (a confident reading needs about {MIN_LETTERS // 5} words, "
        f"{MIN_SHARE:.0%} in one language): set language: {seen.code} in its front matter "
        "if it is"
    )


def with_language(episode: Episode, show_language: str, show_language_set: bool) -> Episode:
    """The episode with its language decided (a detected one is written into its meta)
    and its role-word speakers named in that language."""
    found = episode_language(episode, show_language, show_language_set)
    meta = episode.meta
    if found.source == DETECTED:
        meta = dataclasses.replace(meta, language=found.code)
    meta = dataclasses.replace(meta, language_source=found.source)
    note = language_note(found, show_language, show_language_set)
    episode = dataclasses.replace(episode, meta=meta, notes=(*episode.notes, note))
    return localise_speakers(episode, found.code)


def overruled_show(episode: Episode, show_language: str, show_language_set: bool) -> str | None:
    """The line ``build`` and ``render`` print when the words overruled the show's language."""
    language = episode.meta.language
    if episode.meta.language_source != DETECTED or not show_language_set or not language:
        return None
    return (
        f"written in {language_name(language)} (detected), not the show's "
        f"{language_name(show_language)}: read in {language_name(language)}"
    )


def voice_language(
    episode: Episode, show_language: str, speaks: Callable[[str], bool]
) -> tuple[str, str | None]:
    """The language the voices read the episode in, and a line when it is not its own.

    A language the words were detected in but no voice of the show speaks
    (espeak-ng has no Somali, Zulu or Yoruba) is read by a neighbour that
    has a voice (Nynorsk by Bokmål), else by the show's language, with a
    line saying so at every verbosity: the detection is qacast's guess, and
    a guess must not stop a build, but the producer must hear of it. A
    language the front matter or the show names and no voice speaks stays an
    error where the voices are cast: that one was asked for.
    """
    language = episode.meta.language or show_language
    if episode.meta.language_source != DETECTED or speaks(language):
        return language, None
    group = next((g for g in NEIGHBOURS if base_code(language) in g), frozenset[str]())
    instead = next((code for code in sorted(group) if speaks(code)), show_language)
    name = language_name(language)
    return instead, (
        f"written in {name} (detected), but no voice of the show speaks {name}: read "
        f"in {language_name(instead)} (map voices for it in the cast preset's "
        f"[languages.{base_code(language)}] tables, or set language: in its front matter)"
    )


def language_name(code: str) -> str:
    """ "fr" -> "French", "en-GB" -> "English"; the code itself when lingua does not know it."""
    try:
        found = Language.from_iso_code_639_1(IsoCode639_1.from_str(base_code(code)))
    except ValueError:
        return code
    return str(found.name.title())


def code_for_name(name: str) -> str | None:
    """ "French", "Français" -> "fr": a language's name as front matter may give it."""
    word = name.strip().lower()
    if len(word) <= 3:  # a code, not a name ("fr", "deu")
        return None
    if word in NATIVE_NAMES:
        return NATIVE_NAMES[word]
    try:
        return _code(Language.from_str(word))
    except ValueError:
        return None
