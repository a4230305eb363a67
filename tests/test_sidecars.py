from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from qacast.errors import OutputError
from qacast.fsutil import atomic_write_bytes
from qacast.models import (
    Chapter,
    ChapterMark,
    Cue,
    Episode,
    EpisodeMeta,
    Paragraph,
    Speaker,
    Timeline,
    Turn,
    TurnSpan,
)
from qacast.publish import sidecars

LONG_ANSWER = (
    "When we started the programme in 1998 we had no idea that it would grow into "
    "a network of more than forty thousand practitioners across six continents, "
    "and frankly neither did our sponsors, who expected a small newsletter."
)

# Two speakers, an escape-worthy sentence, a very long one, a cue past one hour.
CUES = (
    Cue(0, "SI", "Welcome to the show.", 500, 1800),
    Cue(0, "SI", "Today: R&D at <scale> -> what works?", 2150, 4600),
    Cue(1, "ZA", LONG_ANSWER, 5400, 19_250),
    Cue(1, "ZA", "Thanks.", 19_600, 20_100),
    Cue(2, "SI", "One more, an hour in.", 3_600_250, 3_602_999),
)
DURATION_MS = 3_604_000


def make_episode() -> Episode:
    return Episode(
        meta=EpisodeMeta(title="Building *Communities*", description="A talk about scale."),
        speakers=(
            Speaker("SI", "Stephen Ibaraki", "interviewer"),
            Speaker("ZA", "Zoë Ångström", "interviewee"),
        ),
        turns=(
            Turn("SI", "question", (Paragraph("Welcome."),)),
            Turn("ZA", "answer", (Paragraph(LONG_ANSWER),)),
            Turn("SI", "outro", (Paragraph("One more."),)),
        ),
        chapters=(ChapterMark("Intro", 0), ChapterMark("Growth", 1)),
    )


def make_timeline() -> Timeline:
    return Timeline(
        cues=CUES,
        turns=(
            TurnSpan(0, "SI", "question", 500, 4600),
            TurnSpan(1, "ZA", "answer", 5400, 20_100),
            TurnSpan(2, "SI", "outro", 3_600_250, 3_602_999),
        ),
        chapters=(
            Chapter("Intro", 0, 5000),
            Chapter("Growth & <change>", 5000, 3_600_000),
            Chapter("Outro", 3_600_000, DURATION_MS),
        ),
        duration_ms=DURATION_MS,
        sample_rate_hz=22050,
        frame_count=DURATION_MS * 22050 // 1000,
    )


# --- a tiny independent WebVTT reader ------------------------------------------

VTT_TIME = re.compile(r"^(\d{2,}):(\d{2}):(\d{2})\.(\d{3})$")


def vtt_ms(stamp: str) -> int:
    match = VTT_TIME.match(stamp)
    assert match, stamp
    h, m, s, f = (int(g) for g in match.groups())
    assert m < 60 and s < 60
    return ((h * 60 + m) * 60 + s) * 1000 + f


def read_vtt(text: str) -> list[tuple[int, int, str, str, list[str]]]:
    """(start_ms, end_ms, voice, unescaped text, raw lines) for each cue."""
    assert text.startswith("WEBVTT\n")
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"
    cues = []
    for block in blocks[1:]:
        timing, *lines = block.split("\n")
        start, arrow, end = timing.split(" ")
        assert arrow == "-->"
        assert lines, block
        match = re.match(r"^<v ([^>]+)>(.*)$", lines[0])
        assert match, lines[0]
        voice = html.unescape(match.group(1))
        body = " ".join([match.group(2), *lines[1:]])
        assert "<" not in body and ">" not in body
        assert not re.search(r"&(?!amp;|lt;|gt;)", body)
        cues.append((vtt_ms(start), vtt_ms(end), voice, html.unescape(body), lines))
    return cues


