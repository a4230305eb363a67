"""Chapters, sidecars and tags of real renders of the sample, read back.

Chapters through ffprobe's answers (Debian's or PyAV's, never the encoder's) and mutagen; sidecars
through parsers written from the formats' specs (tests/readback.py), compared
with ``rendered.timeline``, the single source of time. The same tags, chapters,
cover and transcript must come back from every format.
"""
# mypy: disallow-untyped-calls=False
# (mutagen's readers are unannotated.)

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mutagen.flac import Picture
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from readback import (
    TOLERANCE_MS,
    parse_srt,
    parse_vtt,
    probe,
    probed_chapters,
    probed_duration_ms,
)

from conftest import SAMPLE

ALL_LOSSY = "mp3,m4a,opus"
# Chapter times in M4A are kept in output samples (1/44100 s), not in ms.
M4A_CHAPTER_TOLERANCE_MS = 1.0


def _file(rendered: Any, suffix: str) -> Path:
    paths: list[Path] = [f.path for f in rendered.files if f.path.suffix == suffix]
    (path,) = paths
    return path


def _questions(rendered: Any) -> list[Any]:
    return [span for span in rendered.timeline.turns if span.kind == "question"]


# --- chapters -------------------------------------------------------------------


def test_mp3_chapters_probe_as_intro_questions_outro(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE)
    path = rendered.files[0].path
    chapters = probed_chapters(path)
    questions = _questions(rendered)
    assert len(questions) == 3
    titles = [c.title for c in chapters]
    assert titles[0] == "Intro"
    assert titles[-1] == "Outro"
    assert len(chapters) == 2 + len(questions), titles
    for chapter, span in zip(chapters[1:-1], questions, strict=True):
        # Each question chapter starts where its question does, titled from its words.
        assert chapter.start_ms == span.start_ms
        question_text = " ".join(rendered.episode.turns[span.turn_index].text.split())
        assert chapter.title and question_text.startswith(chapter.title.rstrip("…")), chapter.title
    assert chapters[0].start_ms == 0
    for before, after in itertools.pairwise(chapters):
        assert before.start_ms < before.end_ms <= after.start_ms, (before, after)
    assert abs(chapters[-1].end_ms - probed_duration_ms(path)) <= TOLERANCE_MS
    expected = [(c.title, c.start_ms, c.end_ms) for c in rendered.timeline.chapters]
    assert [(c.title, c.start_ms, c.end_ms) for c in chapters] == expected


def test_mp3_ctoc_lists_chapters_in_time_order(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE)
    tags = ID3(rendered.files[0].path)
    assert tags.version == (2, 3, 0)
    (toc,) = tags.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL
    assert toc.flags & CTOCFlags.ORDERED
    chaps = {frame.element_id: frame for frame in tags.getall("CHAP")}
    assert sorted(toc.child_element_ids) == sorted(chaps)
    children = [chaps[element_id] for element_id in toc.child_element_ids]
    starts = [chap.start_time for chap in children]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), starts
    assert [(str(c.sub_frames["TIT2"]), c.start_time, c.end_time) for c in children] == [
        (c.title, c.start_ms, c.end_ms) for c in rendered.timeline.chapters
    ]


def test_m4a_chapters_read_back_with_ffprobe(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE, ALL_LOSSY)
    path = _file(rendered, ".m4a")
    chapters = probed_chapters(path)
    expected = rendered.timeline.chapters
    assert [c.title for c in chapters] == [c.title for c in expected]
    for got, want in zip(chapters, expected, strict=True):
        assert abs(got.start_ms - want.start_ms) <= M4A_CHAPTER_TOLERANCE_MS, (got, want)
        assert abs(got.end_ms - want.end_ms) <= M4A_CHAPTER_TOLERANCE_MS, (got, want)
    assert abs(chapters[-1].end_ms - probed_duration_ms(path)) <= TOLERANCE_MS


