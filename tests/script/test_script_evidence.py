"""Reading a transcript the way a listener would: labels in any markup, roles and
questions from what people say, turns no label marks. One tiny invented text each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qacast.cli import main
from qacast.models import Episode
from qacast.script import parse_script
from qacast.script.read import read_episode


def parse(text: str) -> Episode:
    return parse_script(text, source_name="test.md")


def turns(episode: Episode) -> list[tuple[str, str]]:
    return [(t.speaker_id, t.kind) for t in episode.turns]


def roles(episode: Episode) -> dict[str, str]:
    return {s.name: s.role for s in episode.speakers if s.role != "narrator"}


def spoken(episode: Episode) -> str:
    return " ".join(t.text for t in episode.turns)


TWO_EXCHANGES = (
    "{a} How did the workshop begin?\n\n{b} In a garage, with two lathes.\n\n"
    "{a} What do you make now?\n\n{b} Mostly chairs, and the odd table.\n"
)


@pytest.mark.parametrize(
    ("asker", "answerer"),
    [
        ("**Q**.", "**A**."),  # the full stop outside the bold
        ("**Q.**", "**A.**"),
        ("**Ivo Sand** :", "**Lea Brun** :"),  # French spacing
        ("**Ivo Sand**\u00a0:", "**Lea Brun**\u202f:"),  # ... with no-break spaces
        ("_Ivo Sand:_", "_Lea Brun:_"),
        ("*Ivo Sand*:", "*Lea Brun*:"),
        ("**Ivo Sand** —", "**Lea Brun** —"),
        ("**Ivo Sand**", "**Lea Brun**"),  # no separator at all
    ],
)
def test_a_label_in_bold_or_italics_is_a_label_however_it_is_punctuated(
    asker: str, answerer: str
) -> None:
    episode = parse(TWO_EXCHANGES.format(a=asker, b=answerer))
    assert [kind for _, kind in turns(episode)] == ["question", "answer", "question", "answer"]
    assert spoken(episode).startswith("How did the workshop begin?")
    for mark in ("*", "_", ":", " —", "Ivo", "Sand"):
        assert not any(t.text.startswith(mark) for t in episode.turns)


def test_a_name_heading_used_once_is_a_section_title_not_a_speaker() -> None:
    episode = parse(
        "Ana Lutz: Why pottery?\n\nBo Mayer: Because clay forgives.\n\n"
        "## Bo Mayer\n\nBo Mayer sells his bowls at the Saturday market.\n\n"
        "Ana Lutz: And glazes?\n\nBo Mayer: I mix my own.\n"
    )
    assert [s.id for s in episode.speakers] == ["Ana Lutz", "Bo Mayer"]
    assert "Bo Mayer:" not in spoken(episode)


def test_name_headings_that_recur_are_labels() -> None:
    episode = parse(
        "### Ana Lutz\n\nWhy pottery?\n\n### Bo Mayer\n\nBecause clay forgives.\n\n"
        "### Ana Lutz\n\nAnd glazes?\n\n### Bo Mayer\n\nI mix my own.\n"
    )
    assert turns(episode) == [
        ("Ana Lutz", "question"),
        ("Bo Mayer", "answer"),
        ("Ana Lutz", "question"),
        ("Bo Mayer", "answer"),
    ]


def test_a_show_note_link_line_is_never_spoken() -> None:
    episode = parse(
        "HS: What do you build?\n\nLT: Kites.\n\nShop page: https://example.org/kites\n\n"
        "HS: Why kites?\n\nLT: The wind is free.\n"
    )
    assert "example.org" not in spoken(episode)
    assert "Shop page" not in spoken(episode)


def test_an_interviewees_rhetorical_questions_do_not_make_them_the_interviewer() -> None:
    episode = parse(
        "MS. ROE: Thank you for coming. Why does the clinic matter to you?\n\n"
        "DR. VALE: Why? Because it is the only one for sixty miles. People drive two hours, "
        "right? They wait all day. And what do they get? Ten minutes with a tired nurse. "
        "We can do better, and this building is how.\n\n"
        "MS. ROE: What happens next?\n\n"
        "DR. VALE: Next? We hire. Four nurses by spring, a doctor by summer, and the evening "
        "hours people keep asking for, right?\n"
    )
    assert roles(episode) == {"Ms. Roe": "interviewer", "Dr. Vale": "interviewee"}


def test_a_question_to_a_co_host_by_name_small_talk_and_a_name_are_not_questions() -> None:
    episode = parse(
        "Ada Moss: Welcome back. Who found our guest this week, Ben?\n\n"
        "Ben Ruiz: I did. Hi, Carla Diaz. How are you?\n\n"
        "Carla Diaz: Very well, thanks.\n\n"
        "Ben Ruiz: What does a bridge inspector look for first?\n\n"
        "Carla Diaz: Rust where water sits. Then cracks near the bearings, and anything that "
        "moved since the last visit.\n\n"
        "Ada Moss: Carla Diaz?\n\n"
        "Carla Diaz: Sorry, yes. And the drains, always the drains.\n\n"
        "Ada Moss: How often do you climb under one?\n\n"
        "Carla Diaz: Twice a week in summer, less in winter when the ice makes it risky.\n"
    )
    assert roles(episode) == {
        "Ada Moss": "interviewer",
        "Ben Ruiz": "interviewer",
        "Carla Diaz": "interviewee",
    }
    questions = [t.text for t in episode.turns if t.kind == "question"]
    assert questions == [
        "What does a bridge inspector look for first?",
        "How often do you climb under one?",
    ]


def test_a_title_and_a_name_is_a_label_even_once() -> None:
    episode = parse(
        "CHAIR: Welcome. Mr. Ode, your statement?\n\nODE: Thank you. I will be brief.\n\n"
        "Senator Park: Mr. Ode, what would the bill cost?\n\n"
        "ODE: About four million a year, mostly for inspectors.\n"
    )
    assert "Senator Park" in [s.id for s in episode.speakers]
    assert roles(episode)["Senator Park"] == "interviewer"


def test_a_long_turn_that_ends_with_a_request_is_a_question() -> None:
    episode = parse(
        "Host: Thank you for coming in. You said last week that the ferry should stay "
        "public. Other towns sold theirs and say it worked. Considering that, help me "
        "understand your position.\n\n"
        "Guest: Happily. A private ferry runs when it pays, and ours must run when it does "
        "not, in February, for six people and a doctor.\n"
    )
    assert turns(episode)[0] == ("Host", "question")


def test_an_unlabelled_question_between_two_answers_is_the_other_speakers() -> None:
    episode = parse(
        "HOST: Welcome, Dr. Iyer. What got you into volcanoes?\n\n"
        "IYER: A school trip to a lava field when I was nine.\n\n"
        "Was that in Iceland, or somewhere you could drive to?\n\n"
        "IYER: Iceland, near the coast. It smelled of sulphur for days.\n\n"
        "HOST: And what do you study now?\n\nIYER: How magma moves before an eruption.\n"
    )
    assert turns(episode) == [
        ("HOST", "question"),
        ("IYER", "answer"),
        ("HOST", "question"),
        ("IYER", "answer"),
        ("HOST", "question"),
        ("IYER", "answer"),
    ]
    assert any("unlabelled question" in note for note in episode.notes)


def test_an_exchange_before_the_first_label_is_read_as_one() -> None:
    episode = parse(
        "# Committee on Transport, afternoon session\n\n"
        "Thank you for your statement, it was clear. You told us the trains are safe. "
        "Would you comment on the delays people write to us about?\n\n"
        "Certainly. I think most delays come from the signals, which are older than I am.\n\n"
        "Senator Holt: Thank you. What would new signals cost?\n\n"
        "DR: About two billion over ten years.\n\n"
        "Senator Holt: Who pays?\n\nDR: The state, mostly.\n"
    )
    first, second = episode.turns[:2]
    assert (first.kind, second.speaker_id, second.kind) == ("question", "DR", "answer")
    assert episode.speaker(first.speaker_id).role == "interviewer"
    assert sum(kind == "question" for _, kind in turns(episode)) == 3


def test_a_hook_question_in_an_intro_stays_the_intro() -> None:
    episode = parse(
        "Have you ever wondered who paints the lines on the road? Sam Cole has done it "
        "for thirty years.\n\nHe spoke to us between shifts.\n\n"
        "Q: How did you start?\n\nA: My uncle needed a driver.\n"
    )
    assert episode.turns[0].kind == "intro"
    assert turns(episode)[1:] == [("Q", "question"), ("A", "answer")]


def test_a_title_word_label_does_not_take_another_labels_name() -> None:
    episode = parse(
        "Senator Black: Thank you. What does the bill change?\n\n"
        "AA: Reporting, mostly.\n\nSenator: And who checks the reports?\n\n"
        "AA: An auditor, once a year.\n\nSenator: Thank you. What about small firms?\n\n"
        "AA: They are exempt.\n"
    )
    names = [s.name for s in episode.speakers]
    assert len(names) == len(set(names))


def test_an_answer_marker_is_not_a_person() -> None:
    episode = parse(
        "**Why did you become a librarian?**\n\n*Réplica:* Books were home to me.\n\n"
        "**What will change?**\n\n*Réplica:* Longer opening hours.\n"
    )
    assert roles(episode) == {"Interviewer": "interviewer", "Guest": "interviewee"}
    assert "Réplica" not in spoken(episode)


def test_a_question_and_its_answer_on_one_line_are_two_turns() -> None:
    episode = parse(
        "Q: When do you start work? A: At three, every day but Sunday.\n"
        "Q: What sells best? A: Rye bread.\n"
    )
    assert turns(episode) == [("Q", "question"), ("A", "answer")] * 2
    assert "A:" not in spoken(episode)


def test_a_colon_inside_an_answer_does_not_split_it() -> None:
    episode = parse("Q: Any advice? A: Yes. Remember this: bread waits for no one.\n")
    assert [t.text for t in episode.turns] == [
        "Any advice?",
        "Yes. Remember this: bread waits for no one.",
    ]


def test_a_picture_caption_between_a_question_and_its_answer_is_not_spoken() -> None:
    episode = parse(
        "**What was the oldest piano you restored?**\n\n![An upright](piano.jpg)\n"
        "*An 1880 upright in the workshop.*\n\nOne from 1880, with a cracked soundboard.\n\n"
        "![Hammers](hammers.jpg)\n\nFelted hammers waiting for a grand\n\n"
        "**How long does it take?**\n\nThree months.\n"
    )
    assert [t.kind for t in episode.turns] == ["question", "answer", "question", "answer"]
    assert "workshop" not in spoken(episode)
    assert "Felted" not in spoken(episode)


def test_a_table_of_speakers_is_dialogue_and_any_other_table_is_furniture() -> None:
    episode = parse(
        "| Guest | Topic |\n| --- | --- |\n| Omar Said | Beekeeping |\n\nA talk about bees.\n\n"
        "| Speaker | Time | Words |\n| --- | --- | --- |\n"
        "| Host | 00:01 | How many hives do you keep? |\n"
        "| Omar Said | 00:04 | About forty. |\n"
        "| Host | 00:09 | What threatens them? |\n| Omar Said | 00:12 | Mites. |\n"
    )
    assert turns(episode)[1:] == [("Host", "question"), ("Omar Said", "answer")] * 2
    assert "|" not in spoken(episode)
    assert "Beekeeping" not in spoken(episode)
    assert "00:0" not in spoken(episode)


def test_a_narrated_stage_direction_inside_a_turn_is_not_spoken_but_a_sound_mark_is_kept() -> None:
    episode = parse(
        "MR. ODE: Did you sign the letter?\n\n"
        "MS. LEE: [The witness confers with counsel.] I do not recall. [laughs]\n"
    )
    assert episode.turns[1].text == "I do not recall. [laughs]"


# --- doubts, and the front-matter line that settles each ---------------------


def _doubts(text: str) -> list[tuple[str, str]]:
    return [(d.what, d.fix) for d in parse(text).doubts]


FOLLOW_UP = (
    "HOST: Welcome, Dr. Iyer. What got you into volcanoes?\n\n"
    "IYER: A school trip to a lava field when I was nine.\n\n"
    "Was that in Iceland, or somewhere you could drive to?\n\n"
    "IYER: Iceland, near the coast.\n"
)


def _read(tmp_path: Path, text: str) -> Episode:
    script = tmp_path / "episode.md"
    script.write_text(text, encoding="utf-8")
    return read_episode(script)[0]


def test_an_inferred_turn_is_a_doubt_whose_fix_gives_the_other_reading(tmp_path: Path) -> None:
    ((what, fix),) = _doubts(FOLLOW_UP)
    assert "read as 'HOST'" in what
    assert fix == 'said_by: {"Was that in Iceland, or somewhere": IYER}'
    # Applied, the fix gives the paragraph back to Iyer, and leaves no doubt.
    episode = _read(tmp_path, f"---\n{fix}\n---\n{FOLLOW_UP}")
    assert [t.speaker_id for t in episode.turns] == ["HOST", "IYER", "IYER", "IYER"]
    assert episode.doubts == ()


EXCHANGE_FIRST = (
    "Thank you for your statement. Would you comment on the delays people report?\n\n"
    "Certainly. Most delays come from the signals.\n\n"
    "Senator Holt: What would new signals cost?\n\nDR: About two billion.\n\n"
    "Senator Holt: Who pays?\n\nDR: The state.\n"
)


def test_an_exchange_read_before_the_labels_can_be_put_back_in_the_intro(tmp_path: Path) -> None:
    ((what, fix),) = _doubts(EXCHANGE_FIRST)
    assert "before the first label" in what
    assert fix == 'said_by: {"Thank you for your statement. Would": intro}'
    episode = _read(tmp_path, f"---\n{fix}\n---\n{EXCHANGE_FIRST}")
    assert episode.turns[0].kind == "intro"
    assert sum(t.kind == "question" for t in episode.turns) == 2


CLOSE_CALL = (
    "Kim Ode: I run the ferry. Do you take it?\n\n"
    "Jo Ray: Every day. Is it ever late?\n\n"
    "Kim Ode: In fog. What do you do on board?\n\n"
    "Jo Ray: I read. Why do you ask?\n"
)


def test_roles_on_close_evidence_are_a_doubt_settled_by_the_cast(tmp_path: Path) -> None:
    episode = parse(CLOSE_CALL)
    ((what, fix),) = [(d.what, d.fix) for d in episode.doubts]
    interviewer = next(s for s in episode.speakers if s.role == "interviewer")
    assert f"{interviewer.name} taken for the interviewer" in what
    settled = _read(tmp_path, f"---\n{fix}\n---\n{CLOSE_CALL}")
    assert settled.speaker(interviewer.id).role == "interviewee"
    assert settled.doubts == ()
    assert [t.kind for t in settled.turns if t.speaker_id == interviewer.id] == ["answer"] * 2


def test_a_label_used_once_on_indirect_evidence_is_a_doubt(tmp_path: Path) -> None:
    text = (
        "Mia Holt: What changed in the valley?\n\nTom Bell: The river moved.\n\n"
        "Mia Holt: When?\n\nTom Bell: In the spring floods.\n\n"
        "Main Road: It was closed for a month, the whole of April.\n\n"
        "Mia Holt: And now?\n\nTom Bell: Open again.\n"
    )
    doubts = _doubts(text)
    assert ("not_labels: [Main Road]" in [fix for _, fix in doubts]) or all(
        "Main Road" not in what for what, _ in doubts
    )
    episode = _read(tmp_path, "---\nnot_labels: [Main Road]\n---\n" + text)
    assert "Main Road" not in [s.id for s in episode.speakers]


def test_front_matter_skip_and_labels_settle_furniture_and_a_lone_label(tmp_path: Path) -> None:
    text = (
        "Q: Why bees?\n\nA: They calm me.\n\nJoin our club for members-only episodes.\n\n"
        "Q: How many hives?\n\nA: Forty.\n\nRosa Lind: Forty-one, counting mine.\n"
    )
    lone = [fix for _, fix in _doubts(text)]
    assert "labels: [Rosa Lind]" in lone
    front = '---\nskip: ["Join our club"]\nlabels: [Rosa Lind]\n---\n'
    episode = _read(tmp_path, front + text)
    assert "Join our club" not in spoken(episode)
    assert "Rosa Lind" in [s.id for s in episode.speakers]


def test_parse_shows_each_doubt_with_its_fix(tmp_path: Path) -> None:
    script = tmp_path / "follow-up.txt"
    script.write_text(FOLLOW_UP, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(script)])
    assert result.exit_code == 0, result.output
    assert "doubt: line 5: an unlabelled question" in result.output
    assert 'if that is wrong, add to the front matter: said_by: {"Was that in Iceland' in (
        result.output
    )
    data = CliRunner().invoke(main, ["parse", "--json", str(script)]).output
    assert json.loads(data)["doubts"][0]["fix"].startswith("said_by:")
