"""Transcript text -> Episode: title, speakers, turns, intro/outro, chapters, notes.

The order of work, each step a function below or a module of its own:
  blocks (CommonMark, blocks.py) -> furniture dropped (furniture.py)
  -> labels accepted (labels.py) -> paragraphs (layout.py) -> title taken off
  -> the layout chosen (labelled turns, or questions as headings / bold
  paragraphs / "Q:" lines over unlabelled answers) -> sections with no
  dialogue skipped -> intro | turns | outro -> roles and kinds (roles.py)
  -> who reads intro and outro -> chapters.

Every decision that is not obvious from the text is written to the
episode's notes, which `qacast parse -v` prints.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
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
)
from qacast.script.blocks import read_blocks
from qacast.script.clean import Cleaned, Notes, clean_blocks
from qacast.script.decode import normalise_text
from qacast.script.furniture import furniture_rule
from qacast.script.labels import (
    NOT_SPEAKERS,
    ROLE_LABELS,
    Labels,
    find_labels,
    honorific,
    role_hint,
    speaker_name,
)
from qacast.script.layout import RawParagraph, split_block
from qacast.script.names import NAME_WORD, NameIndex, index_names
from qacast.script.roles import asks, decide_roles, turn_kind
from qacast.script.text import collapse_whitespace, shorten

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
# Header lines: short and with no sentence end (a page header, a venue, a show name).
HEADER_MAX_WORDS = 12
HEADER_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")
SUBHEAD_MAX_WORDS = 10  # "**On leaving home**" between turns is a subhead
PULL_QUOTE_MIN_WORDS = 6  # a shorter repeat ("Yes.") is just a repeat
TITLE_MIN_WORDS = 3  # "HEARING" alone is a header word, not a title
# Words that say what a page is: the header line with one of them is the title.
TITLE_WORDS = re.compile(
    r"\b(?:interview|transcript|conversation|briefing|hearing|q ?& ?a|questions|episode"
    r"|podcast|talks? with|oral history|press conference|in conversation)\b",
    re.IGNORECASE,
)
# Lines that are never a title: where and when it was recorded, a web address, a date.
NOT_A_TITLE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a URL", re.compile(r"(?:https?://|www\.)\S+", re.I)),
    (
        "a venue line",
        re.compile(r"(?:recorded|live|filmed|taped|held)\b.*\b(?:at|in|from)\b.*", re.I),
    ),
    ("a venue line", re.compile(r"(?:location|venue|place|date|time)\s*:.*", re.I)),
    (
        "a date",
        re.compile(r"[\d\s,./-]*(?:\w+\s+)?\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}.*"),
    ),
    ("a byline", re.compile(r"by\s+\S.*", re.I)),
)

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

# Who the intro says is interviewed: "we spoke with Dr. Amara Lindqvist".
_PERSON = (
    r"(?P<name>(?:(?:Dr|Prof|Mr|Mrs|Ms|Mx|Sen|Rep|Gov|Gen|Rev)\.?\s+)?[A-Z][\w'’-]+"
    r"(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+|van|von|de|da|di|del|la|le)){1,3})"
)
GUEST_CUES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:spoke|speaks|talked|talks|chatted|chats|sat down|sits down|caught up|met"
        rf"|conversation)\s+with\s+{_PERSON}",
        rf"\b[Ii]nterview(?:ed|s)?\s+(?:with\s+)?{_PERSON}",
        rf"\b[Jj]oining (?:us|me)(?: today| now| this week)? (?:is|are) {_PERSON}",
        rf"\b(?:[Mm]y|[Oo]ur) guest(?: today| this week)? is {_PERSON}",
        rf"\b(?:[Ww]e|I) asked {_PERSON}",
        rf"\b(?:[Tt]his (?:week|month|issue|time)|[Tt]oday)\s*[:,]\s*{_PERSON}",
        rf"\b(?:up|down|along|together|out|in) with {_PERSON}",
        rf"\b(?:talking|speaking|chatting|here) (?:with|to) {_PERSON}",
        rf"\b(?:joined|accompanied) (?:today |here )?by {_PERSON}",
        rf"^{_PERSON}\s+(?:spent|is|was|has|had|runs|ran|grew|works|worked|started|founded"
        r"|became|directs|leads|led|teaches|taught|lives|lived|talks|has spent)\b",
        r"\b(?:[Qq]uestions(?: and [Aa]nswers)?|Q ?& ?A|[Cc]onversation|[Tt]alks?)"
        r"\s+(?:for|with)\s+"
        rf"(?:(?:[A-Z][a-z]+\s+){{0,2}}(?=[A-Z][a-z]+\s+[A-Z]))?{_PERSON}",
    )
)
# Who wrote (and so asked): "By Jane Doe" bylines, dropped as furniture.
BYLINE_NAME = re.compile(rf"(?:^|\b[Ii]nterviewed |\b[Cc]onducted |\s)[Bb]y\s+{_PERSON}")
TITLE_GUEST = re.compile(
    rf"(?:interview|conversation|talk|q&a|questions)\s+(?:with|for)\s+{_PERSON}", re.I
)

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
STANDFIRST = re.compile(rf"^{_PERSON}\s+(?=[a-z])")
NUMBERED = re.compile(r"(?:Speaker|Participant|Person|Voice)\s?\d{1,2}", re.I)
SELF_INTRODUCTION = re.compile(rf"\b(?:I'm|I am|[Mm]y name is|[Tt]his is)\s+{_PERSON}")
# Furniture that starts a page footer when it follows the interview.
FOOTER_RULES = frozenset(
    {"read-more line", "comment counter", "share line", "copyright line", "site credit"}
)
# Briefings and hearings: "Q" there is the press, and the page says so.
BRIEFING = re.compile(r"\b(?:briefing|press conference|news conference|press gaggle)\b", re.I)
HONORIFIC_PREFIX = re.compile(r"^(?:Dr|Prof|Mr|Mrs|Ms|Mx|Sen|Rep|Gov|Gen|Rev)\.?\s+")

# The answering speaker in layouts where only questions are marked.
ANSWER_IDS: dict[str, str] = {"Q": "A", "Question": "Answer", "Interviewer": "Guest"}
QUESTIONS_ID = "Interviewer"


@dataclass(frozen=True)
class _Group:
    """A turn before its kind is known."""

    speaker_id: str
    paragraphs: tuple[RawParagraph, ...]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.paragraphs)


def title_from_name(source_name: str) -> str:
    """ "mvp-interview.txt" -> "Mvp Interview"."""
    words = re.split(r"[-_.\s]+", PurePath(source_name).stem)
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or "Untitled"


# --- title ------------------------------------------------------------------


def _not_a_title(text: str) -> str | None:
    for name, pattern in NOT_A_TITLE:
        if pattern.fullmatch(text):
            return name
    return None


def _is_header(p: RawParagraph) -> bool:
    """A short line or block of lines with no sentence in it: a page header, not prose."""
    if p.label is not None or p.list_item or p.kind not in ("paragraph", "heading"):
        return False
    return all(
        len(line.split()) <= HEADER_MAX_WORDS and not HEADER_END.search(line) for line in p.lines
    )


def _take_title(
    paragraphs: list[RawParagraph], source_name: str, notes: Notes
) -> tuple[str, str, list[RawParagraph]]:
    """(title, byline, remaining paragraphs): the first heading, or a lone first line.

    "Lone" means a paragraph of its own, and not ending like a sentence: "This
    interview was recorded in May." is intro. A venue line, a URL, a date or a
    byline is never the title. Among the header lines at the top of a page
    ("THE WHITE HOUSE / Office of the Press Secretary / Press Briefing by..."),
    the one that says what the page is (a briefing, an interview) wins.
    """
    leading = []
    for p in paragraphs:
        if p.kind == "rule":
            continue
        if not (_is_header(p) or p.kind == "heading"):
            break
        leading.append(p)
    for p in leading:
        for line in p.lines if p.kind != "heading" else (p.text,):
            says_what = TITLE_WORDS.search(line) and len(line.split()) >= TITLE_MIN_WORDS
            if says_what and not _not_a_title(line) and len(p.lines) <= 3:
                return _title_from(line, p, paragraphs, notes)
    for index, first in enumerate(paragraphs[:3]):
        if first.label is not None or first.list_item:
            break
        stands_alone = len(first.lines) == 1 and len(paragraphs) > index + 1
        if not (first.kind == "heading" or stands_alone):
            break
        heading = collapse_whitespace(first.text)
        reason = _not_a_title(heading)
        if reason:
            notes.say(f"line {first.line_no} is not the title: {reason}")
            continue
        match = BYLINE.fullmatch(heading)
        title = match["title"] if match else heading
        if title and len(title) <= TITLE_MAX_CHARS and not NOT_A_TITLE_END.search(title):
            set_apart = first.kind == "heading" or first.bold or first.italic
            if "?" in title and set_apart and _same_shape_questions(paragraphs, first) > 1:
                break  # a question among questions set the same way, not a title
            return _title_from(heading, first, paragraphs, notes)
        break
    return title_from_name(source_name), "", paragraphs


def _title_from(
    line: str, paragraph: RawParagraph, paragraphs: list[RawParagraph], notes: Notes
) -> tuple[str, str, list[RawParagraph]]:
    heading = collapse_whitespace(line)
    match = BYLINE.fullmatch(heading)
    title, byline = (match["title"], match["byline"]) if match else (heading, "")
    offset = paragraph.lines.index(line) if line in paragraph.lines else 0
    notes.say(f"title from line {paragraph.line_no + offset}")
    rest = [q for q in paragraph.lines if q != line] if paragraph.kind != "heading" else []
    remaining = [p for p in paragraphs if p is not paragraph]
    if rest:
        index = paragraphs.index(paragraph)
        remaining.insert(index, replace(paragraph, text=" ".join(rest), lines=tuple(rest)))
    return title[:TITLE_MAX_CHARS], byline, remaining


def _same_shape_questions(paragraphs: list[RawParagraph], first: RawParagraph) -> int:
    """Questions set like ``first`` (headings, bold or italic paragraphs)."""

    def shape(p: RawParagraph) -> tuple[str, bool, bool]:
        return (p.kind, p.bold, p.italic)

    return sum(1 for p in paragraphs if shape(p) == shape(first) and p.text.endswith("?"))


# --- layouts ----------------------------------------------------------------


def _is_question_heading(p: RawParagraph, level: int) -> bool:
    return p.kind == "heading" and p.level == level and p.text.rstrip().endswith("?")


def _question_markers(paragraphs: list[RawParagraph], labels: Labels) -> tuple[str, set[int]]:
    """Unlabelled layouts: (layout name, indexes of the paragraphs that are questions)."""
    ids = {p.label for p in paragraphs if p.label}
    # "Q:" questions (or one labelled asker) over unlabelled answers.
    if len(ids) == 1:
        (only,) = ids
        labelled = [i for i, p in enumerate(paragraphs) if p.label]
        followed = sum(
            1 for i in labelled if i + 1 < len(paragraphs) and paragraphs[i + 1].label is None
        )
        asking = sum(1 for i in labelled if asks(paragraphs[i].text) or not paragraphs[i].text)
        if followed and (role_hint(only) == "interviewer" or asking * 2 >= len(labelled)):
            return f"'{only}' questions over unlabelled answers", set(labelled)
    if ids:
        return "", set()
    headings = [p for p in paragraphs if p.kind == "heading"]
    for level in sorted({p.level for p in headings}):
        questions = {i for i, p in enumerate(paragraphs) if _is_question_heading(p, level)}
        same_level = [p for p in headings if p.level == level]
        if questions and len(questions) * 2 >= len(same_level):
            # Every heading of that level is a question, asked or not.
            marked = {
                i for i, p in enumerate(paragraphs) if p.kind == "heading" and p.level == level
            }
            return "questions as headings over unlabelled answers", marked
    for emphasis in ("bold", "italic"):
        emphasised = {
            i
            for i, p in enumerate(paragraphs)
            if getattr(p, emphasis)
            and p.kind == "paragraph"
            and not p.list_item
            and len(p.text.split()) >= 2
        }
        asked = {i for i in emphasised if asks(paragraphs[i].text)}
        if asked and len(asked) * 2 >= len(emphasised) and len(emphasised) < len(paragraphs):
            return f"questions in {emphasis} over unlabelled answers", emphasised
    return "", set()


QUESTION_LABEL = re.compile(r"^(?:Q|Question)\s*\d*\s*[:.]\s*", re.I)


def _marked_groups(
    paragraphs: list[RawParagraph], marked: set[int], asker: str, answerer: str, notes: Notes
) -> tuple[list[RawParagraph], list[_Group]]:
    """Turns for a layout where only questions are marked."""
    first = min(marked)
    intro = paragraphs[:first]
    groups: list[_Group] = []
    for index in range(first, len(paragraphs)):
        paragraph = paragraphs[index]
        if paragraph.kind == "heading" and index not in marked:
            _drop(notes, paragraph, "section heading between turns")
        elif index in marked:
            text = QUESTION_LABEL.sub("", paragraph.text)
            question = replace(paragraph, text=text, label=asker, kind="paragraph")
            groups.append(_Group(asker, (question,) if text else ()))
        elif groups[-1].speaker_id == asker and groups[-1].paragraphs and not paragraph.text:
            continue
        else:
            if groups[-1].speaker_id == asker:
                if not groups[-1].paragraphs:
                    groups[-1] = _Group(asker, (paragraph,))  # "Q:" alone, its text below
                    continue
                groups.append(_Group(answerer, ()))
            groups[-1] = _Group(answerer, (*groups[-1].paragraphs, paragraph))
    return intro, [g for g in groups if g.paragraphs]


def _group_turns(paragraphs: list[RawParagraph]) -> list[_Group]:
    groups: list[tuple[str, list[RawParagraph]]] = []
    for paragraph in paragraphs:
        if paragraph.label is not None:
            groups.append((paragraph.label, []))
        if paragraph.text:  # a label alone on its line has no text of its own
            groups[-1][1].append(paragraph)
    return [_Group(speaker, tuple(ps)) for speaker, ps in groups if ps]


def _skip_sections(
    paragraphs: list[RawParagraph], dialogue: set[int], notes: Notes
) -> tuple[list[RawParagraph], set[int]]:
    """Keep the sections (between headings) that hold dialogue, and the one just before.

    An interview embedded in a longer article (a newsletter, a report) sits in
    its own sections; the article's other sections are not dialogue. The
    section right before the first dialogue section is kept as the intro.
    """
    starts = [i for i, p in enumerate(paragraphs) if p.kind == "heading" and i not in dialogue]
    if not starts or not dialogue:
        return paragraphs, dialogue
    bounds = [0, *starts, len(paragraphs)]
    sections = [(a, b) for a, b in itertools.pairwise(bounds) if a < b]
    with_dialogue = [k for k, (a, b) in enumerate(sections) if any(a <= i < b for i in dialogue)]
    first, last = with_dialogue[0], with_dialogue[-1]
    keep_from = (
        first - 1
        if first > 0 and not _has_heading_start(sections[first - 1], paragraphs, first - 1)
        else first
    )
    kept: list[int] = []
    for k, (a, b) in enumerate(sections):
        if keep_from <= k <= last:
            kept.extend(range(a, b))
            continue
        name = paragraphs[a].text if paragraphs[a].kind == "heading" else "before the first heading"
        notes.say(
            f"lines {paragraphs[a].line_no}-{_last_line(paragraphs[b - 1])} skipped: "
            f"section {shorten(name, 40)!r} has no dialogue"
        )
    index_of = {old: new for new, old in enumerate(kept)}
    return [paragraphs[i] for i in kept], {index_of[i] for i in dialogue if i in index_of}


def _has_heading_start(section: tuple[int, int], paragraphs: list[RawParagraph], k: int) -> bool:
    # The lede before the first heading is the intro; an earlier headed section is not.
    return paragraphs[section[0]].kind == "heading"


# --- outro and readers ----------------------------------------------------------


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
    """
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


