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
