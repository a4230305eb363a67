"""A script whose front matter gives no date takes the one its text states."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qacast.script.read import read_episode

DIALOGUE = """
Q: How did you start?

A: I fixed radios for my neighbours in 1998.

Q: And then?

A: On June 5, 2001 I opened a shop.
"""


@pytest.mark.parametrize(
    ("head", "day"),
    [
        # A blog's byline, the date between the author and the reading time.
        ("# Fixing Radios\n\nBy Jane Doe | June 2, 2024 | 8 min read\n", dt.date(2024, 6, 2)),
        ("# Fixing Radios\n\n*Posted on March 4, 2024*\n", dt.date(2024, 3, 4)),
        ("Fixing Radios\n\nPublished: 2024-03-04\n", dt.date(2024, 3, 4)),
        # An oral history: a header, then a dateline alone on its line.
        (
            "## Oral History Project\n\nInterview with Nestor Portillo\n\nMarch 12, 1998\n",
            dt.date(1998, 3, 12),
        ),
        ("# Fixing Radios\n\nUpdated June 3, 2024\n", None),  # not when it appeared
        ("# Fixing Radios\n", None),  # the answers' dates are not the episode's
    ],
)
def test_the_date_stated_at_the_top_is_the_episodes(
    tmp_path: Path, head: str, day: dt.date | None
) -> None:
    script = tmp_path / "radios.md"
    script.write_text(head + DIALOGUE, encoding="utf-8")
    episode, _ = read_episode(script)
    assert episode.meta.date == day


def test_front_matter_date_wins_over_the_text(tmp_path: Path) -> None:
    script = tmp_path / "radios.md"
    script.write_text(
        "---\ndate: 2020-01-01\n---\n# Radios\n\nPosted on March 4, 2024\n" + DIALOGUE,
        encoding="utf-8",
    )
    episode, _ = read_episode(script)
    assert episode.meta.date == dt.date(2020, 1, 1)


@pytest.mark.parametrize(
    ("head", "day"),
    [
        ("# Le four\n\nPublié le 4 mars 2019\n", dt.date(2019, 3, 4)),
        ("# Le four\n\nPar Marie Dupont, le 1er mars 2019\n", dt.date(2019, 3, 1)),
        ("# Der Ofen\n\nVeröffentlicht am 4. März 2019\n", dt.date(2019, 3, 4)),
        ("# El horno\n\nPublicado el 4 de marzo de 2019\n", dt.date(2019, 3, 4)),
        ("# The oven\n\nRecorded 04.03.2019 in Leeds\n", dt.date(2019, 3, 4)),
        ("# The oven\n\nPosted 2019/03/04\n", dt.date(2019, 3, 4)),
        ("# Le four\n\nMis à jour le 4 mars 2019\n", None),  # updated, not first published
    ],
)
def test_a_date_in_another_language_or_form_is_read(
    tmp_path: Path, head: str, day: dt.date | None
) -> None:
    script = tmp_path / "four.md"
    script.write_text(head + DIALOGUE, encoding="utf-8")
    episode, _ = read_episode(script)
    assert episode.meta.date == day


def test_a_front_matter_date_that_cannot_be_read_gives_way_to_the_texts(tmp_path: Path) -> None:
    script = tmp_path / "radios.md"
    script.write_text(
        "---\ndate: sometime in spring\n---\n# Radios\n\nPosted on March 4, 2024\n" + DIALOGUE,
        encoding="utf-8",
    )
    episode, _ = read_episode(script)
    assert episode.meta.date == dt.date(2024, 3, 4)
    notes = [n for n in episode.notes if "date" in n]
    assert notes[0].startswith("front matter: ignored field 'date': it must be a date")
    assert notes[1] == "date 2024-03-04 from the text: 'Posted on March 4, 2024'"
