"""Bad assets through the real CLI, and an episode without questions.

Each bad asset must stop the render with a non-zero exit and one line on
stderr naming the file, no traceback, and nothing written under the out dir.
"""

# mypy: disallow-untyped-calls=False
# (mutagen's readers are unannotated.)

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mutagen.id3 import ID3
from PIL import Image
from readback import TOLERANCE_MS, ebur128, probed_chapters, probed_duration_ms

from qacast.audio.music import check_music
from qacast.errors import AssetError

from conftest import REPO

NO_QUESTIONS = REPO / "tests" / "data" / "no-questions-intro-remarks-answer.txt"
TINY_SCRIPT = "Tiny Talk\n\nAda Host asks Bo Guest one thing.\n\nAH: Ready?\n\nBG: Yes.\n"


def _show(root: Path, toml_lines: str) -> Path:
    root.mkdir()
    (root / "qacast.toml").write_text(f'title = "Assets"\n{toml_lines}', encoding="utf-8")
    (root / "scripts").mkdir()
    (root / "scripts" / "tiny.txt").write_text(TINY_SCRIPT, encoding="utf-8")
    (root / "audio").mkdir()
    return root


def _render(show: Path, *options: str) -> subprocess.CompletedProcess[str]:
    # The synthesis cache goes beside the show: the out dir must stay empty.
    env = {**os.environ, "QACAST_CACHE_DIR": str(show.parent / "cache")}
    command = [sys.executable, "-m", "qacast.cli", "render", "scripts/tiny.txt", "-o", "out"]
    return subprocess.run(
        [*command, "-j", "1", *options],
        cwd=show, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def _assert_one_line_failure(result: subprocess.CompletedProcess[str], names: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert names in lines[0], lines[0]


def _nothing_under(out_dir: Path) -> bool:
    return not out_dir.exists() or not any(out_dir.rglob("*"))


def _png(path: Path, width: int, height: int) -> None:
    Image.new("RGB", (width, height), (30, 60, 90)).save(path, format="PNG")


BAD_ASSETS: dict[str, tuple[str, str, Callable[[Path], object]]] = {
    # case -> (qacast.toml line, file name the message must hold, how to make the file)
    "garbage-music": (
        'intro_music = "audio/broken.wav"\n',
        "broken.wav",
        lambda show: (show / "audio" / "broken.wav").write_bytes(b"RIFF\x00garbage" * 50),
    ),
    "text-as-music": (
        'outro_music = "audio/notes.mp3"\n',
        "notes.mp3",
        lambda show: (show / "audio" / "notes.mp3").write_text("not audio\n" * 100),
    ),
    "garbage-cover": (
        'cover = "audio/cover.png"\n',
        "cover.png",
        lambda show: (show / "audio" / "cover.png").write_bytes(os.urandom(4096)),
    ),
    "non-square-cover": (
        'cover = "audio/cover.png"\n',
        "cover.png",
        lambda show: _png(show / "audio" / "cover.png", 1400, 1600),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ASSETS))
def test_bad_asset_fails_in_one_line_and_writes_nothing(tmp_path: Path, case: str) -> None:
    toml_line, names, make = BAD_ASSETS[case]
    show = _show(tmp_path / "show", toml_line)
    make(show)
    result = _render(show)
    _assert_one_line_failure(result, names)
    assert _nothing_under(show / "out"), sorted(p.name for p in (show / "out").rglob("*"))


@pytest.mark.parametrize(
    "case",
    [case for case in sorted(BAD_ASSETS)],
)
def test_bad_asset_fails_before_any_speech_is_made(tmp_path: Path, case: str) -> None:
    toml_line, _, make = BAD_ASSETS[case]
    show = _show(tmp_path / "show", toml_line)
    make(show)
    assert _render(show, "-q").returncode != 0
    assert _nothing_under(tmp_path / "cache"), "speech was synthesized before the asset check"


def test_episode_without_questions_renders(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(NO_QUESTIONS)
    assert not [t for t in rendered.episode.turns if t.kind == "question"]
    path = rendered.files[0].path
    chapters = probed_chapters(path)
    assert [c.title for c in chapters] == [c.title for c in rendered.timeline.chapters]
    assert "Intro" in [c.title for c in chapters]
    assert abs(chapters[-1].end_ms - probed_duration_ms(path)) <= TOLERANCE_MS
    assert ID3(path).getall("CTOC")
    assert rendered.sidecars["vtt"].read_text(encoding="utf-8").startswith("WEBVTT")
    measured = ebur128(path)
    assert abs(measured.integrated_lufs + 19.0) <= 1.0, measured
    assert measured.true_peak_dbtp <= -1.0, measured


def test_check_music_refuses_garbage_and_accepts_the_jingle(tmp_path: Path) -> None:
    (tmp_path / "broken.wav").write_bytes(b"RIFF\x00garbage" * 50)
    check_music({"intro": "jingle", "sting": "sting", "outro": None}, tmp_path)
    with pytest.raises(AssetError, match=r"broken\.wav"):
        check_music({"intro": "broken.wav"}, tmp_path)
