"""``qacast check``'s rules that read the files a feed links, as an app would.

A file can be where the feed says, of the length it says, and still be of no
use: an MP3 of zeros, WAV bytes under a ".mp3" name, a chapters file that is
not the Podcasting 2.0 format, captions no player can parse, an episode page
that is gone. These rules open each file: the audio is decoded whole (by the
ffmpeg qacast ships) and its length compared with ``itunes:duration``, the
first bytes of each audio file compared with its suffix's format record,
chapters and JSON transcripts read against their schemas, captions parsed.

Each rule is a function from the built show to findings, listed in
``qacast.publish.check.RULES``.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from qacast.audio.ffmpeg import decoded_duration_ms
from qacast.errors import EngineError
from qacast.formats import format_of_bytes, format_of_suffix, holds_format
from qacast.publish.built_show import BuiltShow, Finding
from qacast.publish.built_show import item_name as _item_name
from qacast.publish.feedext import CHAPTERS_TYPE, ITUNES_NS, PODCAST_NS

# itunes:duration is whole seconds (or H:MM:SS) of the programme; the file adds
# an encoder's padding. More than this apart, the feed misstates the episode.
DURATION_TOLERANCE_MS = 2000
DURATION_TOLERANCE_SHARE = 0.01
_MAGIC_BYTES = 64  # enough for every format record's magic
# ffmpeg's log prefix ("[mp3 @ 0x55d0...] "): its address differs on every run.
_FFMPEG_PREFIX = re.compile(r"\[[^\]]*@ 0x[0-9a-f]+\]\s*")

# The Podcasting 2.0 chapters file (version 1.2), as a JSON Schema: the fields
# apps read, with their types; other fields are allowed, as the format says.
CHAPTERS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "chapters"],
    "properties": {
        "version": {"type": "string"},
        "author": {"type": "string"},
        "title": {"type": "string"},
        "podcastName": {"type": "string"},
        "description": {"type": "string"},
        "fileName": {"type": "string"},
        "waypoints": {"type": "boolean"},
        "chapters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["startTime"],
                "properties": {
                    "startTime": {"type": "number", "minimum": 0},
                    "endTime": {"type": "number", "minimum": 0},
                    "title": {"type": "string"},
                    "img": {"type": "string"},
                    "url": {"type": "string"},
                    "toc": {"type": "boolean"},
                    "location": {
                        "type": "object",
                        "required": ["name", "geo"],
                        "properties": {"name": {"type": "string"}, "geo": {"type": "string"}},
                    },
                },
            },
        },
    },
}

# The Podcasting 2.0 JSON transcript: timed segments of text.
TRANSCRIPT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "segments"],
    "properties": {
        "version": {"type": "string"},
        "segments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["startTime", "endTime", "body"],
                "properties": {
                    "speaker": {"type": "string"},
                    "startTime": {"type": "number", "minimum": 0},
                    "endTime": {"type": "number", "minimum": 0},
                    "body": {"type": "string"},
                },
            },
        },
    },
}


# --- audio -------------------------------------------------------------------------


def _audio_urls(item: ET.Element) -> list[str]:
    """The item's enclosure and every alternate enclosure's source, each once."""
    enclosure = item.find("enclosure")
    urls = [enclosure.get("url", "")] if enclosure is not None else []
    for alternate in item.findall(f"{{{PODCAST_NS}}}alternateEnclosure"):
        urls += [s.get("uri", "") for s in alternate.findall(f"{{{PODCAST_NS}}}source")]
    return list(dict.fromkeys(url for url in urls if url))


def parse_duration_ms(text: str) -> int | None:
    """itunes:duration as apps read it: seconds, or [H:]MM:SS; None when it is neither."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"\d+(\.\d+)?", p) for p in parts):
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return round(seconds * 1000)


def kind_problem(path: Path) -> str | None:
    """Why the bytes of ``path`` are not the audio its suffix says; None when they are."""
    spec = format_of_suffix(path.suffix)
    if spec is None or not spec.magic:
        return None
    with path.open("rb") as handle:
        head = handle.read(_MAGIC_BYTES)
    if holds_format(head, spec):
        return None
    other = format_of_bytes(head)
    if other is not None:
        return f"holds {other.label} audio, not {spec.label}: its name says what it is not"
    return f"is not {spec.label} audio: its first bytes are no {spec.label} header"


def _decoded(path: Path) -> int | str:
    """The decoded length in ms, or why it cannot be decoded."""
    try:
        return decoded_duration_ms(os.fspath(path))
    except EngineError as err:
        return _FFMPEG_PREFIX.sub("", str(err))


def audio_rule(show: BuiltShow) -> Iterator[Finding]:
    """Each audio file is what its suffix says, decodes whole, and plays as
    long as the item's itunes:duration says (within the encoder's padding)."""
    jobs = [(item, path) for item in show.items for url in _audio_urls(item)
            if (path := show.local_file(url)) is not None]  # fmt: skip
    # Missing files are the enclosure rules' findings; the others are decoded side by side.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        decoded = list(pool.map(lambda job: _decoded(job[1]), jobs))
    for (item, path), length in zip(jobs, decoded, strict=True):
        kind = kind_problem(path)
        if kind is not None:
            yield Finding("audio", f"{_item_name(item)}: {path.name} {kind}")
        if isinstance(length, str):
            yield Finding("audio", f"{_item_name(item)}: {path.name} cannot be decoded ({length})")
            continue
        yield from _duration(item, path, length)


