"""`qacast parse` on the sample, as another tool would read it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from qacast.cli import main

from conftest import SAMPLE


def test_parse_json_on_the_sample() -> None:
    result = CliRunner().invoke(main, ["parse", "--json", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # "language", "date" and "cast": where the episode's language came from, the day
    # it is dated (null: the day of its first build), the voices it gets; "doubts":
    # what the reader guessed (none in the sample).
    assert set(data) == {
        "title", "speakers", "turns", "chapters", "language", "date", "cast", "doubts"
    }  # fmt: skip
    assert data["doubts"] == []
    assert data["speakers"] == [
        {"id": "SI", "name": "Stephen Ibaraki", "role": "interviewer"},
        {"id": "NJP", "name": "Nestor J. Portillo", "role": "interviewee"},
    ]
    kinds = [t["kind"] for t in data["turns"]]
    assert kinds[0] == "intro" and kinds[-1] == "outro"
    assert kinds.count("question") == 3
    for i, kind in enumerate(kinds):
        if kind == "question":
            assert kinds[i + 1] == "answer"
            assert data["turns"][i]["speaker"] == "SI"
            assert data["turns"][i + 1]["speaker"] == "NJP"
    last_answer = [t for t in data["turns"] if t["kind"] == "answer"][-1]["text"]
    assert "\u00d8" not in last_answer
    assert last_answer.count("Continue") >= 2 and "Empower our MVPs" in last_answer
    for turn in data["turns"]:
        assert set(turn) == {"speaker", "role", "kind", "text", "speech"}
        assert not set(turn["speech"]) & set("$€%/&@#*_<>")
        assert "Comments (0)" not in turn["text"]
        assert "Skip to main content" not in turn["text"]
    # Captions keep what was written; the speech is what the engine says.
    assert "Stephen Ibaraki, FCIPS" in data["turns"][-1]["text"]
    assert "Stephen Ibaraki, F-C-I-P-S" in data["turns"][-1]["speech"]
    assert next(c["title"] for c in data["chapters"]) == "Intro"
    assert all(isinstance(c["start_turn"], int) for c in data["chapters"])


def test_parse_table_is_readable() -> None:
    result = CliRunner().invoke(main, ["parse", str(SAMPLE)])
    assert result.exit_code == 0
    assert "Stephen Ibaraki (interviewer)" in result.stdout
    assert "question" in result.stdout and "answer" in result.stdout
