"""The product runs no program of the system's: only its own wheels' and Python.

`qacast build` (speech, music, mastering, three formats, tags, covers, feed,
site) and `qacast render` run for real with PATH pointing at an empty folder,
so no ffmpeg, ffprobe or espeak-ng can be found by name. Python's audit hooks,
installed in every qacast process through a sitecustomize module, log every
program started, so a system binary called by its absolute path shows too.
The hooks only observe: nothing is replaced.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import pytest
from build_helpers import make_show, qacast_command

pytestmark = pytest.mark.slow

# Runs at the start of every Python process qacast starts (speech workers too).
AUDIT_HOOK = """
import json, os, sys

def _log(event, program):
    with open(os.environ["QACAST_EXEC_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps([event, program]) + "\\n")

def _log_programs(event, args):
    if event in ("subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system"):
        _log(event, str(args[0]))

_log("python started", sys.executable)
sys.addaudithook(_log_programs)
"""


def run_without_system_programs(tmp_path: Path, *args: str | Path) -> tuple[str, list[str]]:
    """Run the qacast CLI with an empty PATH; return its stderr and the programs it ran
    (each Python process it started counts too, as its interpreter)."""
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    log = tmp_path / "programs.log"
    log.write_text("", encoding="utf-8")
    gone = {"LD_LIBRARY_PATH", "ESPEAK_DATA_PATH", "QACAST_CACHE_DIR", "PYTHONPATH"}
    env = {key: value for key, value in os.environ.items() if key not in gone}
    env |= {"PATH": str(empty), "PYTHONPATH": str(hooks), "QACAST_EXEC_LOG": str(log)}
    done = subprocess.run(
        [*qacast_command(), *map(str, args)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    pythons = [program for event, program in events if event == "python started"]
    # The CLI's own Python and at least one speech worker's: the hooks reached them.
    assert len(pythons) >= 2, events
    return done.stderr, [program for _, program in events]


def ours(program: str) -> bool:
    """This venv's Python, or the ffmpeg inside the imageio-ffmpeg wheel."""
    allowed = {sys.executable, imageio_ffmpeg.get_ffmpeg_exe()}
    return program in allowed or os.path.realpath(program) in map(os.path.realpath, allowed)


def test_build_runs_only_programs_from_its_own_wheels(tmp_path: Path) -> None:
    show = make_show(tmp_path)
    config = show / "qacast.toml"
    # No cover line, so qacast draws one; the jingle brings the music stage in.
    text = config.read_text(encoding="utf-8").replace('cover = "audio/cover.png"\n', "")
    assert "cover =" not in text
    config.write_text(text + 'intro_music = "jingle"\n', encoding="utf-8")
    stderr, programs = run_without_system_programs(
        tmp_path, "build", show, "--cache-dir", tmp_path / "cache", "--format", "mp3,m4a,opus"
    )
    for slug in ("01-radios", "02-escaping"):
        for ext in ("mp3", "m4a", "opus"):
            assert (show / "out" / f"{slug}.{ext}").stat().st_size > 10_000, (slug, ext)
    assert (show / "out" / "feed.xml").is_file()
    assert (show / "out" / "index.html").is_file()
    assert imageio_ffmpeg.get_ffmpeg_exe() in programs  # the hooks did see ffmpeg start
    assert [p for p in programs if not ours(p)] == []
    # pydub finds no ffmpeg on this PATH and must not say so.
    assert "Couldn't find" not in stderr
    assert "Warning" not in stderr


def test_render_prints_no_missing_ffmpeg_warning(tmp_path: Path) -> None:
    script = tmp_path / "short.txt"
    script.write_text(
        "Short Talk\n\nSI: Does this work offline?\n\nNJP: It does.\n\n"
        "SI: With nothing installed?\n\nNJP: Nothing but Python packages.\n",
        encoding="utf-8",
    )
    stderr, programs = run_without_system_programs(tmp_path, "render", script, "-o", "out")
    assert (tmp_path / "out" / "short.mp3").stat().st_size > 5_000
    assert [p for p in programs if not ours(p)] == []
    assert "Couldn't find" not in stderr
    assert "Warning" not in stderr
