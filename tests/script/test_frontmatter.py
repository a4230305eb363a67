from __future__ import annotations

import datetime as dt

import pytest

from qacast.errors import ScriptError
from qacast.script.front.frontmatter import CastEntry, FrontMatter, split_front_matter

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
        ("episode: 12a", "episode", "must be a whole number"),
        ("season: 'Spring'", "season", "must be a whole number"),
        ("explicit: maybe", "explicit", "must be true or false"),
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


@pytest.mark.parametrize(
    ("key", "meant"),
    [("sesaon", "season"), ("epsiode", "episode"), ("tpye", "type"), ("explict", "explicit"),
     ("darft", "draft"), ("lexicn", "lexicon")],
)  # fmt: skip
def test_misspelt_field_that_must_not_vanish_is_an_error_naming_it(key: str, meant: str) -> None:
    with pytest.raises(ScriptError) as caught:
        split_front_matter(f"---\n{key}: 1\n---\n", source_name="ep1.txt")
    assert str(caught.value) == (
        f"ep1.txt: unknown front matter field '{key}': did you mean '{meant}'?"
    )


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


# --- front matter written for a site generator -------------------------------

JEKYLL = """\
---
layout: post
title: "Radios, Taken Apart"
date: 2024-01-15 10:30:00 +0200
categories: interviews engineering
tags: [careers, Engineering, radio]
summary: How a habit became a career.
draft: false
image: /assets/img/radios.jpg
author: Jane Doe
permalink: /2024/radios/
comments: true
toc: true
weight: 3
aliases: [/old/radios]
slug: radios
---
SI: Welcome.
"""


def test_jekyll_front_matter_uses_what_it_knows_and_notes_the_rest() -> None:
    front, body = split_front_matter(JEKYLL, source_name="radios.md")
    assert body == "SI: Welcome.\n"
    assert front.title == "Radios, Taken Apart"
    assert front.date == dt.date(2024, 1, 15)
    assert front.description == "How a habit became a career."
    # Merged in table order (tags before categories), each word once.
    assert front.keywords == ("careers", "Engineering", "radio", "interviews")
    assert front.draft is False
    assert front.image == "/assets/img/radios.jpg"
    assert front.author == "Jane Doe"
    assert front.notes == tuple(
        f"front matter: ignored field '{key}'"
        for key in ("layout", "permalink", "comments", "toc", "weight", "aliases", "slug")
    )


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2024-01-15", dt.date(2024, 1, 15)),
        ("'2024-01-15'", dt.date(2024, 1, 15)),
        ("2024-01-15 10:30:00 +0200", dt.date(2024, 1, 15)),  # Jekyll
        ("2024-01-15 10:30", dt.date(2024, 1, 15)),
        ("2024-01-15T10:30:00Z", dt.date(2024, 1, 15)),  # Hugo, RFC 3339
        ("2024-01-15T10:30:00.250+05:30", dt.date(2024, 1, 15)),
        # Late in the evening west of UTC: still the 15th, the day written.
        ("2024-01-15T23:30:00-05:00", dt.date(2024, 1, 15)),
        ("'Mon, 15 Jan 2024 10:30:00 +0200'", dt.date(2024, 1, 15)),  # RFC 2822
        ("Tue, 16 Jan 2024 01:30:00 GMT", dt.date(2024, 1, 16)),
    ],
)
def test_date_forms_keep_the_day_as_written(written: str, day: dt.date) -> None:
    front, _ = split_front_matter(f"---\ndate: {written}\n---\n", source_name="a.md")
    assert front.date == day


@pytest.mark.parametrize(
    "written", ["2024-01-15 25:00", "2024-02-30", "soon", "March 2019", "'4 March'", "yesterday"]
)
def test_a_date_that_cannot_be_read_is_ignored_with_a_note_naming_what_is_used(
    written: str,
) -> None:
    front, _ = split_front_matter(f"---\ndate: {written}\n---\n", source_name="a.md")
    assert front.date is None
    (note,) = front.notes
    assert note.startswith("front matter: ignored field 'date': it must be a date, such as ")
    assert note.endswith(
        "; the date the text states at its top, else the day of the first build is used instead"
    )