def _chapter_ms(stamp: str) -> int:
    match = re.fullmatch(r"(\d+):(\d{2}):(\d{2})\.(\d{3})", stamp)
    assert match, stamp
    h, m, s, ms = (int(g) for g in match.groups())
    return ((h * 60 + m) * 60 + s) * 1000 + ms


def test_opus_chapters_read_back_with_mutagen(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE, ALL_LOSSY)
    comments = OggOpus(_file(rendered, ".opus")).tags
    assert comments is not None
    found = []
    number = 1
    while f"CHAPTER{number:03d}" in comments:
        found.append(
            (
                comments[f"CHAPTER{number:03d}NAME"][0],
                _chapter_ms(comments[f"CHAPTER{number:03d}"][0]),
            )
        )
        number += 1
    assert found == [(c.title, c.start_ms) for c in rendered.timeline.chapters]


# --- the same tags in every format ------------------------------------------------


def _mp3_tags(path: Path) -> dict[str, Any]:
    tags = ID3(path)
    (cover,) = tags.getall("APIC")
    (lyrics,) = tags.getall("USLT")
    (comment,) = tags.getall("COMM")
    assert cover.type == 3  # front cover
    return {
        "title": str(tags["TIT2"]),
        "artist": str(tags["TPE1"]),
        "album": str(tags["TALB"]),
        "genre": str(tags["TCON"]),
        "comment": comment.text[0],
        "transcript": lyrics.text,
        "cover": cover.data,
    }


def _m4a_tags(path: Path) -> dict[str, Any]:
    tags = MP4(path).tags
    assert tags is not None
    return {
        "title": tags["\xa9nam"][0],
        "artist": tags["\xa9ART"][0],
        "album": tags["\xa9alb"][0],
        "genre": tags["\xa9gen"][0],
        "comment": tags["\xa9cmt"][0],
        "transcript": tags["\xa9lyr"][0],
        "cover": bytes(tags["covr"][0]),
    }


def _opus_tags(path: Path) -> dict[str, Any]:
    tags = OggOpus(path).tags
    assert tags is not None
    picture = Picture(base64.b64decode(tags["METADATA_BLOCK_PICTURE"][0]))
    assert picture.type == 3
    return {
        "title": tags["TITLE"][0],
        "artist": tags["ARTIST"][0],
        "album": tags["ALBUM"][0],
        "genre": tags["GENRE"][0],
        "comment": tags["COMMENT"][0],
        "transcript": tags["LYRICS"][0],
        "cover": picture.data,
    }


def test_every_format_carries_the_same_tags_cover_and_transcript(
    render_script: Callable[..., Any],
) -> None:
    rendered, _ = render_script(SAMPLE, ALL_LOSSY)
    mp3 = _mp3_tags(_file(rendered, ".mp3"))
    assert _m4a_tags(_file(rendered, ".m4a")) == mp3
    assert _opus_tags(_file(rendered, ".opus")) == mp3
    assert mp3["cover"] == rendered.cover.read_bytes()
    assert mp3["title"] == rendered.episode.meta.title
    assert mp3["album"] == "Test Show"
    # ffprobe sees the same basic tags in each container.
    for file in rendered.files:
        fmt: dict[str, Any] = probe(file.path, "-show_format", "-show_streams")
        found = dict(fmt["format"].get("tags", {}))
        for stream in fmt["streams"]:
            found.update(stream.get("tags", {}))  # Ogg keeps comments on the stream
        found = {key.lower(): value for key, value in found.items()}
        for key in ("title", "artist", "album", "genre"):
            assert found.get(key) == mp3[key], (file.path.suffix, key, found.get(key))


# --- sidecars ---------------------------------------------------------------------


def _speaker_names(rendered: Any) -> dict[str, str]:
    return {s.id: s.name for s in rendered.episode.speakers}


