"""Speech fragments from transcription exports -> turns -> the labelled text the parser reads.

Caption files and app exports cut speech into pieces (a cue every few
seconds, a line per segment, a new "Name  0:42" head after each pause). A
listener hears turns: everything one person says until another speaks. So the
pieces of one speaker are joined, sentence fragments into sentences; a new
paragraph starts only where the speaker changes, or where the export's own
break falls after a finished sentence and a pause (or an export that gives no
times) suggests one. The result is written as ``Name: text`` paragraphs, the
layout the parser reads best, with the timestamps left out.

Who speaks is read from marks inside the text too, by the rules of
``SPEAKER_MARKS``: ``>> Name:`` and ``- Name:`` (broadcast and film
captions), ``[SPEAKER_00]:`` (WhisperX) and ``Name:`` (Zoom, Descript); a bare
``>>`` or ``-`` says only that the speaker changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from qacast.script.blocks.furniture import furniture_rule
from qacast.script.labels.find import STOP_LABELS
from qacast.script.text import collapse_whitespace

# A pause this long between two pieces of one speaker's speech, after a finished
# sentence, starts a new paragraph: people pause between thoughts, and captions
# leave gaps of well under a second inside a sentence.
PARAGRAPH_PAUSE_MS = 2000

# A name as exports write it before a colon or in brackets: one to five words,
# starting with a letter, no sentence punctuation.
NAME = r"[^\W\d_][\w.'’ ()/&-]{0,38}[\w.'’)]"
NAME_MAX_WORDS = 5
# Diarisers number the voices they cannot name: "SPEAKER_00" (zero-based), "Speaker 1".
DIARISED = re.compile(r"SPEAKER_(?P<n>\d{1,3})")
NUMBERED = re.compile(r"(?:Speaker|Participant|Unknown Speaker)[ _]?\d{1,3}|Unknown Speaker", re.I)

SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True)
class Fragment:
    """One piece of speech as an export cuts it, and what the export says of its speaker."""

    text: str
    speaker: str | None = None  # as the export names it; None when it does not say
    change: bool = False  # the export marks a new speaker here without naming one
    start_ms: int | None = None
    end_ms: int | None = None
    furniture: str | None = None  # the rule that makes this line page furniture, not speech


@dataclass(frozen=True)
class Spoken:
    """One turn: a speaker (None: before anyone is named) and its paragraphs."""

    speaker: str | None
    paragraphs: tuple[str, ...]


# (rule name, pattern): how a caption line or an export line says who speaks.
# Tried in order; the first that matches wins. A "speaker" group names the
# speaker; without one the mark only says the speaker changes.
SPEAKER_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("chevrons and name", rf"^>>+[ \t]*(?P<speaker>{NAME})[ \t]*:[ \t]+"),
        ("chevrons", r"^>>+[ \t]*"),
        (
            "bracketed diariser label",
            r"^\[(?P<speaker>SPEAKER_\d{1,3}|Speaker \d{1,3})\][ \t]*:?[ \t]*",
        ),
        ("diariser label", r"^(?P<speaker>SPEAKER_\d{1,3})[ \t]*:[ \t]*"),
        # "- [Lex] Yes.": a name in brackets, as some subtitle makers tag speakers.
        ("bracketed name", rf"^(?:[-–][ \t]+)?\[(?P<speaker>{NAME})\][ \t]*:?[ \t]+(?=\S)"),
        ("dash and name", rf"^[-–][ \t]+(?P<speaker>{NAME})[ \t]*:[ \t]+"),
        ("dash", r"^[-–][ \t]+(?=\S)(?!-)"),
        ("name and colon", rf"^(?P<speaker>{NAME})[ \t]*:[ \t]+(?=\S)"),
    )
)
# Marks whose name is only a candidate: "Note: ..." and "So: ..." open prose too.
# (Broadcast captions keep ">>" for speakers, so ">> NAME:" needs only a name's shape.)
VETTED_MARKS = frozenset({"name and colon", "dash and name", "bracketed name"})
MIN_NAME_USES = 2  # a "Name:" that opens this many lines is a speaker
NAMED_SHARE = 0.5  # ...or any name-shaped one, when this share of lines is named


def speaker_mark(line: str) -> tuple[str, str | None, str]:
    """(rule, speaker or None, the rest of the line) for the mark opening ``line``;
    rule "" when it has none."""
    for rule, pattern in SPEAKER_MARKS:
        match = pattern.match(line)
        if match:
            speaker = match.groupdict().get("speaker")
            return rule, speaker.strip() if speaker else None, line[match.end() :]
    return "", None, line


def _name_shaped(name: str) -> bool:
    words = name.split()
    return (
        len(words) <= NAME_MAX_WORDS
        and name.lower().rstrip(".") not in STOP_LABELS
        and not SENTENCE_END.search(name.rstrip("."))
        and (name[:1].isupper() or bool(NUMBERED.fullmatch(name)))
    )


def vetted_speakers(lines: Iterable[str]) -> frozenset[str]:
    """The names that ``Name:`` marks in these lines may be taken for speakers.

    A name that opens several lines is a speaker; so is any name-shaped one
    once most lines are named that way (a third person who speaks once). A
    word that opens a single line of prose ("Update: ...") is not.
    """
    lines = list(lines)
    marked = [(rule, name) for rule, name, _ in map(speaker_mark, lines) if name]
    uses = Counter(name for _, name in marked)
    named = sum(uses.values())
    share = named / len(lines) if lines else 0.0
    return frozenset(
        name
        for name, count in uses.items()
        if _name_shaped(name) and (count >= MIN_NAME_USES or share >= NAMED_SHARE)
    )


def mark_speakers(
    texts: Sequence[tuple[str, int | None, int | None]], vetted: frozenset[str] | None = None
) -> list[Fragment]:
    """Fragments of (line, start_ms, end_ms) with the speaker marks they open with.

    A ``Name:`` mark counts only for a vetted name (by default those
    ``vetted_speakers`` finds in these lines); other lines keep their words.
    """
    if vetted is None:
        vetted = vetted_speakers(line for line, _, _ in texts)
    fragments = []
    for line, start_ms, end_ms in texts:
        rule, speaker, rest = speaker_mark(line)
        if speaker and rule == "chevrons and name" and not _name_shaped(speaker):
            rule, speaker, rest = "chevrons", None, line.lstrip("> \t")
        if rule in VETTED_MARKS and speaker not in vetted:
            rule, speaker, rest = "", None, line
        fragments.append(Fragment(rest, speaker, bool(rule) and not speaker, start_ms, end_ms))
    return fragments


# What meeting apps add to a display name in parentheses: "Jane Doe (she/her)",
# "Jane Doe (Host)", "Jane's iPad (2)". A role word stays, as ", Host" after the
# name (the parser's label form for a presenter's role); anything else goes.
NAME_SUFFIX = re.compile(r"[ \t]*\((?P<inside>[^()]{1,30})\)$")
ROLE_SUFFIXES = frozenset({"host", "co-host", "guest", "moderator", "interviewer", "interviewee"})
# "Jane's iPhone": a meeting app names an unnamed device after its owner.
DEVICE_NAME = re.compile(
    r"(?P<owner>[^\W\d_][\w.' -]{0,30}?)['’]s[ \t]+(?:iPhone|iPad|MacBook(?: Pro| Air)?|Mac"
    r"|Android|Galaxy[\w ]*|Pixel[\w ]*|Phone|Laptop|PC|Computer|Tablet)(?:[ \t]\(?\d\)?)?",
    re.I,
)


# "Okafor, Chidinma": a company directory's order (Teams), family name first.
DIRECTORY_ORDER = re.compile(
    r"(?P<family>[^\W\d_][\w'’-]+(?: [^\W\d_][\w'’-]+)?),[ \t]*"
    r"(?P<given>(?!(?:host|co-host|guest|moderator)\b)[^\W\d_][\w'’-]+(?: [^\W\d_][\w'’.-]+)?)",
    re.I,
)


def speaker_labels(speakers: Iterable[str]) -> dict[str, str]:
    """The label to write for each speaker the export names, where it differs.

    "SPEAKER_00" -> "Speaker 1": diarisers count from zero, people from one.
    """
    labels: dict[str, str] = {}
    for speaker in dict.fromkeys(speakers):
        diarised = DIARISED.fullmatch(speaker)
        suffix = NAME_SUFFIX.search(speaker)
        device = DEVICE_NAME.fullmatch(speaker)
        label = speaker
        if diarised:
            label = f"Speaker {int(diarised['n']) + 1}"
        elif device:
            label = device["owner"].strip()
        elif directory := DIRECTORY_ORDER.fullmatch(speaker):
            label = f"{directory['given']} {directory['family']}"
        elif suffix and speaker[: suffix.start()].strip():
            role = suffix["inside"].strip().lower()
            name = speaker[: suffix.start()].strip()
            label = f"{name}, {suffix['inside'].strip()}" if role in ROLE_SUFFIXES else name
        # A label opens with a capital ("jdoe" is a user name, and the parser's labels
        # are names).
        label = label[:1].upper() + label[1:]
        if label != speaker:
            labels[speaker] = label
    return labels


def label_notes(labels: dict[str, str]) -> tuple[str, ...]:
    return tuple(f"speaker {old!r} written as {new!r}" for old, new in labels.items())


def written_labels(turns: Sequence[Spoken | Fragment], labels: dict[str, str]) -> frozenset[str]:
    """The speaker ids the rendered text's labels stand for (", Host" is a role, not the id)."""
    speakers = {t.speaker for t in turns if isinstance(t, Spoken) and t.speaker}
    return frozenset(labels.get(s, s).split(", ")[0] for s in speakers)


