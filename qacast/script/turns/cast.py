"""The dialogue's speakers: who each label is, and who asks and who answers.

Names come from the labels and the text ("NJP" is "Nestor J. Portillo");
roles from the evidence a listener uses (role words, what the page states,
who asks the other things, who talks at length); role words that are no
names ("Q", "Speaker 2") are then named from the page where it says who
they are. A reading the evidence leaves close is a doubt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from qacast.models import Role
from qacast.script.blocks.clean import Notes
from qacast.script.front.guide import Guide
from qacast.script.labels.find import QA_MARKERS, Labels, honorific, role_hint, speaker_name
from qacast.script.labels.names import NameIndex
from qacast.script.turns.dialogue import Dialogue
from qacast.script.turns.naming import (
    BRIEFING,
    QUESTION_IDS,
    PageFacts,
    evidence_roles,
    name_role_words,
)
from qacast.script.turns.roles import RoleDecision, decide_roles
from qacast.script.turns.sections import QUESTIONS_ID
from qacast.script.turns.unlabelled import exchange_before_labels


@dataclass(frozen=True)
class Cast:
    ids: tuple[str, ...]  # speaker ids, in order of first words
    people: Mapping[str, str]  # id -> name
    roles: Mapping[str, Role]  # id -> role


@dataclass(frozen=True)
class Known:
    """What the page tells of its people, and the names in its text."""

    title: str
    page: PageFacts
    names: NameIndex
    labels: Labels


def cast_speakers(
    dialogue: Dialogue, known: Known, guide: Guide, notes: Notes
) -> tuple[Dialogue, Cast]:
    """The dialogue (with an exchange before the labels read as one) and its cast."""
    ids = list(dict.fromkeys(g.speaker_id for g in dialogue.groups))
    for short, full in known.labels.merged.items():
        notes.say(f"label '{short}' is the same speaker as '{full}'")
    people = _names(ids, dialogue, known, notes)
    roles = dict(_roles(ids, people, dialogue, known, guide, notes).roles)
    intro, groups = exchange_before_labels(
        list(dialogue.intro), list(dialogue.groups), roles, QUESTIONS_ID, notes
    )
    if groups[0].speaker_id not in ids:  # an asker no label named
        ids.insert(0, groups[0].speaker_id)
        people[groups[0].speaker_id] = "Interviewer"
        roles[groups[0].speaker_id] = "interviewer"
    dialogue = replace(dialogue, intro=tuple(intro), groups=tuple(groups))
    first_turns = [(g.speaker_id, g.text) for g in groups[:3]]
    name_role_words(people, roles, known.page, first_turns, known.names, notes)
    return dialogue, Cast(tuple(ids), people, roles)


def _names(ids: list[str], dialogue: Dialogue, known: Known, notes: Notes) -> dict[str, str]:
    people: dict[str, str] = {}
    briefing = any(honorific(s) or s.lower() == "moderator" for s in ids) or bool(
        BRIEFING.search(known.title)
    )
    # Beside a question label that is a person or a role ("Host:"), the answers' label
    # is the other person ("Jane:"); beside "Q:" or none, it may be a word like "A:".
    marks_answers = dialogue.set_apart and all(
        other == dialogue.answerer or other == QUESTIONS_ID or other.lower() in QA_MARKERS
        for other in ids
    )
    for speaker in ids:
        name, rule = speaker_name(speaker, known.names, known.labels.aliases)
        if speaker == dialogue.answerer and marks_answers and rule == "as written":
            # The one label of a layout whose questions are set apart, and no name in
            # the text: a word that marks the answers ("Réplica:"), not a person.
            name, rule = "Guest", "marks the answers"
        if speaker.lower() in QUESTION_IDS and briefing:
            name, rule = "Reporter", "questions from the floor of a briefing"
        people[speaker] = name
        accepted = known.labels.rules.get(speaker, "layout")
        notes.say(
            f"label '{speaker}' -> speaker {name} (label rule: {accepted}; name rule: {rule})"
        )
    _distinct_names(people, notes)
    return people


def _distinct_names(people: dict[str, str], notes: Notes) -> None:
    """Two labels never share a name: "Senator:" beside "Senator Black:" is another
    senator, so the label that is not itself the name keeps its own words."""
    for speaker, name in people.items():
        others = [o for o, n in people.items() if n == name and o != speaker]
        if others and speaker != name:
            people[speaker] = speaker.title() if speaker.isupper() else speaker
            notes.say(f"'{speaker}' keeps its own name: {name} is '{others[0]}'")


def _roles(
    ids: list[str],
    people: dict[str, str],
    dialogue: Dialogue,
    known: Known,
    guide: Guide,
    notes: Notes,
) -> RoleDecision:
    """Roles from role words, the layout, the front matter, the page, then who asks."""
    hints = {s: role_hint(s, known.labels.offices.get(s)) for s in ids}
    if dialogue.answerer:
        hints = {s: "interviewee" if s == dialogue.answerer else "interviewer" for s in ids}
    hints.update({s: role for s, role in guide.roles.items() if s in hints})
    stated = evidence_roles(ids, people, list(known.page.context), list(known.page.metadata))
    for s in ids:
        if hints[s] is None and stated[s] == "interviewer":
            hints[s] = "interviewer"
    in_title = {s: stated[s] == "interviewee" for s in ids}
    said = [(g.speaker_id, g.text) for g in dialogue.groups]
    decision = decide_roles(ids, said, hints, in_title, people)
    if decision.close_call:
        asker, answerer = decision.close_call
        notes.doubt(
            f"{people[asker]} taken for the interviewer and {people[answerer]} for the "
            f"interviewee, on close evidence ({decision.reasons[asker]}; "
            f"{people[answerer]} {decision.reasons[answerer]})",
            f"cast: {{{asker}: {{role: interviewee}}, {answerer}: {{role: interviewer}}}}",
        )
    for speaker in ids:
        notes.say(f"{people[speaker]} is the {decision.roles[speaker]}: "
                  f"{decision.reasons.get(speaker, '')}")  # fmt: skip
    return decision