def test_vtt_and_srt_validate_and_equal_the_timeline(
    render_script: Callable[..., Any],
) -> None:
    rendered, _ = render_script(SAMPLE)
    duration_ms = probed_duration_ms(rendered.files[0].path)
    names = _speaker_names(rendered)
    for kind, parse in (("vtt", parse_vtt), ("srt", parse_srt)):
        text = rendered.sidecars[kind].read_text(encoding="utf-8")
        captions = parse(text)
        starts = [c.start_ms for c in captions]
        assert starts == sorted(starts), kind
        for caption in captions:
            assert 0 <= caption.start_ms < caption.end_ms <= duration_ms, (kind, caption)
        # Each sentence is the text of the captions cut from it, over its span.
        for cue in rendered.timeline.cues:
            pieces = [c for c in captions if cue.start_ms <= c.start_ms and c.end_ms <= cue.end_ms]
            assert pieces[0].start_ms == cue.start_ms and pieces[-1].end_ms == cue.end_ms
            assert {c.speaker for c in pieces} <= {
                names[cue.speaker_id],
                names[cue.speaker_id].split()[0],
            }
            assert " ".join(c.text for c in pieces) == " ".join(cue.text.split()), kind


def test_json_transcript_and_chapters_match_podcasting_2_and_the_timeline(
    render_script: Callable[..., Any],
) -> None:
    rendered, _ = render_script(SAMPLE)
    names = _speaker_names(rendered)
    transcript = json.loads(rendered.sidecars["transcript_json"].read_text(encoding="utf-8"))
    assert transcript["version"] == "1.0.0"
    assert set(transcript) == {"version", "language", "segments"}  # language: BCP-47
    for segment in transcript["segments"]:
        assert set(segment) == {"speaker", "startTime", "endTime", "body"}
        assert isinstance(segment["speaker"], str) and isinstance(segment["body"], str)
        assert isinstance(segment["startTime"], int | float)
        assert isinstance(segment["endTime"], int | float)
    assert [
        (round(s["startTime"] * 1000), round(s["endTime"] * 1000), s["speaker"], s["body"])
        for s in transcript["segments"]
    ] == [
        (c.start_ms, c.end_ms, names[c.speaker_id], " ".join(c.text.split()))
        for c in rendered.timeline.cues
    ]

    chapters = json.loads(rendered.sidecars["chapters_json"].read_text(encoding="utf-8"))
    assert chapters["version"] == "1.2.0"
    allowed = {"startTime", "title", "endTime", "img", "url", "toc"}
    for chapter in chapters["chapters"]:
        assert {"startTime", "title"} <= set(chapter) <= allowed
    assert [
        (round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["title"])
        for c in chapters["chapters"]
    ] == [(c.start_ms, c.end_ms, c.title) for c in rendered.timeline.chapters]


def test_show_notes_list_the_chapters_at_their_times(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE)
    notes = rendered.sidecars["show_notes"].read_text(encoding="utf-8")
    stamps = re.findall(r"^- (\d{2}):(\d{2}):(\d{2}) ", notes, flags=re.MULTILINE)
    seconds = [int(h) * 3600 + int(m) * 60 + int(s) for h, m, s in stamps]
    assert seconds == [c.start_ms // 1000 for c in rendered.timeline.chapters]


def test_uslt_holds_the_transcript_turn_by_turn(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE)
    (lyrics,) = ID3(rendered.files[0].path).getall("USLT")
    names = _speaker_names(rendered)
    turns: list[tuple[str, list[str]]] = []
    last_turn = None
    for cue in rendered.timeline.cues:
        if cue.turn_index != last_turn:
            turns.append((names[cue.speaker_id], []))
            last_turn = cue.turn_index
        turns[-1][1].append(" ".join(cue.text.split()))
    blocks = [block for block in lyrics.text.split("\n\n") if block.strip()]
    assert [tuple(block.strip().split(": ", 1)) for block in blocks] == [
        (name, " ".join(sentences)) for name, sentences in turns
    ]