def _duration(item: ET.Element, path: Path, length_ms: int) -> Iterator[Finding]:
    text = item.findtext(f"{{{ITUNES_NS}}}duration")
    if text is None:
        return
    stated_ms = parse_duration_ms(text)
    if stated_ms is None:
        yield Finding("itunes:duration", f"{_item_name(item)}: {text!r} is not a duration")
        return
    tolerance_ms = max(DURATION_TOLERANCE_MS, length_ms * DURATION_TOLERANCE_SHARE)
    if abs(stated_ms - length_ms) > tolerance_ms:
        yield Finding(
            "itunes:duration",
            f"{_item_name(item)}: says {text.strip()} but {path.name} plays "
            f"{length_ms / 1000:.0f} s",
        )


# --- chapters and transcripts --------------------------------------------------------


def schema_problem(data: bytes, schema: dict[str, Any]) -> str | None:
    """Why ``data`` is not a JSON document of ``schema``; None when it is."""
    # Imported here: only check reads a schema, and jsonschema takes 0.1 s to import.
    import jsonschema

    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as err:
        return f"is not JSON ({err})"
    errors = jsonschema.Draft7Validator(schema).iter_errors(document)
    error = jsonschema.exceptions.best_match(errors)
    if error is None:
        return None
    where = "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"is not a Podcasting 2.0 file: {where.lstrip('.') or 'the document'}: {error.message}"


def _chapters_order(data: bytes) -> str | None:
    chapters = json.loads(data)["chapters"]
    starts = [chapter["startTime"] for chapter in chapters]
    if starts != sorted(starts):
        return "lists its chapters out of time order"
    return None


def chapters_rule(show: BuiltShow) -> Iterator[Finding]:
    for item in show.items:
        for element in item.findall(f"{{{PODCAST_NS}}}chapters"):
            if element.get("type") != CHAPTERS_TYPE:
                yield Finding("podcast:chapters",
                               f"{_item_name(item)}: type {element.get('type')!r}, "
                               f"not {CHAPTERS_TYPE}")  # fmt: skip
            path = show.local_file(element.get("url", ""))
            if path is None:
                continue  # the linked-files rule says so
            data = path.read_bytes()
            problem = schema_problem(data, CHAPTERS_SCHEMA) or _chapters_order(data)
            if problem is not None:
                yield Finding("podcast:chapters", f"{_item_name(item)}: {path.name} {problem}")


def _captions_problem(path: Path, mime_type: str) -> str | None:
    """Why a VTT or SRT file is none a player reads: unparsed, empty, cues ending first."""
    import webvtt  # as jsonschema: only check reads captions back

    read: Callable[[str], Any] = webvtt.read if mime_type == "text/vtt" else webvtt.from_srt
    try:
        captions = read(os.fspath(path)).captions
    except (webvtt.errors.MalformedFileError, UnicodeDecodeError, ValueError) as err:
        kind = "WebVTT" if mime_type == "text/vtt" else "SubRip"
        return f"is not a {kind} file ({err})"
    if not captions:
        return "has no cues"
    for cue in captions:
        if cue.end_in_seconds < cue.start_in_seconds:
            return f"has a cue that ends ({cue.end}) before it starts ({cue.start})"
    return None


def transcripts_rule(show: BuiltShow) -> Iterator[Finding]:
    for item in show.items:
        for element in item.findall(f"{{{PODCAST_NS}}}transcript"):
            path = show.local_file(element.get("url", ""))
            if path is None:
                continue  # the linked-files rule says so
            mime_type = element.get("type", "")
            problem = None
            if mime_type in ("text/vtt", "application/x-subrip"):
                problem = _captions_problem(path, mime_type)
            elif mime_type == "application/json":
                problem = schema_problem(path.read_bytes(), TRANSCRIPT_SCHEMA)
            if problem is not None:
                yield Finding("podcast:transcript", f"{_item_name(item)}: {path.name} {problem}")


# --- the site ----------------------------------------------------------------------

INDEX_NAME = "index.html"


def _page(show: BuiltShow, url: str) -> Path | None:
    """The file in out/ a page address names; a folder's address names its index.html."""
    if url == show.base_url or url.endswith("/"):
        return show.local_file(url + INDEX_NAME)
    return show.local_file(url)


def pages_rule(show: BuiltShow) -> Iterator[Finding]:
    """The show's page and every episode's (the <link> of the channel and of
    each item) are in out/: an app's "open the website" must not lead nowhere."""
    link = (show.channel.findtext("link") or "").strip()
    if link.startswith(show.base_url) and _page(show, link) is None:
        yield Finding("site", f"the channel's <link> {link} has no page in out/ ({INDEX_NAME})")
    for item in show.items:
        url = (item.findtext("link") or "").strip()
        if url.startswith(show.base_url) and _page(show, url) is None:
            yield Finding("site", f"{_item_name(item)}: its page {url} is not in out/")
