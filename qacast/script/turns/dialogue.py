"""Paragraphs -> the dialogue: which paragraphs are the interview, and how they group into turns.

Two layouts: every turn opens with a label (a transcript), or only questions
are set apart (headings, bold, "Q:" lines over unlabelled answers, or
unlabelled questions over "A:" answers). Around the interview, an article's
other sections, the page footer and whatever follows a closing rule are
skipped; above it, the intro.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qacast.errors import NoDialogueError, ScriptError
from qacast.script.blocks.clean import Notes
from qacast.script.blocks.paragraphs import RawParagraph
from qacast.script.labels.find import NOT_SPEAKERS, ROLE_LABELS, Labels
from qacast.script.turns.sections import (
    ANSWER_IDS,
    QUESTION_NUMBER,
    QUESTIONS_ID,
    Group,
    after_footer,
    after_last_rule,
    between_turns,
    clean_intro,
    drop,
    group_turns,
    marked_groups,
    question_markers,
    skip_sections,
    with_dialogue,
)
from qacast.script.turns.unlabelled import split_repeated_speakers


@dataclass(frozen=True)
class Dialogue:
    intro: tuple[RawParagraph, ...]  # prose above the first turn that is read
    groups: tuple[Group, ...]  # the turns, before their kinds are known
    answerer: str  # who reads the answers where only questions are set apart; else ""
    set_apart: bool  # questions are set apart (headings, bold, "Q:"), answers unlabelled
    context: tuple[str, ...]  # intro lines not read (headers): evidence of who is who


def find_dialogue(
    paragraphs: Sequence[RawParagraph],
    labels: Labels,
    furniture: Sequence[tuple[int, str]],
    notes: Notes,
    source_name: str,
) -> Dialogue:
    """The interview's turns and intro; ScriptError when there is no dialogue."""
    layout, marked = question_markers(list(paragraphs), labels)
    if not marked:
        paragraphs = _headings_that_ask(paragraphs)
    dialogue = marked or {i for i, p in enumerate(paragraphs) if p.label}
    if not dialogue:
        headings = sum(1 for p in paragraphs if p.kind == "heading")
        raise NoDialogueError(
            f"{source_name}: no speaker labels found (found {len(paragraphs)} paragraphs, "
            f"{headings} headings, no question layout); start each question or answer with a "
            "label such as 'Q:', 'SI:' or 'Jane Doe:', or write questions as headings or in bold"
        )
    kept, dialogue = _the_interview(list(paragraphs), dialogue, labels, furniture, notes)
    answerer = ""
    if marked:
        answerer, (intro, groups) = _set_apart(kept, dialogue, layout, notes)
    else:
        intro, groups = _labelled(kept, dialogue, notes)
    for group in groups:
        for p in group.paragraphs if group.speaker_id.lower() in NOT_SPEAKERS else ():
            drop(notes, p, NOT_SPEAKERS[group.speaker_id.lower()])
    groups = [g for g in groups if g.speaker_id.lower() not in NOT_SPEAKERS]
    read = clean_intro(list(intro), notes)
    unread = tuple(p.text for p in intro if p not in read)
    _need_two_speakers(groups, paragraphs, source_name)
    return Dialogue(tuple(read), tuple(groups), answerer, bool(marked), unread)


def _headings_that_ask(paragraphs: Sequence[RawParagraph]) -> list[RawParagraph]:
    """In a transcript whose answers are labelled ("**Emma** - ..."), a heading that asks
    ("## 1. Why did you start?") is the interviewer's question, not a section title."""
    asked = []
    for index, p in enumerate(paragraphs):
        following = next((q for q in paragraphs[index + 1 :] if q.kind != "heading"), None)
        question = p.kind == "heading" and p.level > 1 and p.text.rstrip().endswith("?")
        if question and following is not None and following.label:
            text = QUESTION_NUMBER.sub("", p.text)
            p = replace(p, text=text, label=QUESTIONS_ID, kind="paragraph")
        asked.append(p)
    return asked


def _the_interview(
    paragraphs: list[RawParagraph],
    dialogue: set[int],
    labels: Labels,
    furniture: Sequence[tuple[int, str]],
    notes: Notes,
) -> tuple[list[RawParagraph], set[int]]:
    """The paragraphs of the sections that hold dialogue, up to the footer or a closing rule."""
    label_words = {
        word
        for label in (*labels.ids, *labels.aliases.values())
        for word in label.split()
        if len(word) > 2 and label.lower() not in ROLE_LABELS
    }
    paragraphs, dialogue = skip_sections(paragraphs, dialogue, notes, label_words)
    footer = after_footer(paragraphs, dialogue, list(furniture), notes)
    paragraphs, dialogue = with_dialogue(paragraphs, dialogue, footer)
    closed = after_last_rule(paragraphs, dialogue, notes)
    return with_dialogue(paragraphs, dialogue, closed)


def _set_apart(
    paragraphs: list[RawParagraph], dialogue: set[int], layout: str, notes: Notes
) -> tuple[str, tuple[list[RawParagraph], list[Group]]]:
    """(who reads the answers, (intro, turns)) where only the questions are set apart."""
    labelled_ids = [p.label for p in paragraphs if p.label]
    asking = [label for i in sorted(dialogue) if (label := paragraphs[i].label)]
    answering = list(
        dict.fromkeys(
            label for i, p in enumerate(paragraphs) if (label := p.label) and i not in dialogue
        )
    )
    if labelled_ids and not asking:
        asker, answerer = QUESTIONS_ID, labelled_ids[0]  # only the answers are labelled
    else:
        asker = asking[0] if asking else QUESTIONS_ID
        # A labelled answer ("**Jane:** ...") names who reads them all.
        answerer = answering[0] if len(answering) == 1 else ANSWER_IDS.get(asker, "Guest")
    notes.say(f"layout: {layout}; answers read by '{answerer}'")
    return answerer, marked_groups(paragraphs, dialogue, asker, answerer, notes)


def _labelled(
    paragraphs: list[RawParagraph], dialogue: set[int], notes: Notes
) -> tuple[list[RawParagraph], list[Group]]:
    """(intro, turns) of a transcript whose turns open with labels."""
    first_label = min(dialogue)
    body = []
    for p in paragraphs[first_label:]:
        rule = between_turns(p, paragraphs)
        if rule:
            drop(notes, p, rule)
        else:
            body.append(p)
    return paragraphs[:first_label], split_repeated_speakers(group_turns(body), notes, QUESTIONS_ID)


# A label alone on its line ("A:"), which starts no turn: nothing is said.
_BARE_LABEL = re.compile(r"^\s*([A-Za-z][\w.]{0,19}):\s*$")


def _need_two_speakers(
    groups: Sequence[Group], paragraphs: Sequence[RawParagraph], source_name: str
) -> None:
    ids = list(dict.fromkeys(g.speaker_id for g in groups))
    if len(ids) >= 2:
        return
    lines = [line for p in paragraphs for line in p.lines]
    bare = next((m.group(1) for m in map(_BARE_LABEL.match, lines) if m), None)
    if bare and bare not in ids:
        raise ScriptError(
            f"{source_name}: '{bare}:' has no words after it; "
            f"write the answer after '{bare}:' or remove the label"
        )
    raise ScriptError(
        f"{source_name}: only one speaker label found ({', '.join(ids) or 'none'}); "
        "a Q&A script needs at least two, such as 'Q:' and 'A:'"
    )
