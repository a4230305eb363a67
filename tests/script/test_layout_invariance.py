"""One dialogue, many published layouts: a reader must understand the same thing each time.

The dialogues (tests/data/dialogues.json, our own invented text) say who speaks, in
which role, and which interviewer turns ask something. Each layout below writes a
dialogue the way one kind of real transcript does (labels in bold or italics, labels
with timestamps, initials, capitals, Q/A markers, questions as headings, app exports,
a Markdown table, an HTML page, WebVTT captions). Reading any of them must give the
same people with the same roles, the same number of questions and the same spoken
words, in order: a rule that only works for one of these layouts is fitted to a
file, not general.

A layout that loses information is compared on what it carries only, as its row in
LAYOUTS says: Q/A markers and unlabelled answers lose the names (the guest's name then
comes from an intro that names them, as a reader would take it), captions lose the
title and the intro.

Two tests:
* every dialogue in every layout that can carry it, written plainly, reads as the
  dialogue says (one test per pair, so that each misunderstood layout is listed);
* hypothesis varies what must not matter (the pair; one, two or no blank lines between
  paragraphs, or "blank" lines holding spaces; a space, NBSP or NNBSP before a French
  colon; a space or NBSP after a label; curly or straight quotes; trailing spaces; hard
  wrapping at 72 columns; CRLF; a byte-order mark) and requires the same reading,
  derandomised so CI is stable.

To see one case as the reader gets it:
    .venv/bin/python tests/script/test_layout_invariance.py DIALOGUE LAYOUT > /tmp/case.SUFFIX
    .venv/bin/qacast parse -v /tmp/case.SUFFIX
"""

from __future__ import annotations

import html
import json
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from qacast.models import Episode
from qacast.script.read import read_episode

# Not from locations.py: this file also runs on its own (above), outside pytest.
DIALOGUES_PATH = Path(__file__).resolve().parents[1] / "data" / "dialogues.json"
SPEAKING_ROLES = ("interviewer", "interviewee")
ANY_NAME = "*"  # a name the layout does not carry: any name is right


# --- dialogues ---------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class Turn:
    by: str
    paras: tuple[str, ...]
    question: bool  # an interviewer turn a careful reader counts as a question


@dataclass(frozen=True)
class Dialogue:
    name: str
    language: str
    title: str
    intro: str | None
    intro_names: str | None  # the id of the speaker the intro names, if it names one
    people: tuple[Person, ...]
    turns: tuple[Turn, ...]

    def person(self, person_id: str) -> Person:
        return next(p for p in self.people if p.id == person_id)

    def asks(self, turn: Turn) -> bool:
        return self.person(turn.by).role == "interviewer"

    @property
    def two_person(self) -> bool:
        roles = sorted(p.role for p in self.people)
        return roles == ["interviewee", "interviewer"]

    @property
    def strict_qa(self) -> bool:
        """Two people, every interviewer turn one question, each followed by its answer."""
        asks = [self.asks(t) for t in self.turns]
        alternate = asks == [i % 2 == 0 for i in range(len(asks))]
        single = all(t.question and len(t.paras) == 1 for t in self.turns if self.asks(t))
        return self.two_person and alternate and single


def _load_dialogues() -> tuple[Dialogue, ...]:
    data = json.loads(DIALOGUES_PATH.read_text(encoding="utf-8"))
    return tuple(
        Dialogue(
            name=d["name"],
            language=d["language"],
            title=d["title"],
            intro=d.get("intro"),
            intro_names=d.get("intro_names"),
            people=tuple(Person(**p) for p in d["speakers"]),
            turns=tuple(
                Turn(t["by"], tuple(t["paras"]), bool(t.get("question", False))) for t in d["turns"]
            ),
        )
        for d in data["dialogues"]
    )


DIALOGUES = _load_dialogues()


