"""`qacast render` on edge-case scripts (no question mark, only remarks, emoji-only answers,
one exchange, no punctuation): each renders, exits 0, no traceback.

Real renders of tiny scripts, read back with mutagen (which did not write the
audio). The 200k-character paragraph is checked where its cost lies (cutting
it into utterances: bounded pieces, every word kept); rendering all of it
would take minutes of speech, so the render uses a shorter unpunctuated run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.mp3 import MP3

from qacast.cli import main
from qacast.script import parse_script, utterances
from qacast.script.speech.sentences import LONG_SENTENCE_CHARS

SCRIPTS: dict[str, str] = {
    # An interviewer turn without "?" that opens the exchange: a question.
    "no-question-mark": "Q: Tell me about your work.\n\nA: I build bridges.\n",
    # Only remarks and answers: no intro, no question, no outro chapter.
    "remarks-only": "Q: Hi there.\n\nA: Hello.\n\nQ: Right.\n\nA: Yes indeed.\n",
    # An answer with nothing to say, and one that is only a sound mark.
    "emoji-only": (
        "Q: How do you feel?\n\nA: 😀😀🎉\n\nQ: And now?\n\nA: [laughs]\n\nQ: Well?\n\nA: Fine.\n"
    ),
    # A one-exchange interview: each label used once.
    "one-exchange": "Jane Doe: Should cities ban leaf blowers?\n\nJohn Smith: Yes, slowly.\n",
    # A long run of words with no punctuation at all.
    "no-punctuation": "Q: Ready?\n\nA: " + " ".join(["word"] * 400) + "\n",
}


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_render_exits_cleanly(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QACAST_CACHE_DIR", str(tmp_path / "cache"))
    script = tmp_path / f"{name}.txt"
    script.write_text(SCRIPTS[name], encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(script), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    audio = MP3(out / f"{name}.mp3")
    assert audio.info.length > 0.5


def test_a_200k_character_paragraph_is_cut_into_bounded_utterances() -> None:
    words = ["word"] * 40_000
    episode = parse_script("Q: Ready?\n\nA: " + " ".join(words) + "\n", source_name="long.txt")
    said = [u for u in utterances(episode) if u.turn_index == 1]
    assert all(len(u.text) <= LONG_SENTENCE_CHARS for u in said)
    assert sum(len(u.text.split()) for u in said) == len(words)


def test_chapters_whose_turns_said_nothing_are_left_out() -> None:
    from qacast.audio.assemble import _chapters
    from qacast.models import ChapterMark, Episode, EpisodeMeta, Paragraph, Speaker, Turn, TurnSpan

    turns = (
        Turn("Q", "question", (Paragraph("😀"),)),
        Turn("A", "answer", (Paragraph("Fine."),)),
        Turn("Q", "question", (Paragraph("Why?"),)),
    )
    speakers = (Speaker("Q", "Interviewer", "interviewer"), Speaker("A", "Guest", "interviewee"))
    spans = (TurnSpan(1, "A", "answer", 500, 1500), TurnSpan(2, "Q", "question", 2000, 3000))
    meta = EpisodeMeta("t")
    nothing = Episode(meta, speakers, turns, (ChapterMark("Q1", 0),))
    assert [(c.title, c.start_ms, c.end_ms) for c in _chapters(nothing, spans[:1], 4000)] == [
        ("t", 0, 4000)
    ]
    both = Episode(meta, speakers, turns, (ChapterMark("Q1", 0), ChapterMark("Why?", 2)))
    assert [(c.title, c.start_ms, c.end_ms) for c in _chapters(both, spans, 4000)] == [
        ("Why?", 0, 4000)
    ]


def test_a_script_with_nothing_to_say_fails_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QACAST_CACHE_DIR", str(tmp_path / "cache"))
    script = tmp_path / "silent.txt"
    script.write_text("Q: 😀\n\nA: 🎉\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(script), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "error" in result.output