# --- names from the intro ------------------------------------------------------


def _named_in(texts: list[str], cues: tuple[re.Pattern[str], ...]) -> str | None:
    """The first person a cue names, without an honorific ("Dr. Amara Lindqvist" -> "Amara...")."""
    for cue in cues:
        for text in texts:
            match = cue.search(text)
            if match:
                return HONORIFIC_PREFIX.sub("", match["name"])
    return None


def _generic(speaker_id: str, name: str) -> bool:
    """A role word or a numbered speaker ("Speaker 2") that still has no real name."""
    if NUMBERED.fullmatch(speaker_id):
        return name == speaker_id
    entry = ROLE_LABELS.get(speaker_id.lower())
    return entry is not None and entry[1] == name


# --- the whole parse ------------------------------------------------------------


def _no_labels(source_name: str, found: str) -> ScriptError:
    return ScriptError(
        f"{source_name}: no speaker labels found ({found}); start each question or answer with "
        "a label such as 'Q:', 'SI:' or 'Jane Doe:', or write questions as headings or in bold"
    )


def _what_was_found(paragraphs: list[RawParagraph]) -> str:
    headings = sum(1 for p in paragraphs if p.kind == "heading")
    return f"found {len(paragraphs)} paragraphs, {headings} headings, no question layout"


