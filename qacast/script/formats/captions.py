"""Caption files (.srt, .vtt) -> the labelled text the parser reads.

webvtt-py reads the file's structure: the WEBVTT header and its metadata,
NOTE, STYLE and REGION blocks, cue identifiers, timings and cue settings, and
SRT's numbering. This module reads what the cue text says: who speaks (a
``<v Name>`` voice span, or a mark such as ``Name:`` or ``>>`` at a line's
start, see ``fragments.SPEAKER_MARKS``) and the words, without the markup
captions carry for display (``<c>`` classes, ``<00:00:01.000>`` word timings,
``<i>``, HTML entities). Auto-captions that roll (each cue repeats the line
before it) are read once. Cues of one speaker are joined into one turn.
"""

from __future__ import annotations

import html
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qacast.errors import ScriptError
from qacast.script.formats.decode import read_script
from qacast.script.formats.fragments import (
    Fragment,
    assign_changes,
    join_turns,
    mark_speakers,
    write_turns,
)
from qacast.script.formats.infer_turns import INFERRED_NOTE, infer_turns
from qacast.script.front.frontmatter import FrontMatter

# "<v Jane Doe>", "<v.loud Jane Doe>": a voice span, anywhere in a line.
VOICE_SPAN = re.compile(r"<v(?:\.[\w.-]+)*[ \t]+(?P<speaker>[^>\n]{1,60})>")
# Any other cue tag: <c>, <c.yellow>, </c>, <i>, <b>, <u>, <ruby>, <rt>, <lang en>,
# <00:00:01.000> and </v>; and the {\an8} position codes subtitle editors put in
# SRT. A "<" with no ">" after it is text.
CUE_TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]{1,40}\}")
# A cue timing line: "00:00:01.000 --> 00:00:04.000", SRT's "00:00:01,000".
TIMING_LINE = re.compile(
    r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}", re.M
)
MIN_TIMING_LINES = 2
# Rolling captions repeat the line shown before: when this share of cues opens
# with the last line of the cue before, the file rolls.
ROLLING_SHARE = 0.3


@dataclass(frozen=True)
class CueLine:
    text: str
    speaker: str | None  # from a voice span
    start_ms: int
    end_ms: int


def is_caption_text(text: str) -> bool:
    """Does ``text`` hold WebVTT or SRT cues (a .txt that was saved from a caption file)?"""
    head = text.lstrip("\ufeff \t\n")
    if head.startswith("WEBVTT"):
        return True
    return len(TIMING_LINE.findall(text, 0, 20_000)) >= MIN_TIMING_LINES and bool(
        TIMING_LINE.search("\n".join(head.splitlines()[:4]))
    )


def read_captions(path: Path, limit_bytes: int) -> tuple[str, FrontMatter]:
    """A .srt or .vtt file as labelled turns, and its language when its header states one."""

    read = captions_as_text(read_script(path, limit_bytes=limit_bytes), path.name)
    return read.text, FrontMatter(language=read.language, notes=read.notes, speakers=read.speakers)


@dataclass(frozen=True)
class ReadCaptions:
    text: str  # ``Name: text`` paragraphs
    language: str | None  # from the WebVTT header's "Language:" line
    notes: tuple[str, ...]  # how the cues were read, for ``qacast parse -v``
    speakers: frozenset[str]  # the labels written, each naming a speaker


