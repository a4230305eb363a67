"""Conventions real transcripts use that a listener reads past without thinking: pull
quotes, handles, panels, questions to the room, editors' marks, timed segments,
HTML inside Markdown, question headings over labelled answers. One tiny invented
text each."""

from __future__ import annotations

from pathlib import Path

from qacast.models import Episode
from qacast.script import parse_script
from qacast.script.read import read_episode


def parse(text: str, source_name: str = "test.md") -> Episode:
    return parse_script(text, source_name=source_name)


def turns(episode: Episode) -> list[tuple[str, str]]:
    return [(t.speaker_id, t.kind) for t in episode.turns]


def kinds(episode: Episode) -> list[str]:
    return [t.kind for t in episode.turns]


def roles(episode: Episode) -> dict[str, str]:
    return {s.name: s.role for s in episode.speakers if s.role != "narrator"}


def spoken(episode: Episode) -> str:
    return " ".join(t.text for t in episode.turns)


def test_a_pull_quote_that_rewords_a_line_of_an_answer_is_not_spoken() -> None:
    episode = parse(
        "**Q: Where did the first loom come from?**\n\n"
        "A: We discovered it in a barn near the river, covered in straw and pigeon "
        "feathers, and it took a winter to make it weave again.\n\n"
        "> We found the loom in a barn near the river, covered in straw and feathers.\n\n"
        "**Q: Does it still weave?**\n\nA: Every morning, a little slower than we do.\n"
    )
    assert kinds(episode) == ["question", "answer", "question", "answer"]
    assert "We found the loom" not in spoken(episode)


def test_a_set_apart_paragraph_that_says_something_new_is_spoken() -> None:
    episode = parse(
        "**Q: Where did the first loom come from?**\n\n"
        "A: From a barn near the river.\n\n"
        "> Weaving teaches patience, and patience teaches everything else worth knowing.\n\n"
        "**Q: Does it still weave?**\n\nA: Every morning.\n"
    )
    assert "patience teaches" in spoken(episode)


def test_lower_case_handles_that_recur_are_labels() -> None:
    episode = parse(
        "host: Welcome back. What got you into lockpicking?\n\n"
        "tumbler9: A locked diary, honestly.\n\n"
        "host: Which lock is hardest?\n\n"
        "tumbler9: Anything with security pins.\n\n"
        "host: Any advice for beginners?\n\n"
        "tumbler9: Buy a clear practice lock.\n"
    )
    assert [who for who, _ in turns(episode)] == ["host", "tumbler9"] * 3
    assert roles(episode)["tumbler9"] == "interviewee"
    assert "tumbler9" not in spoken(episode)
    assert not spoken(episode).startswith("host")


def test_a_lower_case_word_and_colon_once_in_prose_is_not_a_label() -> None:
    episode = parse(
        "Q: What did the note say?\n\n"
        "A: It said one thing.\n\nnote: this was before the flood. We kept it anyway.\n\n"
        "Q: And now?\n\nA: It hangs by the door.\n"
    )
    assert [who for who, _ in turns(episode)] == ["Q", "A", "Q", "A"]
    assert "before the flood" in spoken(episode)


def test_a_question_to_the_room_is_not_a_question_to_the_guest() -> None:
    episode = parse(
        "Maya: Who here has ever kept bees? A show of hands? Quite a few. "
        "Anyway, the hive I brought tonight is forty years old.\n\n"
        "Tom: How did you get it?\n\nMaya: From my grandmother.\n\n"
        "Tom: Does it still hold a colony?\n\nMaya: Two, in fact.\n"
    )
    assert roles(episode) == {"Tom": "interviewer", "Maya": "interviewee"}


