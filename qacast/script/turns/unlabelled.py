"""Turns no label marks: a question asked before the first label, or between two answers.

An unlabelled paragraph continues the speaker before it; the text overrules
that only where a reader sees another voice:

* the same label opens two turns in a row ("AA: ..." / "What would you
  suggest?" / "AA: ..."): somebody spoke in between, and the paragraph that
  puts a question to AA is that somebody, the last person who spoke to AA;
* above the first label, a paragraph that puts a question to someone ("...
  Would you have any comments on that?") followed by one that answers it in
  the first person ("Absolutely. I believe...") is an exchange, not the intro
  (a committee transcript that starts mid-hearing, a magazine interview
  whose first question is set plain and the rest in bold).

Each inference is noted, so `qacast parse -v` shows it.
"""

from __future__ import annotations

import itertools
import re

from qacast.models import Role
from qacast.script.blocks.clean import Notes
from qacast.script.blocks.paragraphs import RawParagraph
from qacast.script.front.guide import INTRO_SPEAKER, said_by_line
from qacast.script.turns.roles import SECOND_PERSON, hands_over, sentences
from qacast.script.turns.sections import Group

# How an answer opens: a reply word, or the speaker talking about themselves.
ANSWER_OPENING = re.compile(
    r"^(?:absolutely|certainly|definitely|exactly|indeed|of course|sure|yes|yeah|no|not really"
    r"|well|oh|so|thank you|thanks|good question|great question|that'?s (?:a|right|true)"
    r"|i|i'm|i’m|i've|i’ve|i'd|i’d|i think|my|in my)\b",
    re.IGNORECASE,
)


QUESTION_MAX_SENTENCES = 2  # "You fixed it. How?": a paragraph that is a question


def ends_asking(paragraph: RawParagraph) -> bool:
    """Is the paragraph a question: short, and its last sentence ends with "?"."""
    said = sentences(paragraph.text)
    return 0 < len(said) <= QUESTION_MAX_SENTENCES and _asks(said[-1])


def _asks(sentence: str) -> bool:
    return sentence.rstrip("\"”’')»").endswith("?")


def puts_question(paragraph: RawParagraph) -> bool:
    """Does the paragraph end by asking someone ("... would you comment on that?")?"""
    return hands_over(paragraph.text) and bool(SECOND_PERSON.search(paragraph.text))


def answers(paragraph: RawParagraph) -> bool:
    """Does the paragraph open as a reply ("Absolutely.", "Yes,", "I think...") and not
    end on a question? An intro speaks of the guest; an answer starts by answering."""
    said = sentences(paragraph.text)
    if not said or _asks(said[-1]):
        return False
    return bool(ANSWER_OPENING.match(paragraph.text.lstrip("\"“'‘(")))


def _exchange_at(intro: list[RawParagraph], index: int) -> bool:
    """Does an exchange start at ``intro[index]``? A paragraph that is only a question put
    to someone, followed by anything that does not ask; or a longer one that ends by
    asking, followed by a paragraph that opens as a reply."""
    question, reply = intro[index], intro[index + 1]
    if question.list_item or question.settled or not puts_question(question):
        return False
    if ends_asking(question):
        return bool(reply.text) and not _asks(reply.text) and reply.kind == "paragraph"
    return answers(reply)


# Transcripts that label each timed segment repeat a label as a matter of course;
# then a repeat says nothing about another voice.
SEGMENT_REPEATS = 3
SEGMENT_SHARE = 0.15


def split_repeated_speakers(groups: list[Group], notes: Notes, asker_id: str) -> list[Group]:
    """Give the asking paragraph between two turns of one speaker to the other party."""
    repeats = sum(a.speaker_id == b.speaker_id for a, b in itertools.pairwise(groups))
    if repeats >= SEGMENT_REPEATS and repeats >= SEGMENT_SHARE * len(groups):
        return groups  # one label per timed segment, not one per turn
    split: list[Group] = []
    for index, group in enumerate(groups):
        following = groups[index + 1] if index + 1 < len(groups) else None
        ask = (
            _asking_paragraph(group)
            if following and following.speaker_id == group.speaker_id
            else None
        )
        if ask is None:
            split.append(group)
            continue
        asker = _other_speaker(split, groups[index + 1 :], group.speaker_id) or asker_id
        paragraphs = group.paragraphs
        split += [
            Group(group.speaker_id, paragraphs[:ask]),
            Group(asker, paragraphs[ask : ask + 1]),
        ]
        if paragraphs[ask + 1 :]:
            split.append(Group(group.speaker_id, paragraphs[ask + 1 :]))
        notes.doubt(
            f"line {paragraphs[ask].line_no}: an unlabelled question between two turns of "
            f"'{group.speaker_id}', read as '{asker}' (the last person to speak to them)",
            said_by_line(paragraphs[ask].text, group.speaker_id),
        )
    return split


def _asking_paragraph(group: Group) -> int | None:
    for index, paragraph in enumerate(group.paragraphs[1:], start=1):
        if ends_asking(paragraph) and not paragraph.list_item and not paragraph.settled:
            return index  # the repeated label already says someone else spoke
    return None


def _other_speaker(before: list[Group], after: list[Group], speaker: str) -> str | None:
    for group in [*reversed(before), *after]:
        if group.speaker_id != speaker:
            return group.speaker_id
    return None


def exchange_before_labels(
    intro: list[RawParagraph],
    groups: list[Group],
    roles: dict[str, Role],
    asker_id: str,
    notes: Notes,
) -> tuple[list[RawParagraph], list[Group]]:
    """Take an unlabelled question and its answer off the end of the intro."""
    start = next((i for i in range(len(intro) - 1) if _exchange_at(intro, i)), None)
    if start is None:
        return intro, groups
    asker = _only(roles, "interviewer") or asker_id
    answerer = _only(roles, "interviewee") or next(
        (g.speaker_id for g in groups if roles.get(g.speaker_id) == "interviewee"), ""
    )
    if not answerer:
        return intro, groups
    question, answer = intro[start], tuple(intro[start + 1 :])
    notes.doubt(
        f"lines {question.line_no}-{answer[-1].end_line or answer[-1].line_no}: "
        f"an unlabelled question and answer before the first label, read as "
        f"'{asker}' asking and '{answerer}' answering",
        said_by_line(question.text, INTRO_SPEAKER),
    )
    return intro[:start], [Group(asker, (question,)), Group(answerer, answer), *groups]


def _only(roles: dict[str, Role], role: Role) -> str | None:
    having = [speaker for speaker, r in roles.items() if r == role]
    return having[0] if len(having) == 1 else None