def _between_turns(p: RawParagraph, paragraphs: list[RawParagraph]) -> str | None:
    """Why a paragraph inside a labelled interview is not part of any turn, if it is not."""
    if p.label is not None:
        return None
    if p.kind == "heading":
        return "section heading between turns"
    short = (
        len(p.text.split()) <= SUBHEAD_MAX_WORDS
        and not HEADER_END.search(p.text)
        and p.text[:1].isupper()  # "*laughs*" on its own is a sound mark, kept
    )
    if (p.bold or p.italic) and short and not p.list_item:
        return "section heading in bold or italics"
    set_apart = p.quoted or p.bold or p.italic
    if (
        set_apart
        and len(p.text.split()) >= PULL_QUOTE_MIN_WORDS
        and any(
            p.text.casefold() in other.text.casefold() and not other.quoted
            for other in paragraphs
            if other is not p
        )
    ):
        return "pull quote repeating the text"
    return None


def _kept(
    paragraphs: list[RawParagraph], dialogue: set[int], kept: list[RawParagraph]
) -> tuple[list[RawParagraph], set[int]]:
    """``kept`` (a subsequence of ``paragraphs``) and the dialogue indexes within it."""
    index_of = {id(p): i for i, p in enumerate(kept)}
    moved = {index_of[id(paragraphs[i])] for i in dialogue if id(paragraphs[i]) in index_of}
    return kept, moved


