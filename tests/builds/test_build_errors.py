"""Bad input through the real CLI: a non-zero exit, one line per problem naming
the file and the field, never a traceback; and `qacast init` builds as is."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from build_helpers import make_show, run_qacast, session_cache

from qacast.errors import ExitStatus
from qacast.publish.feed import PODCAST_NS


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_cache(tmp_path_factory)


def replace_line(path: Path, key: str, line: str) -> None:
    """Replace the ``key = ...`` line of a TOML or YAML file (or append ``line``)."""
    text = path.read_text(encoding="utf-8")
    pattern = rf"(?m)^{re.escape(key)}\s*[=:].*$"
    if re.search(pattern, text):
        text = re.sub(pattern, lambda _: line, text, count=1)
    else:
        text += line + "\n"
    path.write_text(text, encoding="utf-8")


def problem_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("qacast: ")]


# --- qacast.toml ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("language = 42", "language"),
        ('category = "Nope"', "category"),
        ('category = ["Technology"]', "category"),  # unhashable: was a TypeError traceback
        ('title = "Bell \\u0007 rings"', "title"),  # XML cannot carry it: was a traceback
        ('author = "Tab\\u000bbed"', "author"),
        ('cover = "audio/missing.png"', "cover"),
        ('cover = "../outside.png"', "cover"),
        ('cover = "ABSOLUTE"', "cover"),
        ('base_url = "http://127.0.0.1:8000/with space/"', "base_url"),
    ],
)
def test_bad_show_field(tmp_path: Path, cache_dir: Path, line: str, field: str) -> None:
    show_dir = make_show(tmp_path)
    outside = tmp_path / "outside.png"  # a real image, but not in the show folder
    outside.write_bytes((show_dir / "audio" / "cover.png").read_bytes())
    replace_line(show_dir / "qacast.toml", field, line.replace("ABSOLUTE", str(outside)))
    result = run_qacast("build", show_dir, "--cache-dir", cache_dir)
    assert result.returncode == ExitStatus.BAD_INPUT, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # one line, and nothing else
    (problem,) = problem_lines(result)
    assert problem.startswith("qacast: error: ")
    assert str(show_dir / "qacast.toml") in problem
    assert f"field '{field}'" in problem
    assert not (show_dir / "out" / "feed.xml").exists()


def test_unknown_field_is_named(tmp_path: Path, cache_dir: Path) -> None:
    show_dir = make_show(tmp_path)
    replace_line(show_dir / "qacast.toml", "titel", 'titel = "Typo"')
    result = run_qacast("build", show_dir, "--cache-dir", cache_dir)
    assert result.returncode == ExitStatus.BAD_INPUT
    (problem,) = problem_lines(result)
    assert "qacast.toml: unknown field 'titel'" in problem


def test_invalid_toml_names_the_file(tmp_path: Path, cache_dir: Path) -> None:
    show_dir = make_show(tmp_path)
    replace_line(show_dir / "qacast.toml", "title", "title = ")
    result = run_qacast("build", show_dir, "--cache-dir", cache_dir)
    assert result.returncode == ExitStatus.BAD_INPUT
    (problem,) = problem_lines(result)
    assert f"{show_dir / 'qacast.toml'}: invalid TOML" in problem


# --- one bad script in a two-script show --------------------------------------------------


BROKEN_FRONT_MATTER = {
    "yaml": ("description:", "description: [never closed", "front matter is not valid YAML"),
    # A control character in a field that must not be ignored: the lexicon says how a word
    # is said (in the description it is only a note: the intro describes the episode then).
    "control": (
        "description:",
        'description: Escaping.\nlexicon: {FCIPS: "eff \\a sips"}',
        "field 'lexicon'",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_FRONT_MATTER))
def test_one_bad_script_fails_and_the_other_builds(
    tmp_path: Path, cache_dir: Path, kind: str
) -> None:
    key, line, message = BROKEN_FRONT_MATTER[kind]
    show_dir = make_show(tmp_path)
    replace_line(show_dir / "scripts" / "02-escaping.txt", key.rstrip(":"), line)
    result = run_qacast("build", show_dir, "--cache-dir", cache_dir, "-q")
    assert result.returncode == ExitStatus.SOME_FAILED, result.stderr
    problems = problem_lines(result)
    # One line for the one problem, naming the file and what is wrong, and
    # how the build went.
    (failed,) = problems
    assert "02-escaping.txt" in failed
    assert message in failed
    assert failed.endswith("(1 of 2 scripts failed; the other was built)")
    # The good script was built and published.
    out_dir = show_dir / "out"
    assert (out_dir / "01-radios.mp3").is_file()
    assert not (out_dir / "02-escaping.mp3").exists()
    channel = ET.parse(out_dir / "feed.xml").getroot().find("channel")
    assert channel is not None
    assert [item.findtext("title") for item in channel.iter("item")] == ["Fixing Radios"]
    assert (out_dir / "01-radios.html").is_file()


def test_a_failed_script_is_one_line_without_quiet(tmp_path: Path, cache_dir: Path) -> None:
    show_dir = make_show(tmp_path)
    replace_line(show_dir / "scripts" / "02-escaping.txt", "episode", "episode: two")
    result = run_qacast("build", show_dir, "--cache-dir", cache_dir)
    assert result.returncode == ExitStatus.SOME_FAILED
    failed = [line for line in result.stderr.splitlines() if "02-escaping.txt" in line]
    assert len(failed) == 1, result.stderr
    assert failed[0].count("02-escaping.txt") == 1, failed[0]


# --- init, then build ------------------------------------------------------------------------


def test_init_then_build_works_as_is(tmp_path: Path, cache_dir: Path) -> None:
    show_dir = tmp_path / "My Show"
    created = run_qacast("init", show_dir)
    assert created.returncode == 0, created.stderr
    assert f"qacast build {show_dir}" in created.stdout
    result = run_qacast("build", show_dir, "--cache-dir", cache_dir)
    assert result.returncode == 0, result.stderr
    assert "built 1, unchanged 0, failed 0" in result.stderr
    out_dir = show_dir / "out"
    channel = ET.parse(out_dir / "feed.xml").getroot().find("channel")
    assert channel is not None
    assert channel.findtext("title") == "My Show"
    (item,) = channel.iter("item")
    assert (
        item.findtext("title") == "Building Things Together: A Conversation with Nestor J. Portillo"
    )
    persons = [(p.get("role"), p.text) for p in item.iter(f"{{{PODCAST_NS}}}person")]
    assert persons == [("host", "Stephen Ibaraki"), ("guest", "Nestor J. Portillo")]
    assert (out_dir / "building-things-together.mp3").is_file()
    assert (out_dir / "index.html").is_file()
    # A second init refuses to clobber the show.
    again = run_qacast("init", show_dir)
    assert again.returncode == ExitStatus.BAD_INPUT
    (problem,) = problem_lines(again)
    assert "qacast.toml: already exists" in problem