# --- what must not matter ----------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How a file is written, apart from its layout; none of it changes what is said."""

    blank: str = "\n\n"  # between paragraphs: one blank line, two, or none
    french_space: str = " "  # before : ; ? ! and inside « » in French: space, NBSP or NNBSP
    curly: bool = False  # ’ “ ” instead of ' "
    gap: str = " "  # after a label: a space, or the NBSP of pages converted from HTML
    trailing: str = ""  # after every non-empty line ("  " is a Markdown hard break)
    blank_fill: str = ""  # what "blank" lines hold: nothing, or the spaces some exports leave
    wrap: int | None = None  # hard-wrapped at this width, as e-mailed and archived texts are
    eol: str = "\n"
    bom: bool = False


PLAIN = Style()
FRENCH_SPACED = re.compile(r" (?=[:;?!»])|(?<=«) ")


def _curly(text: str) -> str:
    text = text.replace("'", "\u2019")
    quotes = iter(["\u201c", "\u201d"] * text.count('"'))
    return re.sub('"', lambda _: next(quotes), text)


def _styled_text(text: str, language: str, style: Style) -> str:
    if style.curly:
        text = _curly(text)
    if language == "fr":
        text = FRENCH_SPACED.sub(style.french_space, text)
    return text


def styled(d: Dialogue, style: Style) -> Dialogue:
    """The dialogue with the style's quotes and French spaces in every text."""

    def fix(text: str) -> str:
        return _styled_text(text, d.language, style)

    turns = tuple(replace(t, paras=tuple(fix(p) for p in t.paras)) for t in d.turns)
    intro = fix(d.intro) if d.intro else None
    return replace(d, title=fix(d.title), intro=intro, turns=turns)


# --- layouts -----------------------------------------------------------------------

Render = Callable[[Dialogue, Style], list[str]]  # the dialogue as blocks (paragraphs)

# Per language: the question and answer markers, and the word of a numbered heading.
MARKERS = {"en": ("Q", "A"), "fr": ("Q", "R"), "de": ("F", "A"), "es": ("P", "R")}
QUESTION_WORD = {"en": "Question", "fr": "Question", "de": "Frage", "es": "Pregunta"}
TABLE_HEADER = {
    "en": ("Speaker", "Text"),
    "fr": ("Intervenant", "Propos"),
    "de": ("Person", "Text"),
    "es": ("Persona", "Texto"),
}


def colon(d: Dialogue, style: Style) -> str:
    """A label's colon: French typography puts a space before it."""
    return style.french_space + ":" if d.language == "fr" else ":"


def clock(index: int, hours: bool = True) -> str:
    seconds = 4 + 37 * index  # each turn a little later than the last
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02d}:{minute:02d}:{second:02d}" if hours else f"{minutes}:{second:02d}"


def initials(name: str) -> str:
    return "".join(word[0] for word in name.split()).upper()


def head(d: Dialogue, title: str) -> list[str]:
    """The title (as a Markdown heading or a plain first line) and the intro paragraph."""
    first = f"# {d.title}" if title == "md" else d.title
    return [first] + ([d.intro] if d.intro else [])


LabelFn = Callable[[Dialogue, Style, int], str]  # the label before turn i's first paragraph


def labelled(label: LabelFn, title: str = "md") -> Render:
    """Each turn's first paragraph after its label; later paragraphs unlabelled."""

    def render(d: Dialogue, style: Style) -> list[str]:
        blocks = head(d, title)
        for index, turn in enumerate(d.turns):
            first, *rest = turn.paras
            blocks.append(label(d, style, index) + first)
            blocks.extend(rest)
        return blocks

    return render


def by_name(template: str) -> LabelFn:
    """A label from the speaker's name: `template` has {name} {colon} {space} {gap} {time}."""

    def label(d: Dialogue, style: Style, index: int) -> str:
        name = d.person(d.turns[index].by).name
        filled = {"colon": colon(d, style), "space": style.french_space, "gap": style.gap}
        return template.format(name=name, time=clock(index), **filled)

    return label


