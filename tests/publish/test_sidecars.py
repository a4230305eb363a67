from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

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

from conftest import SAMPLE

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


def sentence_of(
    cue: Cue, captions: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """The captions cut from ``cue``'s sentence: those within its span."""
    return [c for c in captions if cue.start_ms <= c[0] and c[1] <= cue.end_ms]


def check_captions_cover_the_sentences(captions: list[tuple[int, int, str, str]]) -> None:
    """Each sentence is its captions' text joined, from its start to its end, in order."""
    episode = make_episode()
    starts = [c[0] for c in captions]
    assert starts == sorted(starts)
    found = 0
    for cue in CUES:
        pieces = sentence_of(cue, captions)
        assert pieces, cue
        found += len(pieces)
        assert pieces[0][0] == cue.start_ms and pieces[-1][1] == cue.end_ms
        for before, after in itertools.pairwise(pieces):
            assert before[1] == after[0]  # no gap, no overlap within a sentence
        assert {p[2] for p in pieces} == {episode.speaker(cue.speaker_id).name}
        assert " ".join(p[3] for p in pieces) == " ".join(cue.text.split())
        for start, end, _, _ in pieces:
            assert start < end and end - start <= sidecars.MAX_CAPTION_MS
    assert found == len(captions)


def test_webvtt_cues_are_readable_pieces_of_the_sentences() -> None:
    cues = read_vtt(sidecars.webvtt(make_timeline(), make_episode()))
    check_captions_cover_the_sentences([(s, e, voice, body) for s, e, voice, body, _ in cues])
    for *_, lines in cues:
        shown = [html.unescape(re.sub(r"^<v [^>]+>", "", line)) for line in lines]
        assert len(shown) <= 2 and all(len(line) <= 42 for line in shown), shown
    # The 13.85 s answer is cut in several pieces, one of them after "continents,".
    long_answer = sentence_of(CUES[2], [(s, e, v, b) for s, e, v, b, _ in cues])
    assert len(long_answer) >= 2
    assert any(piece[3].endswith("continents,") for piece in long_answer)


def test_webvtt_escapes_markup() -> None:
    text = sidecars.webvtt(make_timeline(), make_episode())
    assert "R&amp;D at &lt;scale&gt; -&gt; what" in text
    assert "-> what" not in text
    assert "01:00:00.250 --> 01:00:02.999" in text


def test_srt_numbers_cues_and_uses_comma_times() -> None:
    text = sidecars.srt(make_timeline(), make_episode())
    blocks = text.rstrip("\n").split("\n\n")
    captions = []
    for number, block in enumerate(blocks, start=1):
        index, timing, *lines = block.split("\n")
        assert index == str(number)
        start, end = (sidecars_ms(stamp) for stamp in timing.split(" --> "))
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), lines
        speaker, _, first = lines[0].partition(": ")
        captions.append((start, end, speaker, " ".join([first, *lines[1:]])))
    check_captions_cover_the_sentences(captions)
    assert blocks[0].split("\n")[1] == "00:00:00,500 --> 00:00:01,800"
    assert blocks[2].split("\n")[2].startswith("Zoë Ångström: When we started")
    assert text.endswith("\n") and not text.endswith("\n\n")


def sidecars_ms(stamp: str) -> int:
    hours, minutes, rest = stamp.split(":")
    seconds, millis = rest.split(",")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def test_split_prefers_sentence_then_phrase_then_conjunction() -> None:
    # Fast enough that only the 2 x 42 characters limit the pieces.
    two_sentences = (
        "We built radios for years in the back room. Then the shop closed and we all moved on."
    )
    assert sidecars.split_sentence(two_sentences, 1000) == [
        "We built radios for years in the back room.",
        "Then the shop closed and we all moved on.",
    ]
    phrase = (
        "The first shop was tiny, dark and cold, but it had every single part that you could "
        "ever want to find"
    )
    assert sidecars.split_sentence(phrase, 1000)[0].endswith("cold,")
    conjunction = (
        "We kept every broken set that we found in the street because one day someone would "
        "need the parts"
    )
    assert sidecars.split_sentence(conjunction, 1000)[1].startswith("because")
    # Slow speech: 7 s allows fewer characters than two lines hold.
    slow = sidecars.split_sentence("one two three four five six seven eight nine ten", 20_000)
    assert len(slow) >= 3 and " ".join(slow) == "one two three four five six seven eight nine ten"


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


# --- on a real render of the sample ----------------------------------------------


def test_captions_of_a_real_render_are_readable(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE)
    timeline, episode = rendered.timeline, rendered.episode
    vtt = read_vtt(rendered.sidecars["vtt"].read_text(encoding="utf-8"))
    srt_blocks = rendered.sidecars["srt"].read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    assert len(srt_blocks) == len(vtt) > len(timeline.cues)  # some sentences were cut
    for (start, end, _, _body, lines), block in zip(vtt, srt_blocks, strict=True):
        assert 0 < end - start <= sidecars.MAX_CAPTION_MS
        shown = [html.unescape(re.sub(r"^<v [^>]+>", "", line)) for line in lines]
        assert len(shown) <= 2 and all(len(line) <= 42 for line in shown), shown
        _, timing, *srt_lines = block.split("\n")
        assert timing == f"{sidecars.srt_timestamp(start)} --> {sidecars.srt_timestamp(end)}"
        assert len(srt_lines) <= 2 and all(len(line) <= 42 for line in srt_lines), srt_lines
    starts = [cue[0] for cue in vtt]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    names = {speaker.id: speaker.name for speaker in episode.speakers}
    for sentence in timeline.cues:
        pieces = [c for c in vtt if sentence.start_ms <= c[0] and c[1] <= sentence.end_ms]
        assert pieces[0][0] == sentence.start_ms and pieces[-1][1] == sentence.end_ms
        assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
        assert {c[2] for c in pieces} == {names[sentence.speaker_id]}
        assert " ".join(c[3] for c in pieces) == " ".join(sentence.text.split())
    # All of the captions' text, and nothing else.
    assert " ".join(c[3] for c in vtt) == " ".join(
        " ".join(cue.text.split()) for cue in timeline.cues
    )
