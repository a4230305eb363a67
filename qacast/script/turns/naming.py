"""Who the people are, from what the page says about them.

Role words ("Q", "Interviewer", "Speaker 2") are not names: the intro ("we
spoke with Dr. Amara Lindqvist"), a byline ("By Jane Doe"), the host's own
opening ("I'm Jane Doe") or oral-history metadata ("Narrator: Beatrix
Quaye") name them; "Interview conducted by X" and "An interview with Y" say
who asks and who answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qacast.models import Episode, Role, Speaker
from qacast.script.blocks.clean import Notes
from qacast.script.labels.find import ROLE_LABELS
from qacast.script.labels.names import NameIndex
from qacast.script.turns.intro_names import guest_named, host_named
from qacast.script.turns.sections import QUESTIONS_ID

# A person's name after a cue: "By Jane Doe", "I'm Jane Doe" (intro_names.py has the
# intro's many ways of naming the guest and the host).
PERSON_NAME = (
    r"(?P<name>(?:(?:Dr|Prof|Mr|Mrs|Ms|Mx|Sen|Rep|Gov|Gen|Rev)\.?\s+)?[A-Z][\w'’-]+"
    r"(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+|van|von|de|da|di|del|la|le)){1,3})"
)
# Who wrote (and so asked): "By Jane Doe" bylines, dropped as furniture.
BYLINE_NAME = re.compile(rf"(?:^|\b[Ii]nterviewed |\b[Cc]onducted |\s)[Bb]y\s+{PERSON_NAME}")


# Evidence stated on the page: who conducted the interview, and with whom.
NAME_WORD_ANY = re.compile(r"[A-ZÀ-Þ][\w'’-]+")


INTERVIEWER_CUE = re.compile(
    r"\b(?:conducted|interviewed|hosted|moderated|presented|questions asked) by"
    r"\s+(?P<names>[^.\n]{3,120})"
    r"|^[Bb]y\s+(?P<names2>[^|\n]{3,60})",
    re.IGNORECASE,
)


INTERVIEWEE_CUE = re.compile(
    r"\b(?:interview|conversation|talk|q ?& ?a|questions(?: and answers)?)\s+(?:with|for)\s+"
    r"(?P<names>[^.\n]{3,80})",
    re.IGNORECASE,
)


METADATA_ROLES: dict[str, Role] = {
    "narrator": "interviewee",
    "guest": "interviewee",
    "guests": "interviewee",
    "interviewee": "interviewee",
    "interviewer": "interviewer",
    "interviewers": "interviewer",
    "host": "interviewer",
    "hosts": "interviewer",
    "moderator": "interviewer",
}


QUESTION_IDS = frozenset({"q", "question"})


PERSONAL_PRONOUN = re.compile(r"\b(?:she|he|her|his|him|hers)\b", re.IGNORECASE)


# A name doing something in the standfirst's first sentence: "Graham Okoro opens".
STANDFIRST = re.compile(rf"(?<![\w'’-]){PERSON_NAME}\s+(?=[a-z])")
FIRST_SENTENCE = re.compile(r"^.*?(?:[.!?](?=\s)|$)", re.S)
# Capitalised words that open sentences, not names: "Every Saturday morning ...".
NOT_NAME_WORD_LIST = """
    a an the every each last next this that these those since after before on in at for when
    while most many some all our their his her its my your one two three monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july
    august september october november december today yesterday tomorrow