def test_a_panellist_called_by_the_host_who_introduces_themselves_stays_a_guest() -> None:
    episode = parse(
        "Host: Welcome to the panel. Rina, tell us who you are.\n\n"
        "Rina: Hi, I'm Rina Holt, and I build canal boats. Dev, do you use oak too?\n\n"
        "Dev: Mostly larch, it bends better.\n\n"
        "Host: Dev, how long does a hull take?\n\n"
        "Dev: About six months.\n\n"
        "Host: Rina, what about yours?\n\n"
        "Rina: Closer to a year.\n"
    )
    by_id = {s.id: s.role for s in episode.speakers}
    assert by_id == {"Host": "interviewer", "Rina": "interviewee", "Dev": "interviewee"}


def test_a_label_alone_on_its_line_opens_a_turn_where_others_carry_a_time() -> None:
    episode = parse(
        "Ali 0:05\nWhere do you forage?\n\nBea 0:09\nIn the beech woods north of town.\n\n"
        "Ali\nWhat do you find there?\n\nBea 0:20\nChanterelles, mostly.\n\n"
        "Ali 0:25\nWhere do you sell them?\n\nBea 0:29\nAt the market.\n"
    )
    assert turns(episode) == [("Ali", "question"), ("Bea", "answer")] * 3
    assert "Ali" not in spoken(episode)


def test_every_line_labelled_names_a_speaker_heard_once() -> None:
    episode = parse(
        "Host: Welcome. What brings you here?\n"
        "Ines: The old mill. I grew up next to it.\n"
        "Host: What happened to it?\n"
        "Ines: It burned down in the nineties.\n"
        "Caller: Was anyone hurt?\n"
        "Ines: No, thankfully.\n"
        "Host: Will it be rebuilt?\n"
        "Ines: We hope so.\n"
    )
    assert "Caller" in {s.name for s in episode.speakers}
    assert "Caller:" not in spoken(episode)


def test_a_label_on_every_timed_segment_is_one_voice_not_many_turns_apart() -> None:
    episode = parse(
        "Host [00:00:01]: What is a tide pool?\n\n"
        "Lena [00:00:04]: A hollow in the rocks the sea fills twice a day.\n\n"
        "Lena [00:00:09]: Crabs, anemones and small fish live there.\n\n"
        "Lena [00:00:14]: Each one is its own world.\n\n"
        "Host [00:00:19]: When is it best to look?\n\n"
        "Lena [00:00:22]: At low tide, early.\n\n"
        "Lena [00:00:25]: Before the gulls.\n\n"
        "Lena [00:00:28]: Bring boots.\n"
    )
    assert roles(episode) == {"Host": "interviewer", "Lena": "interviewee"}
    assert kinds(episode).count("question") == 2
    assert "00:00" not in spoken(episode)


def test_elapsed_times_and_editors_pointers_are_not_spoken() -> None:
    episode = parse(
        "Q: When did the choir start? ((12min 40sec))\n\n"
        "A: In 1998 [see http://example.org/history] with six voices.\n\n"
        "Q: How many now? (2m 10s)\n\nA: Forty <laughs> on a good night.\n"
    )
    text = spoken(episode)
    assert "min" not in text and "sec" not in text and "2m" not in text
    assert "example.org" not in text
    assert "with six voices" in text
    assert "<" not in text


def test_html_paragraphs_inside_markdown_keep_their_bold_questions(tmp_path: Path) -> None:
    script = tmp_path / "clocks.md"
    script.write_text(
        "# Talking clocks\n\n"
        "<p><strong>What was the first clock you fixed?</strong></p>\n\n"
        "<p>My grandfather's, when I was nine.</p>\n\n"
        "<p><strong>Do you still have it?</strong></p>\n\n"
        "<p>It ticks in my kitchen.</p>\n\n"
        "<p><strong>What is the hardest repair?</strong></p>\n\n"
        "<p>Anything with a fusee chain.</p>\n",
        encoding="utf-8",
    )
    episode = read_episode(script)[0]
    assert kinds(episode) == ["question", "answer"] * 3
    assert "<p>" not in spoken(episode) and "strong" not in spoken(episode)


