"""The dialogue and its cast -> the episode's turns: intro, questions, answers, outro, chapters.

Each interviewer turn is a question or a remark by what it does (asks the
guest, or greets, thanks, banters with a co-host); the prose around the
interview is read by the interviewer when written in the first person, by a
narrator otherwise; the publisher's closing notes are left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qacast.models import ChapterMark, Episode, EpisodeMeta, Paragraph, Speaker, Turn
from qacast.script.blocks.clean import Notes
from qacast.script.blocks.paragraphs import RawParagraph
from qacast.script.labels.find import role_hint
from qacast.script.labels.names import NAME_WORD, NameIndex
from qacast.script.text import collapse_whitespace, shorten
from qacast.script.turns.cast import Cast
from qacast.script.turns.dialogue import Dialogue
from qacast.script.turns.roles import ASKING_WORDS, Around, turn_kind
from qacast.script.turns.sections import Group, drop

NARRATOR = Speaker(id="NARRATOR", name="Narrator", role="narrator")
CHAPTER_TITLE_MAX_CHARS = 60


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
SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


def episode_of(
    title: str, byline: str, dialogue: Dialogue, cast: Cast, names: NameIndex, notes: Notes
) -> Episode:
    """The episode: turns with their kinds, who reads intro and outro, chapters."""
    groups = list(dialogue.groups)
    groups[-1] = _without_closing_note(groups[-1], notes)
    groups[-1], outro = _split_outro(groups[-1], dict(cast.people))
    if _closing_words(groups, cast):
        # The interviewer's closing words after the last answer, which no one answers.
        outro = (*groups.pop().paragraphs, *outro)
    interviewer = next((s for s in cast.ids if cast.roles[s] == "interviewer"), cast.ids[0])
    turns: list[Turn] = []
    if dialogue.intro:
        reader = _reader(dialogue.intro, interviewer)
        turns.append(Turn(reader, "intro", _paragraphs(dialogue.intro)))
    turns += _turns(groups, cast, names)
    if outro:
        turns.append(Turn(_reader(outro, interviewer), "outro", _paragraphs(outro)))
    speakers = [Speaker(s, cast.people[s], cast.roles[s]) for s in cast.ids]
    if any(t.speaker_id == NARRATOR.id for t in turns):
        speakers.append(NARRATOR)
    description = collapse_whitespace(" ".join(p.text for p in dialogue.intro))
    meta = EpisodeMeta(title=title, byline=byline, description=description)
    kept = tuple(t for t in turns if t.paragraphs)
    chapters = _chapters(kept, title)
    return Episode(meta, tuple(speakers), kept, chapters, tuple(notes.lines), tuple(notes.doubts))


CLOSING_MIN_WORDS = 30  # a last question no one answers is short; closing words are not


def _closing_words(groups: list[Group], cast: Cast) -> bool:
    """Is the last turn the interviewer's closing narration: after an answer, unanswered,
    and several sentences long ("From an idea in Tim's head to ... don't you think?")?"""
    if len(groups) < 2:
        return False
    last, before = groups[-1], groups[-2]
    return (
        cast.roles[last.speaker_id] == "interviewer"
        and cast.roles[before.speaker_id] == "interviewee"
        and len(last.text.split()) >= CLOSING_MIN_WORDS
        and len(SENTENCE_END.findall(last.text)) >= 2
    )


def _turns(groups: Sequence[Group], cast: Cast, names: NameIndex) -> list[Turn]:
    roles, people = cast.roles, cast.people
    # Words the text uses as names ("Rafael?" gives the floor; "Really?" asks).
    name_words = frozenset(
        word for name in [*names.counts, *people.values()] for word in name.split(" ")
    ) - set(ASKING_WORDS)
    guest_words = frozenset(
        word for s in cast.ids if roles[s] == "interviewee" for word in people[s].split(" ")
    )
    turns = []
    for index, group in enumerate(groups):
        following = groups[index + 1].speaker_id if index + 1 < len(groups) else None
        previous = groups[index - 1] if index else None
        around = Around(
            roles[following] if following else None,
            previous is not None
            and roles[previous.speaker_id] == "interviewee"
            and previous.text.rstrip().endswith("?"),
            people[following] if following else "",
            name_words,
            guest_words,
        )
        kind = turn_kind(roles[group.speaker_id], group.text, around)
        turns.append(Turn(group.speaker_id, kind, _paragraphs(group.paragraphs)))
    return turns


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
    last: Group, speaker_name_of: dict[str, str]
) -> tuple[Group, tuple[RawParagraph, ...]]:
    """Split the last turn where the interviewer's closing narration begins.

    The outro starts at the first paragraph (after the labelled one) that reads
    as narration, provided no list item follows it: lists belong to answers.
    """
    own = set() if role_hint(last.speaker_id) else _name_words(speaker_name_of[last.speaker_id])
    paragraphs = last.paragraphs
    for start in range(1, len(paragraphs)):
        rest = paragraphs[start:]
        if any(p.list_item for p in rest):
            continue
        if _is_narration(paragraphs[start], own):
            return Group(last.speaker_id, paragraphs[:start]), rest
    return last, ()


def _without_closing_note(last: Group, notes: Notes) -> Group:
    """The last turn without the italic paragraphs that close the page ("*Want to work
    with Priyanka? We're hiring.*", "*This interview first ran in...*"): set apart
    from the answer above them, they are the publisher's note, not the guest's words."""
    paragraphs = list(last.paragraphs)
    if len(paragraphs) < 2 or paragraphs[0].italic:
        return last
    while len(paragraphs) > 1 and paragraphs[-1].italic and not paragraphs[-1].list_item:
        drop(notes, paragraphs.pop(), "italic note after the interview")
    return Group(last.speaker_id, tuple(paragraphs))


def _reader(paragraphs: tuple[RawParagraph, ...], interviewer: str) -> str:
    """The interviewer reads intro/outro written in the first person; else a narrator."""
    first_person = any(
        FIRST_PERSON.search(p.text) or SIGN_OFF_LINE.fullmatch(p.lines[0]) for p in paragraphs
    )
    return interviewer if first_person else NARRATOR.id


def _paragraphs(raw: tuple[RawParagraph, ...]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(p.text, p.list_item) for p in raw if p.text)


def _question_title(turn: Turn) -> str:
    # A question that opens with context ("You spent ten years on bridges.\n\n
    # What drew you...?") is named by the paragraph that asks.
    asking = next((p.text for p in turn.paragraphs if "?" in p.text), turn.paragraphs[0].text)
    return shorten(asking, CHAPTER_TITLE_MAX_CHARS) or "Question"


def _chapters(turns: tuple[Turn, ...], episode_title: str) -> tuple[ChapterMark, ...]:
    """Intro, one per question, outro; an episode with none of them is one chapter."""

    def title(turn: Turn) -> str:
        if turn.kind == "question":
            return _question_title(turn)
        return turn.kind.capitalize()  # "Intro", "Outro"

    marks = tuple(
        ChapterMark(title(turn), index)
        for index, turn in enumerate(turns)
        if turn.kind in ("intro", "question", "outro") and turn.paragraphs
    )
    return marks or (
        (ChapterMark(shorten(episode_title, CHAPTER_TITLE_MAX_CHARS), 0),) if turns else ()
    )