def _after_footer(
    paragraphs: list[RawParagraph],
    dialogue: set[int],
    furniture: list[tuple[int, str]],
    notes: Notes,
) -> list[RawParagraph]:
    """Drop what follows the page footer: after the last dialogue, the first share line,
    comment counter or related-stories line starts the footer (comments, cards, credits)."""
    last_line = _last_line(paragraphs[max(dialogue)])
    starts = [n for n, rule in furniture if n > last_line and rule in FOOTER_RULES]
    if not starts:
        return paragraphs
    kept = [p for p in paragraphs if p.line_no < starts[0]]
    for p in paragraphs:
        if p.line_no > starts[0] and p.kind != "rule" and p.text:
            _drop(notes, p, f"page footer (from line {starts[0]})")
    return kept


def _after_last_rule(
    paragraphs: list[RawParagraph], dialogue: set[int], notes: Notes
) -> list[RawParagraph]:
    """Drop what follows a thematic break after the last dialogue: page footer, not talk."""
    last = max(dialogue)
    rules = [i for i, p in enumerate(paragraphs) if p.kind == "rule" and i > last]
    if rules:
        cut = rules[0]
        for p in paragraphs[cut + 1 :]:
            if p.kind != "rule" and p.text:
                _drop(notes, p, "after the closing rule")
        paragraphs = paragraphs[:cut]
    for p in paragraphs:
        if p.kind == "rule":
            notes.drop(p.line_no, "thematic break")
    return [p for p in paragraphs if p.kind != "rule"]