def captions_as_text(text: str, source_name: str) -> ReadCaptions:
    """Caption text (WebVTT or SRT) -> ``Name: text`` paragraphs."""
    # Imported for caption files only: every text script is read through this
    # module too (an export may be captions saved as text), and webvtt-py's
    # import is as slow as the rest of reading a short script.
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    text = text.lstrip("\ufeff")
    head = text.lstrip()
    is_vtt = head.startswith("WEBVTT") or not re.match(r"\d+\s*\n", head)
    if is_vtt and not head.startswith("WEBVTT"):
        text = "WEBVTT\n\n" + text  # cues without the header some tools leave out
    if is_vtt:
        text = _dot_decimals(text)  # an SRT-style "00:00:01,000" in a WebVTT file
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format="vtt" if is_vtt else "srt")
    except (MalformedFileError, MalformedCaptionError, ValueError) as err:
        kind = "WebVTT" if is_vtt else "SRT"
        detail = str(err).splitlines()[0] if str(err) else "no cues"
        raise ScriptError(f"{source_name}: not a readable {kind} caption file ({detail})") from None
    lines = [
        line
        for caption in captions.captions
        for line in _cue_lines(caption.lines, caption.start_in_seconds, caption.end_in_seconds)
    ]
    if not any(line.text for line in lines):
        raise ScriptError(
            f"{source_name}: no caption cues with text found "
            "(expected cues such as '00:00:01.000 --> 00:00:04.000' followed by their words)"
        )
    fragments = cue_fragments(lines)
    language = _header_language(getattr(captions, "metadata", ()) or ())
    kind = "WebVTT" if is_vtt else "SRT"
    notes = [f"read as {kind} captions: {len(captions)} cues joined into turns"]
    if any(f.speaker for f in fragments):
        written = write_turns(join_turns(fragments))
    else:
        turns, count = infer_turns(fragments, source_name)
        notes.append(INFERRED_NOTE.format(count=count))
        written = write_turns(turns)
    notes.extend(written.notes)
    return ReadCaptions(written.text, language, tuple(notes), written.speakers)


def _dot_decimals(text: str) -> str:
    return TIMING_LINE.sub(lambda m: m.group().replace(",", "."), text)


def _header_language(metadata: Sequence[str]) -> str | None:
    for line in metadata:
        key, _, value = line.partition(":")
        if key.strip().lower() == "language" and re.fullmatch(r"[a-z]{2,3}", value.strip()):
            return value.strip()
    return None


def _cue_lines(raw_lines: Sequence[str], start_s: float, end_s: float) -> list[CueLine]:
    """A cue's lines, markup removed; a voice span names the speaker of its line."""
    start_ms, end_ms = _ms(start_s), _ms(end_s)
    out = []
    for raw in raw_lines:
        # Two voices on one line ("<v A>Yes.</v> <v B>No.</v>") are two lines.
        starts = [m.start() for m in VOICE_SPAN.finditer(raw)]
        pieces = [raw[a:b] for a, b in zip([0, *starts], [*starts, len(raw)], strict=True)]
        for piece in pieces:
            voice = VOICE_SPAN.match(piece)
            words = piece[voice.end() :] if voice else piece
            text = html.unescape(CUE_TAG.sub("", words)).replace("\u00a0", " ").strip()
            speaker = voice["speaker"].strip() if voice else None
            if text or speaker:
                out.append(CueLine(" ".join(text.split()), speaker, start_ms, end_ms))
    return out


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def cue_fragments(lines: Sequence[CueLine]) -> list[Fragment]:
    """Fragments with speakers: voice spans first, marks in the text otherwise."""
    lines = _unrolled(lines)
    texts = [(line.text, line.start_ms, line.end_ms) for line in lines]
    marked = mark_speakers(texts)
    fragments = [
        Fragment(f.text, line.speaker, False, f.start_ms, f.end_ms) if line.speaker else f
        for f, line in zip(marked, lines, strict=True)
    ]
    return assign_changes(fragments)


def _unrolled(lines: Sequence[CueLine]) -> list[CueLine]:
    """Rolling captions (YouTube's auto-captions, broadcast roll-up) without the repeats.

    Each cue of a rolling file shows the line before it again, and a line may
    grow word by word from one cue to the next; only what is new is kept. A
    file that does not roll keeps every line: people do say "Yes." twice.
    """
    if not _rolls(lines):
        return list(lines)
    out: list[CueLine] = []
    shown = ""
    for line in lines:
        text = line.text
        if not text:
            continue
        if text == shown:
            continue
        if shown and text.startswith(shown + " "):
            out.append(CueLine(text[len(shown) + 1 :], line.speaker, line.start_ms, line.end_ms))
        else:
            out.append(line)
        shown = text
    return out


def _rolls(lines: Sequence[CueLine]) -> bool:
    by_cue: dict[tuple[int, int], list[str]] = {}
    for line in lines:
        if line.text:
            by_cue.setdefault((line.start_ms, line.end_ms), []).append(line.text)
    cues = list(by_cue.values())
    repeats = sum(
        1
        for before, after in itertools.pairwise(cues)
        if after[0] == before[-1] or after[0].startswith(before[-1] + " ")
    )
    return len(cues) > 2 and repeats >= ROLLING_SHARE * (len(cues) - 1)
