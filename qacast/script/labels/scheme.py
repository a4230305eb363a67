"""The page's labels: which line starts name a speaker, in whatever markup sets them apart.

Each document marks its speakers its own way (bold names, initials, a heading
per speaker, "Q:"/"A:", timestamps...). The lines are read once with every
markup form turned into the plain "Label: text" form, the labels this
document uses are accepted (labels.find), and a finder is made that gives
every later stage the label opening a line, however it was written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from qacast.script.blocks.clean import Notes
from qacast.script.blocks.commonmark import Block, Line
from qacast.script.blocks.paragraphs import RawParagraph
from qacast.script.front.guide import INTRO_SPEAKER, Guide
from qacast.script.labels.find import (
    FULL_NAME,
    INITIALS,
    WEAK_RULES,
    Candidate,
    Labels,
    candidate,
    find_labels,
)
from qacast.script.labels.marks import (
    heading_label_text,
    heading_labels,
    marked_label_text,
    split_inline_labels,
)
from qacast.script.labels.names import NameIndex

REJECTED_SHOWN = 5  # the -v notes name this many label-shaped words that were not labels


def one_turn_a_line(blocks: Sequence[Block]) -> list[Block]:
    """The blocks with lines that hold two turns split ("Q: Why? A: Because.")."""
    starts = frozenset(
        found.label for b in blocks for ln in b.lines if (found := candidate(ln.text))
    )
    return split_inline_labels(list(blocks), starts)


def accept_labels(
    blocks: Sequence[Block], names: NameIndex, guide: Guide, notes: Notes
) -> tuple[Labels, Callable[[Line], Candidate | None]]:
    """The labels this document uses, and the finder of the label opening a line."""
    headings = heading_labels(blocks)
    lines = [
        heading_label_text(block, headings) if block.kind == "heading" else marked_label_text(line)
        for block in blocks
        if block.kind not in ("code", "rule")
        for line in block.lines
    ]
    labels = find_labels(
        lines, "\n".join(lines), names, guide.labels, guide.not_labels, guide.vouched
    )
    _say_rejected_labels(lines, labels, notes)

    def find(line: Line) -> Candidate | None:
        found = labels.find(line.text)
        if found is None and line.lead_mark:
            found = labels.find(marked_label_text(line))
        if found is None and line.text in headings:
            found = labels.find(f"{line.text}:")
        return found

    return labels, find


def _say_rejected_labels(lines: list[str], labels: Labels, notes: Notes) -> None:
    """-v names the label-shaped line starts that were not taken as labels: their words stay.
    One that could be a person ("Rosa Lind:", "RL:") is a doubt, settled by ``labels``."""
    rejected = [
        found.label
        for line in lines
        if (found := candidate(line)) and found.form == "colon" and labels.find(line) is None
    ]
    for label in list(dict.fromkeys(rejected))[:REJECTED_SHOWN]:
        what = f"'{label}:' read as text, not as a speaker label"
        if FULL_NAME.fullmatch(label) or INITIALS.fullmatch(label):
            notes.doubt(
                f"{what}: used once, and nothing else shows it names a speaker",
                f"labels: [{label}]",
            )
        else:
            notes.say(f"{what}: used once, and nothing shows it names a speaker")


def doubt_weak_labels(paragraphs: Sequence[RawParagraph], labels: Labels, notes: Notes) -> None:
    """A label used once and accepted on indirect evidence is a doubt, settled by ``not_labels``."""
    uses = Counter(p.label for p in paragraphs if p.label)
    for speaker in labels.ids:
        rule = labels.rules.get(speaker, "")
        if uses[speaker] == 1 and rule in WEAK_RULES:
            line = next(p.line_no for p in paragraphs if p.label == speaker)
            notes.doubt(
                f"line {line}: '{speaker}:' read as a speaker label, used once ({rule})",
                f"not_labels: [{speaker}]",
            )


def guided(paragraphs: Sequence[RawParagraph], guide: Guide, notes: Notes) -> list[RawParagraph]:
    """The paragraphs with the front matter's ``skip`` and ``said_by`` applied."""
    kept = []
    for p in paragraphs:
        if p.text and guide.skips(p.text):
            notes.drop(p.line_no, "front matter skip", p.text, last_line=p.end_line)
            continue
        speaker = guide.speaker_of(p.text) if p.text else None
        if speaker == INTRO_SPEAKER:
            notes.say(f"line {p.line_no}: part of the intro (front matter said_by)")
            p = replace(p, settled=True)
        elif speaker:
            notes.say(f"line {p.line_no}: said by '{speaker}' (front matter said_by)")
            p = replace(p, label=speaker, kind="paragraph", settled=True)
        kept.append(p)
    return kept