def _last_line(p: RawParagraph) -> int:
    return max(p.end_line, p.line_no + max(len(p.lines) - 1, 0))


def _drop(notes: Notes, p: RawParagraph, rule: str) -> None:
    """Note a dropped paragraph with every line it spans."""
    notes.drop(p.line_no, rule, p.text, last_line=_last_line(p))


def _clean_intro(intro: list[RawParagraph], notes: Notes) -> list[RawParagraph]:
    """Header lines above the interview (show name, venue, place) are not read."""
    kept = []
    for p in intro:
        if p.kind == "heading":
            _drop(notes, p, "section heading")
        elif _is_header(p) and not p.list_item:
            _drop(notes, p, "header line")
        elif p.text:
            kept.append(p)
    return kept


def _cue_names(texts: list[str], cue: re.Pattern[str]) -> set[str]:
    """Lower-cased name words following a cue ("conducted by X and Y") in any of ``texts``."""
    words: set[str] = set()
    for text in texts:
        for match in cue.finditer(text):
            names = match["names"] or match["names2"] or ""
            words |= {w.lower() for w in NAME_WORD_ANY.findall(names)}
    return words


def _surname(name: str) -> str:
    words = NAME_WORD_ANY.findall(name)
    return words[-1].lower() if words else ""


def _evidence_roles(
    ids: list[str], people: dict[str, str], context: list[str], meta: list[tuple[str, str]]
) -> dict[str, Role | None]:
    """Roles the page states: "Interview conducted by X", "Narrator: Y", a title "with Z"."""
    asking = _cue_names(context, INTERVIEWER_CUE)
    answering = _cue_names(context, INTERVIEWEE_CUE)
    for key, value in meta:
        role = METADATA_ROLES.get(key)
        name_words = {w.lower() for w in NAME_WORD_ANY.findall(value.split(",")[0])}
        if role == "interviewer":
            asking |= name_words
        elif role == "interviewee":
            answering |= name_words
    found: dict[str, Role | None] = {}
    for speaker in ids:
        surname = _surname(people[speaker])
        in_asking, in_answering = surname in asking, surname in answering
        found[speaker] = (
            "interviewer"
            if in_asking and not in_answering
            else "interviewee"
            if in_answering and not in_asking
            else None
        )
    return found


