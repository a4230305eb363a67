"""Which paragraphs are the interview: layouts, sections, footers, subheads.

A labelled transcript is read turn by turn; without labels the questions are
marked by their setting (headings, bold, italics, "Q:" lines over unlabelled
answers). Around the interview, an article's other sections, the page footer
(comments, related stories) and whatever follows a closing rule are skipped,
and each skip is noted.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from qacast.script.blocks.clean import Notes
from qacast.script.blocks.paragraphs import RawParagraph
from qacast.script.blocks.title import HEADER_END, is_header
from qacast.script.labels.find import QA_MARKERS, ROLE_LABELS, Labels, role_hint
from qacast.script.text import shorten
from qacast.script.turns.roles import asks

SUBHEAD_MAX_WORDS = 10  # "**On leaving home**" between turns is a subhead


PULL_QUOTE_MIN_WORDS = 6  # a shorter repeat ("Yes.") is just a repeat


# Furniture that starts a page footer when it follows the interview.
FOOTER_RULES = frozenset(
    {"read-more line", "comment counter", "share line", "copyright line", "site credit"}
)


# The answering speaker in layouts where only questions are marked.
ANSWER_IDS: dict[str, str] = {"Q": "A", "Question": "Answer", "Interviewer": "Guest"}


QUESTIONS_ID = "Interviewer"


@dataclass(frozen=True)
class Group:
    """A turn before its kind is known."""

    speaker_id: str
    paragraphs: tuple[RawParagraph, ...]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.paragraphs)


def is_question_heading(p: RawParagraph, level: int) -> bool:
    return p.kind == "heading" and p.level == level and p.text.rstrip().endswith("?")


def question_markers(paragraphs: list[RawParagraph], labels: Labels) -> tuple[str, set[int]]:
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
        # "A:" answers after unlabelled (often bold) questions: the paragraph before
        # each answer asks.
        before = {
            i - 1
            for i in labelled
            if i > 0 and paragraphs[i - 1].label is None and asks(paragraphs[i - 1].text)
        }
        if before and len(before) * 2 >= len(labelled) and role_hint(only) != "interviewer":
            return f"unlabelled questions over '{only}' answers", before
    set_apart = _questions_set_apart(paragraphs)
    if not ids:
        return set_apart
    # Labels on a few paragraphs ("**Host: ...?**" / "**Jane:** ..." for the first
    # exchange), questions set apart for the rest: the layout that explains more of
    # the interview is its layout, and the labelled questions are among its questions.
    layout, marked = set_apart
    labelled = [i for i, p in enumerate(paragraphs) if p.label]
    if len(marked) >= MIN_SET_APART and len(marked) >= SET_APART_SHARE * len(labelled):
        return f"{layout} (labels on {len(labelled)} paragraphs)", marked
    return "", set()


MIN_SET_APART = 3  # questions set apart before that layout outweighs labels
SET_APART_SHARE = 2  # ... and at least this many times as many as labelled paragraphs


def _questions_set_apart(paragraphs: list[RawParagraph]) -> tuple[str, set[int]]:
    """Questions set apart by their setting: (layout name, their indexes), else ("", {})."""
    headings = [p for p in paragraphs if p.kind == "heading"]
    for level in sorted({p.level for p in headings}):
        questions = {i for i, p in enumerate(paragraphs) if is_question_heading(p, level)}
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


# "Question 3:", "Pregunta 1.", "Q2 —": a numbered marker before a question's words.
QUESTION_LABEL = re.compile(
    r"^(?:"
    + "|".join(
        sorted((w for w in QA_MARKERS if ROLE_LABELS[w][0] == "interviewer"), key=len, reverse=True)
    )
    + r")\s*\d*\s*[:.—–-]\s*",
    re.I,
)
# "## 1. Why glass?", "**IV) What next?**": an editor's numbering, never said aloud.
QUESTION_NUMBER = re.compile(r"^(?:\d{1,3}|[IVX]{1,5})[.)]\s+")


def marked_groups(
    paragraphs: list[RawParagraph], marked: set[int], asker: str, answerer: str, notes: Notes
) -> tuple[list[RawParagraph], list[Group]]:
    """Turns for a layout where only questions are marked."""
    first = min(marked)
    intro = paragraphs[:first]
    groups: list[Group] = []
    for index in range(first, len(paragraphs)):
        paragraph = paragraphs[index]
        if paragraph.kind == "heading" and index not in marked:
            drop(notes, paragraph, "section heading between turns")
        elif index in marked:
            text = QUESTION_NUMBER.sub("", QUESTION_LABEL.sub("", paragraph.text))
            question = replace(paragraph, text=text, label=asker, kind="paragraph")
            groups.append(Group(asker, (question,) if text else ()))
        elif groups[-1].speaker_id == asker and groups[-1].paragraphs and not paragraph.text:
            continue
        else:
            if groups[-1].speaker_id == asker:
                if not groups[-1].paragraphs:
                    groups[-1] = Group(asker, (paragraph,))  # "Q:" alone, its text below
                    continue
                groups.append(Group(answerer, ()))
            groups[-1] = Group(answerer, (*groups[-1].paragraphs, paragraph))
    return intro, [g for g in groups if g.paragraphs]


def group_turns(paragraphs: list[RawParagraph]) -> list[Group]:
    groups: list[tuple[str, list[RawParagraph]]] = []
    for paragraph in paragraphs:
        if paragraph.label is not None:
            groups.append((paragraph.label, []))
        if paragraph.text:  # a label alone on its line has no text of its own
            groups[-1][1].append(paragraph)
    return [Group(speaker, tuple(ps)) for speaker, ps in groups if ps]


def skip_sections(
    paragraphs: list[RawParagraph], dialogue: set[int], notes: Notes, names: set[str]
) -> tuple[list[RawParagraph], set[int]]:
    """Keep the sections (between headings or rules) that hold dialogue.

    An interview embedded in a longer article (a newsletter, a report) sits in
    its own sections; the article's other sections are not dialogue. When the
    interview's section opens with a heading ("## Five questions"), the
    unheaded lede just above it is kept as the intro; above a rule ("* * *"),
    only a lede that introduces the interview (names a speaker, says
    "interview", "spoke with") is.
    """
    starts = [
        i for i, p in enumerate(paragraphs) if p.kind in ("heading", "rule") and i not in dialogue
    ]
    if not starts or not dialogue:
        return paragraphs, dialogue
    bounds = [0, *starts, len(paragraphs)]
    sections = [(a, b) for a, b in itertools.pairwise(bounds) if a < b]
    talking = [k for k, (a, b) in enumerate(sections) if any(a <= i < b for i in dialogue)]
    first, last = talking[0], talking[-1]
    previous = sections[first - 1] if first > 0 else (0, 0)
    opener = paragraphs[sections[first][0]].kind
    lede = (
        first > 0
        and paragraphs[previous[0]].kind not in ("heading", "rule")
        and (opener == "heading" or _introduces(paragraphs[previous[0] : previous[1]], names))
    )
    keep_from = first - 1 if lede else first
    kept: list[int] = []
    for k, (a, b) in enumerate(sections):
        if keep_from <= k <= last:
            kept.extend(range(a, b))
            continue
        name = paragraphs[a].text if paragraphs[a].kind == "heading" else "between rules"
        notes.say(
            f"lines {paragraphs[a].line_no}-{last_line_of(paragraphs[b - 1])} skipped: "
            f"section {shorten(name, 40)!r} has no dialogue"
        )
    index_of = {old: new for new, old in enumerate(kept)}
    return [paragraphs[i] for i in kept], {index_of[i] for i in dialogue if i in index_of}


INTRO_CUE = re.compile(
    r"\b(?:interview\w*|conversation|spoke|talked|chatted|asked|questions|q ?& ?a)\b", re.I
)


def _introduces(paragraphs: list[RawParagraph], names: set[str]) -> bool:
    text = " ".join(p.text for p in paragraphs)
    words = set(re.findall(r"[\w'’-]+", text))
    return bool(INTRO_CUE.search(text)) or bool(words & names)


CAPS_HEADING_MIN_WORDS = 3  # "LAUGHTER" alone is a sound mark, kept
CAPS_HEADING_MAX_WORDS = 16


def between_turns(p: RawParagraph, paragraphs: list[RawParagraph]) -> str | None:
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
    # "ORAL ARGUMENT OF JANE DOE ON BEHALF OF THE PETITIONER": a heading set in
    # capitals on its own line, as court and hearing records print them.
    words = len(p.text.split())
    capitals = p.text.isupper() and CAPS_HEADING_MIN_WORDS <= words <= CAPS_HEADING_MAX_WORDS
    if capitals and not HEADER_END.search(p.text) and len(p.lines) == 1 and not p.list_item:
        return "section heading in capitals"
    set_apart = p.quoted or p.bold or p.italic
    if set_apart and len(p.text.split()) >= PULL_QUOTE_MIN_WORDS and _repeats(p, paragraphs):
        return "pull quote repeating the text"
    return None


PULL_QUOTE_SHARE = 0.7  # of a set-apart paragraph's words found in one paragraph of the text
CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def _repeats(p: RawParagraph, paragraphs: list[RawParagraph]) -> bool:
    """Does the text say this paragraph's words elsewhere? A pull quote repeats a line of
    an answer, often trimmed or reworded ("found" for "discovered")."""
    words = {w.casefold() for w in CONTENT_WORD.findall(p.text)}
    if not words:
        return False
    for other in paragraphs:
        if other is p or other.quoted:
            continue
        said = {w.casefold() for w in CONTENT_WORD.findall(other.text)}
        if len(words & said) >= PULL_QUOTE_SHARE * len(words):
            return True
    return False


def with_dialogue(
    paragraphs: list[RawParagraph], dialogue: set[int], kept: list[RawParagraph]
) -> tuple[list[RawParagraph], set[int]]:
    """``kept`` (a subsequence of ``paragraphs``) and the dialogue indexes within it."""
    index_of = {id(p): i for i, p in enumerate(kept)}
    moved = {index_of[id(paragraphs[i])] for i in dialogue if id(paragraphs[i]) in index_of}
    return kept, moved


def after_footer(
    paragraphs: list[RawParagraph],
    dialogue: set[int],
    furniture: list[tuple[int, str]],
    notes: Notes,
) -> list[RawParagraph]:
    """Drop what follows the page footer: after the last dialogue, the first share line,
    comment counter or related-stories line starts the footer (comments, cards, credits)."""
    last_line = last_line_of(paragraphs[max(dialogue)])
    starts = [n for n, rule in furniture if n > last_line and rule in FOOTER_RULES]
    if not starts:
        return paragraphs
    kept = [p for p in paragraphs if p.line_no < starts[0]]
    for p in paragraphs:
        if p.line_no > starts[0] and p.kind != "rule" and p.text:
            drop(notes, p, f"page footer (from line {starts[0]})")
    return kept


def after_last_rule(
    paragraphs: list[RawParagraph], dialogue: set[int], notes: Notes
) -> list[RawParagraph]:
    """Drop what follows a thematic break after the last dialogue: page footer, not talk."""
    last = max(dialogue)
    rules = [i for i, p in enumerate(paragraphs) if p.kind == "rule" and i > last]
    if rules:
        cut = rules[0]
        for p in paragraphs[cut + 1 :]:
            if p.kind != "rule" and p.text:
                drop(notes, p, "after the closing rule")
        paragraphs = paragraphs[:cut]
    for p in paragraphs:
        if p.kind == "rule":
            notes.drop(p.line_no, "thematic break")
    return [p for p in paragraphs if p.kind != "rule"]


def last_line_of(p: RawParagraph) -> int:
    return max(p.end_line, p.line_no + max(len(p.lines) - 1, 0))


def drop(notes: Notes, p: RawParagraph, rule: str) -> None:
    """Note a dropped paragraph with every line it spans."""
    notes.drop(p.line_no, rule, p.text, last_line=last_line_of(p))


LINK_ITEM_MAX_WORDS = 20  # a show-notes link line, not a list of sentences


# An italic paragraph above the interview that speaks about the text itself
# ("Transcript of the Saturday panel. Edited for length.", "Interview by X.
# Draft 3 - for fact-checking."): a note to the reader, not part of the show.
EDITORIAL_NOTE = re.compile(
    r"\b(?:draft \d*|edited for|condensed|lightly edited|transcript of|fact-check\w*"
    r"|not for (?:circulation|publication)|embargo\w*|editor'?s note|interview(?:ed)? by"
    r"|(?:first |originally )?(?:published|appeared) in|publié dans|paru dans|erschienen in"
    r"|publicado en|pubblicato su|publicado em|verschenen in)\b",
    re.IGNORECASE,
)


def clean_intro(intro: list[RawParagraph], notes: Notes) -> list[RawParagraph]:
    """Header lines above the interview (show name, venue, place) are not read."""
    kept = []
    for p in intro:
        if p.kind == "heading":
            drop(notes, p, "section heading")
        elif is_header(p) and not p.list_item:
            drop(notes, p, "header line")
        elif p.list_item and all(
            len(line.split()) <= LINK_ITEM_MAX_WORDS and not HEADER_END.search(line)
            for line in p.lines
        ):
            # "* City composting programme [site](...)": show notes' link lists.
            drop(notes, p, "list item in the show notes")
        elif p.italic and EDITORIAL_NOTE.search(p.text):
            drop(notes, p, "editorial note")
        elif p.text:
            kept.append(p)
    return kept
