"""Files published next to each episode: captions, transcripts, chapters, show notes.

Every function here is pure and reads all times from the ``Timeline``: the
render already knows exactly where each sentence and chapter sits, so nothing
is re-measured.

Captions (WebVTT, SRT) follow the usual readability rules: a cue holds at
most 2 lines of at most 42 characters and lasts at most 7 s. A sentence too
long for that is split into several cues, at the strongest boundary that
fits: a sentence end, then a comma, semicolon, colon or dash, then before a
conjunction, then any word gap. The sentence's time, known exactly from its
clip, is shared among its pieces by character count: one clip is one voice
reading steadily, so its characters are a fair clock within it. The JSON
transcript keeps one segment per sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qacast.fsutil import atomic_write_bytes
from qacast.models import Cue, Episode, Role, Timeline

# Caption readability limits (Netflix's and the BBC's subtitle guides): lines
# of at most 42 characters as displayed (a WebVTT voice tag is not displayed,
# an SRT "Name: " is), at most 2 lines, at most 7 s on screen.
MAX_LINE_CHARS = 42
MAX_CAPTION_LINES = 2
MAX_CAPTION_MS = 7000
# An SRT speaker name longer than this is shortened to its first word, so the
# cue's first line keeps room for words.
MAX_LABEL_CHARS = 24

# Where a long sentence may be cut into cues, strongest first (see the module
# docstring): a gap after a sentence end, after a phrase mark, before a
# conjunction, or any gap between words.
_SENTENCE_END = re.compile(r"[.!?…][\"')\]’”]*$")
_PHRASE_END = re.compile(r"[,;:)\]—–][\"'’”]*$")
_DASHES = ("—", "–", "-")
CONJUNCTIONS = frozenset(
    (
        "and", "but", "or", "nor", "so", "yet", "because", "although", "though",
        "while", "whereas", "when", "whenever", "if", "unless", "until", "since",
        "after", "before", "which", "who", "whom", "whose", "that", "where",
    )
)  # fmt: skip

PODCAST_TRANSCRIPT_VERSION = "1.0.0"
PODCAST_CHAPTERS_VERSION = "1.2.0"

# kind -> file name suffix after the slug; the kinds are what write_sidecars returns.
SIDECAR_SUFFIXES: dict[str, str] = {
    "vtt": ".vtt",
    "srt": ".srt",
    "transcript_json": ".transcript.json",
    "chapters_json": ".chapters.json",
    "show_notes": ".md",
}

ROLE_LABELS: dict[Role, str] = {
    "interviewer": "host",
    "interviewee": "guest",
    "narrator": "narrator",
}

# WebVTT cue text may not hold a raw "&" or "<", and ">" would let "-->" through.
_VTT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


# --- time formats -------------------------------------------------------------


def _hms(ms: int) -> tuple[int, int, int, int]:
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return hours, minutes, seconds, millis


def vtt_timestamp(ms: int) -> str:
    """``HH:MM:SS.mmm`` as WebVTT requires (hours always present)."""
    h, m, s, f = _hms(ms)
    return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"


def srt_timestamp(ms: int) -> str:
    """``HH:MM:SS,mmm``: SRT uses a comma before the milliseconds."""
    h, m, s, f = _hms(ms)
    return f"{h:02d}:{m:02d}:{s:02d},{f:03d}"


def clock_timestamp(ms: int) -> str:
    """``HH:MM:SS`` rounded down, the form apps parse from show notes."""
    h, m, s, _ = _hms(ms)
    return f"{h:02d}:{m:02d}:{s:02d}"


def _seconds(ms: int) -> float:
    return ms / 1000


# --- text helpers -------------------------------------------------------------


def _one_line(text: str) -> str:
    # A blank line inside a cue would end it; captions need no layout from the script.
    return " ".join(text.split())


def _vtt_escape(text: str) -> str:
    return "".join(_VTT_ESCAPES.get(char, char) for char in text)


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _split_word(word: str, width: int, escape: Callable[[str], str]) -> list[str]:
    """Cut a word wider than ``width`` (after escaping) into pieces that fit."""
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and len(escape(piece + char)) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    if piece:
        pieces.append(piece)
    return pieces


def wrap_text(
    text: str,
    *,
    width: int = MAX_LINE_CHARS,
    first_width: int | None = None,
    escape: Callable[[str], str] = lambda s: s,
) -> list[str]:
    """Greedy word wrap; returns escaped lines of at most ``width`` characters.

    ``first_width`` leaves room on the first line for a prefix (a voice tag or
    "Name: "). Widths are measured on the escaped text, which is what ends up
    in the file. Words longer than a line are cut.
    """
    lines: list[str] = []
    current = ""

    def limit() -> int:
        first = width if first_width is None else min(first_width, width)
        return width if lines else first

    for word in text.split():
        escaped = escape(word)
        if current:
            candidate = f"{current} {escaped}"
            if len(candidate) <= limit():
                current = candidate
                continue
            lines.append(current)
            current = ""
        if len(escaped) <= limit():
            current = escaped
            continue
        *whole, last = _split_word(word, limit(), escape)
        lines.extend(escape(piece) for piece in whole)
        current = escape(last)
    if current:
        lines.append(current)
    return lines


# --- checks -------------------------------------------------------------------


def _checked_cues(timeline: Timeline) -> tuple[Cue, ...]:
    """The timeline's cues, after checking they make valid captions.

    A bad timeline is a bug in the assembler, not a user mistake: ValueError.
    """
    previous_start = 0
    for index, cue in enumerate(timeline.cues):
        if not 0 <= cue.start_ms < cue.end_ms <= timeline.duration_ms:
            raise ValueError(
                f"cue {index} spans {cue.start_ms}-{cue.end_ms} ms, "
                f"outside 0-{timeline.duration_ms} ms or empty"
            )
        if cue.start_ms < previous_start:
            raise ValueError(f"cue {index} starts before the cue ahead of it")
        previous_start = cue.start_ms
    return timeline.cues


def _speaker_name(episode: Episode, speaker_id: str) -> str:
    return episode.speaker(speaker_id).name


# --- caption cues ------------------------------------------------------------------


@dataclass(frozen=True)
class CaptionCue:
    """A piece of a sentence small enough to read: the unit of VTT and SRT."""

    speaker_id: str
    text: str  # one line, words as in the sentence
    start_ms: int
    end_ms: int


def srt_label(name: str) -> str:
    """ "Name: ", the speaker as an SRT cue names them."""
    if len(name) + 2 > MAX_LABEL_CHARS:
        name = name.split()[0][: MAX_LABEL_CHARS - 2] if name.split() else name
    return f"{name}: "


def _gap_strength(words: list[str], after: int) -> int:
    """How good a cut between ``words[after - 1]`` and ``words[after]`` is (higher is better)."""
    before, following = words[after - 1], words[after]
    if _SENTENCE_END.search(before):
        return 3
    if _PHRASE_END.search(before) or following in _DASHES:
        return 2
    if following.lower().strip("\"'‘“(") in CONJUNCTIONS:
        return 1
    return 0


def split_sentence(text: str, duration_ms: int, label_chars: int = 0) -> list[str]:
    """``text`` (one line) in pieces that each fit a caption: at most 2 lines of
    ``MAX_LINE_CHARS`` (the first shortened by ``label_chars``) and, at the
    sentence's pace, at most ``MAX_CAPTION_MS``. Joined with spaces, the
    pieces are ``text``. A single word that fits nowhere stands alone."""
    words = text.split(" ")
    ms_per_char = duration_ms / max(len(text), 1)

    def fits(piece: list[str]) -> bool:
        joined = " ".join(piece)
        lines = wrap_text(joined, first_width=MAX_LINE_CHARS - label_chars)
        # +1: a piece's time runs to the start of the next, past its space;
        # -1 ms: the times are rounded to whole milliseconds.
        return len(lines) <= MAX_CAPTION_LINES and (len(joined) + 1) * ms_per_char <= (
            MAX_CAPTION_MS - 1
        )

    pieces: list[str] = []
    while words:
        if fits(words):
            pieces.append(" ".join(words))
            break
        longest = 1
        while longest < len(words) and fits(words[: longest + 1]):
            longest += 1
        # The strongest gap past the first third of what fits (shorter pieces
        # would flash by); ties go to the longer piece.
        cut = max(
            range(max(1, longest // 3), longest + 1),
            key=lambda after: (_gap_strength(words, after) if after < len(words) else 0, after),
        )
        pieces.append(" ".join(words[:cut]))
        words = words[cut:]
    return pieces


def caption_cues(timeline: Timeline, episode: Episode) -> tuple[CaptionCue, ...]:
    """The timeline's sentences cut into readable cues, timed within each sentence."""
    cues: list[CaptionCue] = []
    for cue in _checked_cues(timeline):
        text = _one_line(cue.text)
        duration_ms = cue.end_ms - cue.start_ms
        label = srt_label(_speaker_name(episode, cue.speaker_id))
        pieces = split_sentence(text, duration_ms, len(label))
        offset = 0
        start_ms = cue.start_ms
        for index, piece in enumerate(pieces):
            offset += len(piece) + 1
            last = index == len(pieces) - 1
            end_ms = cue.end_ms if last else cue.start_ms + round(duration_ms * offset / len(text))
            end_ms = max(end_ms, start_ms + 1) if not last else end_ms
            cues.append(CaptionCue(cue.speaker_id, piece, start_ms, end_ms))
            start_ms = end_ms
    return tuple(cues)


