"""Caption files and transcription-app exports read as turns: the format readers alone.

The corpus (test_transcript_corpus.py) parses whole exports; these tests pin
what each reader does to the text on its way to the parser: cues joined,
repeats of rolling captions dropped, timestamps and markup left out, who
speaks read from voice spans and marks, turns inferred from questions when
nobody is named, and a broken file refused in one line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qacast.cli import main
from qacast.errors import ExitStatus, ScriptError
from qacast.script.formats.captions import captions_as_text, is_caption_text
from qacast.script.formats.exports import (
    LAYOUTS,
    detect_layout,
    normalise_export,
    unlabelled_as_turns,
)
from qacast.script.formats.fragments import speaker_labels
from qacast.script.formats.infer_turns import Sentence, question_score
from qacast.script.read import READERS, SUPPORTED_TYPES, list_scripts, read_episode


def _vtt(*cues: str, header: str = "WEBVTT") -> str:
    return header + "\n\n" + "\n\n".join(cues) + "\n"


def _turns(text: str) -> list[str]:
    return [p for p in text.strip().split("\n\n") if p]


# --- captions -------------------------------------------------------------------


def test_cue_fragments_of_one_speaker_join_into_one_sentence() -> None:
    text = _vtt(
        "00:00:00.000 --> 00:00:02.000\n<v Ana Kovač>What are you building",
        "00:00:02.000 --> 00:00:03.500\n<v Ana Kovač>this winter?</v>",
        "00:00:04.000 --> 00:00:06.000\n<v Ben Ortiz>A boat, believe it",
        "00:00:06.000 --> 00:00:08.000\n<v Ben Ortiz>or not.</v>",
    )
    assert _turns(captions_as_text(text, "t.vtt").text) == [
        "Ana Kovač: What are you building this winter?",
        "Ben Ortiz: A boat, believe it or not.",
    ]


def test_a_long_pause_after_a_finished_sentence_starts_a_paragraph() -> None:
    text = _vtt(
        "00:00:00.000 --> 00:00:02.000\n<v Ben>It took two summers.",
        "00:00:02.100 --> 00:00:04.000\n<v Ben>The first one",  # no pause: same paragraph
        "00:00:07.000 --> 00:00:09.000\n<v Ben>was all concrete.",  # mid-sentence: joined
        "00:00:12.000 --> 00:00:14.000\n<v Ben>Then came the roof.",  # pause after a "."
        "00:00:15.000 --> 00:00:16.000\n<v Ana>Why?",
    )
    assert _turns(captions_as_text(text, "t.vtt").text) == [
        "Ben: It took two summers. The first one was all concrete.",
        "Then came the roof.",
        "Ana: Why?",
    ]


def test_rolling_captions_are_read_once() -> None:
    setting = " align:start position:0%"
    text = _vtt(
        f"00:00:00.000 --> 00:00:02.000{setting}\n \n&gt;&gt; so<00:00:00.500><c> today</c>",
        f"00:00:02.000 --> 00:00:02.010{setting}\n&gt;&gt; so today\n ",
        f"00:00:02.010 --> 00:00:04.000{setting}\n&gt;&gt; so today\nwe talk<c> boats</c>",
        f"00:00:04.000 --> 00:00:04.010{setting}\nwe talk boats\n ",
        f"00:00:04.010 --> 00:00:06.000{setting}\nwe talk boats\nand keels.",
    )
    assert _turns(captions_as_text(text, "t.vtt").text) == [
        "Speaker 1: so today we talk boats and keels."
    ]


def test_a_file_that_does_not_roll_keeps_a_repeated_line() -> None:
    text = _vtt(
        "00:00:00.000 --> 00:00:01.000\nAna: Ready?",
        "00:00:01.500 --> 00:00:02.000\nBen: Yes.",
        "00:00:02.500 --> 00:00:03.000\nBen: Yes.",
        "00:00:03.500 --> 00:00:04.000\nAna: Really?",
        "00:00:04.500 --> 00:00:05.000\nBen: Really.",
    )
    assert "Ben: Yes. Yes." in captions_as_text(text, "t.vtt").text


def test_timings_cue_ids_settings_notes_styles_and_tags_are_left_out() -> None:
    text = (
        "WEBVTT - recorded live\nKind: captions\nLanguage: fr\n\n"
        "STYLE\n::cue(.loud) { color: red }\n\n"
        "NOTE this block is for the captioner\nand spans two lines\n\n"
        "intro-1\n00:00:00.000 --> 00:00:02.000 line:90% align:center\n"
        "<v.loud Ana Kovač><i>Qu'est-ce que</i> vous <b>construisez</b> ?</v>\n\n"
        "intro-2\n00:00:02.500 --> 00:00:04.000\n<v Ben Ortiz>Un bateau &amp; une rame, "
        "<00:00:03.000><c.yellow>voilà</c>.</v>\n"
    )
    read = captions_as_text(text, "t.vtt")
    assert _turns(read.text) == [
        "Ana Kovač: Qu'est-ce que vous construisez ?",
        "Ben Ortiz: Un bateau & une rame, voilà.",
    ]
    assert read.language == "fr"
    assert not re.search(r"\d:\d\d|-->|intro-|NOTE|STYLE|<|&amp;", read.text)


def test_srt_position_codes_and_whisper_times_without_hours() -> None:
    text = _vtt(
        "00:00.000 --> 00:03.000\n[SPEAKER_00]: Why a boat?",
        "00:03.500 --> 00:06.000\n[SPEAKER_01]: {\\an8}My <i>grandfather</i> built one.",
    )
    read = captions_as_text(text, "t.vtt")
    assert _turns(read.text) == ["Speaker 1: Why a boat?", "Speaker 2: My grandfather built one."]
    assert "speaker 'SPEAKER_00' written as 'Speaker 1'" in read.notes


def test_two_voices_on_one_line_are_two_turns() -> None:
    text = _vtt("00:00:00.000 --> 00:00:02.000\n<v Ana>Tea?</v> <v Ben>Please.</v>")
    assert _turns(captions_as_text(text, "t.vtt").text) == ["Ana: Tea?", "Ben: Please."]


def test_srt_numbering_and_dash_dialogue() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\n- Where were you?\n- At the lake.\n\n"
        "2\n00:00:03,500 --> 00:00:05,000\n- All day?\n- Until dark.\n"
    )
    assert _turns(captions_as_text(text, "t.srt").text) == [
        "Speaker 1: Where were you?",
        "Speaker 2: At the lake.",
        "Speaker 1: All day?",
        "Speaker 2: Until dark.",
    ]


def test_chevron_marks_name_or_change_the_speaker() -> None:
    text = _vtt(
        "00:00:00.000 --> 00:00:02.000\n>> JANE DOE: Welcome back. Who are you?",
        "00:00:02.500 --> 00:00:04.000\n>> I'm the new lighthouse keeper.",
        "00:00:04.500 --> 00:00:06.000\n>> How long will you stay?",
    )
    assert _turns(captions_as_text(text, "t.vtt").text) == [
        "JANE DOE: Welcome back. Who are you?",
        "Speaker 1: I'm the new lighthouse keeper.",
        "JANE DOE: How long will you stay?",
    ]


def test_a_colon_in_prose_is_no_speaker() -> None:
    text = _vtt(
        "00:00:00.000 --> 00:00:02.000\nAna: The rule was simple: no nails.",
        "00:00:02.500 --> 00:00:04.000\nBen: Note: that was my rule.",
        "00:00:04.500 --> 00:00:06.000\nAna: Fair enough.",
    )
    turns = _turns(captions_as_text(text, "t.vtt").text)
    assert turns[1] == "Ben: Note: that was my rule."


def test_display_names_become_labels() -> None:
    assert speaker_labels(
        ["SPEAKER_00", "Okafor, Chidinma", "Rahel's iPad", "Amina Diallo (she/her)", "Jo (Host)"]
    ) == {
        "SPEAKER_00": "Speaker 1",
        "Okafor, Chidinma": "Chidinma Okafor",
        "Rahel's iPad": "Rahel",
        "Amina Diallo (she/her)": "Amina Diallo",
        "Jo (Host)": "Jo, Host",
    }


def test_caption_text_in_a_txt_file_is_recognised() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nHi.\n\n2\n00:00:02,000 --> 00:00:03,000\nHello.\n"
    assert is_caption_text(srt)
    assert is_caption_text("\ufeffWEBVTT\n")
    assert not is_caption_text("Q: When did it start? 10:30 --> 11:00, I think.\n\nA: Then.\n")


# --- broken files: one line, the right exit status, no traceback ------------------------

BROKEN = {
    "no-cues.vtt": "WEBVTT\n\nNOTE only a note here\n",
    "prose.vtt": "Dear listener, this is a letter, not captions.\n",
    "bad-timing.srt": "1\n00:00:01,000 --> banana\nHello\n",
    "only-timings.srt": "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_caption_file_is_one_line_exit_3(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(BROKEN[name], encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == ExitStatus.BAD_INPUT, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = result.output.strip()
    assert message.count("\n") == 0 and name in message and "Traceback" not in message


def test_captions_without_any_question_are_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "lecture.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nToday we look at tides.\n\n"
        "2\n00:00:05,000 --> 00:00:09,000\nThe moon pulls the sea.\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ScriptError, match=r"lecture\.srt: no speaker labels found, and no questions"
    ):
        read_episode(path)


# --- build takes caption files ------------------------------------------------------


def test_build_lists_srt_and_vtt_scripts(tmp_path: Path) -> None:
    for name in ("01-a.srt", "02-b.VTT", "03-c.txt", "notes.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    listing = list_scripts(tmp_path)
    assert [p.name for p in listing.scripts] == ["01-a.srt", "02-b.VTT", "03-c.txt"]
    assert listing.skipped == (f"{tmp_path.name}/notes.json: not a supported script type "
                               f"({SUPPORTED_TYPES})",)  # fmt: skip
    assert {".srt", ".vtt"} <= set(READERS) and ".srt" in SUPPORTED_TYPES


# --- text exports ---------------------------------------------------------------------

LAYOUT_SAMPLES = {
    "name and time alone (Otter, Teams)": "Jane Doe  0:04\nHello.\n\nBen Ortiz  0:09\nHi.",
    "name and time in parentheses (Rev)": "Jane Doe (00:00:04):\nHello.\n\nBen (00:00:09):\nHi.",
    "name, colon, time (older Rev)": "Jane Doe: (00:04)\nHello.\n\nBen Ortiz: (00:09)\nHi.",
    "time in brackets, name and colon (Descript)": "[00:00:04] Jane Doe: Hello.\n[00:09] Ben: Hi.",
    "speaker and time in brackets (diarised)": "[Speaker 1] [04:13] Hello.\n[Speaker 2] [04:15] Hi",
    "time and speaker in brackets (diarised)": "[04:13] [Speaker 1] Hello.\n[04:15] [Speaker 2] Hi",
    "name in brackets and time (Zoom)": "[Jane Doe] 11:02:09\nHello.\n\n[Ben Ortiz] 11:02:13\nHi.",
    "time, tab, name (Zoom chat)": "00:58:04\tJane Doe:\tHello.\n00:58:09\tBen Ortiz:\tHi.",
    "time, From name to Everyone (Zoom chat)": (
        "10:02:33 From Jane Doe to Everyone: Hello.\n10:02:40 From Ben Ortiz to Everyone: Hi."
    ),
    "bracketed diariser label (WhisperX)": "[SPEAKER_00]: Hello.\n[SPEAKER_01]: Hi.",
    "time span in brackets (Whisper)": "[00:00.000 --> 00:04.000] Hello.\n[00:04.0 --> 00:05.0] Hi",
    "time span alone, name below (older Teams)": (
        "0:0:0.0 --> 0:0:4.0\nJane Doe\nHello.\n\n0:0:4.0 --> 0:0:5.0\nBen Ortiz\nHi."
    ),
    "time alone (video page transcript)": "0:00\nhello there\n0:02\nand welcome",
    "time then words": "0:00 hello there\n0:02 and welcome",
}


def test_every_layout_has_a_sample() -> None:
    assert set(LAYOUT_SAMPLES) == {layout.name for layout in LAYOUTS}


@pytest.mark.parametrize("name", sorted(LAYOUT_SAMPLES))
def test_each_export_layout_is_recognised(name: str) -> None:
    sample = "\n".join([LAYOUT_SAMPLES[name]] * 2)  # enough entries to count
    layout = detect_layout(sample.split("\n"))
    assert layout is not None and layout.name == name


def test_prose_and_labelled_scripts_are_left_as_they_are() -> None:
    chapters = "".join(f"{m:02d}:00 Part {m}\n" for m in range(4))
    labelled = "".join(f"Ana: Question {n}?\n\nBen: Answer {n}.\n\n" for n in range(4))
    for text in (
        "Q: When did you start?\n\nA: In 2019, at 10:30 one morning.\n",
        "# A title\n\nSome prose about 12:30 lunches.\n\nMore prose.\n",
        f"# Show notes\n\n{chapters}\n{labelled}",  # a chapter list above the transcript
    ):
        assert normalise_export(text, "x.md").text == text


def test_stamped_lines_over_an_otter_layout_are_read_as_otter() -> None:
    people = ["Ann", "Bob", "Ann", "Bob"]
    text = "".join(f"0:00 {who}  00:0{i}\n\n0:00 Words {i}.\n\n" for i, who in enumerate(people))
    read = normalise_export(text, "x.txt")
    assert read.layout == "name and time alone (Otter, Teams)"
    assert _turns(read.text) == ["Ann: Words 0.", "Bob: Words 1.", "Ann: Words 2.", "Bob: Words 3."]


def test_front_matter_and_header_lines_stay_on_top() -> None:
    text = (
        "---\ntitle: Boats\n---\nBoats, episode 4\n\n"
        "Ana Kovač  0:01\nWhy boats?\n\nBen Ortiz  0:03\nMy grandfather.\n\n"
        "Ana Kovač  0:06\nAnd now?\n\nBen Ortiz  0:08\nA canoe.\n\nTranscribed by https://otter.ai\n"
    )
    read = normalise_export(text, "x.txt")
    assert read.text.startswith("---\ntitle: Boats\n---\nBoats, episode 4\n\nAna Kovač: Why boats?")
    assert read.text.rstrip().endswith("Ben Ortiz: A canoe.\n\nTranscribed by https://otter.ai")
    assert read.speakers == frozenset({"Ana Kovač", "Ben Ortiz"})


# --- turns inferred from questions --------------------------------------------------------


def _sentence(text: str, *, opens: bool = False, closes: bool = False) -> Sentence:
    return Sentence(text, opens, closes, None, True, 0 if opens else 9)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("How did you end up with bees?", True),
        ("Henrik, how did you end up with bees?", True),
        ("It was hard, right?", False),  # asks for agreement
        ("You know what happened?", False),  # rhetorical opening
        ("Why?", False),  # one word
        ("And why did we stay?", False),  # in the middle of an answer, addressed to no one
    ],
)
def test_question_put_to_the_other_person(text: str, asks: bool) -> None:
    inside = _sentence(text)  # no break around it: in the middle of a segment
    standing = _sentence(text, opens=True, closes=True)
    score = question_score(standing if text.startswith(("How", "Henrik")) else inside, None)
    assert (score >= 3) is asks


def test_a_rhetorical_you_question_answered_at_once_is_not_a_turn() -> None:
    question = _sentence("What do you do when it leaks?")
    assert question_score(question, _sentence("You bail, of course.")) < 3


def test_unlabelled_text_gets_host_and_guest_turns() -> None:
    body = (
        "# Night sky\n"
        "Welcome to Night Sky Notes. I'm Ayesha Lund, and my guest is Piet Vandermolen.\n"
        "Piet, why did you build an observatory?\n"
        "Because I had a shed nobody used. Why would I buy one? They cost as much as a car.\n"
        "How long did it take you?\n"
        "Two summers.\n"
    )
    read = unlabelled_as_turns(body, "x.txt")
    assert read is not None
    assert _turns(read.text) == [
        "# Night sky",
        "Host: Welcome to Night Sky Notes. I'm Ayesha Lund, and my guest is Piet Vandermolen. "
        "Piet, why did you build an observatory?",
        "Guest: Because I had a shed nobody used. Why would I buy one? They cost as much as a car.",
        "Host: How long did it take you?",
        "Guest: Two summers.",
    ]
    assert read.notes == ("no speaker labels: turns inferred from questions (2 found); "
                          "check who says what",)  # fmt: skip


def test_a_plain_transcript_file_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(
        "Welcome back. I'm Ayesha Lund and my guest today is Piet Vandermolen.\n"
        "Piet, why did you build it yourself?\n"
        "Because the ones you can buy cost as much as a car.\n"
        "And how long did it take you?\n"
        "Two summers, and a lot of concrete.\n",
        encoding="utf-8",
    )
    episode, _ = read_episode(path)
    assert [(s.name, s.role) for s in episode.speakers] == [
        ("Ayesha Lund", "interviewer"),
        ("Piet Vandermolen", "interviewee"),
    ]
    assert any(note.startswith("no speaker labels: turns inferred") for note in episode.notes)


def test_numbered_speakers_get_their_roles_from_who_asks(tmp_path: Path) -> None:
    path = tmp_path / "otter.txt"
    path.write_text(
        "Speaker 1  0:00\nI'm the guest, and I only answer.\n\n"
        "Speaker 2  0:03\nI'm Nadia Ferro. How did the club begin?\n\n"
        "Speaker 1  0:06\nWith six people and a trailer.\n\n"
        "Speaker 2  0:09\nAnd how big is it now?\n\n"
        "Speaker 1  0:12\nNinety members.\n",
        encoding="utf-8",
    )
    episode, _ = read_episode(path)
    roles = {s.id: (s.name, s.role) for s in episode.speakers}
    assert roles == {
        "Speaker 1": ("Speaker 1", "interviewee"),
        "Speaker 2": ("Nadia Ferro", "interviewer"),
    }
