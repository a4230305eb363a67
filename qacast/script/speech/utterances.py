"""Episode -> utterances: one sentence each, with text cleaned for the engine.

espeak-ng reads whatever it is given: "[laughs]" and "<b>" aloud, "e.g." as
"e g". Each rule below drops or rewrites one such thing; they run in order.
Then ``normalise`` (normalise.py) says numbers, amounts, addresses, symbols
and acronyms in words, after the pronunciation lexicon. Only the speech is
changed: ``Utterance.text``, which captions show, keeps what was written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from qacast.models import Episode, Utterance
from qacast.script.blocks.stage import STAGE_WORDS
from qacast.script.speech.lexicon import Lexicon, episode_readings
from qacast.script.speech.normalise import normalise, tidy
from qacast.script.speech.sentences import chunk_long, split_sentences
from qacast.script.text import collapse_whitespace, strip_markup

SPEECH_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, flags), replacement)
    for pattern, replacement, flags in (
        # Stage directions: [laughs], (inaudible), [00:12:31]: dropped, not read.
        (rf"[\[(]\s*(?:both |he |she |they )?(?:{STAGE_WORDS})\b[^\])\n]{{0,40}}[\])]", " ", re.I),
        (rf"[\[(]\s*(?:{STAGE_WORDS})\s*[\])]", " ", re.I),
        # Other square brackets are editorial insertions ("[the program]"): read them.
        (r"\[([^\]\n]*)\]", r"\1", 0),
        # Abbreviations espeak-ng misreads.
        (r"\be\.\s?g\.(?=\W|$)", "for example", re.I),
        (r"\bi\.\s?e\.(?=\W|$)", "that is", re.I),
        (r"\betc\.(?=\s*$)", "et cetera.", re.I),  # its period also ended the sentence
        (r"\betc\.?(?=\W|$)", "et cetera", re.I),
        (r"\bvs\.?(?=\W|$)", "versus", re.I),
        (r"\ba\.k\.a\.?(?=\W|$)", "also known as", re.I),
        (r"\bapprox\.(?=\W|$)", "approximately", re.I),
        (r"\bw/(?=\s)", "with", re.I),
        # Bullets and markup left over; the normaliser sweeps any other symbol.
        (r"[*_•·▪◦●○■□➢➤►▶→⇒✓✔❖◆◇§~^|\\<>{}]", " ", 0),
        # Tidy what the rules above left behind.
        (r"\(\s*\)", " ", 0),
        (r"\s+([,.;:!?])", r"\1", 0),
        (r",(?:\s*,)+", ",", 0),
        (r"^[\s,.;:]+", "", 0),
    )
)
SPEAKABLE = re.compile(r"\w")


def clean_speech(text: str, language: str = "en", lexicon: Mapping[str, str] | None = None) -> str:
    """Text as the TTS engine should read it: no markup, symbols or asides,
    numbers and symbols in words, lexicon words as the producer wrote them."""
    text = strip_markup(text)
    for pattern, replacement in SPEECH_RULES:
        text = pattern.sub(replacement, text)
    return tidy(normalise(text, language, lexicon))


def utterances(
    episode: Episode, lexicon: Lexicon | None = None, language: str = "en"
) -> tuple[Utterance, ...]:
    """Every sentence of every paragraph of every turn, in order.

    A list item is one utterance even without a final period (split further
    only when very long). Sentences with nothing to say once cleaned
    ("[laughs]") are left out, so the engine never gets empty text.
    Sentences are split before normalising, so "$3.50." stays one sentence
    and each caption keeps the speech it was said with. ``lexicon`` is the
    show's; the script's own entries (``episode.meta.lexicon``) win over it.
    """
    readings = episode_readings(lexicon, episode.meta.lexicon, language)
    result: list[Utterance] = []
    for turn_index, turn in enumerate(episode.turns):
        for paragraph_index, paragraph in enumerate(turn.paragraphs):
            text = collapse_whitespace(paragraph.text)
            sentences = [text] if paragraph.list_item else split_sentences(text)
            pieces = [piece for sentence in sentences for piece in chunk_long(sentence)]
            sentence_index = 0
            for piece in pieces:
                speech = clean_speech(piece, language, readings)
                if not SPEAKABLE.search(speech):
                    continue
                display = collapse_whitespace(strip_markup(piece))
                result.append(
                    Utterance(
                        turn_index,
                        paragraph_index,
                        sentence_index,
                        turn.speaker_id,
                        display,
                        speech,
                    )
                )
                sentence_index += 1
    return tuple(result)