def capitals(d: Dialogue, style: Style, index: int) -> str:
    return d.person(d.turns[index].by).name.upper() + colon(d, style) + style.gap


def initials_after_introduction(d: Dialogue, style: Style, index: int) -> str:
    """`Jane Doe (JD):` the first time someone speaks, then `JD:`."""
    person = d.person(d.turns[index].by)
    short = initials(person.name)
    spoken_before = any(t.by == person.id for t in d.turns[:index])
    shown = short if spoken_before else f"{person.name} ({short})"
    return shown + colon(d, style) + style.gap


def markers(template: str) -> LabelFn:
    """`Q:`/`A:`-style markers in the dialogue's language: `template` has {mark} {colon} {gap}."""

    def label(d: Dialogue, style: Style, index: int) -> str:
        question, answer = MARKERS[d.language]
        mark = question if d.asks(d.turns[index]) else answer
        return template.format(mark=mark, colon=colon(d, style), gap=style.gap)

    return label


def questions_marked(mark: Callable[[Dialogue, Style, int, str], str]) -> Render:
    """Interviewer paragraphs written by `mark(d, style, n, text)`, answers unlabelled."""

    def render(d: Dialogue, style: Style) -> list[str]:
        blocks = head(d, "md")
        asked = 0
        for turn in d.turns:
            if d.asks(turn):
                asked += 1
                blocks.extend(mark(d, style, asked, p) for p in turn.paras)
            else:
                blocks.extend(turn.paras)
        return blocks

    return render


def numbered_heading(d: Dialogue, style: Style, number: int, text: str) -> str:
    return f"## {QUESTION_WORD[d.language]} {number}{colon(d, style)} {text}"


def diarized(d: Dialogue, style: Style) -> list[str]:
    """A diarising app's export: `[Speaker N] [hh:mm:ss] text`, a line per paragraph."""
    order = list(dict.fromkeys(t.by for t in d.turns))
    lines, index = head(d, "plain"), 0
    for turn in d.turns:
        for para in turn.paras:
            lines.append(f"[Speaker {order.index(turn.by) + 1}] [{clock(index)}] {para}")
            index += 1
    return lines


def name_time_own_line(d: Dialogue, style: Style) -> list[str]:
    """A transcription app's export: `Name  0:04` alone on a line, the words below."""
    blocks = head(d, "plain")
    for index, turn in enumerate(d.turns):
        first, *rest = turn.paras
        name = d.person(turn.by).name
        blocks.append(f"{name}  {clock(index, hours=False)}\n{first}")
        blocks.extend(rest)
    return blocks


def markdown_table(d: Dialogue, style: Style) -> list[str]:
    """One table row per turn; a turn's paragraphs joined by <br> as editors export them."""
    who, said = TABLE_HEADER[d.language]
    rows = [f"| {who} | {said} |", "|---|---|"]
    rows += [f"| {d.person(t.by).name} | {'<br><br>'.join(t.paras)} |" for t in d.turns]
    return [*head(d, "md"), "\n".join(rows)]


def html_page(d: Dialogue, style: Style) -> list[str]:
    """An article page: <h1> title, intro paragraph, `<p><strong>Name:</strong> text</p>`."""
    body = [f"<h1>{html.escape(d.title)}</h1>"]
    body += [f"<p>{html.escape(d.intro)}</p>"] if d.intro else []
    for turn in d.turns:
        name = html.escape(d.person(turn.by).name)
        first, *rest = (html.escape(p, quote=False) for p in turn.paras)
        body.append(f"<p><strong>{name}{colon(d, style)}</strong>{style.gap}{first}</p>")
        body += [f"<p>{p}</p>" for p in rest]
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{d.language}">',
        f'<head><meta charset="utf-8"><title>{html.escape(d.title)}</title></head>',
        "<body><article>",
        *body,
        "</article></body></html>",
    ]
    return ["\n".join(page)]