def test_eleventy_date_keyword_is_ignored_with_a_note() -> None:
    front, _ = split_front_matter("---\ndate: Last Modified\n---\n", source_name="a.md")
    assert front.date is None
    assert front.notes == (
        "front matter: ignored field 'date': date 'Last Modified' is an Eleventy keyword, "
        "not a date",
    )


def test_toml_front_matter() -> None:
    text = (
        "+++\n"
        'title = "Radios"\n'
        "date = 2024-01-15T23:30:00-05:00\n"
        "draft = false\n"
        'tags = ["radio", "careers"]\n'
        'description = "A talk."\n'
        "weight = 2\n"
        "[cast.SI]\n"
        'name = "Stephen Ibaraki"\n'
        "+++\n"
        "SI: Welcome.\n"
    )
    front, body = split_front_matter(text, source_name="radios.md")
    assert body == "SI: Welcome.\n"
    assert front == FrontMatter(
        title="Radios",
        # The day as written, in its own zone, and the time of day kept beside it.
        date=dt.date(2024, 1, 15),
        time=dt.time(23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        draft=False,
        keywords=("radio", "careers"),
        description="A talk.",
        cast=(CastEntry(label="SI", name="Stephen Ibaraki"),),
        notes=("front matter: ignored field 'weight'",),
    )


def test_invalid_toml_names_file_and_file_line() -> None:
    with pytest.raises(ScriptError) as caught:
        split_front_matter('+++\ntitle = "ok"\ndate = \n+++\n', source_name="a.md")
    message = str(caught.value)
    assert message.startswith("a.md: front matter is not valid TOML (")
    assert "line 3" in message  # the file's line: "+++" is line 1
    assert "\n" not in message


def test_unclosed_toml_block() -> None:
    with pytest.raises(ScriptError, match=r"opened with '\+\+\+' is never closed"):
        split_front_matter('+++\ntitle = "x"\n', source_name="a.md")


def test_draft_true_is_recorded_with_a_note() -> None:
    front, _ = split_front_matter("---\ndraft: true\n---\n", source_name="a.md")
    assert front.draft is True
    assert front.notes == ("front matter: a draft: build does not publish it",)


def test_jekyll_published_false_is_a_draft() -> None:
    front, _ = split_front_matter("---\npublished: false\n---\n", source_name="a.md")
    assert front.draft is True


def test_generator_keys_close_to_ours_are_not_typos() -> None:
    # "name" and "path" are two edits from "date", "time" from "type".
    front, _ = split_front_matter(
        "---\nname: x\npath: /a\ntime: 5\nseries: [s]\nlastmod: 2024-01-01\n---\n",
        source_name="a.md",
    )
    assert [note.split("'")[1] for note in front.notes] == [
        "name", "path", "time", "series", "lastmod",
    ]  # fmt: skip


def test_several_names_for_one_field_first_in_table_wins() -> None:
    front, _ = split_front_matter(
        "---\nsummary: Short.\ndescription: Long.\nexcerpt: Shortest.\n---\n", source_name="a.md"
    )
    assert front.description == "Long."
    assert front.notes == (
        "front matter: ignored field 'summary': 'description' gives the description",
        "front matter: ignored field 'excerpt': 'description' gives the description",
    )


def test_keys_are_case_insensitive_like_hugo() -> None:
    front, _ = split_front_matter("---\nTitle: Radios\nDate: 2024-01-15\n---\n", source_name="a")
    assert (front.title, front.date) == ("Radios", dt.date(2024, 1, 15))


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("image: radios.jpg", "radios.jpg"),
        ("cover: {image: radios.jpg, alt: A radio}", "radios.jpg"),  # PaperMod
        ("images: [radios.jpg, other.jpg]", "radios.jpg"),  # Hugo's og images
        ("image: https://example.org/r.jpg", "https://example.org/r.jpg"),
    ],
)
def test_image_forms(block: str, expected: str) -> None:
    front, _ = split_front_matter(f"---\n{block}\n---\n", source_name="a.md")
    assert front.image == expected


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("author: Jane Doe", "Jane Doe"),
        ("author: {name: Jane Doe, url: 'https://x.org'}", "Jane Doe"),
        ("authors: [Jane Doe, John Roe]", "Jane Doe and John Roe"),
        ("authors: [A, B, C]", "A, B and C"),
    ],
)
def test_author_forms(block: str, expected: str) -> None:
    front, _ = split_front_matter(f"---\n{block}\n---\n", source_name="a.md")
    assert front.author == expected