def assign_changes(fragments: Sequence[Fragment]) -> list[Fragment]:
    """Give every fragment its speaker: a bare change mark (">>", "- ") hands the turn
    to the person who spoke before the current one (or to a new, numbered speaker),
    and a fragment with no mark continues the current speaker."""
    named = {f.speaker for f in fragments if f.speaker}
    unnamed = 0
    current: str | None = None
    previous: str | None = None
    out = []
    for fragment in fragments:
        speaker = fragment.speaker
        if speaker is None and fragment.change:
            if previous is None or previous == current:
                unnamed += 1
                while f"Speaker {unnamed}" in named:
                    unnamed += 1
                speaker = f"Speaker {unnamed}"
            else:
                speaker = previous
        if speaker is not None and speaker != current:
            previous, current = current, speaker
        out.append(replace(fragment, speaker=current, change=False))
    return out


def join_turns(fragments: Iterable[Fragment]) -> list[Spoken | Fragment]:
    """Consecutive fragments of one speaker as one turn; furniture lines kept apart."""
    turns: list[Spoken | Fragment] = []
    paragraphs: list[str] = []
    speaker: str | None = None
    last: Fragment | None = None

    def close() -> None:
        if paragraphs:
            turns.append(Spoken(speaker, tuple(paragraphs)))
            paragraphs.clear()

    for fragment in fragments:
        text = collapse_whitespace(fragment.text)
        if fragment.furniture:
            close()
            turns.append(fragment)
            last = None
            continue
        if not text:
            continue
        if last is None or fragment.speaker != speaker:
            close()
            speaker = fragment.speaker
            paragraphs.append(text)
        elif _new_paragraph(last, fragment, paragraphs[-1]):
            paragraphs.append(text)
        else:
            paragraphs[-1] = f"{paragraphs[-1]} {text}"
        last = fragment
    close()
    return turns


