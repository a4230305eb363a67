"""Every byte a show publishes, and every reading of the transcript corpus, as recorded.

Moving code between rooms must change no output. These hashes were taken
from real builds and parses; a refactoring that changes any of them changed
behaviour. When a change of output is intended, record them again and say
why in the commit:

    PYTHONPATH=tests .venv/bin/python tests/house/test_golden_outputs.py --record

Recorded with the versions uv.lock pins (ffmpeg from imageio-ffmpeg,
espeak-ng from espeakng-loader): another ffmpeg or espeak-ng encodes other
bytes, so on a machine without the lock's versions these hashes mean little.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import pytest
from build_helpers import build, make_show
from corpus import load_expectations
from locations import DATA_DIR, REPO_DIR

from qacast.script import episode_to_json
from qacast.script.read import read_episode

REPO = REPO_DIR
GOLDEN = DATA_DIR / "golden" / "outputs.sha256.json"
# The sample with a date of its own, so its pages and feed do not change with the day.
SAMPLE_FRONT_MATTER = "---\ndate: 2024-03-04\n---\n"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree(out_dir: Path) -> dict[str, str]:
    return {
        path.relative_to(out_dir).as_posix(): _digest(path.read_bytes())
        for path in sorted(out_dir.rglob("*"))
        if path.is_file()
    }


def two_episode_show(root: Path) -> dict[str, str]:
    show = make_show(root, name="two")
    build(show, root / "cache-two", "-j", "1")
    return _tree(show / "out")


def sample_show(root: Path) -> dict[str, str]:
    """The repository's own show (`make demo`), its one script dated."""
    show = root / "sample"
    show.mkdir()
    shutil.copy(REPO / "qacast.toml", show / "qacast.toml")
    for folder in ("voices", "audio"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, show / folder)
    (show / "scripts").mkdir()
    text = (REPO / "scripts" / "mvp-interview.txt").read_text(encoding="utf-8")
    (show / "scripts" / "mvp-interview.txt").write_text(SAMPLE_FRONT_MATTER + text, "utf-8")
    build(show, root / "cache-sample", "-j", "1")
    return _tree(show / "out")


def corpus_readings(root: Path) -> dict[str, str]:
    """Each corpus transcript as `qacast parse --json` reads it, speech included."""
    readings = {}
    for expectation in load_expectations():
        source = expectation.source
        if expectation.is_docx_spec:
            from corpus import build_docx

            source = build_docx(source, root)
        episode, _ = read_episode(source)
        data = json.dumps(episode_to_json(episode), ensure_ascii=False, sort_keys=True)
        readings[expectation.name] = _digest(data.encode())
    return readings


def record(root: Path) -> dict[str, dict[str, str]]:
    return {
        "two-episode show": two_episode_show(root),
        "sample show": sample_show(root),
        "corpus readings": corpus_readings(root),
    }


@pytest.fixture(scope="module")
def golden() -> dict[str, dict[str, str]]:
    recorded: dict[str, dict[str, str]] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return recorded


@pytest.mark.slow
def test_the_two_episode_show_builds_the_recorded_bytes(
    golden: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    assert two_episode_show(tmp_path) == golden["two-episode show"]


@pytest.mark.slow
def test_the_sample_show_builds_the_recorded_bytes(
    golden: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    assert sample_show(tmp_path) == golden["sample show"]


def test_the_corpus_reads_as_recorded(golden: dict[str, dict[str, str]], tmp_path: Path) -> None:
    assert corpus_readings(tmp_path) == golden["corpus readings"]


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit(f"usage: {sys.argv[0]} --record")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        GOLDEN.write_text(json.dumps(record(Path(tmp)), indent=1, sort_keys=True) + "\n")
    print(f"recorded {GOLDEN}")
