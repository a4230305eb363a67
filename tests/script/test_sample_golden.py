"""The sample interview parses exactly as it did before the parser was rebuilt.

The golden file is `qacast parse --json` of scripts/mvp-interview.txt, recorded
before the Markdown-based parser replaced the line-based one. Keys added to the
JSON later (such as the spoken text of each turn) are not compared here.
"""

from __future__ import annotations

import json

from locations import DATA_DIR, REPO_DIR

from qacast.script import episode_to_json, parse_script, read_script

REPO = REPO_DIR
SAMPLE = REPO / "scripts" / "mvp-interview.txt"
GOLDEN = DATA_DIR / "golden" / "mvp-interview.parse.json"


def _only(keys: dict[str, object], like: dict[str, object]) -> dict[str, object]:
    return {key: keys[key] for key in like}


def test_sample_parses_as_recorded() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    parsed = episode_to_json(parse_script(read_script(SAMPLE), source_name=SAMPLE.name))
    assert parsed["title"] == golden["title"]
    assert parsed["speakers"] == golden["speakers"]
    assert parsed["chapters"] == golden["chapters"]
    turns = parsed["turns"]
    assert isinstance(turns, list)
    assert [_only(t, g) for t, g in zip(turns, golden["turns"], strict=True)] == golden["turns"]
