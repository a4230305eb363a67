"""Bad input: one line on stderr, a non-zero exit, no traceback, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qacast.errors import ExitStatus

from conftest import REPO, SAMPLE

QACAST = [sys.executable, "-m", "qacast.cli"]


def run_qacast(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*QACAST, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], *, mentions: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert mentions in lines[0], lines[0]


def nothing_under(out_dir: Path) -> bool:
    return not out_dir.exists() or not any(out_dir.rglob("*"))


@pytest.fixture
def show(tmp_path: Path) -> Path:
    """A show folder with the default voices and the sample in scripts/."""
    (tmp_path / "qacast.toml").write_text('title = "Errors"\n', encoding="utf-8")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "default.toml").write_text(
        (REPO / "voices" / "default.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return tmp_path


BAD_SCRIPTS: dict[str, tuple[bytes | None, str]] = {
    # name -> (file bytes, or None for a missing file; words the message must hold)
    "missing.txt": (None, "missing.txt"),
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\n\t \n", "blank.txt"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    "no-labels.txt": (b"Just some prose.\n\nWith two paragraphs and no speakers.\n", "SI:"),
}


@pytest.mark.parametrize("name", sorted(BAD_SCRIPTS))
def test_bad_script_fails_cleanly(show: Path, name: str) -> None:
    content, mentions = BAD_SCRIPTS[name]
    script = show / name
    if content is not None:
        script.write_bytes(content)
    out_dir = show / "out"
    result = run_qacast("render", str(script), "-o", str(out_dir), cwd=show)
    assert_clean_failure(result, mentions=mentions)
    assert nothing_under(out_dir)


def test_unknown_voice_in_preset(show: Path) -> None:
    preset = show / "voices" / "default.toml"
    preset.write_text(
        preset.read_text(encoding="utf-8").replace(
            'voice = "en-us"', 'voice = "xx-nonexistent"', 1
        ),
        encoding="utf-8",
    )
    out_dir = show / "out"
    result = run_qacast("render", f"scripts/{SAMPLE.name}", "-o", str(out_dir), cwd=show)
    assert_clean_failure(result, mentions="xx-nonexistent")
    assert nothing_under(out_dir)


def test_malformed_preset(show: Path) -> None:
    (show / "voices" / "default.toml").write_text("[interviewer\nvoice=", encoding="utf-8")
    result = run_qacast("render", f"scripts/{SAMPLE.name}", "-o", str(show / "out"), cwd=show)
    assert_clean_failure(result, mentions="default.toml")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through any mode bits")
def test_unwritable_output_dir_by_mode(show: Path) -> None:
    out_dir = show / "locked"
    out_dir.mkdir(mode=0o500)
    result = run_qacast("render", str(SAMPLE), "-o", str(out_dir), cwd=show)
    assert_clean_failure(result, mentions=str(out_dir))


def test_output_dir_that_cannot_be_created(show: Path) -> None:
    # A regular file where a folder is needed fails for root too.
    blocker = show / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    out_dir = blocker / "out"
    result = run_qacast("render", str(SAMPLE), "-o", str(out_dir), cwd=show)
    assert_clean_failure(result, mentions="not-a-dir")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_unwritable_output_dir_on_read_only_mount(show: Path) -> None:
    proc_dir = Path("/proc/self")  # never writable, not even for root
    result = run_qacast("render", str(SAMPLE), "-o", str(proc_dir), cwd=show)
    assert_clean_failure(result, mentions="/proc/self")


def test_bad_option_values(show: Path) -> None:
    result = run_qacast("render", str(SAMPLE), "-j", "0", "-o", str(show / "out"), cwd=show)
    assert_clean_failure(result, mentions="-j")
    result = run_qacast(
        "render", str(SAMPLE), "--format", "aiff", "-o", str(show / "out"), cwd=show
    )
    assert_clean_failure(result, mentions="aiff")
    assert nothing_under(show / "out")


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("cp1252", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_legacy_encodings_are_decoded(show: Path, encoding: str, bom: bytes) -> None:
    text = (
        "Caf\u00e9 Talk\n\nSI: Is the caf\u00e9 \u201cgood\u201d?\n\n"
        "NJP: It is, na\u00efvely so.\n\n"
        "SI: And the cr\u00e8me br\u00fbl\u00e9e?\n\nNJP: Better still \u2013 try it.\n"
    )
    script = show / f"interview-{encoding}.txt"
    script.write_bytes(bom + text.encode(encoding))
    result = run_qacast("parse", "--json", str(script), cwd=show)
    assert result.returncode == 0, result.stderr
    assert "caf\u00e9 \u201cgood\u201d" in result.stdout


# What is no script file: refused by its kind before it is opened, in one line,
# well inside the timeout (a named pipe waits for a writer, /dev/zero and
# /dev/urandom never end; each used to hang or exhaust memory).
NOT_SCRIPT_FILES: dict[str, tuple[str, str]] = {
    # name -> (what the file is: made in the show, or a device's path; words of the message)
    "symlink loop": ("loop.txt", "is a symlink loop"),
    "named pipe": ("pipe.txt", "is a named pipe (FIFO), not a script file"),
    "/dev/zero": ("/dev/zero", "is a character device, not a script file"),
    "/dev/urandom": ("/dev/urandom", "is a character device, not a script file"),
}


def _not_a_script_file(show: Path, kind: str) -> Path:
    name, _ = NOT_SCRIPT_FILES[kind]
    path = show / name
    if kind == "symlink loop":
        path.symlink_to(name)
    elif kind == "named pipe":
        os.mkfifo(path)
    else:
        path = Path(name)
        if not path.exists():
            pytest.skip(f"this system has no {name}")
    return path


@pytest.mark.parametrize("command", ["parse", "render"])
@pytest.mark.parametrize("kind", list(NOT_SCRIPT_FILES))
def test_what_is_no_script_file_is_refused_before_it_is_read(
    show: Path, kind: str, command: str
) -> None:
    script = _not_a_script_file(show, kind)
    out_dir = show / "out"
    args = [command, str(script)] + (["-o", str(out_dir)] if command == "render" else [])
    result = run_qacast(*args, cwd=show)
    assert result.returncode == ExitStatus.BAD_INPUT, result.stderr
    assert_clean_failure(result, mentions=NOT_SCRIPT_FILES[kind][1])
    assert script.name in result.stderr
    assert nothing_under(out_dir)


def test_a_current_folder_that_was_deleted_is_one_line(tmp_path: Path) -> None:
    # A shell can sit in a folder another program removed; relative paths then lead nowhere.
    qacast = Path(sys.executable).with_name("qacast")
    if not qacast.is_file():
        pytest.skip("needs the installed qacast entry point")
    gone = tmp_path / "gone"
    gone.mkdir()
    result = subprocess.run(
        ["sh", "-c", f'cd "{gone}" && rmdir "{gone}" && exec "{qacast}" parse episode.txt'],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == ExitStatus.BAD_INPUT
    assert_clean_failure(result, mentions="the current folder no longer exists")