# --- formats ------------------------------------------------------------------


def webvtt(timeline: Timeline, episode: Episode) -> str:
    """WebVTT captions, each cue named with a ``<v Speaker Name>`` voice tag.

    Line lengths count the displayed text: the voice tag is not shown, and
    an escaped "&amp;" shows as one character.
    """
    blocks = ["WEBVTT"]
    for cue in caption_cues(timeline, episode):
        tag = f"<v {_vtt_escape(_speaker_name(episode, cue.speaker_id))}>"
        lines = [_vtt_escape(line) for line in wrap_text(cue.text)]
        lines = [tag + (lines[0] if lines else ""), *lines[1:]]
        timing = f"{vtt_timestamp(cue.start_ms)} --> {vtt_timestamp(cue.end_ms)}"
        blocks.append("\n".join([timing, *lines]))
    return "\n\n".join(blocks) + "\n"


def srt(timeline: Timeline, episode: Episode) -> str:
    """SubRip captions: numbered cues, the speaker's name ahead of the first line."""
    blocks = []
    for number, cue in enumerate(caption_cues(timeline, episode), start=1):
        prefix = srt_label(_speaker_name(episode, cue.speaker_id))
        lines = wrap_text(cue.text, first_width=MAX_LINE_CHARS - len(prefix))
        lines = [prefix + (lines[0] if lines else ""), *lines[1:]]
        timing = f"{srt_timestamp(cue.start_ms)} --> {srt_timestamp(cue.end_ms)}"
        blocks.append("\n".join([str(number), timing, *lines]))
    return "\n\n".join(blocks) + "\n"