def _new_paragraph(last: Fragment, fragment: Fragment, paragraph: str) -> bool:
    """A break inside one speaker's speech: only after a finished sentence, and after
    a long pause (or, when the export gives no end times, at the export's own break)."""
    if not SENTENCE_END.search(paragraph):
        return False
    if last.end_ms is None or fragment.start_ms is None:
        return True
    return fragment.start_ms - last.end_ms >= PARAGRAPH_PAUSE_MS


# A paragraph that opens like Markdown block syntax would become a heading, a
# list or a quote: its first character is escaped.
BLOCK_START = re.compile(r"^(?:[#>+*=|`~-]|\d{1,9}[.)](?:\s|$)|<)")


def _escaped(paragraph: str) -> str:
    return "\\" + paragraph if BLOCK_START.match(paragraph) else paragraph


def render(turns: Sequence[Spoken | Fragment], names: dict[str, str] | None = None) -> str:
    """The turns as ``Name: text`` paragraphs (one blank line apart), furniture as its own line."""
    names = names or {}
    out: list[str] = []
    for turn in turns:
        if isinstance(turn, Fragment):
            out.append(_escaped(collapse_whitespace(turn.text)))
            continue
        first, *rest = turn.paragraphs
        if turn.speaker is None:
            out.append(_escaped(first))
        else:
            out.append(f"{names.get(turn.speaker, turn.speaker)}: {first}")
        out.extend(_escaped(p) for p in rest)
    return "\n\n".join(out) + "\n"


@dataclass(frozen=True)
class Written:
    """Turns written out for the parser."""

    text: str  # ``Name: text`` paragraphs
    speakers: frozenset[str]  # the labels written, each known to name a speaker
    notes: tuple[str, ...]  # speakers whose label differs from the export's name


def write_turns(turns: Sequence[Spoken | Fragment]) -> Written:
    """The turns as text, with speaker labels the parser takes (see ``speaker_labels``)."""
    labels = speaker_labels(t.speaker for t in turns if isinstance(t, Spoken) and t.speaker)
    return Written(render(turns, labels), written_labels(turns, labels), label_notes(labels))


def with_furniture(fragments: Iterable[Fragment]) -> list[Fragment]:
    """Each fragment with the furniture rule its whole line matches ("Transcribed by ...")."""
    return [replace(f, furniture=furniture_rule(f.text.strip())) for f in fragments]
