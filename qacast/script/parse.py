"""Transcript text -> Episode: title, speakers, turns, intro/outro, chapters.

The order of work, each step a function below:
  lines (furniture dropped) -> labels accepted -> paragraphs -> title taken off
  -> intro | labelled turns | outro split off the last turn -> roles and kinds
  -> who reads intro and outro -> chapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from qacast.errors import ScriptError
from qacast.models import (
    ChapterMark,
    Episode,
    EpisodeMeta,
    Paragraph,
    Role,
    Speaker,
    Turn,
    TurnKind,
)
from qacast.script.decode import normalise_text
from qacast.script.labels import find_labels, role_hint, speaker_name
from qacast.script.layout import RawParagraph, content_lines, split_paragraphs, strip_heading
from qacast.script.names import NAME_WORD, index_names
from qacast.script.text import collapse_whitespace, shorten, strip_markup

NARRATOR = Speaker(id="NARRATOR", name="Narrator", role="narrator")
CHAPTER_TITLE_MAX_CHARS = 60
TITLE_MAX_CHARS = 150

# "Title: from Jane Doe, ..." / "Title — by Jane Doe" / "Title | with Jane Doe".
# Only from/by/with start a byline: "Cloud: An Interview" stays one title.
BYLINE = re.compile(
    r"(?P<title>.+?)\s*(?::|\s[-—–]\s|—|–|\|)\s*(?P<byline>(?:from|by|with)\b.+)",
    re.IGNORECASE,
)
# A first line ending like a sentence or a lead-in is prose, not a title.
NOT_A_TITLE_END = re.compile(r"[.:;,]$")

# First-person words: the interviewer speaking for themselves. Lower-case "us"
# only, so "the US" is not one; "I" not before "." so "I.S.P." is not one.
FIRST_PERSON = re.compile(
    r"\b(?:I(?![.\w])|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Ww]e|[Oo]ur|[Oo]urs|us|[Oo]urselves)\b"
)

# The first line of a sign-off block ("Thank you,\nStephen Ibaraki").
SIGN_OFF = re.compile(
    r"(?:many )?(?:thank you|thanks)(?: again)?|(?:best |kind |warm )?regards|best(?: wishes)?"
    r"|cheers|sincerely|yours(?: truly| sincerely)?|until next time|see you next time",
    re.IGNORECASE,
)
SIGN_OFF_LINE = re.compile(rf"(?:{SIGN_OFF.pattern})\s*[,.!]?", re.IGNORECASE)

# Phrases with which an interviewer steps out of the conversation to talk to
# the reader: the next part, the series, an invitation to comment.
OUTRO_CUES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:tomorrow|next week|next time|next month|in (?:the|our) next)\b", re.I),
    # Not "this interview": a guest's last words are often "thanks for this interview".
    re.compile(
        r"\b(?:these interviews|this series|(?:the |our )?(?:next|previous|earlier)"
        r" (?:interview|episode|instal+ment|part))\b",
        re.I,
    ),
    re.compile(
        r"\b(?:stay tuned|to be continued|share your thoughts|leave a comment"
        r"|let (?:me|us) know what you think)\b",
        re.I,
    ),
)
NAME_WORD_RE = re.compile(NAME_WORD)


@dataclass(frozen=True)
class _Group:
    """A labelled turn before its kind is known."""

    speaker_id: str
    paragraphs: tuple[RawParagraph, ...]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.paragraphs)


def _no_labels(source_name: str) -> ScriptError:
    return ScriptError(
        f"{source_name}: no speaker labels found; start each question or answer with a label "
        "such as 'Q:', 'SI:' or 'Jane Doe:'"
    )


def title_from_name(source_name: str) -> str:
    """ "mvp-interview.txt" -> "Mvp Interview"."""
    words = re.split(r"[-_.\s]+", PurePath(source_name).stem)
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or "Untitled"


def _take_title(
    paragraphs: list[RawParagraph], source_name: str
) -> tuple[str, str, list[RawParagraph]]:
    """(title, byline, remaining paragraphs): a lone first line is the title.

    "Lone" means a paragraph of its own (see layout.split_paragraphs), and not
    ending like a sentence: "This interview was recorded in May." is intro.
    """
    first = paragraphs[0]
    stands_alone = (
        first.label is None
        and not first.list_item
        and len(first.lines) == 1
        and len(paragraphs) > 1
    )
    if stands_alone:
        heading = collapse_whitespace(strip_markup(strip_heading(first.text)))
        match = BYLINE.fullmatch(heading)
        title, byline = (match["title"], match["byline"]) if match else (heading, "")
        if title and len(title) <= TITLE_MAX_CHARS and not NOT_A_TITLE_END.search(title):
            return title, byline, paragraphs[1:]
    return title_from_name(source_name), "", paragraphs


def _group_turns(paragraphs: list[RawParagraph]) -> list[_Group]:
    groups: list[tuple[str, list[RawParagraph]]] = []
    for paragraph in paragraphs:
        if paragraph.label is not None:
            groups.append((paragraph.label, []))
        if paragraph.text:  # a label alone on its line has no text of its own
            groups[-1][1].append(paragraph)
    return [_Group(speaker, tuple(ps)) for speaker, ps in groups if ps]


def _assign_roles(groups: list[_Group]) -> dict[str, Role]:
    """Role words decide when present; otherwise the speaker who asks the most.

    "Asks the most" is the share of a speaker's turns that contain "?", ties
    going to whoever spoke first: interviews open with a question.
    """
    order = list(dict.fromkeys(g.speaker_id for g in groups))
    hints = {speaker: role_hint(speaker) for speaker in order}
    if any(hint == "interviewer" for hint in hints.values()):
        return {s: "interviewer" if h == "interviewer" else "interviewee" for s, h in hints.items()}
    eligible = [s for s in order if hints[s] is None] or order

    def asking(speaker: str) -> tuple[float, int]:
        turns = [g for g in groups if g.speaker_id == speaker]
        share = sum("?" in g.text for g in turns) / len(turns)
        return share, -order.index(speaker)

    interviewer = max(eligible, key=asking)
    return {s: "interviewer" if s == interviewer else "interviewee" for s in order}


def _name_words(name: str) -> set[str]:
    return set(NAME_WORD_RE.findall(name))


def _is_narration(paragraph: RawParagraph, own_name_words: set[str]) -> bool:
    """Does this paragraph read as the interviewer talking to the reader?

    A speaker never calls themselves by name, so a paragraph in the last turn
    that names that turn's speaker ("Tomorrow Nestor will describe...") is
    narration; so is a sign-off ("Thank you,") or a cue about the series.
    """
    if SIGN_OFF_LINE.fullmatch(paragraph.lines[0]):
        return True
    if any(re.search(rf"\b{re.escape(word)}\b", paragraph.text) for word in own_name_words):
        return True  # "\b" also finds "Smith" in "Smith's"
    return any(cue.search(paragraph.text) for cue in OUTRO_CUES)


def _split_outro(
    last: _Group, speaker_name_of: dict[str, str]
) -> tuple[_Group, tuple[RawParagraph, ...]]:
    """Split the last turn where the interviewer's closing narration begins.

    The outro starts at the first paragraph (after the labelled one) that reads
    as narration, provided no list item follows it: lists belong to answers.
    Everything from there on is outro, including first-person lines such as
    "I also encourage you..." and the signature.
    """
    # Role words ("A" -> "Guest") are not names anyone would use in narration.
    own = set() if role_hint(last.speaker_id) else _name_words(speaker_name_of[last.speaker_id])
    paragraphs = last.paragraphs
    for start in range(1, len(paragraphs)):
        rest = paragraphs[start:]
        if any(p.list_item for p in rest):
            continue
        if _is_narration(paragraphs[start], own):
            return _Group(last.speaker_id, paragraphs[:start]), rest
    return last, ()


def _reader(paragraphs: tuple[RawParagraph, ...], interviewer: str) -> str:
    """The interviewer reads intro/outro written in the first person; else a narrator."""
    first_person = any(
        FIRST_PERSON.search(p.text) or SIGN_OFF_LINE.fullmatch(p.lines[0]) for p in paragraphs
    )
    return interviewer if first_person else NARRATOR.id


def _paragraphs(raw: tuple[RawParagraph, ...]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(p.text, p.list_item) for p in raw if p.text)


# (role, has a question mark) -> kind. An interviewer turn without "?" ("Thanks,
# that's helpful.") is a remark: no chapter, no question pause before it.
KINDS: dict[tuple[Role, bool], TurnKind] = {
    ("interviewer", True): "question",
    ("interviewer", False): "remark",
    ("interviewee", True): "answer",
    ("interviewee", False): "answer",
}


def _kind(group: _Group, role: Role) -> TurnKind:
    return KINDS[role, "?" in group.text]


def _question_title(turn: Turn) -> str:
    # A question that opens with context ("You spent ten years on bridges.\n\n
    # What drew you...?") is named by the paragraph that asks.
    asking = next((p.text for p in turn.paragraphs if "?" in p.text), turn.paragraphs[0].text)
    return shorten(strip_markup(asking), CHAPTER_TITLE_MAX_CHARS)


def _chapters(turns: tuple[Turn, ...]) -> tuple[ChapterMark, ...]:
    def title(turn: Turn) -> str:
        if turn.kind == "question":
            return _question_title(turn)
        return turn.kind.capitalize()  # "Intro", "Outro"

    return tuple(
        ChapterMark(title(turn), index)
        for index, turn in enumerate(turns)
        if turn.kind in ("intro", "question", "outro")
    )


# A label alone on its line ("A:"), which starts no turn: nothing is said.
_BARE_LABEL = re.compile(r"^\s*([A-Za-z][\w.]{0,19}):\s*$")


def parse_script(text: str, *, source_name: str = "script") -> Episode:
    """Parse an interview transcript into an Episode.

    Raises ScriptError when no speaker labels are found, or only one speaker.
    """
    text = normalise_text(text)
    lines = content_lines(text)
    names = index_names(text)
    labels = find_labels(lines, text, names)
    paragraphs = split_paragraphs(lines, labels.find)
    if not any(p.label for p in paragraphs):
        raise _no_labels(source_name)
    title, byline, paragraphs = _take_title(paragraphs, source_name)

    first_label = next(i for i, p in enumerate(paragraphs) if p.label)
    intro = tuple(p for p in paragraphs[:first_label] if p.text)
    groups = _group_turns(paragraphs[first_label:])
    ids = list(dict.fromkeys(g.speaker_id for g in groups))
    if len(ids) < 2:
        bare = next((m.group(1) for m in map(_BARE_LABEL.match, lines) if m), None)
        if bare and bare not in ids:
            raise ScriptError(f"{source_name}: '{bare}:' has no words after it; "
                              f"write the answer after '{bare}:' or remove the label")  # fmt: skip
        raise ScriptError(
            f"{source_name}: only one speaker label found ({', '.join(ids) or 'none'}); "
            "a Q&A script needs at least two, such as 'Q:' and 'A:'"
        )
    roles = _assign_roles(groups)
    people = {speaker: speaker_name(speaker, names) for speaker in ids}
    groups[-1], outro = _split_outro(groups[-1], people)
    interviewer = next(s for s in ids if roles[s] == "interviewer")

    turns: list[Turn] = []
    if intro:
        turns.append(Turn(_reader(intro, interviewer), "intro", _paragraphs(intro)))
    turns += [
        Turn(g.speaker_id, _kind(g, roles[g.speaker_id]), _paragraphs(g.paragraphs)) for g in groups
    ]
    if outro:
        turns.append(Turn(_reader(outro, interviewer), "outro", _paragraphs(outro)))

    speakers = [Speaker(s, people[s], roles[s]) for s in ids]
    if any(t.speaker_id == NARRATOR.id for t in turns):
        speakers.append(NARRATOR)
    meta = EpisodeMeta(
        title=title,
        byline=byline,
        description=collapse_whitespace(" ".join(p.text for p in intro)),
    )
    return Episode(meta, tuple(speakers), tuple(turns), _chapters(tuple(turns)))
