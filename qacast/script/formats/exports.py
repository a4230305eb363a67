"""Transcription-app text exports -> the labelled text the parser reads.

A ``.txt`` says nothing about where it came from, so the layout is read from
the text: each row of ``LAYOUTS`` says how one family of exports opens an
entry (the line with the speaker and the time), and the row whose entry lines
make up the text wins. Its entries become fragments (speaker, time, words),
the timestamps are left out, the pieces of one speaker are joined into a turn
(fragments.py), and the text is written back as ``Name: text`` paragraphs.
Lines above the first entry (a title, the app's date and keyword blocks) are
kept as they are, for the parser's title and furniture rules. A text in none
of these layouts is returned unchanged.

Layouts without speakers (Whisper's ``[00:00.000 --> 00:04.000]`` lines, a
transcript copied from a video page with a time above each line) go to
infer_turns.py, which tells the turns apart by their questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qacast.errors import ScriptError
from qacast.script.blocks.furniture import voice_tags_as_labels
from qacast.script.formats.captions import captions_as_text, is_caption_text
from qacast.script.formats.fragments import (
    NAME,
    Fragment,
    Written,
    assign_changes,
    join_turns,
    mark_speakers,
    speaker_mark,
    with_furniture,
    write_turns,
)
from qacast.script.formats.infer_turns import INFERRED_NOTE, infer_turns

CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
CLOCK_OF_DAY = rf"{CLOCK}(?:[ \t]?[AaPp]\.?[Mm]\.?)?"
# Older Teams transcripts drop the leading zeros: "0:0:5.460".
TEAMS_CLOCK = r"\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?"


@dataclass(frozen=True)
class Layout:
    """How one family of exports opens an entry: a line with groups ``speaker``
    (absent: the export names nobody), ``time`` and ``text`` (the words, when
    they start on the same line; else they are on the lines below)."""

    name: str
    entry: re.Pattern[str]
    name_below: bool = False  # the speaker's name is the first line under the entry line
    stamped: bool = False  # every line of the export carries a time stamp before it
    # The share of the text's non-blank lines that must open entries. Layouts that
    # name nobody ask for most of the text: a chapter list ("03:12 Why boats")
    # above a labelled transcript is not a transcript of times.
    min_share: float = 0.2


def _layout(name: str, pattern: str, *, name_below: bool = False) -> Layout:
    unnamed = "(?P<speaker>" not in pattern and not name_below
    return Layout(name, re.compile(pattern), name_below, min_share=0.4 if unnamed else 0.2)


# One row per export layout, matched against each stripped line.
LAYOUTS: tuple[Layout, ...] = (
    # Otter, Teams (.docx and .txt): "Jane Doe  0:04", the words below.
    _layout(
        "name and time alone (Otter, Teams)",
        rf"(?P<speaker>{NAME})(?:[ \t]{{2,}}|\t)\[?(?P<time>{CLOCK_OF_DAY})\]?",
    ),
    # Rev: "Jane Doe (00:00:04):" with the words beside or below; recorders give a span.
    _layout(
        "name and time in parentheses (Rev)",
        rf"(?P<speaker>{NAME})[ \t]*\((?P<time>{CLOCK})(?:[ \t]*[-–][ \t]*{CLOCK})?\)[ \t]*:?"
        r"(?:[ \t]*(?P<text>\S.*))?",
    ),
    # Older Rev and Temi: "Jane Doe: (00:04)".
    _layout(
        "name, colon, time (older Rev)",
        rf"(?P<speaker>{NAME}):[ \t]*[\[(](?P<time>{CLOCK})[\])](?:[ \t]*(?P<text>\S.*))?",
    ),
    # Descript: "[00:00:04] Jane Doe: words".
    _layout(
        "time in brackets, name and colon (Descript)",
        rf"[\[(](?P<time>{CLOCK})[\])][ \t]*(?P<speaker>{NAME}):(?:[ \t]+(?P<text>\S.*))?",
    ),
    # Diarised notes: "[Speaker 1] [04:13] words", or the time first.
    _layout(
        "speaker and time in brackets (diarised)",
        rf"\[(?P<speaker>{NAME})\][ \t]*\[(?P<time>{CLOCK})\]:?(?:[ \t]*(?P<text>\S.*))?",
    ),
    _layout(
        "time and speaker in brackets (diarised)",
        rf"\[(?P<time>{CLOCK})\][ \t]*\[(?P<speaker>{NAME})\]:?(?:[ \t]*(?P<text>\S.*))?",
    ),
    # Zoom's transcript download: "[Jane Doe] 11:02:09", the words below.
    _layout(
        "name in brackets and time (Zoom)",
        rf"\[(?P<speaker>{NAME})\][ \t]+(?P<time>{CLOCK_OF_DAY})",
    ),
    # Zoom's chat file: "00:58:04<TAB>Jane Doe:<TAB>words"; the local one:
    # "10:02:33 From Jane Doe to Everyone: words".
    _layout(
        "time, tab, name (Zoom chat)",
        rf"(?P<time>{CLOCK})\t+(?P<speaker>{NAME}):?\t+(?P<text>\S.*)",
    ),
    _layout(
        "time, From name to Everyone (Zoom chat)",
        rf"(?P<time>{CLOCK_OF_DAY})[ \t]+From[ \t]+(?P<speaker>{NAME}?)[ \t]+[Tt]o[ \t]+"
        r"(?:Everyone|[^:]{1,60}?)(?:[ \t]*\(.{1,30}\))?[ \t]*:(?:[ \t]*(?P<text>\S.*))?",
    ),
    # WhisperX's text output: "[SPEAKER_00]: words".
    _layout(
        "bracketed diariser label (WhisperX)",
        r"\[(?P<speaker>SPEAKER_\d{1,3})\]:?[ \t]*(?P<text>\S.*)",
    ),
    # Whisper's verbose output: "[00:00.000 --> 00:04.000]  words" (WhisperX adds a label).
    _layout(
        "time span in brackets (Whisper)",
        rf"\[(?P<time>{CLOCK})[ \t]*-->[ \t]*(?P<end>{CLOCK})\][ \t]*(?P<text>\S.*)",
    ),
    # Older Teams .docx: "0:0:0.0 --> 0:0:5.460", the name below, then the words.
    _layout(
        "time span alone, name below (older Teams)",
        rf"(?P<time>{TEAMS_CLOCK})[ \t]*-->[ \t]*{TEAMS_CLOCK}",
        name_below=True,
    ),
    # A transcript copied from a video page: "0:04" alone, the words below...
    _layout("time alone (video page transcript)", rf"(?P<time>{CLOCK})"),
    # ...or beside: "0:04 words" (and exports that stamp every line).
    _layout("time then words", rf"(?P<time>{CLOCK})[ \t]+(?P<text>\S.*)"),
)
# Lines the apps write about the recording, not in it: (name, whole-line pattern,
# what is kept: a group's text, or nothing).
EXPORT_LINES: tuple[tuple[str, re.Pattern[str], str | None], ...] = tuple(
    (name, re.compile(pattern, re.I), keep)
    for name, pattern, keep in (
        # Teams: "Jane Doe started transcription", "... stopped transcription".
        ("transcription start or stop", r".{1,80} (?:started|stopped) transcription", None),
        # Teams: the meeting's length, "12m 3s", "1h 4m 10s".
        ("recording length", r"(?:\d{1,2}h ?)?\d{1,2}m ?\d{1,2}s", None),
        # Teams' document title: "Volunteer spotlight-20250311_101502-Meeting Transcript".
        (
            "meeting title",
            r"(?P<keep>.+?)-\d{8}_\d{6}-Meeting (?:Transcript|Recording)",
            "keep",
        ),
    )
)
MIN_ENTRIES = 3  # a layout must open at least this many entries (and its share of lines)


@dataclass(frozen=True)
class Normalised:
    text: str
    layout: str | None  # the LAYOUTS name, "captions", or None when the text was left as it is
    notes: tuple[str, ...] = ()
    speakers: frozenset[str] = frozenset()  # the labels written, each naming a speaker


def normalise_export(text: str, source_name: str) -> Normalised:
    """``text`` in the parser's ``Name: text`` layout when it is an app export; else unchanged.

    Front matter at the top stays as it is.
    """
    front, body = _split_front(text)
    # "00:00:03 <v Jane Doe>Hello": a caption file's cues saved as text, one a line.
    body = voice_tags_as_labels(body)
    if is_caption_text(body):
        read = captions_as_text(body, source_name)
        return Normalised(front + read.text, "captions", read.notes, read.speakers)
    lines = body.split("\n")
    layout = detect_layout(lines)
    if layout is None:
        return Normalised(front + body, None)
    notes = [f"read as a transcription export: {layout.name}; timestamps left out"]
    if layout.stamped:
        lines = [LINE_STAMP.sub("", line) for line in lines]
    lines = _without_app_lines(lines, notes)
    first = next(i for i, line in enumerate(lines) if layout.entry.fullmatch(line.strip()))
    fragments = with_furniture(_entries(layout, lines[first:]))
    header = "\n".join(lines[:first]).strip()
    if "speaker" not in layout.entry.groupindex or layout.name_below:
        fragments = _speakers_in_text(fragments)
    written, inferred = _as_text(fragments, source_name)
    notes.extend([*inferred, *written.notes])
    text = front + (header + "\n\n" if header else "") + written.text
    return Normalised(text, layout.name, tuple(notes), written.speakers)


def _without_app_lines(lines: Sequence[str], notes: list[str]) -> list[str]:
    """The lines, less what the app wrote about the recording (each dropped one noted)."""
    kept = []
    for number, line in enumerate(lines, start=1):
        rule = next((r for r in EXPORT_LINES if r[1].fullmatch(line.strip())), None)
        if rule is None:
            kept.append(line)
            continue
        name, pattern, keep = rule
        match = pattern.fullmatch(line.strip())
        if keep and match:
            kept.append(match[keep])
            notes.append(f"line {number}: {name} {line.strip()!r} read as {match[keep]!r}")
        else:
            notes.append(f"line {number} dropped {line.strip()!r}: {name}")
    return kept


def detect_layout(lines: Sequence[str]) -> Layout | None:
    """The export layout whose entry lines make up enough of ``lines``, if any."""
    stripped = [line.strip() for line in lines if line.strip()]
    best: tuple[int, Layout] | None = None
    for layout in LAYOUTS:
        count = sum(1 for line in stripped if layout.entry.fullmatch(line))
        enough = count >= MIN_ENTRIES and count >= layout.min_share * len(stripped)
        if enough and (best is None or count > best[0]):
            best = (count, layout)
    if best and best[1].name == "time then words":
        # Every line stamped: the export under the stamps may name its speakers.
        unstamped = [best[1].entry.sub(r"\g<text>", line.strip()) for line in lines]
        inner = detect_layout(unstamped)
        if inner is not None and inner.name != "time then words":
            return _stamped(inner)
    return best[1] if best else None


def _stamped(inner: Layout) -> Layout:
    """``inner`` under a time stamp on each of its lines."""
    return replace(inner, stamped=True)


LINE_STAMP = re.compile(rf"^[ \t]*{CLOCK}[ \t]+")


def _entries(layout: Layout, lines: Sequence[str]) -> list[Fragment]:
    """One fragment per entry (its own words and the lines below it), or per furniture line.

    A line below an entry that opens with the name of a speaker the entries
    name ("Jane Doe: ...", a paragraph the app left without its time) opens
    an entry of its own.
    """
    stripped = [line.strip() for line in lines]
    matches = [layout.entry.fullmatch(line) for line in stripped]
    known = {m["speaker"] for m in matches if m and m.groupdict().get("speaker")}
    fragments: list[Fragment] = []
    for line, match in zip(stripped, matches, strict=True):
        rule, named, rest = speaker_mark(line)
        if match:
            groups = match.groupdict()
            start, end = _ms(groups.get("time") or ""), _ms(groups.get("end") or "")
            words = groups.get("text") or ""
            fragments.append(Fragment(words, groups.get("speaker"), False, start, end))
        elif rule == "name and colon" and named in known:
            fragments.append(Fragment(rest, named))
        elif line and fragments:
            if layout.name_below and not fragments[-1].text and fragments[-1].speaker is None:
                fragments[-1] = replace(fragments[-1], speaker=line)
                continue
            last = fragments[-1]
            fragments[-1] = replace(last, text=f"{last.text}\n{line}".strip())
    return [piece for fragment in fragments for piece in _lines_apart(fragment)]


def _lines_apart(fragment: Fragment) -> list[Fragment]:
    """An entry whose last lines are page furniture ("Transcribed by ...") loses them."""
    lines = fragment.text.split("\n")
    kept = list(lines)
    tail: list[Fragment] = []
    while len(kept) > 1 and with_furniture([Fragment(kept[-1])])[0].furniture:
        tail.insert(0, Fragment(kept.pop()))
    return [replace(fragment, text=" ".join(kept)), *tail]


def _ms(clock: str) -> int | None:
    """ "1:02:03.5" -> 3723500; None for no time or a time of day with am/pm."""
    if not clock or re.search(r"[AaPp]\.?[Mm]", clock):
        return None
    *rest, seconds = clock.replace(",", ".").split(":")
    total = 0.0
    for part in rest:
        total = total * 60 + int(part)
    return round((total * 60 + float(seconds)) * 1000)


def _speakers_in_text(fragments: Sequence[Fragment]) -> list[Fragment]:
    """Speakers named inside the words ("[SPEAKER_00]: ...", ">> Jane: ...") or below the time."""
    plain = [f for f in fragments if not f.furniture]
    marked = iter(mark_speakers([(f.text, f.start_ms, f.end_ms) for f in plain]))
    out = []
    for fragment in fragments:
        if fragment.furniture:
            out.append(fragment)
            continue
        found = next(marked)
        out.append(replace(found, speaker=fragment.speaker or found.speaker, furniture=None))
    return out


def _as_text(fragments: Sequence[Fragment], source_name: str) -> tuple[Written, list[str]]:
    """The fragments as ``Name: text`` turns; turns inferred from questions when no one
    is named (and the note that says so)."""
    speech = [f for f in fragments if not f.furniture]
    if any(f.speaker or f.change for f in speech):
        assigned = iter(assign_changes(speech))
        fragments = [f if f.furniture else next(assigned) for f in fragments]
        return write_turns(join_turns(fragments)), []
    inferred, count = infer_turns(speech, source_name)
    tail = [f for f in fragments[len(fragments) - _trailing(fragments) :] if f.furniture]
    return write_turns([*inferred, *tail]), [INFERRED_NOTE.format(count=count)]


def _trailing(fragments: Sequence[Fragment]) -> int:
    count = 0
    for fragment in reversed(fragments):
        if not fragment.furniture:
            break
        count += 1
    return count


FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n")


def _split_front(text: str) -> tuple[str, str]:
    """(front matter block with its delimiters, the rest); ("", text) without one."""
    opening = FRONT_MATTER.match(text)
    if not opening:
        return "", text
    fence = opening.group().strip()
    closing = re.search(rf"^{re.escape(fence)}[ \t]*$\n?", text[opening.end() :], re.M)
    if not closing:
        return "", text
    end = opening.end() + closing.end()
    return text[:end], text[end:]


def unlabelled_as_turns(body: str, source_name: str) -> Normalised | None:
    """A text with no speaker marks as Host and Guest turns told apart by their questions;
    None when it asks no question of anyone. Headings above the speech stay on top."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    headings = [line for line in lines[:3] if line.startswith("#")]
    speech = [Fragment(line) for line in lines if line not in headings]
    try:
        turns, count = infer_turns(speech, source_name)
    except ScriptError:
        return None
    head = "\n\n".join(headings) + "\n\n" if headings else ""
    written = write_turns(turns)
    note = INFERRED_NOTE.format(count=count)
    return Normalised(head + written.text, "unlabelled", (note,), written.speakers)
