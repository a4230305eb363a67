"""One stage-direction vocabulary: an aside the parser drops on its own line is
also never spoken inside a sentence (blocks/stage.py feeds blocks/furniture.py and
speech/utterances.py)."""

from __future__ import annotations

import pytest

from qacast.script.blocks.furniture import furniture_rule
from qacast.script.speech.utterances import clean_speech

ASIDES = (
    "(Reading)",
    "[laughs]",
    "(LAUGHTER)",
    "(Laughter.)",
    "(SOUNDBITE OF MUSIC)",
    "[inaudible]",
    "(Applause.)",
    "[crosstalk]",
    "(reads from the letter)",
    "[MUSIC PLAYING]",
)


@pytest.mark.parametrize("aside", ASIDES)
def test_an_aside_alone_on_a_line_is_a_dropped_stage_direction(aside: str) -> None:
    assert furniture_rule(aside) == "stage direction"


@pytest.mark.parametrize("aside", ASIDES)
def test_an_aside_inside_a_sentence_is_not_spoken(aside: str) -> None:
    spoken = clean_speech(f"The ferry leaves at seven {aside} and the gulls leave with it.")
    assert aside.strip("[]()").split()[0].lower() not in spoken.lower()
    assert "ferry leaves at seven" in spoken and "gulls leave with it" in spoken


def test_a_bracketed_insertion_that_is_no_aside_is_read() -> None:
    assert "the programme" in clean_speech("We ran [the programme] for a year.")