def test_numbered_question_headings_over_one_guests_labelled_answers() -> None:
    episode = parse(
        "## 1. Why glass?\n\n**Emma** - Because light does things in it nothing else allows.\n\n"
        "## 2. What is the hardest colour?\n\n**Emma** - Red. It burns away if you rush.\n"
    )
    assert [t.text for t in episode.turns if t.kind == "question"] == [
        "Why glass?",
        "What is the hardest colour?",
    ]


def test_a_heading_that_asks_over_labelled_answers_is_the_interviewers_question() -> None:
    episode = parse(
        "Emma Lund blows glass in a barn by the sea.\n\n"
        "## 1. Why glass?\n\n**Emma** - Because light does things in it nothing else allows.\n\n"
        "## 2. What is the hardest colour?\n\n**Emma** - Red. It burns away if you rush.\n\n"
        "## 3. Where do you sell? ¶\n\n**Emma** - At two markets and online.\n"
    )
    assert kinds(episode) == ["intro"] + ["question", "answer"] * 3
    assert roles(episode)["Emma Lund"] == "interviewee"
    assert "1." not in spoken(episode) and "¶" not in spoken(episode)
    assert episode.turns[1].text == "Why glass?"


def test_questions_set_apart_outweigh_labels_on_only_the_first_exchange() -> None:
    episode = parse(
        "**Host: What first drew you to maps?**\n\n**Jane:** My father's road atlas.\n\n"
        "**Which map do you love most?**\n\nA 1720 chart of the Channel.\n\n"
        "**Why that one?**\n\nIt is wrong in beautiful ways.\n\n"
        "**Do you draw maps yourself?**\n\nOnly of imaginary islands.\n"
    )
    assert kinds(episode) == ["question", "answer"] * 4
    assert roles(episode) == {"Host": "interviewer", "Jane": "interviewee"}
    assert "Host:" not in spoken(episode) and "Jane:" not in spoken(episode)


def test_caption_cues_saved_as_text_with_voice_spans_are_labelled_turns() -> None:
    episode = parse(
        "00:00:01.000 --> 00:00:03.000\n<v Nadia>What do you grow?\n\n"
        "00:00:03.500 --> 00:00:06.000\n<v Olu>Tomatoes, and too many courgettes.\n\n"
        "00:00:06.500 --> 00:00:08.000\n<v Nadia>Why so many?\n\n"
        "00:00:08.500 --> 00:00:10.000\n<v Olu>Every seed came up.\n",
        source_name="cues.txt",
    )
    assert turns(episode) == [("Nadia", "question"), ("Olu", "answer")] * 2
    assert "<v" not in spoken(episode) and "00:00" not in spoken(episode)


def test_an_unanswered_closing_passage_after_the_last_answer_is_the_outro() -> None:
    episode = parse(
        "Q: What is next for the bakery?\n\nA: A second oven, and Sunday opening.\n\n"
        "Q: Thanks for talking to us. The bakery is on Mill Street and opens at seven "
        "every morning except Monday; the sourdough sells out by nine, so go early, and "
        "tell them we sent you. Next month we visit a cheesemaker in the hills.\n"
    )
    assert kinds(episode)[:2] == ["question", "answer"]
    assert kinds(episode).count("question") == 1


def test_question_headings_over_a_panels_labelled_answers_are_the_interviewers() -> None:
    episode = parse(
        "Two glassblowers talk shop.\n\n## 1. Why glass?\n\n"
        "**Emma** - Because light does things in it nothing else allows.\n\n"
        "**Raj** - For me it was the heat.\n\n## 2. What is the hardest colour?\n\n"
        "**Emma** - Red. It burns away if you rush.\n\n**Raj** - Gold ruby, for the same reason.\n"
    )
    assert (
        turns(episode)[1:]
        == [
            ("Interviewer", "question"),
            ("Emma", "answer"),
            ("Raj", "answer"),
        ]
        * 2
    )
    assert roles(episode) == {
        "Interviewer": "interviewer",
        "Emma": "interviewee",
        "Raj": "interviewee",
    }
    assert episode.turns[1].text == "Why glass?"