def test_webvtt_round_trips_times_voices_and_text() -> None:
    episode, timeline = make_episode(), make_timeline()
    cues = read_vtt(sidecars.webvtt(timeline, episode))

    assert len(cues) == len(CUES)
    previous_start = -1
    for (start, end, voice, body, lines), cue in zip(cues, CUES, strict=True):
        assert (start, end) == (cue.start_ms, cue.end_ms)
        assert previous_start < start < end <= DURATION_MS
        previous_start = start
        assert voice == episode.speaker(cue.speaker_id).name
        assert body == cue.text
        assert all(len(line) <= 65 for line in lines), lines


def test_webvtt_wraps_long_sentence_and_escapes_markup() -> None:
    text = sidecars.webvtt(make_timeline(), make_episode())
    assert "R&amp;D at &lt;scale&gt; -&gt; what" in text
    assert "-> what" not in text
    long_cue = read_vtt(text)[2]
    assert 3 <= len(long_cue[4]) <= 4
    assert "01:00:00.250 --> 01:00:02.999" in text


def test_srt_numbers_cues_and_uses_comma_times() -> None:
    text = sidecars.srt(make_timeline(), make_episode())
    blocks = text.rstrip("\n").split("\n\n")
    assert len(blocks) == len(CUES)
    for number, (block, cue) in enumerate(zip(blocks, CUES, strict=True), start=1):
        index, timing, *lines = block.split("\n")
        assert index == str(number)
        assert timing == (
            f"{sidecars.srt_timestamp(cue.start_ms)} --> {sidecars.srt_timestamp(cue.end_ms)}"
        )
        assert all(len(line) <= 65 for line in lines)
    assert blocks[0].split("\n")[1] == "00:00:00,500 --> 00:00:01,800"
    assert blocks[2].split("\n")[2].startswith("Zoë Ångström: When we started")
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_json_transcript_is_podcasting_2_shape() -> None:
    doc = sidecars.json_transcript(make_timeline(), make_episode())
    assert list(doc) == ["version", "segments"]
    assert doc["version"] == "1.0.0"
    assert doc["segments"][1] == {
        "speaker": "Stephen Ibaraki",
        "startTime": 2.15,
        "endTime": 4.6,
        "body": "Today: R&D at <scale> -> what works?",
    }
    for segment, cue in zip(doc["segments"], CUES, strict=True):
        assert list(segment) == ["speaker", "startTime", "endTime", "body"]
        assert round(segment["startTime"] * 1000) == cue.start_ms
        assert round(segment["endTime"] * 1000) == cue.end_ms


def test_json_chapters_is_podcasting_2_shape() -> None:
    doc = sidecars.json_chapters(make_timeline())
    assert doc == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0.0, "endTime": 5.0, "title": "Intro"},
            {"startTime": 5.0, "endTime": 3600.0, "title": "Growth & <change>"},
            {"startTime": 3600.0, "endTime": 3604.0, "title": "Outro"},
        ],
    }


def test_show_notes_list_chapters_from_zero_and_speakers() -> None:
    timeline = make_timeline()
    late_start = Timeline(
        cues=timeline.cues,
        turns=timeline.turns,
        chapters=(Chapter("Intro", 500, 5000), *timeline.chapters[1:]),
        duration_ms=timeline.duration_ms,
        sample_rate_hz=timeline.sample_rate_hz,
        frame_count=timeline.frame_count,
    )
    notes = sidecars.show_notes_markdown(late_start, make_episode())
    assert notes.startswith("# Building \\*Communities\\*\n\nA talk about scale.\n")
    stamps = re.findall(r"^- (\d{2}:\d{2}:\d{2}) (.+)$", notes, flags=re.MULTILINE)
    assert stamps[:3] == [
        ("00:00:00", "Intro"),
        ("00:00:05", "Growth & \\<change\\>"),
        ("01:00:00", "Outro"),
    ]
    assert "- Stephen Ibaraki (host)" in notes
    assert "- Zoë Ångström (guest)" in notes

    custom = sidecars.show_notes_markdown(timeline, make_episode(), description="Other words.")
    assert "Other words." in custom and "A talk about scale." not in custom