def json_transcript(timeline: Timeline, episode: Episode, language: str = "") -> dict[str, Any]:
    """Podcasting 2.0 JSON transcript: one segment per sentence, times in seconds.

    ``language`` (BCP-47) is added as a top-level key when given: WebVTT has
    no header field for it, so this file and the feed's ``podcast:transcript
    language`` attribute are where a reader finds it.
    """
    return {
        "version": PODCAST_TRANSCRIPT_VERSION,
        **({"language": language} if language else {}),
        "segments": [
            {
                "speaker": _speaker_name(episode, cue.speaker_id),
                "startTime": _seconds(cue.start_ms),
                "endTime": _seconds(cue.end_ms),
                "body": _one_line(cue.text),
            }
            for cue in _checked_cues(timeline)
        ],
    }


def json_chapters(timeline: Timeline) -> dict[str, Any]:
    """Podcasting 2.0 JSON chapters (``application/json+chapters``), times in seconds."""
    return {
        "version": PODCAST_CHAPTERS_VERSION,
        "chapters": [
            {
                "startTime": _seconds(chapter.start_ms),
                "endTime": _seconds(chapter.end_ms),
                "title": chapter.title,
            }
            for chapter in timeline.chapters
        ],
    }


def _turn_blocks(timeline: Timeline) -> Iterator[tuple[str, list[str]]]:
    """(speaker id, sentences) for each run of cues from the same turn."""
    speaker_id = ""
    turn_index: int | None = None
    sentences: list[str] = []
    for cue in _checked_cues(timeline):
        if cue.turn_index != turn_index and sentences:
            yield speaker_id, sentences
            sentences = []
        speaker_id, turn_index = cue.speaker_id, cue.turn_index
        sentences.append(_one_line(cue.text))
    if sentences:
        yield speaker_id, sentences


