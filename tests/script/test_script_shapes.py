"""parse_script on interview shapes other than the sample, one tiny fixture each."""

from __future__ import annotations

import json

import pytest
from locations import DATA_DIR, SAMPLE_SCRIPT

from qacast.errors import ScriptError
from qacast.models import Episode, Speaker
from qacast.script import episode_to_json, parse_script, read_script

DATA = DATA_DIR


def load(name: str) -> Episode:
    return parse_script(read_script(DATA / name), source_name=name)


def kinds(episode: Episode) -> list[tuple[str, str]]:
    return [(t.speaker_id, t.kind) for t in episode.turns]


def test_qa_magazine_matches_its_golden_json() -> None:
    episode = load("qa-magazine.txt")
    golden = json.loads((DATA / "qa-magazine.json").read_text(encoding="utf-8"))
    assert episode_to_json(episode) == golden


def test_qa_magazine() -> None:
    episode = load("qa-magazine.txt")
    assert episode.meta.title == "Five Questions About Remote Work"
    assert episode.speakers == (
        Speaker("Q", "Interviewer", "interviewer"),
        Speaker("A", "Guest", "interviewee"),
    )
    assert kinds(episode) == [
        ("Q", "question"),
        ("A", "answer"),
        ("Q", "remark"),  # "Thanks, that's helpful." asks nothing
        ("Q", "question"),
        ("A", "answer"),
    ]
    # "Main lesson:" continues the answer; "Share this" and the copyright go.
    assert episode.turns[1].paragraphs[1].text == "Main lesson: write things down."
    assert all("Share this" not in t.text and "©" not in t.text for t in episode.turns)
    # A remark is not a chapter.
    assert [c.start_turn for c in episode.chapters] == [0, 3]


def test_full_name_labels_and_a_question_over_two_paragraphs() -> None:
    episode = load("full-name-labels.txt")
    assert episode.speakers == (
        Speaker("Jane Doe", "Jane Doe", "interviewer"),
        Speaker("John Smith", "John Smith", "interviewee"),
    )
    first = episode.turns[0]
    assert first.kind == "question"
    assert [p.text for p in first.paragraphs] == [
        "You spent ten years designing bridges. I want to start there.",
        "What first drew you to engineering?",
    ]
    assert episode.chapters[0].title == "What first drew you to engineering?"
    assert kinds(episode)[1:] == [
        ("John Smith", "answer"),
        ("Jane Doe", "question"),
        ("John Smith", "answer"),
    ]


def test_surname_labels_resolve_to_full_names() -> None:
    episode = load("surname-labels.txt")
    assert episode.speakers == (
        Speaker("Ibaraki", "Stephen Ibaraki", "interviewer"),
        Speaker("Portillo", "Nestor J. Portillo", "interviewee"),
    )
    assert episode.turns[0].kind == "intro"
    assert episode.turns[0].speaker_id == "Ibaraki"  # "Yesterday I spoke with..."


def test_panel_with_one_moderator_and_two_guests() -> None:
    episode = load("panel-moderator-two-guests.txt")
    assert episode.meta.title == "The Future of Podcasts: a Panel"
    assert [(s.id, s.role) for s in episode.speakers] == [
        ("Ann Lee", "interviewer"),
        ("Raj Patel", "interviewee"),
        ("Maria Garcia", "interviewee"),
    ]
    assert [t.kind for t in episode.turns if t.speaker_id == "Ann Lee"] == ["question"] * 3
    assert {t.kind for t in episode.turns if t.speaker_id != "Ann Lee"} == {"answer"}
    assert [c.start_turn for c in episode.chapters] == [0, 3, 6]


def test_markdown_bold_labels_with_initials_and_third_person_intro() -> None:
    episode = load("markdown-bold-labels.txt")
    assert episode.meta.title == "Notes From the Kitchen"
    assert episode.speakers == (
        Speaker("JD", "Jane Doe", "interviewer"),
        Speaker("MK", "Marco Kovac", "interviewee"),
        Speaker("NARRATOR", "Narrator", "narrator"),
    )
    assert kinds(episode) == [
        ("NARRATOR", "intro"),
        ("JD", "question"),
        ("MK", "answer"),
        ("JD", "question"),
        ("MK", "answer"),
    ]
    assert not any(t.text.startswith("*") for t in episode.turns)
    assert episode.chapters[1].title == "What is your favourite ingredient?"


def test_third_person_intro_and_outro_get_a_narrator() -> None:
    episode = load("third-person-intro-narrator.txt")
    assert episode.meta.title == "Third Person Intro Narrator"  # from the file name
    assert [s.id for s in episode.speakers] == ["Jane Doe", "John Smith", "NARRATOR"]
    assert episode.speaker("NARRATOR").role == "narrator"
    assert kinds(episode)[0] == ("NARRATOR", "intro")
    assert kinds(episode)[-1] == ("NARRATOR", "outro")
    assert episode.turns[-2].text == "How many rivers have been buried under streets."
    assert [c.title for c in episode.chapters] == [
        "Intro",
        "Why rivers?",
        "What surprised you while writing?",
        "Outro",
    ]