def webvtt(d: Dialogue, style: Style) -> list[str]:
    """Captions: a cue per paragraph, the speaker in a `<v Name>` span."""
    cues, index = ["WEBVTT"], 0
    for turn in d.turns:
        name = d.person(turn.by).name
        for para in turn.paras:
            start, end = f"{clock(index)}.000", f"{clock(index + 1)}.000"
            cues.append(f"{start} --> {end}\n<v {name}>{html.escape(para, quote=False)}")
            index += 1
    return cues


def _everything(d: Dialogue) -> bool:
    return True


def _two_person(d: Dialogue) -> bool:
    return d.two_person


def _strict_qa(d: Dialogue) -> bool:
    return d.strict_qa


@dataclass(frozen=True)
class Layout:
    name: str
    suffix: str
    render: Render
    fits: Callable[[Dialogue], bool] = _everything  # which dialogues it can write
    names: bool = True  # False: labels lost; only the guest the intro names is checked
    title: bool = True  # carries the title
    intro: bool = True  # carries the intro paragraph
    blank_lines_needed: bool = False  # the format needs a blank line between blocks
    loses: str = field(default="", compare=False)  # what a reader cannot know from it


# The layouts, each as real transcripts write it. `fits` says which dialogues a layout
# can write at all; `names`, `title` and `intro` say what it carries; `loses` says why.
# Transcription-app exports: `[Speaker N] [hh:mm:ss]` (diarising tools), `Name  0:04`
# on its own line (Otter-style), WebVTT `<v Name>` (video platforms, Zoom, Teams).
LAYOUTS = (
    Layout("plain-labels", ".txt", labelled(by_name("{name}{colon}{gap}"), "plain")),
    Layout("bold-labels", ".md", labelled(by_name("**{name}{colon}**{gap}"))),
    Layout("bold-name-colon-outside", ".md", labelled(by_name("**{name}**{colon}{gap}"))),
    # French typography (`**Name** :`) even in English: pages pasted from a French CMS.
    Layout("bold-name-spaced-colon", ".md", labelled(by_name("**{name}**{space}:{gap}"))),
    Layout("italic-labels", ".md", labelled(by_name("_{name}{colon}_{gap}"))),
    Layout("italic-name-colon-outside", ".md", labelled(by_name("*{name}*{colon}{gap}"))),
    Layout("label-own-line", ".txt", labelled(by_name("{name}{colon}\n"), "plain")),
    Layout("bracket-timestamp", ".txt", labelled(by_name("[{time}] {name}{colon}{gap}"), "plain")),
    Layout("paren-timestamp", ".txt", labelled(by_name("{name} ({time}){colon}{gap}"), "plain")),
    Layout("dash-timestamp", ".md", labelled(by_name("{name} – {time}{colon}{gap}"))),
    Layout("initials-after-intro", ".txt", labelled(initials_after_introduction, "plain")),
    Layout("capitals", ".txt", labelled(capitals, "plain")),
    Layout(
        "qa-colon",
        ".txt",
        labelled(markers("{mark}{colon}{gap}"), "plain"),
        fits=_two_person,
        names=False,
        loses="names (the guest's comes from the intro)",
    ),
    Layout(
        "bold-qa",
        ".md",
        labelled(markers("**{mark}{colon}**{gap}")),
        fits=_two_person,
        names=False,
        loses="names (the guest's comes from the intro)",
    ),
    Layout(
        "qa-period",
        ".txt",
        labelled(markers("{mark}.{gap}"), "plain"),
        fits=_two_person,
        names=False,
        loses="names (the guest's comes from the intro)",
    ),
    Layout(
        "heading-questions",
        ".md",
        questions_marked(lambda d, s, n, text: f"### {text}"),
        fits=_strict_qa,
        names=False,
        loses="names; only a strict question-answer dialogue can be written this way",
    ),
    Layout(
        "bold-questions",
        ".md",
        questions_marked(lambda d, s, n, text: f"**{text}**"),
        fits=_two_person,
        names=False,
        loses="names; the interviewer's remarks are bold too, and are not questions",
    ),
    Layout(
        "numbered-question-headings",
        ".md",
        questions_marked(numbered_heading),
        fits=_strict_qa,
        names=False,
        loses="names; only a strict question-answer dialogue can be written this way",
    ),
    Layout(
        "diarized-speaker-numbers",
        ".txt",
        diarized,
        names=False,
        loses="names (Speaker 1, 2…): roles come from who asks, the guest's name from the intro",
    ),
    Layout("name-time-own-line", ".txt", name_time_own_line),
    Layout("markdown-table", ".md", markdown_table, blank_lines_needed=True),
    Layout("html-strong-labels", ".html", html_page),
    Layout(
        "webvtt-voice-spans",
        ".vtt",
        webvtt,
        title=False,
        intro=False,
        blank_lines_needed=True,
        loses="the title and the intro (captions carry only what is said)",
    ),
)


