"""Layouts of published interviews, each in a few lines: labels, unlabelled questions,
roles from evidence, furniture dropped by named rules, and the notes that say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from qacast.errors import ScriptError
from qacast.models import Episode
from qacast.script import parse_script


def parse(text: str) -> Episode:
    return parse_script(text, source_name="inline.md")


def people(episode: Episode) -> list[tuple[str, str]]:
    return [(s.name, s.role) for s in episode.speakers]


def kinds(episode: Episode) -> list[str]:
    return [t.kind for t in episode.turns]


def spoken(episode: Episode) -> str:
    return "\n".join(t.text for t in episode.turns)


# --- labels -------------------------------------------------------------------


def test_honorifics_in_capitals_become_names_and_q_is_the_press() -> None:
    episode = parse(
        "MS. OKAFOR: Good afternoon. I will take questions.\n\n"
        "Q Will the bridge reopen?\n\nMS. OKAFOR: On Monday.\n\n"
        "Q And the ferry?\n\nMS. OKAFOR: Tuesday.\n"
    )
    assert people(episode) == [("Ms. Okafor", "interviewee"), ("Reporter", "interviewer")]
    assert kinds(episode).count("question") == 2
    assert any("honorific in capitals" in note for note in episode.notes)


def test_the_governor_and_a_moderator() -> None:
    episode = parse(
        "MODERATOR: Welcome. The governor will open.\n\nTHE GOVERNOR: Thank you all.\n\n"
        "MODERATOR: Why now?\n\nTHE GOVERNOR: Because the storm is coming.\n"
    )
    assert people(episode) == [("Moderator", "interviewer"), ("The Governor", "interviewee")]


def test_bold_label_forms_and_a_label_alone_on_its_line() -> None:
    episode = parse(
        "**Jane Doe:** What drew you in?\n\n**John Smith**:\n\nThe bridges.\n\n"
        "**Jane Doe:** And now?\n\n**John Smith:** Tunnels.\n"
    )
    assert [(t.speaker_id, t.text) for t in episode.turns] == [
        ("Jane Doe", "What drew you in?"),
        ("John Smith", "The bridges."),
        ("Jane Doe", "And now?"),
        ("John Smith", "Tunnels."),
    ]


@pytest.mark.parametrize(
    "first, second",
    [
        ("Jane Doe – 00:02:02: Why?", "John Smith – 00:02:05: Because."),
        ("[00:01:02] Jane Doe: Why?", "[00:01:05] John Smith: Because."),
        ("Jane Doe (00:03:10):\nWhy?", "John Smith (00:03:12):\nBecause."),
        ("Jane Doe  0:42\nWhy?", "John Smith  0:45\nBecause."),
    ],
)
def test_labels_with_timestamps(first: str, second: str) -> None:
    episode = parse(f"{first}\n\n{second}\n\n{first}\n\n{second}\n")
    assert [t.text for t in episode.turns] == ["Why?", "Because."] * 2
    assert "00:" not in spoken(episode)


def test_initials_introduced_by_a_name_then_used_without_a_colon() -> None:
    episode = parse(
        "Jane Doe (JD): Thanks for coming.\n\nMark Kay (MK): Glad to.\n\n"
        "JD Right. What do you bake?\n\nMK Bread, mostly.\n\nJD Why bread?\n\nMK It is honest.\n"
    )
    assert people(episode) == [("Jane Doe", "interviewer"), ("Mark Kay", "interviewee")]
    assert "JD " not in spoken(episode) and "MK " not in spoken(episode)


def test_q_without_a_colon_when_most_lines_use_it() -> None:
    episode = parse("Q What now?\n\nA We wait.\n\nQ How long?\n\nA A week.\n")
    assert [t.text for t in episode.turns] == ["What now?", "We wait.", "How long?", "A week."]


def test_a_one_exchange_interview() -> None:
    episode = parse("Orla Finn: Should cities ban leaf blowers?\n\nBen Aram: Yes, slowly.\n")
    assert people(episode) == [("Orla Finn", "interviewer"), ("Ben Aram", "interviewee")]
    assert kinds(episode) == ["question", "answer"]


def test_one_label_for_many_reporters_stays_one_speaker() -> None:
    episode = parse(
        "SEN. WU: Opening remarks.\n\nQ: First?\n\nSEN. WU: One.\n\nQ: Second?\n\n"
        "SEN. WU: Two.\n\nQ: Third?\n\nSEN. WU: Three.\n"
    )
    assert [s.id for s in episode.speakers] == ["SEN. WU", "Q"]


def test_short_and_full_forms_of_one_label_are_one_speaker() -> None:
    episode = parse(
        "SEN. MARGARET CALLOWAY (D-ME): We will come to order. Dr. Lee.\n\n"
        "DR. LEE: Thank you.\n\nSEN. CALLOWAY: How loud is it?\n\nDR. LEE: Very.\n"
    )
    assert people(episode) == [
        ("Sen. Margaret Calloway", "interviewer"),
        ("Dr. Lee", "interviewee"),
    ]


def test_a_label_with_no_text_is_skipped() -> None:
    episode = parse("Q: Why?\n\nA:\n\nQ: Really?\n\nA: Yes.\n")
    assert [(t.speaker_id, t.text) for t in episode.turns] == [
        ("Q", "Why?"),
        ("Q", "Really?"),
        ("A", "Yes."),
    ]


# --- unlabelled layouts ----------------------------------------------------------


def test_questions_as_headings_over_unlabelled_answers() -> None:
    episode = parse(
        "# Ten Minutes with a Keeper\n\nWe spoke with Dr. Amara Lindqvist.\n\n"
        "### What was school like?\n\nMy mother was the school.\n\n"
        "### Tell me about the storm.\n\nIt took the landing stage.\n"
    )
    assert episode.meta.title == "Ten Minutes with a Keeper"
    assert people(episode)[:2] == [
        ("Interviewer", "interviewer"),
        ("Amara Lindqvist", "interviewee"),
    ]
    assert kinds(episode) == ["intro", "question", "answer", "question", "answer"]


def test_questions_in_bold_and_in_italics() -> None:
    for mark in ("**", "*"):
        episode = parse(
            f"{mark}How did the hive get up here?{mark}\n\nIn a lift.\n\n"
            f"{mark}Is it safe?{mark}\n\nWe asked first.\n"
        )
        assert kinds(episode) == ["question", "answer", "question", "answer"]
        assert "*" not in spoken(episode)


def test_q_questions_over_unlabelled_answers_name_the_guest_from_the_intro() -> None:
    episode = parse(
        "For our spring issue we spoke with Dr. Amara Lindqvist, a mycologist.\n\n"
        "Q: What drew you to fungi?\n\nA failed experiment.\n\nQ: What next?\n\nMore digging.\n"
    )
    assert people(episode)[:2] == [
        ("Interviewer", "interviewer"),
        ("Amara Lindqvist", "interviewee"),
    ]
    assert [t.text for t in episode.turns[1:]] == [
        "What drew you to fungi?",
        "A failed experiment.",
        "What next?",
        "More digging.",
    ]


def test_an_interview_inside_a_longer_article_skips_the_other_sections() -> None:
    episode = parse(
        "# Weekly Notes\n\n## Town news\n\nThe bridge reopened.\n\n"
        "## Five questions\n\nWe asked a baker.\n\nQ: Why bread?\n\nA: It is honest.\n\n"
        "## Events\n\nMarket on Sunday.\n"
    )
    text = spoken(episode)
    assert "bridge reopened" not in text and "Market on Sunday" not in text
    assert "We asked a baker." in text
    assert any("has no dialogue" in note for note in episode.notes)


# --- roles -------------------------------------------------------------------------


def test_roles_come_from_who_asks_not_from_who_speaks_first() -> None:
    episode = parse(
        "Nora Quist: (Reading) The ferry leaves at seven.\n\nAnsel Byrne: Welcome. Why English?\n\n"
        "Nora Quist: To be a beginner.\n\nAnsel Byrne: Was it hard?\n\nNora Quist: Very.\n"
    )
    assert people(episode) == [("Nora Quist", "interviewee"), ("Ansel Byrne", "interviewer")]


def test_a_question_without_a_question_mark_opens_an_exchange() -> None:
    episode = parse(
        "KA: Tell me about your work.\n\nLV: I tune pianos.\n\nKA: Thanks, Lorna.\n\nLV: Cheers.\n"
    )
    assert kinds(episode) == ["question", "answer", "remark", "answer"]


def test_a_panel_with_two_hosts_and_two_guests() -> None:
    episode = parse(
        "Ann Lee: Welcome. Raj, why rivers?\n\nRaj Patel: They move.\n\n"
        "Tom Kay: Maria, do you agree?\n\nMaria Gil: Partly.\n\n"
        "Ann Lee: What would you change?\n\nRaj Patel: The dams.\n\n"
        "Tom Kay: And you, Maria?\n\nMaria Gil: The farms.\n"
    )
    roles = dict(people(episode))
    assert roles == {
        "Ann Lee": "interviewer",
        "Tom Kay": "interviewer",
        "Raj Patel": "interviewee",
        "Maria Gil": "interviewee",
    }


# --- furniture and notes ---------------------------------------------------------------


def test_page_furniture_is_dropped_and_each_line_noted() -> None:
    episode = parse(
        "# A Talk\n\nBy Jane Doe | June 2, 2024 | 8 min read\n\n"
        "Share this: Twitter Facebook Email\n\n![a photo](p.jpg)\n\n"
        "Jane Doe: Why? \\[04:03\\]\n\nJohn Smith: Because. [laughter]\n\n"
        "Jane Doe: Sure?\n\nJohn Smith: Yes.\n\nRead more: Other talks\n\n"
        "[1]: https://example.org\n"
    )
    text = spoken(episode)
    for gone in ("Share this", "8 min read", "04:03", "Read more", "example.org", "photo"):
        assert gone not in text
    assert "[laughter]" in text  # captions keep sound marks; speech skips them
    notes = "\n".join(episode.notes)
    for rule in ("byline", "share line", "image", "read-more line", "link reference definition"):
        assert rule in notes


def test_translation_project_headers_and_cjk_credits_are_dropped() -> None:
    episode = parse(
        "[#]: collector: (someone)\n[#]: translator: ( )\n\nTitle\n=====\n\n"
        "**AB:** Why docs first?\n\n**CD:** It forces clarity.\n\n"
        "**AB:** Slow?\n\n**CD:** No.\n\nvia: https://example.org/a\n\n"
        "作者：Someone 选题：Other 译者：X 校对：Y\n\n本文由 LCTT 原创编译，Linux中国 荣誉推出\n"
    )
    text = spoken(episode)
    for gone in ("collector", "via:", "作者", "本文由"):
        assert gone not in text


def test_emphasis_spanning_sentences_leaves_no_marks() -> None:
    episode = parse("Q: *Why? Really?*\n\nA: _Because. It was. Yes._\n")
    assert "*" not in spoken(episode) and "_" not in spoken(episode)


def test_plain_text_traps_stay_prose() -> None:
    episode = parse(
        "Q: When?\n\nA: In spring.\n\n1993. That year it snowed.\n\n#hashtag lines stay.\n\n"
        "    An indented paragraph stays too.\n"
    )
    texts = [p.text for p in episode.turns[1].paragraphs]
    assert texts[1:] == [
        "1993. That year it snowed.",
        "#hashtag lines stay.",
        "An indented paragraph stays too.",
    ]


def test_title_is_never_a_url_or_a_date() -> None:
    episode = parse(
        "https://example.org/interview\n\nTidal Power, One Turbine\n\nQ: Why?\n\nA: Tides.\n"
    )
    assert episode.meta.title == "Tidal Power, One Turbine"


def test_a_file_that_cannot_be_understood_says_what_was_found() -> None:
    with pytest.raises(ScriptError) as info:
        parse("Just an essay.\n\nWith: colons here and there.\n")
    message = str(info.value)
    assert "\n" not in message and "found 2 paragraphs" in message


def test_a_standfirst_opening_on_the_guest_names_them() -> None:
    episode = parse(
        "Rosalind Achterberg drove the night bus for forty years.\n\n"
        "I met Achterberg at the depot.\n\n"
        "### What was the first night like?\n\nTerrifying.\n\n### Who rides it?\n\nBakers.\n"
    )
    assert ("Rosalind Achterberg", "interviewee") in people(episode)


def test_an_author_names_a_role_word_interviewer() -> None:
    from qacast.script.parse import name_interviewer

    episode = name_interviewer(parse("Q: Why?\n\nA: Because.\n"), "Linnea Saar")
    assert people(episode) == [("Linnea Saar", "interviewer"), ("Guest", "interviewee")]
    named = parse("Jane Doe: Why?\n\nJohn Smith: Because.\n")
    assert name_interviewer(named, "Linnea Saar") == named


def test_subheads_and_pull_quotes_between_turns_are_not_read() -> None:
    episode = parse(
        "Jane Doe: Why bridges?\n\nJohn Smith: Because a bridge is a promise to strangers.\n\n"
        "**On leaving home**\n\n> A bridge is a promise to strangers.\n\n"
        "Jane Doe: And tunnels?\n\nJohn Smith: Those are secrets.\n"
    )
    assert [t.text for t in episode.turns][1] == "Because a bridge is a promise to strangers."
    notes = "\n".join(episode.notes)
    assert "section heading in bold" in notes and "pull quote" in notes


@pytest.mark.parametrize(
    "script",
    [
        "Jane Doe — Why bridges?\n\nJohn Smith — Promises.\n\n"
        "Jane Doe — And?\n\nJohn Smith — Done.\n",
        "Q1. Why bridges?\n\nA1. Promises.\n\nQ2. And?\n\nA2. Done.\n",
    ],
)
def test_dash_labels_and_numbered_dot_labels(script: str) -> None:
    assert [t.text for t in parse(script).turns] == ["Why bridges?", "Promises.", "And?", "Done."]


def test_a_role_word_with_a_name_beside_it() -> None:
    episode = parse(
        "Interviewer (Jane Doe): Why bridges?\n\nRespondent (John Smith): Promises.\n\n"
        "Interviewer: And?\n\nRespondent: Done.\n"
    )
    assert people(episode) == [("Jane Doe", "interviewer"), ("John Smith", "interviewee")]
    assert [t.speaker_id for t in episode.turns] == ["Interviewer", "Respondent"] * 2


def test_parse_verbose_prints_every_decision(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qacast.cli import main

    script = tmp_path / "talk.md"
    script.write_text(
        "# A Talk\n\nShare this: Twitter Facebook Email\n\nMS. OKAFOR: Welcome.\n\n"
        "Q: Why?\n\nMS. OKAFOR: Because.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["parse", "-v", str(script)])
    assert result.exit_code == 0, result.output
    assert "note: line 3 dropped 'Share this: Twitter Facebook Email': share line" in result.output
    assert "label 'MS. OKAFOR' -> speaker Ms. Okafor" in result.output
    assert "rule: honorific in capitals" in result.output


def test_radio_transcript_with_a_numbered_unnamed_voice_and_host_narration() -> None:
    episode = parse(
        "STEVE INSKEEP, HOST:\n\nA town lost its clinic last year.\n\n"
        "(SOUNDBITE OF ARCHIVED BROADCAST)\n\n"
        "UNIDENTIFIED PERSON #1: The clinic will close on Friday.\n\n"
        "INSKEEP: Dr. Quill, why drive?\n\nMARA QUILL: Because nobody else would.\n\n"
        "INSKEEP: How many patients do you see?\n\nQUILL: About forty a day.\n"
    )
    assert people(episode) == [
        ("Steve Inskeep", "interviewer"),
        ("Unidentified Person #1", "interviewee"),
        ("Mara Quill", "interviewee"),
    ]
    assert kinds(episode) == ["remark", "answer", "question", "answer", "question", "answer"]
    assert "SOUNDBITE" not in spoken(episode)


def test_unlabelled_questions_over_labelled_answers() -> None:
    episode = parse("**How did it start?**\n\nA: With a loom.\n\n**And then?**\n\nA: Cards.\n")
    assert [(t.speaker_id, t.kind, t.text) for t in episode.turns] == [
        ("Interviewer", "question", "How did it start?"),
        ("A", "answer", "With a loom."),
        ("Interviewer", "question", "And then?"),
        ("A", "answer", "Cards."),
    ]


def test_an_interview_between_rules_in_a_newsletter() -> None:
    episode = parse(
        "Council news: the bridge reopened.\n\n---\n\nWe asked a baker about bread.\n\n"
        "Q: Why bread?\n\nA: It is honest.\n\n---\n\nMarket on Sunday.\n"
    )
    text = spoken(episode)
    assert "bridge" not in text and "Market" not in text
    assert text.startswith("We asked a baker about bread.")


def test_an_intro_set_off_by_a_rule_is_kept() -> None:
    episode = parse(
        "Jane Doe has built bridges for thirty years.\n\n* * *\n\n"
        "Ann Lee: Why bridges?\n\nJane Doe: They last.\n"
    )
    assert spoken(episode).startswith("Jane Doe has built bridges")


def test_a_name_inside_the_standfirst_not_the_words_that_open_it() -> None:
    episode = parse(
        "Every Saturday morning Graham Okoro opens a cupboard and lends out seeds. "
        "I asked him how it works.\n\n### Why seeds?\n\nThey travel.\n\n### Why lend?\n\nTrust.\n"
    )
    assert ("Graham Okoro", "interviewee") in people(episode)


def test_bold_names_without_a_colon_are_labels() -> None:
    episode = parse(
        "**Jane Doe** What is it?\n\n**John Smith** A clock.\n\n"
        "**Jane Doe** Why?\n\n**John Smith** Time.\n\n**Never** wind it backwards.\n"
    )
    assert [(t.speaker_id, t.text) for t in episode.turns] == [
        ("Jane Doe", "What is it?"),
        ("John Smith", "A clock."),
        ("Jane Doe", "Why?"),
        ("John Smith", "Time.\nNever wind it backwards."),
    ]


def test_names_as_headings_over_their_words() -> None:
    episode = parse(
        "# Two Makers\n\n### Jane Doe\n\nWhat do you make?\n\n### John Smith\n\nClocks.\n\n"
        "### Jane Doe\n\nWhy clocks?\n\n### John Smith\n\nThey keep time.\n"
    )
    assert [(t.speaker_id, t.kind) for t in episode.turns] == [
        ("Jane Doe", "question"),
        ("John Smith", "answer"),
        ("Jane Doe", "question"),
        ("John Smith", "answer"),
    ]
