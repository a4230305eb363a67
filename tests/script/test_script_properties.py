"""Properties of the parser over generated scripts (hypothesis).

* On any text at all, it returns an Episode or raises ScriptError, nothing else.
* On Markdown-ish transcripts built from the layouts we meet (labels, headings,
  bold, lists, blank lines, timestamps, page furniture), every content word
  appears in a turn, in order, unless its line is listed in the episode's
  notes as dropped (or as the title): nothing vanishes without a reason.

Content words come from a made-up vocabulary in lower case, so none of them
can be a label, a role word or a furniture phrase by accident.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qacast.errors import ScriptError
from qacast.models import Episode
from qacast.script import parse_script

WORDS = ("zorb", "plim", "quax", "trevo", "mundi", "fasel", "blick", "wugga", "snerk", "drabo")
LABELS = ("Q", "A", "Jane Doe", "John Smith", "JD", "MS. OKAFOR", "Host", "Guest")
# Names that a generated script may use once: a label the parser may reject,
# whose words must then stay in some turn.
RARE_LABELS = ("Voice Actor", "Mark Grossman", "Priya Raman")
FURNITURE = (
    "Share this: Twitter Facebook Email",
    "By Jane Doe | June 2, 2024 | 8 min read",
    "[00:12:31]",
    "Comments (0)",
    "Read more: the next story",
    "© 2024 Example Weekly. All rights reserved.",
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

content = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
ending = st.sampled_from(["", ".", "?", "!"])
sentence = st.builds(lambda words, end: words + end, content, ending)


def _line_kinds() -> st.SearchStrategy[str]:
    label = st.sampled_from(LABELS)
    rare = st.sampled_from(LABELS + RARE_LABELS)
    labelled = st.one_of(
        st.builds(lambda lab, s: f"{lab}: {s}", label, sentence),
        st.builds(lambda lab, s: f"**{lab}:** {s}", label, sentence),
        st.builds(lambda lab, s: f"[00:01:02] {lab}: {s}", label, sentence),
        st.builds(lambda lab: f"{lab}:", label),
        # Labels alone on a line with a timestamp, the words in the next paragraph.
        st.builds(lambda lab, s: f"**00:32** - _{lab}_\n\n{s}", rare, sentence),
        st.builds(lambda lab, s: f"{lab}  0:02\n{s}", rare, sentence),
        st.builds(lambda lab, s: f"{lab} (00:00:03):\n{s}", rare, sentence),
    )
    # Half the lines carry a label, so most generated scripts are interviews.
    return st.one_of(
        labelled,
        labelled,
        sentence,
        st.builds(lambda s: f"## {s}", sentence),
        st.builds(lambda s: f"**{s}**", sentence),
        st.builds(lambda s: f"- {s}", sentence),
        st.builds(lambda s: f"1. {s}", sentence),
        st.builds(lambda s: f"    {s}", sentence),
        st.builds(lambda s: f"*{s}*", sentence),
        st.sampled_from(FURNITURE),
        st.just("---"),
        st.just(""),
    )


markdownish = st.lists(_line_kinds(), min_size=3, max_size=30).map("\n".join)


def _parse(text: str) -> Episode | None:
    try:
        return parse_script(text, source_name="generated.md")
    except ScriptError:
        return None


@SETTINGS
@given(st.text(max_size=2000))
def test_any_unicode_parses_or_fails_with_a_script_error(text: str) -> None:
    _parse(text)


@SETTINGS
@given(markdownish)
def test_any_markdownish_script_parses_or_fails_with_a_script_error(text: str) -> None:
    _parse(text)


NOTED_LINES = re.compile(r"^lines? (\d+)(?:-(\d+))? (?:dropped|skipped)|^title from line (\d+)")


def _noted(episode: Episode) -> set[int]:
    lines: set[int] = set()
    for note in episode.notes:
        match = NOTED_LINES.match(note)
        if match:
            first = int(match[1] or match[3])
            lines.update(range(first, int(match[2] or first) + 1))
    return lines


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text) if w in WORDS]


@SETTINGS
@given(markdownish)
def test_every_content_word_is_in_a_turn_in_order_or_its_line_is_noted(text: str) -> None:
    episode = _parse(text)
    if episode is None:
        return
    noted = _noted(episode)
    expected = [
        word
        for number, line in enumerate(text.split("\n"), start=1)
        if number not in noted
        for word in _words(line)
    ]
    said = iter(_words(" ".join(turn.text for turn in episode.turns)))
    missing = [word for word in expected if word not in said]  # consumes: a subsequence test
    assert not missing, (missing, episode.notes)


@SETTINGS
@given(markdownish)
def test_furniture_is_never_in_a_turn_and_its_line_is_noted(text: str) -> None:
    episode = _parse(text)
    if episode is None:
        return
    noted = _noted(episode)
    for number, line in enumerate(text.split("\n"), start=1):
        if line in FURNITURE:
            assert number in noted, (number, line, episode.notes)
            assert all(line not in turn.text for turn in episode.turns)