def test_episode_type_language_and_lexicon() -> None:
    front, _ = split_front_matter(
        "---\ntype: Trailer\nlanguage: en_gb\nlexicon: {FCIPS: eff sips, Nguyen: win}\n---\n",
        source_name="a.md",
    )
    assert front.episode_type == "trailer"
    assert front.language == "en-GB"
    assert front.lexicon == (("FCIPS", "eff sips"), ("Nguyen", "win"))


def test_hugo_content_type_is_not_an_episode_type() -> None:
    front, _ = split_front_matter("---\ntype: post\n---\n", source_name="a.md")
    assert front.episode_type is None
    assert front.notes == (
        "front matter: ignored field 'type': type 'post' is not an episode type "
        "(full, trailer, bonus)",
    )


@pytest.mark.parametrize(
    ("block", "field", "expected"),
    [
        ("type: trialer", "type", "did you mean 'trailer'?"),
        ("lexicon: [FCIPS]", "lexicon", "must be a mapping of word to how to say it"),
        ("draft: maybe", "draft", "must be true or false"),
        ("published: 'not yet'", "published", "must be true or false"),
    ],
)
def test_new_fields_refuse_wrong_values(block: str, field: str, expected: str) -> None:
    with pytest.raises(ScriptError) as caught:
        split_front_matter(f"---\n{block}\n---\n", source_name="a.md")
    assert str(caught.value).startswith(f"a.md: front matter field '{field}' must ")
    assert expected in str(caught.value)


# --- values qacast cannot read, where another source gives the fact -----------


@pytest.mark.parametrize(
    ("block", "field", "used_instead"),
    [
        ("title: [a, b]", "title", "the title the page gives"),
        ("title: ''", "title", "the title the page gives"),
        ("summary: {text: x}", "summary", "the intro"),
        ("keywords: {a: 1}", "keywords", "the other keyword fields"),
        ("image: 3", "image", "the show's cover"),
        ("author: [1, {url: x}]", "author", "the byline"),
        ("language: Klingonese-ish", "language", "the show's language, or the one the words"),
    ],
)
def test_a_value_that_cannot_be_read_is_ignored_where_another_source_gives_it(
    block: str, field: str, used_instead: str
) -> None:
    front, _ = split_front_matter(f"---\n{block}\nepisode: 4\n---\n", source_name="a.md")
    assert front.episode == 4  # the rest of the front matter still counts
    (note,) = front.notes
    assert note.startswith(f"front matter: ignored field '{field}': it must ")
    assert used_instead in note


@pytest.mark.parametrize(
    ("key", "meant"), [("desciption", "description"), ("titel", "title"), ("Keyowrds", "keywords")]
)
def test_misspelt_field_with_another_source_is_a_note_naming_it(key: str, meant: str) -> None:
    front, _ = split_front_matter(f"---\n{key}: x\n---\n", source_name="ep1.txt")
    assert front.notes == (f"front matter: ignored field '{key}' (did you mean '{meant}'?)",)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("March 4, 2019", dt.date(2019, 3, 4)),
        ("4 March 2019", dt.date(2019, 3, 4)),
        ("4th of March, 2019", dt.date(2019, 3, 4)),
        ("Mar. 4 2019", dt.date(2019, 3, 4)),
        ("2019/03/04", dt.date(2019, 3, 4)),
        ("04.03.2019", dt.date(2019, 3, 4)),  # dots: always day first
        ("Monday, March 4, 2019", dt.date(2019, 3, 4)),
        ("'2019-03-04T09:00:00Z'", dt.date(2019, 3, 4)),
        ("March 4, 2019 9:30 AM", dt.date(2019, 3, 4)),
        ("2024-01-15 noon", dt.date(2024, 1, 15)),
        ("4 mars 2019", dt.date(2019, 3, 4)),
        ("1er mars 2019", dt.date(2019, 3, 1)),
        ("le 4 mars 2019 à 10h30", dt.date(2019, 3, 4)),
        ("4. März 2019", dt.date(2019, 3, 4)),
        ("Montag, 4. März 2019", dt.date(2019, 3, 4)),
        ("4 de marzo de 2019", dt.date(2019, 3, 4)),
        ("13/03/2019", dt.date(2019, 3, 13)),  # only one reading
    ],
)
def test_dates_written_in_words_are_read(written: str, day: dt.date) -> None:
    front, _ = split_front_matter(f"---\ndate: {written}\n---\n", source_name="a.md")
    assert front.date == day
    assert front.notes == ()


