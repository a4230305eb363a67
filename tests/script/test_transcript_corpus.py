"""Real published interview layouts parse as a reader understands them.

Each fixture in tests/data/transcripts/ follows one layout of real published
interviews (MANIFEST.md says which); its `.expect.json` says who the people are,
who asks, how many questions there are and what must never be spoken. The real
CLI parses it: `qacast parse --json FILE`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from corpus import Expectation, build_docx, load_expectations
from locations import DATA_DIR

from qacast.cli import main

EXPECTATIONS = load_expectations()
SPEAKING_ROLES = ("interviewer", "interviewee")


def _parse(path: Path) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["parse", "--json", str(path)])
    assert result.exit_code == 0, (
        f"{path.name}: qacast parse exited {result.exit_code}: "
        f"{(result.output or '').strip()[-400:]} {result.exception!r}"
    )
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _speaker_matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    names = {expected["name"], *expected.get("aliases", [])}
    wanted = {_squash(n).casefold() for n in names}
    name = _squash(str(actual.get("name", ""))).casefold()
    return actual.get("role") == expected["role"] and name in wanted


def _check_speakers(fixture: str, expect: dict[str, Any], data: dict[str, Any]) -> None:
    roles = SPEAKING_ROLES + (("narrator",) if expect.get("narrator") else ())
    actual = [s for s in data["speakers"] if s.get("role") in roles]
    shown = [f"{s.get('name')} ({s.get('role')})" for s in actual]
    wanted = [f"{s['name']} ({s['role']})" for s in expect["speakers"]]
    assert len(actual) == len(expect["speakers"]), (
        f"{fixture}: speakers differ: expected {wanted}, parsed {shown}"
    )
    unmatched = list(actual)
    for expected in expect["speakers"]:
        hit = next((a for a in unmatched if _speaker_matches(expected, a)), None)
        assert hit is not None, (
            f"{fixture}: no parsed speaker is {expected['name']} ({expected['role']}); "
            f"expected {wanted}, parsed {shown}"
        )
        unmatched.remove(hit)


def _fixture_path(item: Expectation, tmp_path: Path) -> Path:
    return build_docx(item.source, tmp_path) if item.is_docx_spec else item.source


@pytest.mark.parametrize("item", EXPECTATIONS, ids=[e.name for e in EXPECTATIONS])
def test_transcript_is_understood(item: Expectation, tmp_path: Path) -> None:
    expect = item.data
    fixture = item.source.name
    data = _parse(_fixture_path(item, tmp_path))
    turns = data["turns"]

    _check_speakers(fixture, expect, data)

    kinds = [t["kind"] for t in turns]
    assert kinds.count("question") == expect["questions"], (
        f"{fixture}: expected {expect['questions']} questions, parsed "
        f"{kinds.count('question')}: "
        + "; ".join(_squash(t["text"])[:60] for t in turns if t["kind"] == "question")
    )

    if "title" in expect:
        assert data["title"] == expect["title"], (
            f"{fixture}: title {data['title']!r}, expected {expect['title']!r}"
        )
    if "language" in expect:
        assert data["language"]["code"] == expect["language"], (
            f"{fixture}: language {data['language']}, expected {expect['language']!r}"
        )
    if "date" in expect:
        assert data["date"] == expect["date"], (
            f"{fixture}: dated {data['date']!r}, expected {expect['date']!r}"
        )

    for index, turn in enumerate(turns):
        spoken = turn.get("speech", turn["text"])
        for furniture in expect.get("not_spoken", []):
            assert furniture not in spoken, (
                f"{fixture}: turn {index} ({turn['speaker']}) speaks furniture "
                f"{furniture!r}: {_squash(spoken)[:200]!r}"
            )
        for markup in expect.get("not_in_text", []):
            assert markup not in turn["text"], (
                f"{fixture}: turn {index} ({turn['speaker']}) shows markup "
                f"{markup!r}: {_squash(turn['text'])[:200]!r}"
            )

    everything = _squash("\n".join(t["text"] for t in turns))
    position = 0
    for phrase in expect.get("spoken", []):
        found = everything.find(_squash(phrase), position)
        assert found >= 0, (
            f"{fixture}: phrase {phrase!r} is missing from the turns "
            f"(or out of order after position {position})"
        )
        position = found + len(_squash(phrase))


def test_corpus_covers_the_layouts() -> None:
    names = [e.source.name for e in EXPECTATIONS]
    assert len(EXPECTATIONS) >= 30, f"only {len(EXPECTATIONS)} fixtures"
    assert any(n.endswith((".html", ".htm")) for n in names), "no .html page"
    assert any(e.is_docx_spec for e in EXPECTATIONS), "no .docx spec"
    assert any(n.endswith(".srt") for n in names), "no .srt caption file"
    assert any(n.endswith(".vtt") for n in names), "no .vtt caption file"
    assert any(
        e.source.read_text(encoding="utf-8").startswith(("---\n", "+++\n"))
        for e in EXPECTATIONS
        if not e.is_docx_spec
    ), "no fixture with front matter"
    for item in EXPECTATIONS:
        keys = set(item.data)
        assert {"layout", "speakers", "questions"} <= keys, f"{item.name}: incomplete"
        allowed = {"layout", "speakers", "questions", "title", "narrator"}
        allowed |= {"not_spoken", "not_in_text", "spoken", "language", "date"}
        assert keys <= allowed, f"{item.name}: unknown keys {sorted(keys - allowed)}"
        for speaker in item.data["speakers"]:
            assert speaker["role"] in (*SPEAKING_ROLES, "narrator"), item.name


def test_manifest_lists_every_fixture() -> None:
    manifest = (DATA_DIR / "transcripts" / "MANIFEST.md").read_text(encoding="utf-8")
    missing = [e.source.name for e in EXPECTATIONS if f"`{e.source.name}`" not in manifest]
    assert not missing, f"MANIFEST.md does not list {missing}"
