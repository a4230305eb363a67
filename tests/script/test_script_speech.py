"""Sentence splitting, speech cleaning and utterances."""

from __future__ import annotations

import pytest

from qacast.models import Episode, EpisodeMeta, Paragraph, Speaker, Turn
from qacast.script import parse_script, utterances
from qacast.script.speech.sentences import LONG_SENTENCE_CHARS, chunk_long, split_sentences
from qacast.script.speech.utterances import clean_speech


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        (
            "I met Mr. Smith and Dr. Jones. They agreed.",
            ["I met Mr. Smith and Dr. Jones.", "They agreed."],
        ),
        ("Ask Nestor J. Portillo about it.", ["Ask Nestor J. Portillo about it."]),
        ("Stephen Ibaraki, FCIPS, I.S.P. Thanks.", ["Stephen Ibaraki, FCIPS, I.S.P. Thanks."]),
        ("He moved to the U.S. in 1999.", ["He moved to the U.S. in 1999."]),
        ("It grew 3.5 percent. Then 4.2.", ["It grew 3.5 percent.", "Then 4.2."]),
        ("Use tools, e.g. Slack. Or not.", ["Use tools, e.g. Slack.", "Or not."]),
        ("Use tools, i.e. Slack and vs. Teams.", ["Use tools, i.e. Slack and vs. Teams."]),
        (
            "See No. 5 now. The answer is no. Then go.",
            ["See No. 5 now.", "The answer is no.", "Then go."],
        ),
        ('He said "Stop." Then left.', ['He said "Stop."', "Then left."]),
        ("Wait… What?", ["Wait…", "What?"]),
        ("lower. case stays together", ["lower. case stays together"]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_long_sentence_is_chunked_at_punctuation() -> None:
    clause = "this clause is of moderate length and keeps going for a while"
    sentence = "; ".join([clause] * 8) + "."
    chunks = chunk_long(sentence)
    assert len(chunks) > 1
    assert all(len(c) <= LONG_SENTENCE_CHARS for c in chunks)
    assert " ".join(chunks) == sentence
    assert chunks[0].endswith(";")


def test_long_sentence_without_punctuation_is_chunked_at_spaces() -> None:
    sentence = " ".join(["word"] * 200)
    chunks = chunk_long(sentence)
    assert all(len(c) <= LONG_SENTENCE_CHARS for c in chunks)
    assert " ".join(chunks) == sentence


def test_short_sentence_is_not_chunked() -> None:
    assert chunk_long("Short, sweet; done.") == ["Short, sweet; done."]


@pytest.mark.parametrize(
    ("text", "speech"),
    [
        ("<b>Bold</b> move.", "Bold move."),
        ("A **strong** and _subtle_ point.", "A strong and subtle point."),
        ("Yes [laughs] indeed.", "Yes indeed."),
        ("Well (inaudible) maybe.", "Well maybe."),
        ("It was [crosstalk] fine [00:12:31].", "It was fine."),
        ("Keep (offline versus online) asides.", "Keep (offline versus online) asides."),
        ("He [the manager] agreed.", "He the manager agreed."),
        ("“Quoted” and ‘single’ it’s", "\"Quoted\" and 'single' it's"),
        ("Tools, e.g. chat, i.e. talk, etc.", "Tools, for example chat, that is talk, et cetera."),
        ("Mac vs. PC & more", "Mac versus P-C and more"),  # acronyms spelled explicitly
        ("Q&A time", "Q and A time"),
        ("See https://example.com/page?x=1 now.", "See example dot com now."),  # was "link"
        ("Visit www.example.org.", "Visit example dot org."),
        ("From 1990–2000 — mostly.", "From nineteen ninety to two thousand, mostly."),
        ("Up 5% in countries/regions", "Up five percent in countries or regions"),
        ("Item #1 on TCP/IP", "Item number one on T-C-P I-P"),  # espeak said "slash"
        ("Ø Bullet • dots", "Ø Bullet dots"),
        ("too   many\u00a0 spaces ,here", "too many spaces,here"),
        ("[laughs]", ""),
    ],
)
def test_clean_speech(text: str, speech: str) -> None:
    assert clean_speech(text) == speech


def _episode(*paragraphs: Paragraph) -> Episode:
    return Episode(
        EpisodeMeta(title="T"),
        (Speaker("Q", "Interviewer", "interviewer"), Speaker("A", "Guest", "interviewee")),
        (
            Turn("Q", "question", (Paragraph("Why?"),)),
            Turn("A", "answer", paragraphs),
        ),
        (),
    )


def test_utterances_indexes_and_text() -> None:
    said = utterances(
        _episode(
            Paragraph("First one. Second **one**."),
            Paragraph("an item without a period. still one", list_item=True),
        )
    )
    assert [(u.turn_index, u.paragraph_index, u.sentence_index, u.speaker_id) for u in said] == [
        (0, 0, 0, "Q"),
        (1, 0, 0, "A"),
        (1, 0, 1, "A"),
        (1, 1, 0, "A"),
    ]
    assert said[2].text == "Second one."
    assert said[3].speech == "an item without a period. still one"


def test_utterances_never_empty() -> None:
    said = utterances(
        _episode(
            Paragraph("[laughs]"),
            Paragraph("   "),
            Paragraph("(inaudible). Right. <br/>"),
            Paragraph("*", list_item=True),
        )
    )
    assert [u.speech for u in said] == ["Why?", "Right."]
    assert [u.sentence_index for u in said] == [0, 0]
    assert all(u.speech.strip() for u in said)


def test_display_text_keeps_stage_directions_but_speech_drops_them() -> None:
    said = utterances(parse_script("Q: Funny?\n\nA: Very [laughs].\n"))
    assert said[-1].text == "Very [laughs]."
    assert said[-1].speech == "Very."


def test_long_paragraph_becomes_several_short_utterances() -> None:
    long_sentence = ", ".join(["a list of many things to say"] * 20) + "."
    said = utterances(_episode(Paragraph(long_sentence)))
    answer = [u for u in said if u.turn_index == 1]
    assert len(answer) > 1
    assert all(len(u.speech) <= LONG_SENTENCE_CHARS for u in answer)
    assert [u.sentence_index for u in answer] == list(range(len(answer)))