def test_plain_transcript_has_one_block_per_turn() -> None:
    text = sidecars.plain_transcript(make_timeline(), make_episode())
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks == [
        "Stephen Ibaraki: Welcome to the show. Today: R&D at <scale> -> what works?",
        f"Zoë Ångström: {LONG_ANSWER} Thanks.",
        "Stephen Ibaraki: One more, an hour in.",
    ]


def test_write_sidecars_writes_deterministic_utf8_files(tmp_path: Path) -> None:
    episode, timeline = make_episode(), make_timeline()
    paths = sidecars.write_sidecars(tmp_path, "ep-001", timeline, episode)
    assert {kind: path.name for kind, path in paths.items()} == {
        "vtt": "ep-001.vtt",
        "srt": "ep-001.srt",
        "transcript_json": "ep-001.transcript.json",
        "chapters_json": "ep-001.chapters.json",
        "show_notes": "ep-001.md",
    }
    first = {kind: path.read_bytes() for kind, path in paths.items()}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths.values())

    chapters_bytes = first["chapters_json"]
    assert chapters_bytes.endswith(b"}\n")
    assert json.loads(chapters_bytes) == sidecars.json_chapters(timeline)
    assert "Zoë".encode() in first["transcript_json"]  # ensure_ascii=False
    assert b'\n  "version": "1.0.0",\n' in first["transcript_json"]

    again = sidecars.write_sidecars(tmp_path, "ep-001", timeline, episode)
    assert {kind: path.read_bytes() for kind, path in again.items()} == first
    assert len(list(tmp_path.iterdir())) == 5  # no temporary files left behind


@pytest.mark.parametrize("slug", ["", "a/b", "..", "a\\b"])
def test_write_sidecars_rejects_path_like_slugs(tmp_path: Path, slug: str) -> None:
    with pytest.raises(ValueError, match="slug"):
        sidecars.write_sidecars(tmp_path, slug, make_timeline(), make_episode())


@pytest.mark.parametrize(
    ("start_ms", "end_ms"), [(5000, 5000), (5000, 4000), (-1, 10), (10, DURATION_MS + 1)]
)
def test_invalid_cue_times_are_a_bug(start_ms: int, end_ms: int) -> None:
    timeline = make_timeline()
    broken = Timeline(
        cues=(Cue(0, "SI", "Hi.", start_ms, end_ms),),
        turns=timeline.turns,
        chapters=timeline.chapters,
        duration_ms=timeline.duration_ms,
        sample_rate_hz=timeline.sample_rate_hz,
        frame_count=timeline.frame_count,
    )
    with pytest.raises(ValueError, match="cue 0"):
        sidecars.webvtt(broken, make_episode())


def test_wrap_text_cuts_words_longer_than_a_line() -> None:
    url = "https://example.org/" + "x" * 100
    lines = sidecars.wrap_text(f"See {url} now", width=65, first_width=40)
    assert all(len(line) <= 65 for line in lines)
    assert len(lines[0]) <= 40
    assert "".join(lines).replace(" ", "") == f"See{url}now"


def test_atomic_write_reports_unwritable_path_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "ep.vtt"
    atomic_write_bytes(target, b"old")
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o644

    with pytest.raises(OutputError, match="missing"):
        atomic_write_bytes(tmp_path / "missing" / "ep.vtt", b"x")
    (tmp_path / "dir.vtt").mkdir()
    with pytest.raises(OutputError, match=r"dir\.vtt"):
        atomic_write_bytes(tmp_path / "dir.vtt", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.vtt", "ep.vtt"]


def test_show_notes_escape_markup_in_the_description() -> None:
    from qacast.publish.sidecars import show_notes_markdown

    notes = show_notes_markdown(
        make_timeline(), make_episode(), description="<script>alert(1)</script> *bold*"
    )
    assert "<script>" not in notes
    assert "\\<script\\>" in notes and "\\*bold\\*" in notes
