"""The sample interview (scripts/mvp-interview.txt): every expectation the product relies on."""

from __future__ import annotations

import pytest
from locations import SAMPLE_SCRIPT as SAMPLE

from qacast.models import Episode, Paragraph, Speaker
from qacast.script import episode_to_json, parse_script, read_script, utterances


@pytest.fixture(scope="module")
def episode() -> Episode:
    return parse_script(read_script(SAMPLE), source_name=SAMPLE.name)


def test_title_and_byline(episode: Episode) -> None:
    assert episode.meta.title == "Microsoft Most Valuable Professional Program (MVP) History, Goals"
    assert episode.meta.byline == (
        "from Nestor J. Portillo, Regional Manager, Americas Region MVP Worldwide, Microsoft Corp."
    )


def test_exactly_two_speakers_resolved_from_initials(episode: Episode) -> None:
    assert episode.speakers == (
        Speaker("SI", "Stephen Ibaraki", "interviewer"),
        Speaker("NJP", "Nestor J. Portillo", "interviewee"),
    )


def test_turn_sequence(episode: Episode) -> None:
    assert [(t.speaker_id, t.kind) for t in episode.turns] == [
        ("SI", "intro"),
        ("SI", "question"),
        ("NJP", "answer"),
        ("SI", "question"),
        ("NJP", "answer"),
        ("SI", "question"),
        ("NJP", "answer"),
        ("SI", "outro"),
    ]


def test_three_questions_each_followed_by_its_answer(episode: Episode) -> None:
    turns = episode.turns
    questions = [i for i, t in enumerate(turns) if t.kind == "question"]
    assert len(questions) == 3
    for i in questions:
        assert turns[i].speaker_id == "SI"
        assert turns[i + 1].kind == "answer"
        assert turns[i + 1].speaker_id == "NJP"
    assert turns[questions[0]].text.startswith("Describe how the MVP program has evolved")
    assert turns[questions[2]].text == "What do you hope to accomplish in the next few years?"


def test_labels_are_removed_from_turn_text(episode: Episode) -> None:
    for turn in episode.turns:
        assert not turn.text.startswith(("SI:", "NJP:"))


def test_colon_sentences_stay_inside_the_answer(episode: Episode) -> None:
    second_answer = episode.turns[4]
    texts = [p.text for p in second_answer.paragraphs]
    assert texts[0].startswith("Program vision: Foster a vibrant community")
    assert texts[1].startswith("Program mission: At the MVP Program")
    assert texts[2] == "Main goals this year:"


def test_numbered_items_in_second_answer(episode: Episode) -> None:
    items = [p for p in episode.turns[4].paragraphs if p.list_item]
    assert len(items) == 3
    assert items[0].text.startswith("Continue to deliver a quality of experience")
    assert items[2].text == (
        "Provide open and honest dialog globally by listening, sharing and responding."
    )
    assert not any(p.text[:1].isdigit() for p in items)


def test_five_bullets_in_last_answer_without_the_symbol(episode: Episode) -> None:
    last_answer = episode.turns[6]
    assert last_answer.paragraphs[0] == Paragraph(
        "There are several goals but to summarize the most important:"
    )
    items = [p for p in last_answer.paragraphs if p.list_item]
    assert len(items) == 5
    assert len(last_answer.paragraphs) == 6
    assert [p.text.split()[0] for p in items] == [
        "Continue",
        "Continue",
        "Channel",
        "Continue",
        "Empower",
    ]
    assert not any("Ø" in p.text for p in last_answer.paragraphs)
    assert items[-1].text.endswith("community level ecosystem.")


def test_intro_is_read_by_the_interviewer(episode: Episode) -> None:
    intro = episode.turns[0]
    assert intro.speaker_id == "SI"
    assert intro.paragraphs[0].text.startswith("This is the continuing series")
    assert intro.paragraphs[-1].text == "Today I put these questions to Nestor:"


def test_outro_starts_after_the_last_bullet_and_keeps_the_signature(episode: Episode) -> None:
    outro = episode.turns[-1]
    assert outro.kind == "outro"
    assert outro.speaker_id == "SI"
    assert outro.paragraphs[0].text.startswith("Tomorrow Nestor will describe")
    assert outro.paragraphs[1].text.startswith("I also encourage you")
    assert outro.paragraphs[-1].text == "Thank you, Stephen Ibaraki, FCIPS, I.S.P."
    assert "Tomorrow" not in episode.turns[-2].text


def test_page_furniture_is_dropped(episode: Episode) -> None:
    for turn in episode.turns:
        assert "Comments (0)" not in turn.text
        assert "Skip to main content" not in turn.text


def test_no_narrator_in_the_sample(episode: Episode) -> None:
    assert all(t.speaker_id in ("SI", "NJP") for t in episode.turns)


def test_chapters(episode: Episode) -> None:
    assert [(c.title, c.start_turn) for c in episode.chapters] == [
        ("Intro", 0),
        ("Describe how the MVP program has evolved since its…", 1),
        ("Can you describe your vision, mission, and specific goals…", 3),
        ("What do you hope to accomplish in the next few years?", 5),
        ("Outro", 7),
    ]
    assert all(len(c.title) <= 60 for c in episode.chapters)


def test_json_shape(episode: Episode) -> None:
    data = episode_to_json(episode)
    assert list(data) == ["title", "speakers", "turns", "chapters"]
    assert data["title"] == episode.meta.title
    assert data["speakers"] == [
        {"id": "SI", "name": "Stephen Ibaraki", "role": "interviewer"},
        {"id": "NJP", "name": "Nestor J. Portillo", "role": "interviewee"},
    ]
    turns = data["turns"]
    assert isinstance(turns, list)
    assert len(turns) == 8
    for turn in turns:
        assert list(turn) == ["speaker", "role", "kind", "text", "speech"]
        assert all(isinstance(value, str) for value in turn.values())
    assert turns[1] == {
        "speaker": "SI",
        "role": "interviewer",
        "kind": "question",
        "text": episode.turns[1].text,
        "speech": "Describe how the M-V-P program has evolved since its inception and which "
        "external influences triggered the program changes?",
    }
    chapters = data["chapters"]
    assert isinstance(chapters, list)
    assert chapters[0] == {"title": "Intro", "start_turn": 0}
    for chapter in chapters:
        assert list(chapter) == ["title", "start_turn"]


def test_utterances_of_the_sample(episode: Episode) -> None:
    said = utterances(episode)
    assert all(u.speech.strip() for u in said)
    assert all("Ø" not in u.speech and "Ø" not in u.text for u in said)
    # Every list item is exactly one utterance.
    for turn_index, turn in enumerate(episode.turns):
        for paragraph_index, paragraph in enumerate(turn.paragraphs):
            mine = [
                u
                for u in said
                if (u.turn_index, u.paragraph_index) == (turn_index, paragraph_index)
            ]
            assert [u.sentence_index for u in mine] == list(range(len(mine)))
            if paragraph.list_item:
                assert len(mine) == 1
    speeches = [u.speech for u in said]
    assert "Thank you, Stephen Ibaraki, F-C-I-P-S, I.S.P." in speeches  # spelled, not "ef-sips"
    assert any(s.endswith("Microsoft Office Systems, et cetera.") for s in speeches)
    assert any("“" not in u.speech and '"experts"' in u.speech for u in said)
