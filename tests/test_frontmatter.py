from __future__ import annotations

import datetime as dt

import pytest

from qacast.errors import ScriptError
from qacast.script.frontmatter import CastEntry, FrontMatter, split_front_matter

FULL = """\
---
title: "Building <Things> & More"
episode: 3
season: 1
date: 2024-01-15
description: How a habit became a career.
keywords: [engineering, careers]
explicit: false
cast:
  SI: {name: Stephen Ibaraki, role: interviewer}
  NJP:
    name: Nestor J. Portillo
    role: interviewee
    voice: en-us+m3
---
SI: Welcome.
"""


def test_full_front_matter() -> None:
    front, body = split_front_matter(FULL, source_name="ep3.txt")
    assert front == FrontMatter(
        title="Building <Things> & More",
        episode=3,
        season=1,
        date=dt.date(2024, 1, 15),
        description="How a habit became a career.",
        keywords=("engineering", "careers"),
        explicit=False,
        cast=(
            CastEntry(label="SI", name="Stephen Ibaraki", role="interviewer"),
            CastEntry(label="NJP", name="Nestor J. Portillo", role="interviewee", voice="en-us+m3"),
        ),
    )
    assert body == "SI: Welcome.\n"


def test_no_front_matter_returns_text_unchanged() -> None:
    text = "Title line\n\nSI: Hello.\n"
    front, body = split_front_matter(text, source_name="a.txt")
    assert front == FrontMatter()
    assert body == text


def test_empty_block_and_document_end_marker() -> None:
    front, body = split_front_matter("---\n...\nSI: Hi.\n", source_name="a.txt")
    assert front == FrontMatter()
    assert body == "SI: Hi.\n"


def test_byte_order_mark_and_crlf() -> None:
    text = "\ufeff---\r\nepisode: 2\r\n---\r\nSI: Hi.\r\n"
    front, body = split_front_matter(text, source_name="a")
    assert front.episode == 2
    assert body == "SI: Hi.\r\n"


def test_date_as_string_and_keywords_as_comma_string() -> None:
    front, _ = split_front_matter(
        "---\ndate: '2023-12-31'\nkeywords: 'a, b ,c'\ntitle: 1984\n---\n", source_name="a"
    )
    assert front.date == dt.date(2023, 12, 31)
    assert front.keywords == ("a", "b", "c")
    assert front.title == "1984"


@pytest.mark.parametrize(
    ("block", "field", "expected"),
    [
        ("episode: three", "episode", "must be a whole number"),
        ("episode: true", "episode", "must be a whole number"),
        ("season: 0", "season", "must be a whole number from 1 up"),
        ("date: 2024-13-01", "date", "must be a date like 2024-01-15"),
        ("explicit: maybe", "explicit", "must be true or false"),
        ("keywords: {a: 1}", "keywords", "must be a list or a comma-separated string"),
        ("title: [a, b]", "title", "must be text"),
        ("cast: [SI]", "cast", "must be a mapping"),
        ("cast: {SI: {role: host}}", "cast.SI.role", "must be one of interviewer"),
        ("cast: {SI: {nmae: X}}", "cast.SI", "must hold only name, role, voice"),
        ("cast: {SI: Stephen}", "cast.SI", "must be a mapping with name"),
    ],
)
def test_wrong_field_is_one_line_naming_file_and_field(
    block: str, field: str, expected: str
) -> None:
    with pytest.raises(ScriptError) as caught:
        split_front_matter(f"---\n{block}\n---\nSI: Hi.\n", source_name="scripts/ep1.txt")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"scripts/ep1.txt: front matter field '{field}' ")
    assert expected in message


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(ScriptError, match=r"ep1\.txt: unknown front matter field 'sesaon'"):
        split_front_matter("---\nsesaon: 1\n---\n", source_name="ep1.txt")


def test_invalid_yaml_names_file_and_line() -> None:
    with pytest.raises(ScriptError) as caught:
        split_front_matter("---\ntitle: ok\ndate: [2024\n---\n", source_name="ep1.txt")
    message = str(caught.value)
    assert message.startswith("ep1.txt: line ")
    assert "not valid YAML" in message
    assert "\n" not in message


def test_unclosed_block_is_an_error() -> None:
    with pytest.raises(ScriptError, match="never closed"):
        split_front_matter("---\ntitle: x\nSI: Hi.\n", source_name="ep1.txt")


def test_non_mapping_block_is_an_error() -> None:
    with pytest.raises(ScriptError, match="key: value"):
        split_front_matter("---\n- a\n- b\n---\n", source_name="ep1.txt")