def parse_script(text: str, *, source_name: str = "script") -> Episode:
    """Parse an interview transcript into an Episode.

    Raises ScriptError when no dialogue is found, or only one speaker.
    """
    text = normalise_text(text)
    notes = Notes()
    document = read_blocks(text)
    for dropped in document.dropped:
        notes.drop(dropped.line_no, furniture_rule(dropped.text) or dropped.rule, dropped.text)
    cleaned = clean_blocks(document.blocks, notes)
    lines = [
        line.text
        for block in cleaned.blocks
        if block.kind not in ("code", "rule")
        for line in block.lines
    ]
    plain = "\n".join(lines)
    names = index_names(text)
    labels = find_labels(lines, plain, names)
    paragraphs = [
        p for i, block in enumerate(cleaned.blocks) for p in split_block(block, labels.find, i == 0)
    ]
    if not any(p.text for p in paragraphs):
        raise ScriptError(f"{source_name}: the script is empty; expected an interview")
    header_text = [line for p in paragraphs[:8] if _is_header(p) for line in p.lines]
    title, byline, paragraphs = _take_title(paragraphs, source_name, notes)

    layout, marked = _question_markers(paragraphs, labels)
    labelled = {i for i, p in enumerate(paragraphs) if p.label}
    dialogue = marked or labelled
    if not dialogue:
        raise _no_labels(source_name, _what_was_found(paragraphs))
    paragraphs, dialogue = _skip_sections(paragraphs, dialogue, notes)
    paragraphs, dialogue = _kept(
        paragraphs, dialogue, _after_footer(paragraphs, dialogue, cleaned.furniture, notes)
    )
    paragraphs, dialogue = _kept(
        paragraphs, dialogue, _after_last_rule(paragraphs, dialogue, notes)
    )

    answerer = ""
    if marked:
        asker = next((p.label for p in paragraphs if p.label), None) or QUESTIONS_ID
        answerer = ANSWER_IDS.get(asker, "Guest")
        notes.say(f"layout: {layout}; answers read by '{answerer}'")
        intro_raw, groups = _marked_groups(paragraphs, dialogue, asker, answerer, notes)
    else:
        first_label = min(dialogue)
        intro_raw = paragraphs[:first_label]
        body = []
        for p in paragraphs[first_label:]:
            rule = _between_turns(p, paragraphs)
            if rule:
                _drop(notes, p, rule)
            else:
                body.append(p)
        groups = _group_turns(body)
    for group in groups:
        for p in group.paragraphs if group.speaker_id.lower() in NOT_SPEAKERS else ():
            _drop(notes, p, NOT_SPEAKERS[group.speaker_id.lower()])
    groups = [g for g in groups if g.speaker_id.lower() not in NOT_SPEAKERS]
    intro_kept = _clean_intro(list(intro_raw), notes)
    context_extra = [p.text for p in intro_raw if p not in intro_kept] + header_text
    intro = tuple(intro_kept)

    ids = list(dict.fromkeys(g.speaker_id for g in groups))
    if len(ids) < 2:
        raise ScriptError(
            f"{source_name}: only one speaker label found ({', '.join(ids) or 'none'}); "
            "a Q&A script needs at least two, such as 'Q:' and 'A:'"
        )
    for short, full in labels.merged.items():
        notes.say(f"label '{short}' is the same speaker as '{full}'")
    people: dict[str, str] = {}
    for speaker in ids:
        name, rule = speaker_name(speaker, names, labels.aliases)
        briefing = any(honorific(s) or s.lower() == "moderator" for s in ids) or BRIEFING.search(
            title
        )
        if speaker.lower() in QUESTION_IDS and briefing:
            name, rule = "Reporter", "questions from the floor of a briefing"
        people[speaker] = name
        accepted = labels.rules.get(speaker, "layout")
        notes.say(
            f"label '{speaker}' -> speaker {name} (label rule: {accepted}; name rule: {rule})"
        )

    context = [title, byline, *(p.text for p in intro), *context_extra, *cleaned.evidence]
    hints = {s: role_hint(s, labels.offices.get(s)) for s in ids}
    if answerer:
        for s in ids:
            hints[s] = "interviewee" if s == answerer else "interviewer"
    stated = _evidence_roles(ids, people, context, cleaned.metadata)
    in_title: dict[str, bool] = {}
    for s in ids:
        if hints[s] is None and stated[s] == "interviewer":
            hints[s] = "interviewer"
        in_title[s] = stated[s] == "interviewee"
    decision = decide_roles(ids, [(g.speaker_id, g.text) for g in groups], hints, in_title, people)
    roles = decision.roles
    for speaker in ids:
        notes.say(f"{people[speaker]} is the {roles[speaker]}: {decision.reasons.get(speaker, '')}")

    _name_role_words(
        ids,
        people,
        roles,
        context,
        cleaned,
        byline,
        notes,
        names,
        [(g.speaker_id, g.text) for g in groups[:3]],
    )

    groups[-1], outro = _split_outro(groups[-1], people)
    interviewer = next((s for s in ids if roles[s] == "interviewer"), ids[0])

    turns: list[Turn] = []
    if intro:
        turns.append(Turn(_reader(intro, interviewer), "intro", _paragraphs(intro)))
    for index, group in enumerate(groups):
        following = groups[index + 1].speaker_id if index + 1 < len(groups) else None
        previous = groups[index - 1] if index else None
        kind = turn_kind(
            roles[group.speaker_id],
            group.text,
            roles[following] if following else None,
            previous is not None
            and roles[previous.speaker_id] == "interviewee"
            and previous.text.rstrip().endswith("?"),
        )
        turns.append(Turn(group.speaker_id, kind, _paragraphs(group.paragraphs)))
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
    kept = tuple(t for t in turns if t.paragraphs)
    return Episode(meta, tuple(speakers), kept, _chapters(kept, title), tuple(notes.lines))