def test_sentences_with_colons_are_not_labels() -> None:
    episode = load("colon-sentences-not-labels.txt")
    assert [s.id for s in episode.speakers] == ["Tom Reed", "Jane Park"]
    assert kinds(episode) == [
        ("Tom Reed", "intro"),  # "Today I put these questions to Jane:" is first person
        ("Tom Reed", "question"),
        ("Jane Park", "answer"),
        ("Tom Reed", "question"),
        ("Jane Park", "answer"),
    ]
    assert episode.turns[0].paragraphs[0].text == "Update: this interview was edited for length."
    assert [p.text.split(":")[0] for p in episode.turns[2].paragraphs] == [
        "Program vision",
        "Main goals this year",
        "Hiring",
        "Note",
    ]
    assert episode.turns[4].text.startswith("Update: we are planning")
    assert episode.turns[4].paragraphs[-1].text.startswith("Time: 10:30")


def test_no_narrator_when_unused() -> None:
    episode = load("full-name-labels.txt")
    assert all(s.id != "NARRATOR" for s in episode.speakers)


# --- inline shapes: short enough to read in the test ---------------------------


def parse(text: str) -> Episode:
    return parse_script(text, source_name="inline.txt")


def test_transcript_without_blank_lines() -> None:
    episode = parse("Q: One?\nA: Two.\nQ: Three?\nA: Four.\n")
    assert [t.text for t in episode.turns] == ["One?", "Two.", "Three?", "Four."]


def test_label_alone_on_its_line() -> None:
    episode = parse("Question:\nWhat now?\n\nAnswer:\nWe wait.\n")
    assert kinds(episode) == [("Question", "question"), ("Answer", "answer")]
    assert episode.turns[1].text == "We wait."


def test_numbered_question_labels_share_one_speaker() -> None:
    episode = parse("Q1: First?\n\nA1: Yes.\n\nQ2: Second?\n\nA2: No.\n")
    assert [s.id for s in episode.speakers] == ["Q", "A"]
    assert len(episode.turns) == 4


def test_interviewer_and_interviewee_labels() -> None:
    episode = parse("Interviewer: Ready?\n\nInterviewee: Always.\n")
    assert episode.speakers == (
        Speaker("Interviewer", "Interviewer", "interviewer"),
        Speaker("Interviewee", "Guest", "interviewee"),
    )


def test_label_with_space_before_colon_and_bold_after() -> None:
    episode = parse("SI : Why?\n\n**NJP**: Because.\n\nSI : Really?\n\n__NJP:__ Yes.\n")
    assert kinds(episode) == [
        ("SI", "question"),
        ("NJP", "answer"),
        ("SI", "question"),
        ("NJP", "answer"),
    ]


def test_magazine_q_dot_a_dot_style() -> None:
    episode = parse("Q. Why dots?\n\nA. Old habits.\n")
    assert kinds(episode) == [("Q", "question"), ("A", "answer")]


def test_a_lone_initial_with_a_dot_is_not_a_label() -> None:
    with pytest.raises(ScriptError):
        parse("A. Lincoln said many things.\n\nSome were true.\n")


def test_interviewer_found_by_questions_not_order() -> None:
    episode = parse(
        "Jo Ray: Thanks for having me.\n\nKim Ode: Glad you came. Why now?\n\n"
        "Jo Ray: The timing was right.\n\nKim Ode: What is next?\n\nJo Ray: Rest.\n"
    )
    assert episode.speaker("Kim Ode").role == "interviewer"
    assert kinds(episode)[0] == ("Jo Ray", "answer")


def test_single_use_initials_accepted_when_they_match_a_name() -> None:
    episode = parse(
        "Ada Lovelace spoke to Charles Babbage.\n\nAL: Will it compute?\n\nCB: It will.\n"
    )
    assert [(s.id, s.name) for s in episode.speakers[:2]] == [
        ("AL", "Ada Lovelace"),
        ("CB", "Charles Babbage"),
    ]


def test_single_use_capitalised_phrase_is_not_a_label() -> None:
    episode = parse(
        "Q: What is the plan?\n\nA: Simple.\n\nProgram Vision: Foster a community.\n\n"
        "Q: And then?\n\nA: Done.\n"
    )
    assert episode.turns[1].paragraphs[1].text == "Program Vision: Foster a community."
    assert [s.id for s in episode.speakers] == ["Q", "A"]


def test_recurring_heading_words_are_not_labels() -> None:
    episode = parse(
        "Q: Any news?\n\nA: Some.\n\nNote: first.\n\nNote: second.\n\nQ: More?\n\nA: No.\n"
    )
    assert [s.id for s in episode.speakers] == ["Q", "A"]
    assert len(episode.turns[1].paragraphs) == 3


def test_outro_not_split_off_a_plain_last_answer() -> None:
    episode = parse("Q: Last words?\n\nA: Keep going.\n\nI mean it, every day.\n")
    assert kinds(episode)[-1] == ("A", "answer")
    assert len(episode.turns[-1].paragraphs) == 2