def plain_transcript(timeline: Timeline, episode: Episode) -> str:
    """Blocks of "Speaker Name: text", one per turn, for the ID3 USLT frame."""
    blocks = [
        f"{_speaker_name(episode, speaker_id)}: {' '.join(sentences)}"
        for speaker_id, sentences in _turn_blocks(timeline)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def show_notes_markdown(timeline: Timeline, episode: Episode, *, description: str = "") -> str:
    """Markdown show notes: title, description, timestamped chapters, speakers.

    ``description`` defaults to the episode's own. The first chapter is always
    listed at 00:00:00, even when the programme opens with a short lead-in,
    because Apple Podcasts only builds chapters from show notes whose first
    timestamp is 00:00:00.
    """
    meta = episode.meta
    parts = [f"# {_md_escape(meta.title)}"]
    if meta.byline:
        parts.append(f"*{_md_escape(meta.byline)}*")
    text = (description or meta.description).strip()
    if text:
        # Escaped like the title: a "<script>" in a description must stay text
        # wherever the notes are rendered as Markdown.
        parts.append(_md_escape(text))
    if timeline.chapters:
        lines = [
            f"- {clock_timestamp(0 if index == 0 else chapter.start_ms)} "
            f"{_md_escape(chapter.title)}"
            for index, chapter in enumerate(timeline.chapters)
        ]
        parts.append("## Chapters\n\n" + "\n".join(lines))
    if episode.speakers:
        lines = [
            f"- {_md_escape(speaker.name)} ({ROLE_LABELS[speaker.role]})"
            for speaker in episode.speakers
        ]
        parts.append("## Speakers\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"


# --- files --------------------------------------------------------------------


def _json_text(document: dict[str, Any]) -> str:
    # Stable key order as built above, readable UTF-8, trailing newline.
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def sidecar_paths(out_dir: Path, slug: str) -> dict[str, Path]:
    """Where ``write_sidecars`` puts each kind of file for ``slug``."""
    if not slug or slug in {".", ".."} or "/" in slug or "\\" in slug:
        raise ValueError(f"not a file-name slug: {slug!r}")
    return {kind: out_dir / f"{slug}{suffix}" for kind, suffix in SIDECAR_SUFFIXES.items()}


def write_sidecars(
    out_dir: Path,
    slug: str,
    timeline: Timeline,
    episode: Episode,
    *,
    description: str = "",
    language: str = "",
) -> dict[str, Path]:
    """Write every sidecar for one episode, each atomically; returns kind -> path.

    The same timeline and episode always give the same bytes.
    """
    texts = {
        "vtt": webvtt(timeline, episode),
        "srt": srt(timeline, episode),
        "transcript_json": _json_text(json_transcript(timeline, episode, language)),
        "chapters_json": _json_text(json_chapters(timeline)),
        "show_notes": show_notes_markdown(timeline, episode, description=description),
    }
    paths = sidecar_paths(out_dir, slug)
    for kind, path in paths.items():
        atomic_write_bytes(path, texts[kind].encode("utf-8"))
    return paths