def _name_role_words(
    ids: list[str],
    people: dict[str, str],
    roles: dict[str, Role],
    context: list[str],
    cleaned: Cleaned,
    byline: str,
    notes: Notes,
    names: NameIndex,
    first_turns: list[tuple[str, str]],
) -> None:
    """Role words are not names: the page may name the guest or the host."""
    named = {key: value.split(",")[0].strip() for key, value in cleaned.metadata}
    # The host's opening words name both: "I'm Jane Doe, and my guest today is ..."
    opening = [text for speaker, text in first_turns if roles[speaker] == "interviewer"][:1]
    guest = _best_form(_named_in([*context, *opening], GUEST_CUES), names)
    if not guest:
        # A standfirst that opens on the guest's name ("Rosalind Achterberg drove the
        # N14..."), when the text names them again: a lone capitalised phrase is no one.
        standfirst = [p for p in context[2:3] if p]
        lead = _named_in(standfirst, (STANDFIRST,))
        person = any(PERSONAL_PRONOUN.search(p) for p in standfirst)  # "...on her last night"
        if lead and (person or names.occurrences(lead) + _surname_uses(lead, context) >= 2):
            guest = lead
    host = _named_in([byline, *cleaned.evidence], (BYLINE_NAME,)) or _named_in(
        opening, (SELF_INTRODUCTION,)
    )
    for speaker in ids:
        if not _generic(speaker, people[speaker]) and speaker not in (QUESTIONS_ID, "Guest"):
            continue
        if speaker.lower() in named:
            people[speaker] = named[speaker.lower()]
            notes.say(f"'{speaker}' is {people[speaker]}: named in the metadata")
        elif roles[speaker] == "interviewee" and guest and _single(roles, "interviewee"):
            people[speaker] = guest
            notes.say(f"'{speaker}' is {guest}: named in the intro or title")
        elif roles[speaker] == "interviewer" and host and _single(roles, "interviewer"):
            people[speaker] = host
            notes.say(f"'{speaker}' is {host}: named in the byline")