def test_outro_after_a_list_answer_with_sign_off() -> None:
    episode = parse("Q: Tips?\n\nA: Three:\n\n- Sleep\n- Eat\n- Walk\n\nThanks,\nPat Quinn\n")
    assert kinds(episode) == [("Q", "question"), ("A", "answer"), ("Q", "outro")]
    assert [p.text for p in episode.turns[1].paragraphs] == ["Three:", "Sleep", "Eat", "Walk"]
    assert episode.turns[2].text == "Thanks, Pat Quinn"


def test_answer_naming_another_panelist_is_not_an_outro() -> None:
    episode = parse(
        "Mod Lin: Why?\n\nAva Stone: Because.\n\nBen Cole: I agree.\n\n"
        "Mod Lin: And?\n\nAva Stone: Fine.\n\nAs Ben Cole said, it works.\n"
    )
    assert episode.turns[-1].kind == "answer"
    assert len(episode.turns[-1].paragraphs) == 2


def test_list_bullet_styles() -> None:
    episode = parse(
        "Q: Styles?\n\nA: All of them:\n"
        "• dot\n* star\n- dash\n– en dash\n1) paren\n2. number\na) letter\n(3) bracketed\n"
    )
    items = [p.text for p in episode.turns[1].paragraphs if p.list_item]
    assert items == ["dot", "star", "dash", "en dash", "paren", "number", "letter", "bracketed"]


def test_wrapped_prose_and_wrapped_bullets_join() -> None:
    episode = parse("Q: Wrapped?\n\nA: This line\nwraps here.\n- an item\n  that wraps\n")
    assert [(p.text, p.list_item) for p in episode.turns[1].paragraphs] == [
        ("This line wraps here.", False),
        ("an item that wraps", True),
    ]


def test_prose_starting_with_a_dash_number_is_not_a_list() -> None:
    episode = parse("Q: Cold?\n\nA: Very.\n\n-5 degrees at night.\n\n2008 was colder.\n")
    assert not any(p.list_item for p in episode.turns[1].paragraphs)


def test_title_falls_back_to_file_name_words() -> None:
    episode = parse_script("Q: Hi?\n\nA: Hello.\n", source_name="jane-doe_interview.txt")
    assert episode.meta.title == "Jane Doe Interview"


def test_first_sentence_is_not_taken_for_a_title() -> None:
    episode = parse("This interview was recorded in May.\n\nQ: Hi?\n\nA: Hello.\n")
    assert episode.meta.title == "Inline"
    assert episode.turns[0].kind == "intro"


def test_byline_with_dash() -> None:
    episode = parse("Cloud Costs — by Dana Wu\n\nQ: Cheap?\n\nA: Rarely.\n")
    assert episode.meta.title == "Cloud Costs"
    assert episode.meta.byline == "by Dana Wu"


def test_title_without_byline_keeps_its_colon() -> None:
    episode = parse("Cloud: An Interview\n\nQ: Cheap?\n\nA: Rarely.\n")
    assert episode.meta.title == "Cloud: An Interview"
    assert episode.meta.byline == ""


def test_long_question_chapter_title_is_cut_at_a_word() -> None:
    question = "Q: " + "word " * 30 + "end?"
    episode = parse(question + "\n\nA: Yes.\n")
    title = episode.chapters[0].title
    assert len(title) <= 60
    assert title.endswith("word…")


def test_no_labels_error_says_what_labels_look_like() -> None:
    with pytest.raises(ScriptError) as info:
        parse_script("Just an essay.\n\nWith: colons here and there.\n", source_name="essay.txt")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("essay.txt: no speaker labels found")
    assert "'Q:'" in message and "'SI:'" in message and "'Jane Doe:'" in message


def test_one_speaker_only_is_an_error() -> None:
    with pytest.raises(ScriptError, match="only one speaker"):
        parse("Q: Anyone?\n\nQ: Hello?\n")


def test_timestamps_before_labels_are_dropped() -> None:
    episode = parse("[00:00:05] Host: Ready?\n[00:00:07] Guest: Yes.\n00:10 Host: Go?\n")
    assert [t.text for t in episode.turns] == ["Ready?", "Yes.", "Go?"]


def test_guest_thanking_for_this_interview_stays_in_the_answer() -> None:
    episode = parse("Q: Anything else?\n\nA: No.\n\nThanks for this interview, I enjoyed it.\n")
    assert [t.kind for t in episode.turns] == ["question", "answer"]


def test_one_line_per_paragraph_without_blank_lines() -> None:
    # Word's "save as text": no blank lines, each paragraph one long line.
    sample = SAMPLE_SCRIPT.read_text("utf-8")
    squeezed = parse(sample.replace("\n\n", "\n"))
    original = parse(sample)
    assert squeezed.meta == original.meta
    assert squeezed.speakers == original.speakers
    assert kinds(squeezed) == kinds(original)
    assert squeezed.turns[1:-1] == original.turns[1:-1]
    assert squeezed.turns[-1].text.startswith("Tomorrow Nestor will describe")


def test_title_directly_above_the_text() -> None:
    episode = parse("Plain Talk\nQ: Hi?\nA: Hello.\n")
    assert episode.meta.title == "Plain Talk"