"""
NOT_NAME_WORDS = frozenset(NOT_NAME_WORD_LIST.split())


NUMBERED = re.compile(r"(?:Speaker|Participant|Person|Voice)\s?\d{1,2}", re.I)


SELF_INTRODUCTION = re.compile(rf"\b(?:I'm|I’m|I am|[Mm]y name is|[Tt]his is)\s+{PERSON_NAME}")
# "This is Town Voices, I'm Jane Doe": a show opens with its own name, so a
# speaker's "I'm" is tried before their "this is".
SELF_INTRODUCTIONS = (
    re.compile(rf"\b(?:I'm|I’m|I am|[Mm]y name is)\s+{PERSON_NAME}"),
    SELF_INTRODUCTION,
)


# Briefings and hearings: "Q" there is the press, and the page says so.
BRIEFING = re.compile(r"\b(?:briefing|press conference|news conference|press gaggle)\b", re.I)


HONORIFIC_PREFIX = re.compile(r"^(?:Dr|Prof|Mr|Mrs|Ms|Mx|Sen|Rep|Gov|Gen|Rev)\.?\s+")


def named_in(texts: list[str], cues: tuple[re.Pattern[str], ...]) -> str | None:
    """The first person a cue names, without an honorific ("Dr. Amara Lindqvist" -> "Amara...")."""
    for cue in cues:
        for text in texts:
            match = cue.search(text)
            if match:
                return HONORIFIC_PREFIX.sub("", match["name"])
    return None


# The names given to speakers known only by a marker of their role.
MARKER_NAMES = frozenset({"Guest", "Interviewer"})


def generic(speaker_id: str, name: str) -> bool:
    """A role word or a numbered speaker ("Speaker 2") that still has no real name."""
    if NUMBERED.fullmatch(speaker_id):
        return name == speaker_id
    if name in MARKER_NAMES:
        return True  # a word that marks answers ("Réplica:"), named for its role
    entry = ROLE_LABELS.get(speaker_id.lower())
    return entry is not None and entry[1] == name


def cue_names(texts: list[str], cue: re.Pattern[str]) -> set[str]:
    """Lower-cased name words following a cue ("conducted by X and Y") in any of ``texts``."""
    words: set[str] = set()
    for text in texts:
        for match in cue.finditer(text):
            names = match["names"] or match["names2"] or ""
            words |= {w.lower() for w in NAME_WORD_ANY.findall(names)}
    return words


def surname_of(name: str) -> str:
    words = NAME_WORD_ANY.findall(name)
    return words[-1].lower() if words else ""


def evidence_roles(
    ids: list[str], people: dict[str, str], context: list[str], meta: list[tuple[str, str]]
) -> dict[str, Role | None]:
    """Roles the page states: "Interview conducted by X", "Narrator: Y", a title "with Z"."""
    asking = cue_names(context, INTERVIEWER_CUE)
    answering = cue_names(context, INTERVIEWEE_CUE)
    for key, value in meta:
        role = METADATA_ROLES.get(key)
        name_words = {w.lower() for w in NAME_WORD_ANY.findall(value.split(",")[0])}
        if role == "interviewer":
            asking |= name_words
        elif role == "interviewee":
            answering |= name_words
    found: dict[str, Role | None] = {}
    for speaker in ids:
        surname = surname_of(people[speaker])
        in_asking, in_answering = surname in asking, surname in answering
        found[speaker] = (
            "interviewer"
            if in_asking and not in_answering
            else "interviewee"
            if in_answering and not in_asking
            else None
        )
    return found


@dataclass(frozen=True)
class PageFacts:
    """What the page says about its people outside the turns."""

    byline: str
    context: tuple[str, ...]  # title, byline, intro, header lines, dropped bylines
    metadata: tuple[tuple[str, str], ...]  # ("narrator", "Beatrix Quaye")
    evidence: tuple[str, ...]  # dropped bylines and credits


def name_role_words(
    people: dict[str, str],
    roles: dict[str, Role],
    page: PageFacts,
    first_turns: list[tuple[str, str]],
    names: NameIndex,
    notes: Notes,
) -> None:
    """Role words are not names: the page may name the guest or the host."""
    named = {key: value.split(",")[0].strip() for key, value in page.metadata}
    guest, host = _guest_and_host(people, roles, page, first_turns, names)
    by_role = _named_by_role(named)
    for speaker in people:
        if not generic(speaker, people[speaker]) and speaker not in (QUESTIONS_ID, "Guest"):
            continue
        if speaker.lower() in named:
            people[speaker] = named[speaker.lower()]
            notes.say(f"'{speaker}' is {people[speaker]}: named in the metadata")
        elif single(roles, roles[speaker]) and roles[speaker] in by_role:
            # "Guest: Oyelaran Adebayo-Price" above a transcript of "Speaker 2".
            people[speaker] = by_role[roles[speaker]]
            notes.say(f"'{speaker}' is {people[speaker]}: the metadata names the {roles[speaker]}")
        elif roles[speaker] == "interviewee" and guest and single(roles, "interviewee"):
            people[speaker] = guest
            notes.say(f"'{speaker}' is {guest}: named in the intro or title")
        elif roles[speaker] == "interviewer" and host and single(roles, "interviewer"):
            people[speaker] = host
            notes.say(f"'{speaker}' is {host}: named in the byline or the intro")


def _guest_and_host(
    people: dict[str, str],
    roles: dict[str, Role],
    page: PageFacts,
    first_turns: list[tuple[str, str]],
    names: NameIndex,
) -> tuple[str | None, str | None]:
    """The guest's and the host's names, as the page and the first turns give them."""
    context = list(page.context)
    # The host's opening words name both: "I'm Jane Doe, and my guest today is ..."
    opening = [text for speaker, text in first_turns if roles[speaker] == "interviewer"][:1]
    # Each text once: the intro may also be the header, and a name must be used again.
    everything = list(dict.fromkeys([*context, *(text for _, text in first_turns)]))
    known = {w.lower() for s, n in people.items() if not generic(s, n) for w in n.split()}
    host = named_in([page.byline, *page.evidence], (BYLINE_NAME,)) or host_named(
        [*context, *opening], everything, known
    )
    known |= {w.lower() for w in (host or "").split()}
    guest = best_form(guest_named([*context, *opening], everything, known), names)
    if not guest:
        # A standfirst that opens on the guest's name ("Rosalind Achterberg drove the
        # N14..."), when the text names them again: a lone capitalised phrase is no one.
        standfirst = [p for p in context[2:3] if p]
        lead = _standfirst_name(standfirst[0]) if standfirst else None
        person = any(PERSONAL_PRONOUN.search(p) for p in standfirst)  # "...on her last night"
        if lead and (person or names.occurrences(lead) + surname_uses(lead, context) >= 2):
            guest = lead
    if not guest:
        # An oral history's narrator states their name first: "My name is Walter Abernathy."
        answers = [text for speaker, text in first_turns if roles[speaker] == "interviewee"][:1]
        guest = best_form(named_in(answers, SELF_INTRODUCTIONS), names)
    return guest, host or named_in(opening, SELF_INTRODUCTIONS)


def _named_by_role(named: dict[str, str]) -> dict[Role, str]:
    """The one person metadata names for each role ("Guest: X", "Host: Y")."""
    found: dict[Role, list[str]] = {}
    for key, name in named.items():
        role = METADATA_ROLES.get(key)
        if role:
            found.setdefault(role, []).append(name)
    return {role: names[0] for role, names in found.items() if len(names) == 1}


def surname_uses(name: str, texts: list[str]) -> int:
    surname = name.split(" ")[-1]
    return sum(len(re.findall(rf"\b{re.escape(surname)}\b", text)) for text in texts) - 1


def _standfirst_name(paragraph: str) -> str | None:
    sentence = FIRST_SENTENCE.match(paragraph)
    for match in STANDFIRST.finditer(sentence.group() if sentence else paragraph):
        words = match["name"].split()
        if not {w.lower().rstrip(".") for w in words} & NOT_NAME_WORDS:
            return HONORIFIC_PREFIX.sub("", match["name"])
    return None


def name_interviewer(episode: Episode, author: str) -> Episode:
    """The episode with its one interviewer named ``author`` when the script only
    called them by a role word ("Q", "Interviewer"): a byline or a front matter
    ``author`` names the person who asked."""
    asking = [s for s in episode.speakers if s.role == "interviewer"]
    if not author or len(asking) != 1 or not generic(asking[0].id, asking[0].name):
        return episode
    speakers = tuple(
        Speaker(s.id, author, s.role) if s is asking[0] else s for s in episode.speakers
    )
    notes = (*episode.notes, f"'{asking[0].id}' is {author}: the author of the piece")
    return replace(episode, speakers=speakers, notes=notes)


def best_form(name: str | None, names: NameIndex) -> str | None:
    """ "Forester Kwabena Lindahl" -> "Kwabena Lindahl" when the shorter name is the one
    the text keeps using: a job title in front of a name is not part of it."""
    if not name:
        return name
    words = name.split(" ")
    forms = [" ".join(words[start:]) for start in range(len(words) - 1)]
    return max(forms, key=lambda form: (names.occurrences(form), -forms.index(form)))


def single(roles: dict[str, Role], role: Role) -> bool:
    return sum(1 for r in roles.values() if r == role) == 1