def _surname_uses(name: str, texts: list[str]) -> int:
    surname = name.split(" ")[-1]
    return sum(len(re.findall(rf"\b{re.escape(surname)}\b", text)) for text in texts) - 1


def name_interviewer(episode: Episode, author: str) -> Episode:
    """The episode with its one interviewer named ``author`` when the script only
    called them by a role word ("Q", "Interviewer"): a byline or a front matter
    ``author`` names the person who asked."""
    asking = [s for s in episode.speakers if s.role == "interviewer"]
    if not author or len(asking) != 1 or not _generic(asking[0].id, asking[0].name):
        return episode
    speakers = tuple(
        Speaker(s.id, author, s.role) if s is asking[0] else s for s in episode.speakers
    )
    notes = (*episode.notes, f"'{asking[0].id}' is {author}: the author of the piece")
    return replace(episode, speakers=speakers, notes=notes)


def _best_form(name: str | None, names: NameIndex) -> str | None:
    """ "Forester Kwabena Lindahl" -> "Kwabena Lindahl" when the shorter name is the one
    the text keeps using: a job title in front of a name is not part of it."""
    if not name:
        return name
    words = name.split(" ")
    forms = [" ".join(words[start:]) for start in range(len(words) - 1)]
    return max(forms, key=lambda form: (names.occurrences(form), -forms.index(form)))


def _single(roles: dict[str, Role], role: Role) -> bool:
    return sum(1 for r in roles.values() if r == role) == 1
