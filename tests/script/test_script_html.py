"""HTML scripts: the article of a realistic page, as Markdown, with the page's facts.

The pages in tests/data/html/ wrap an interview in what real pages have around
one: navigation, share bars, an ad in the middle, related articles, readers'
comments (some written like dialogue), sidebars, footers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from locations import DATA_DIR

from qacast.cli import main
from qacast.errors import ScriptError
from qacast.script.formats.html import declared_charset, read_html
from qacast.script.read import read_episode

PAGES = DATA_DIR / "html"

# Page -> (how some turns start, Markdown that must be there, text that must not).
PAGE_EXPECTATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "magazine-bold-qa.html": (
        ("**Q: How did you end up", "**A:** Honestly, by accident", "**A:** Yes.",
         "After the sandwich", "**A:** Find an Earl."),
        ("**Q: Is the job getting safer?**",),
        ("Advertisement", "Save 20%", "BigSkyBill", "where can I find", "Related articles",
         "Share this"),
    ),
    "blog-heading-questions.html": (
        ("### What is a seed library, exactly?", "Everybody.", "### How would I start one?"),
        ("- grow only one kind of squash if they mean to save its seed,\n"
         "- hand-pollinate a few flowers and tape them shut,\n- label everything, twice.",),
        ("Recent posts", "Tagged:", "Share on Mastodon", "Webmentions"),
    ),
    "wordpress-name-labels.html": (
        ("**Marcus Lee:** Thanks for making time", "**Helen Marsh:** My pleasure."),
        ("If you can choose, choose consistency.",),
        ("Janet R.", "did she say anything about naps", "Melatonin", "Leave a Reply"),
    ),
    "newsletter-bold-questions.html": (
        ("**Favourite typeface?**", "Caslon.", "**Do you ever use a computer?**"),
        ("## Five minutes with Abel Cordero",),
        ("Caslon forever", "Discussion about this post", "Subscribe"),
    ),
    "briefing-br-transcript.html": (
        ("DEPUTY MAYOR ALVES: Good morning", "Q: Free for everyone?",
         "DEPUTY MAYOR ALVES: For everyone."),
        ("We’ve applied to the regional fund",),  # a Windows-1252 curly quote, decoded
        ("Here's how you know", "Press releases"),
    ),
    "podcast-transcript-segments.html": (
        # The speaker and time stand on a line of their own, the words below.
        ("Dana Whitlock 00:00:04", "Welcome back", "Otto Lindqvist 00:01:34", "Anytime."),
        ("My grandfather did it",),
        ("Apple Podcasts", "Download MP3"),
    ),
    "news-split-body.html": (
        ("**Callum Reid:** What does a flood warden", "**Morag Fleming:** The knock back."),
        ("**Callum Reid:** Has it got worse?",),  # after the newsletter box in the middle
        ("morning briefing", "riverwatcher", "legend", "Most viewed", "Share on"),
    ),
    "tiny-two-exchanges.html": (
        ("**Jane:** Where did it start?", "**Sam:** With a radio.", "**Sam:** Thanks."),
        (),
        ("Workshop Notes", "About", "Privacy"),
    ),
    # XHTML with an XML declaration, the interview one <pre> of plain text.
    "oral-history-pre.html": (
        ("LINDGREN: This is Harold Lindgren", "AMES: In a farmhouse", "AMES: You're welcome."),
        ("AMES: Ration books. My mother could make a cake out of almost nothing,\n"
         "and she did, every Sunday.",),
        ("Donate", "210 Main Street"),
    ),
    # A two-column table of speaker and remarks: each row one turn, headings dropped.
    "hearing-table.html": (
        ("CHAIR WEBB: The librarian is here", "MS. ORTIZ: Thank you.",
         "COUNCILMEMBER DIAZ: Will staff", "MS. ORTIZ: Both."),
        (),
        ("Speaker", "Remarks", "Road closures", "Pay a bill", "Library card", "Civic Plaza"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("page", sorted(PAGE_EXPECTATIONS))
def test_article_kept_as_markdown_and_furniture_left_out(page: str) -> None:
    text, _ = read_html(PAGES / page)
    turn_starts, marks, furniture = PAGE_EXPECTATIONS[page]
    paragraphs = text.split("\n\n")
    for start in turn_starts:
        assert any(p.startswith(start) for p in paragraphs), (start, text)
    for mark in marks:
        assert mark in text
    for junk in furniture:
        assert junk not in text


def test_every_turn_of_a_page_is_a_paragraph_of_its_own() -> None:
    text, _ = read_html(PAGES / "wordpress-name-labels.html")
    labelled = [p for p in text.split("\n\n") if p.startswith(("**Marcus Lee:**", "**Helen"))]
    assert len(labelled) == 10


def test_reading_is_deterministic() -> None:
    # The extractor can remember pages it has seen (deduplication); it must not.
    first = read_html(PAGES / "magazine-bold-qa.html")
    assert read_html(PAGES / "magazine-bold-qa.html") == first


@pytest.mark.parametrize(
    ("page", "title", "day", "author"),
    [
        ("magazine-bold-qa.html",
         "“We Kept the Lights On”: A Conversation With Lineworker Rosa Delgado",
         dt.date(2024, 3, 4), "Tom Whitfield"),
        ("blog-heading-questions.html", "Five questions for a seed librarian",
         dt.date(2023, 10, 28), "Priya Natarajan"),
        # No og:title: <title> less the site's name; the date from Dublin Core.
        ("briefing-br-transcript.html", "Transcript: Press Briefing on the Harbour Bridge Closure",
         dt.date(2024, 9, 17), None),
        # 06:00 UTC: the day stays the one written, whatever the zone.
        ("newsletter-bold-questions.html", "Issue #48: Five minutes with a typesetter",
         dt.date(2024, 6, 2), "Ines Baptiste"),
        ("tiny-two-exchanges.html", "Tiny Page Talk", dt.date(2024, 2, 3), "Jane Park"),
        ("oral-history-pre.html", "Oral History Collection: Ruth Ames (1931–2019)",
         dt.date(1998, 7, 14), "Harold Lindgren"),
    ],
)  # fmt: skip
def test_page_facts(page: str, title: str, day: dt.date, author: str | None) -> None:
    _, facts = read_html(PAGES / page)
    assert (facts.title, facts.date, facts.author) == (title, day, author)


def test_page_facts_stand_in_for_front_matter() -> None:
    episode, _ = read_episode(PAGES / "briefing-br-transcript.html")
    assert episode.meta.title == "Transcript: Press Briefing on the Harbour Bridge Closure"
    assert episode.meta.date == dt.date(2024, 9, 17)


def test_labelled_page_parses_into_its_speakers() -> None:
    episode, _ = read_episode(PAGES / "magazine-bold-qa.html")
    assert episode.meta.description.startswith("Twenty-two years on the poles")
    assert [s.role for s in episode.speakers] == ["interviewer", "interviewee"]
    assert sum(t.speaker_id == "A" for t in episode.turns) == 6
    spoken = " ".join(t.text for t in episode.turns)
    assert "Save 20%" not in spoken and "BigSkyBill" not in spoken


def test_preformatted_transcript_parses() -> None:
    episode, _ = read_episode(PAGES / "oral-history-pre.html")
    assert [s.id for s in episode.speakers][:2] == ["LINDGREN", "AMES"]
    assert sum(t.speaker_id == "AMES" for t in episode.turns) == 4


def test_tiny_page_parses() -> None:
    episode, _ = read_episode(PAGES / "tiny-two-exchanges.html")
    assert [s.id for s in episode.speakers] == ["Jane", "Sam"]
    assert [t.text for t in episode.turns][-1] == "Thanks."


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="utf-8">', "utf-8"),
        (b"<meta charset=UTF-8>", "utf-8"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "cp1252"),
        # Browsers read latin-1 as Windows-1252; so do we.
        (b'<meta http-equiv="content-type" content="text/html; charset=ISO-8859-1">', "cp1252"),
        (b'<meta charset="klingon">', None),
        (b"<title>none</title>", None),
    ],
)
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert declared_charset(b"<html><head>" + head + b"</head>") == expected


def _parse_through_cli(path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'<html><head><meta charset="utf-8"></head><body><p>Q: caf\xe9?</p></body></html>',
         "declares the encoding utf-8 but is not valid utf-8"),
        (b"<html>\x00\x01\x02" + bytes(range(256)) * 8, "binary file"),
        (b"", "empty"),
        (b"<html><body><img src='a.png'><script>var x = 1;</script></body></html>",
         "the HTML page holds no text"),
    ],
)  # fmt: skip
def test_unreadable_page_is_one_script_error_line(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(content)
    with pytest.raises(ScriptError, match=problem):
        read_html(page)
    exit_code, lines = _parse_through_cli(page)
    assert exit_code == 3
    assert len(lines) == 1 and lines[0].startswith("qacast: error: ") and problem in lines[0]


def test_parse_verbose_says_where_title_date_and_author_came_from() -> None:
    result = CliRunner().invoke(main, ["parse", "-v", str(PAGES / "tiny-two-exchanges.html")])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stdout.splitlines() if line.startswith("note: ")]
    # The reader's notes come first; the parser's (labels, roles) follow them.
    assert notes[:4] == [
        "note: html: the article as the extractor found it; the rest of the page left out",
        "note: title from the file's own metadata: Tiny Page Talk",
        "note: date from the file's own metadata: 2024-02-03",
        "note: author from the file's own metadata: Jane Park",
    ]