def hard_wrapped(text: str, width: int | None) -> str:
    """Lines broken at `width`, except the lines wrapping would change the meaning of:
    headings and table rows (one line each in Markdown) and caption timings."""
    if width is None:
        return text
    keep = ("#", "|")
    return "\n".join(
        line
        if line.startswith(keep) or "-->" in line
        else "\n".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))
        for line in text.split("\n")
    )


def write(d: Dialogue, layout: Layout, style: Style) -> bytes:
    """The file a producer would have: the layout's blocks in the style."""
    blank = "\n\n" if layout.blank_lines_needed and style.blank == "\n" else style.blank
    text = blank.join(layout.render(styled(d, style), style)) + "\n"
    lines = [
        line + style.trailing if line.strip() else style.blank_fill
        for line in hard_wrapped(text, style.wrap).split("\n")
    ]
    return (("\ufeff" if style.bom else "") + style.eol.join(lines)).encode("utf-8")


# --- what a reader understands -----------------------------------------------------


@dataclass(frozen=True)
class Reading:
    people: tuple[tuple[str, str], ...]  # (name casefolded, or ANY_NAME; role), sorted
    questions: int
    words: tuple[str, ...]  # every word spoken, in order
    title: str | None  # None: the layout carries no title


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.casefold())


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _shown(name: str, role: str, d: Dialogue, layout: Layout) -> str:
    """The name as compared: ANY_NAME where the layout does not let a reader know it.

    Without labels only the guest of a two-person dialogue can be named, from an intro
    that names them ("we spoke with ...").
    """
    guest = d.person(d.intro_names) if d.intro_names else None
    from_intro = layout.intro and d.two_person and guest is not None and role == guest.role
    return _squash(name).casefold() if layout.names or from_intro else ANY_NAME


def expected(d: Dialogue, layout: Layout, style: Style = PLAIN) -> Reading:
    d = styled(d, style)
    people = sorted((_shown(p.name, p.role, d, layout), p.role) for p in d.people)
    said = [d.intro] if d.intro and layout.intro else []
    said += [p for t in d.turns for p in t.paras]
    return Reading(
        people=tuple(people),
        questions=sum(t.question for t in d.turns),
        words=tuple(w for text in said for w in words(text)),
        title=_squash(d.title) if layout.title else None,
    )


def understood(episode: Episode, d: Dialogue, layout: Layout) -> Reading:
    people = sorted(
        (_shown(s.name, s.role, d, layout), s.role)
        for s in episode.speakers
        if s.role in SPEAKING_ROLES
    )
    return Reading(
        people=tuple(people),
        questions=sum(t.kind == "question" for t in episode.turns),
        words=tuple(w for t in episode.turns for w in words(t.text)),
        title=_squash(episode.meta.title) if layout.title else None,
    )