@pytest.mark.parametrize(
    ("block", "show_language", "day", "reading"),
    [
        ("date: 04/03/2019", None, dt.date(2019, 4, 3), "month first"),
        ("date: 04/03/2019", "en", dt.date(2019, 4, 3), "month first"),
        ("date: 04/03/2019", "en-GB", dt.date(2019, 3, 4), "day first"),
        ("date: 04/03/2019", "fr", dt.date(2019, 3, 4), "day first"),
        ("date: 04/03/2019\nlanguage: es", "en", dt.date(2019, 3, 4), "day first"),
        ("date: 03/04/2019\nlang: en-US", "de", dt.date(2019, 3, 4), "month first"),
    ],
)
def test_numeric_date_reads_as_the_language_writes_it_and_says_how(
    block: str, show_language: str | None, day: dt.date, reading: str
) -> None:
    front, _ = split_front_matter(
        f"---\n{block}\n---\n", source_name="a.md", language=show_language
    )
    assert front.date == day
    written = block.split("\n")[0].removeprefix("date: ")
    assert front.notes == (
        f"front matter: date '{written}' read as {day.isoformat()} ({reading}"
        + (", as the United States writes it)" if reading == "month first" else ")"),
    )


@pytest.mark.parametrize(
    ("block", "field", "value"),
    [
        ("episode: '12'", "episode", 12),
        ("episode: Episode 12", "episode", 12),
        ("episode: 'Ep. 7'", "episode", 7),
        ("episode: '#3'", "episode", 3),
        ("season: S2", "season", 2),
        ("season: Saison 3", "season", 3),
        ("explicit: clean", "explicit", False),
        ("explicit: 'Explicit'", "explicit", True),
        ("explicit: 'no'", "explicit", False),
        ("draft: 'false'", "draft", False),
        ("language: French", "language", "fr"),
        ("language: Deutsch", "language", "de"),
        ("language: fr_FR.UTF-8", "language", "fr-FR"),
    ],
)
def test_values_written_as_people_write_them(block: str, field: str, value: object) -> None:
    front, _ = split_front_matter(f"---\n{block}\n---\n", source_name="a.md")
    assert getattr(front, field) == value


def test_a_yaml_comment_where_a_number_belongs_is_an_error_saying_so() -> None:
    with pytest.raises(ScriptError) as caught:
        split_front_matter("---\ntitle: Radios\nepisode: #12\n---\n", source_name="a.md")
    assert str(caught.value) == (
        "a.md: front matter field 'episode' has no value: YAML reads '#12' as a comment; "
        "quote it (episode: \"#12\") or leave out the '#'"
    )


def test_a_yaml_comment_where_a_date_belongs_is_a_note() -> None:
    front, _ = split_front_matter("---\ndate:   # to be decided\n---\n", source_name="a.md")
    assert front.date is None
    assert front.notes == (
        "front matter: ignored field 'date': YAML reads '# to be decided' as a comment, not a "
        "value; the date the text states at its top, else the day of the first build is used "
        "instead",
    )


@pytest.mark.parametrize("code", ["qq", "xx-nonsense"])
def test_a_language_code_that_names_no_language_is_a_note_and_never_published(code: str) -> None:
    # The show's language (or the detected one) is used instead, so neither the feed
    # nor the voices ever see "qq"; `qacast check` would refuse it in a feed.
    front, _ = split_front_matter(f"---\nlanguage: {code}\n---\nQ: Hi?\n", source_name="x.md")
    assert front.language is None
    assert any("language" in note for note in front.notes)