def read(d: Dialogue, layout: Layout, style: Style = PLAIN) -> Episode:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{d.name}{layout.suffix}"
        path.write_bytes(write(d, layout, style))
        episode, _ = read_episode(path)
    return episode


def _first_difference(want: tuple[str, ...], got: tuple[str, ...]) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
        min(len(want), len(got)),
    )
    return (
        f"words differ at word {at}: expected {' '.join(want[max(0, at - 4) : at + 6])!r}, "
        f"read {' '.join(got[max(0, at - 4) : at + 6])!r}"
    )


def explain(episode: Episode, want: Reading, got: Reading) -> str:
    lines = []
    if want.people != got.people:
        lines.append(f"people: expected {list(want.people)}, read {list(got.people)}")
    if want.questions != got.questions:
        lines.append(f"questions: expected {want.questions}, read {got.questions}")
    if want.words != got.words:
        lines.append(_first_difference(want.words, got.words))
    if want.title != got.title:
        lines.append(f"title: expected {want.title!r}, read {got.title!r}")
    for index, turn in enumerate(episode.turns):
        said = " ".join(turn.text.split()[:9])
        lines.append(f"  turn {index} {turn.kind:<8} {turn.speaker_id}: {said}")
    return "\n".join(lines)


# --- the tests ---------------------------------------------------------------------

CASES = [(d, layout) for layout in LAYOUTS for d in DIALOGUES if layout.fits(d)]
CASE_IDS = [f"{layout.name}:{d.name}" for d, layout in CASES]
BY_ID = dict(zip(CASE_IDS, CASES, strict=True))


def test_the_yardstick_is_wide_enough() -> None:
    assert len(DIALOGUES) >= 10
    assert len(LAYOUTS) >= 12
    for d in DIALOGUES:
        fitting = [layout.name for layout in LAYOUTS if layout.fits(d)]
        assert len(fitting) >= 12, f"{d.name} fits only {fitting}"
        assert all(p.id in {t.by for t in d.turns} for p in d.people), d.name


@pytest.mark.parametrize("d, layout", CASES, ids=[f"{layout.name}:{d.name}" for d, layout in CASES])
def test_every_layout_of_a_dialogue_reads_as_the_dialogue_says(d: Dialogue, layout: Layout) -> None:
    episode = read(d, layout)
    want, got = expected(d, layout), understood(episode, d, layout)
    assert got == want, f"{layout.name} of {d.name}:\n{explain(episode, want, got)}"


styles = st.builds(
    Style,
    blank=st.sampled_from(["\n\n", "\n\n\n", "\n"]),
    french_space=st.sampled_from([" ", "\u00a0", "\u202f"]),
    curly=st.booleans(),
    gap=st.sampled_from([" ", "\u00a0", "  "]),
    trailing=st.sampled_from(["", " ", "  ", "\t"]),
    blank_fill=st.sampled_from(["", "  "]),
    wrap=st.sampled_from([None, 72]),
    eol=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
)


@settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    # No shrinking: the failure message already names the case and whether the plain
    # layout fails too, and shrinking many failing cases would take minutes.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=st.sampled_from(CASE_IDS), style=styles)
def test_what_must_not_matter_does_not_change_the_reading(case: str, style: Style) -> None:
    d, layout = BY_ID[case]
    episode = read(d, layout, style)
    want, got = expected(d, layout, style), understood(episode, d, layout)
    if got != want:
        plain = understood(read(d, layout), d, layout) == expected(d, layout)
        cause = "only in this style" if plain else "written plainly too"
        pytest.fail(
            f"{layout.name} of {d.name} in {style} ({cause}):\n{explain(episode, want, got)}"
        )


if __name__ == "__main__":  # print one case: DIALOGUE LAYOUT
    dialogue = next(d for d in DIALOGUES if d.name == sys.argv[1])
    chosen = next(layout for layout in LAYOUTS if layout.name == sys.argv[2])
    sys.stdout.buffer.write(write(dialogue, chosen, PLAIN))
