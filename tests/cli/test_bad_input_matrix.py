"""Bad input, one case at a time, through the real CLI on a show already built.

For every case: the exit code is the one the README gives (3 bad input, 4
output not writable, 6 some episodes failed), stderr is exactly one line and
no traceback, and out/ is exactly as it was: not a file more, less or changed.
Most cases fail before any speech is made, so each takes about a second.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_helpers import build, make_show, run_qacast, session_cache
from PIL import Image

from qacast.errors import ExitStatus

BAD = ExitStatus.BAD_INPUT
OUTPUT = ExitStatus.OUTPUT
SOME = ExitStatus.SOME_FAILED

Mutation = Callable[[Path], None]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_cache(tmp_path_factory)


@pytest.fixture(scope="module")
def built_show(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Path:
    """The two-episode show, built once; each case works on a copy."""
    show_dir = make_show(tmp_path_factory.mktemp("matrix"))
    build(show_dir, cache_dir)
    return show_dir


def out_snapshot(out_dir: Path) -> dict[str, bytes]:
    """Every entry under out/ (dotfiles too): path -> bytes (b"" for a folder)."""
    if not out_dir.is_dir():
        return {".": out_dir.read_bytes() if out_dir.is_file() else b"<missing>"}
    return {
        path.relative_to(out_dir).as_posix(): path.read_bytes() if path.is_file() else b""
        for path in sorted(out_dir.rglob("*"))
    }


# --- mutations ------------------------------------------------------------------------


def toml_line(key: str, line: str) -> Mutation:
    """Replace (or add) the ``key = ...`` line of qacast.toml."""

    def mutate(show: Path) -> None:
        config = show / "qacast.toml"
        text = config.read_text(encoding="utf-8")
        pattern = rf"(?m)^{re.escape(key)}\s*=.*$"
        if re.search(pattern, text):
            text = re.sub(pattern, lambda _: line, text, count=1)
        else:
            text += line + "\n"
        config.write_text(text, encoding="utf-8")

    return mutate


def front_matter(script: str, key: str, line: str) -> Mutation:
    def mutate(show: Path) -> None:
        path = show / "scripts" / script
        text = path.read_text(encoding="utf-8")
        pattern = rf"(?m)^{re.escape(key)}:.*$"
        if re.search(pattern, text):
            text = re.sub(pattern, lambda _: line, text, count=1)
        else:
            text = text.replace("---\n", f"---\n{line}\n", 1)
        path.write_text(text, encoding="utf-8")

    return mutate


def new_script(name: str, content: str | bytes) -> Mutation:
    """Add a script that sorts after the others (so their positions do not move)."""

    def mutate(show: Path) -> None:
        path = show / "scripts" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return mutate


def copy_script(source: str, name: str) -> Mutation:
    def mutate(show: Path) -> None:
        shutil.copyfile(show / "scripts" / source, show / "scripts" / name)

    return mutate


def symlink(name: str, target: str) -> Mutation:
    """scripts/NAME -> TARGET (relative to scripts/, or absolute after 'ABS:')."""

    def mutate(show: Path) -> None:
        link = show / "scripts" / name
        if target.startswith("ABS:"):
            outside = show.parent / target[4:]
            outside.write_text("Title\n\nQ: Why?\n\nA: Because.\n", encoding="utf-8")
            link.symlink_to(outside)
        else:
            link.symlink_to(target)

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(show: Path) -> None:
        for mutation in mutations:
            mutation(show)

    return mutate


def write_file(relative: str, data: bytes) -> Mutation:
    def mutate(show: Path) -> None:
        (show / relative).parent.mkdir(parents=True, exist_ok=True)
        (show / relative).write_bytes(data)

    return mutate


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels in a few dozen bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def small_png(width: int, height: int) -> Mutation:
    def mutate(show: Path) -> None:
        Image.new("RGB", (width, height), (1, 2, 3)).save(show / "audio" / "cover.png")

    return mutate


def replace_out_with_file(show: Path) -> None:
    shutil.rmtree(show / "out")
    (show / "out").write_text("not a folder", encoding="utf-8")


def cache_dir_is_a_file(show: Path) -> None:
    (show / "cache-file").write_text("x", encoding="utf-8")


def scripts_dir_is_a_file(show: Path) -> None:
    shutil.rmtree(show / "scripts")
    (show / "scripts").write_text("x", encoding="utf-8")


def script_is_a_folder(show: Path) -> None:
    (show / "scripts" / "zz-folder.txt").mkdir()


def named_pipe(relative: str) -> Mutation:
    """SHOW/RELATIVE is a named pipe (FIFO): opening it to read waits for a writer."""

    def mutate(show: Path) -> None:
        path = show / relative
        path.unlink(missing_ok=True)
        os.mkfifo(path)

    return mutate


def feed_is_a_folder(show: Path) -> None:
    (show / "out" / "feed.xml").unlink()
    (show / "out" / "feed.xml").mkdir()


NO_QUESTION_MARKS = "Radios\n\nQ: Tell me about radios\n\nA: I fixed them.\n"
ONE_SPEAKER = "Radios\n\nQ: Tell me about radios?\n\nQ: And then?\n"
EMPTY_ANSWER = "Radios\n\nQ: Tell me about radios?\n\nA:\n"


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation | None
    args: tuple[str, ...] = ()
    exit_status: ExitStatus = BAD
    says: str = ""  # a fragment the one line must hold
    command: str = "build"
    own_cache: bool = False  # the case is about the cache option itself


CASES = [
    # qacast.toml
    Case("toml-language", toml_line("language", "language = 42"), says="field 'language'"),
    # The shape of a language code, and no language: the voices and the feed need one.
    Case(
        "toml-language-nonsense",
        toml_line("language", 'language = "xx-nonsense"'),
        says="field 'language'",
    ),
    Case("toml-language-qq", toml_line("language", 'language = "qq"'), says="field 'language'"),
    Case("toml-category", toml_line("category", 'category = "Nope"'), says="field 'category'"),
    Case("toml-category-list", toml_line("category", 'category = ["Technology"]')),
    Case("toml-title-control", toml_line("title", 'title = "Bell \\u0007 rings"')),
    Case("toml-base-url-space", toml_line("base_url", 'base_url = "http://x.org/a b/"')),
    Case("toml-invalid", toml_line("title", "title = [unclosed"), says="invalid TOML"),
    Case("toml-unknown-field", toml_line("titel", 'titel = "Typo"'), says="unknown field"),
    Case("toml-named-pipe", named_pipe("qacast.toml"), says="named pipe"),
    Case("toml-email", toml_line("owner_email", 'owner_email = "nobody"')),
    Case("toml-formats", toml_line("formats", 'formats = ["xyz"]'), says="field 'formats'"),
    Case("toml-loudness", toml_line("loudness", 'loudness = "loud"'), says="field 'loudness'"),
    Case("toml-max-script-zero", toml_line("max_script_bytes", "max_script_bytes = 0")),
    Case("toml-max-script-text", toml_line("max_script_bytes", 'max_script_bytes = "big"')),
    Case("toml-voices-missing", toml_line("voices", 'voices = "nobody"')),
    # assets
    Case("cover-missing", toml_line("cover", 'cover = "audio/none.png"'), says="field 'cover'"),
    Case("cover-outside", toml_line("cover", 'cover = "../elsewhere.png"')),
    Case(
        "cover-bomb-30000px",
        write_file("audio/cover.png", png_header_only(30000, 30000)),
        says="too many pixels",
    ),
    Case(
        "cover-bomb-10000px",
        write_file("audio/cover.png", png_header_only(10000, 10000)),
        says="too many pixels",
    ),
    Case("cover-not-an-image", write_file("audio/cover.png", b"plain text"), says="cover"),
    Case("cover-not-square", small_png(1500, 1400), says="not square"),
    Case("cover-too-small", small_png(600, 600), says="too small"),
    Case(
        "music-corrupt",
        both(
            write_file("audio/intro.mp3", b"\xff\xfb" + bytes(range(256)) * 8),
            toml_line("intro_music", 'intro_music = "audio/intro.mp3"'),
        ),
        says="intro.mp3",
    ),
    Case(
        "music-text-file",
        both(
            write_file("audio/theme.wav", b"RIFF but not really"),
            toml_line("outro_music", 'outro_music = "audio/theme.wav"'),
        ),
        says="theme.wav",
    ),
    Case("music-missing", toml_line("sting", 'sting = "audio/gone.mp3"'), says="field 'sting'"),
    # options
    Case("bitrate-zero", None, ("--bitrate", "0"), says="--bitrate"),
    Case("bitrate-negative", None, ("--bitrate", "-5"), says="--bitrate"),
    Case("bitrate-too-high", None, ("--bitrate", "999"), says="bitrate"),
    Case("format-unknown", None, ("--format", "xyz"), says="unknown format"),
    Case("format-empty", None, ("--format", " , "), says="--format"),
    Case("loudness-unknown", None, ("--loudness", "loud")),
    Case("jobs-zero", None, ("-j", "0"), says="-j"),
    Case("voices-missing", None, ("--voices", "nobody")),
    Case("voices-broken", write_file("voices/broken.toml", b"[[["), ("--voices", "broken")),
    Case(
        "cache-dir-is-a-file",
        cache_dir_is_a_file,
        ("--cache-dir", "SHOW/cache-file"),
        says="--cache-dir",
        own_cache=True,
    ),
    # the whole show's scripts, checked before anything renders
    Case("slug-collision", copy_script("02-escaping.txt", "02 escaping.txt"), says="rename one"),
    Case("slug-collision-suffix", copy_script("01-radios.txt", "01-radios.md"), says="01-radios"),
    Case(
        "episode-number-twice",
        both(
            copy_script("02-escaping.txt", "zz-again.txt"),
            front_matter("zz-again.txt", "episode", "episode: 2"),
        ),
        says="episode 2",
    ),
    Case("scripts-folder-is-a-file", scripts_dir_is_a_file, says="scripts"),
    Case(
        # An episode without a season is in season 1, as apps list it: one number
        # from front matter, the other from a file name.
        "episode-number-twice-in-season-1",
        both(
            front_matter("01-radios.txt", "season", "season: 1"),
            write_file("scripts/001-extra.txt", b"Extra\n\nAH: Why?\n\nNP: Because.\n"),
        ),
        says="season 1, episode 1",
    ),
    # one script fails, the other is still published as it was (exit 6)
    Case(
        "episode-abc",
        front_matter("02-escaping.txt", "episode", "episode: abc"),
        exit_status=SOME,
        says="last good version stays published",
    ),
    Case(
        "front-matter-yaml",
        front_matter("01-radios.txt", "description", "description: [no"),
        exit_status=SOME,
        says="01-radios.txt",
    ),
    Case(
        # A date qacast cannot read is only a note (the text's date or the first build's
        # day is used); a flag that cannot be read is refused: "maybe" would publish a draft.
        "front-matter-draft",
        front_matter("01-radios.txt", "draft", "draft: maybe"),
        exit_status=SOME,
        says="front matter field 'draft' must be true or false",
    ),
    # Values no episode can carry: a feed would publish them as written.
    Case(
        "front-matter-date-year-1",
        front_matter("01-radios.txt", "date", "date: 0001-01-01"),
        exit_status=SOME,
        says="field 'date' must be a day from 1900-01-01",
    ),
    Case(
        "front-matter-date-year-9999",
        front_matter("01-radios.txt", "date", "date: 9999-12-31"),
        exit_status=SOME,
        says="field 'date' must be a day from 1900-01-01",
    ),
    Case(
        "front-matter-episode-huge",
        front_matter("02-escaping.txt", "episode", "episode: 100000000000000000000000"),
        exit_status=SOME,
        says="field 'episode' must be a whole number from 1 to 2147483647",
    ),
    Case(
        "front-matter-season-huge",
        front_matter("02-escaping.txt", "season", "season: 100000000000000000000000"),
        exit_status=SOME,
        says="field 'season' must be a whole number from 1 to 2147483647",
    ),
    Case(
        # A site generator's own fields are ignored; a misspelt one of ours is not.
        "front-matter-misspelt",
        front_matter("02-escaping.txt", "sesaon", "sesaon: 2"),
        exit_status=SOME,
        says="season",
    ),
    Case("new-empty-script", new_script("zz-empty.txt", ""), exit_status=SOME, says="zz-empty"),
    Case(
        "new-binary-script",
        new_script("zz-binary.txt", bytes(range(256)) * 4),
        exit_status=SOME,
        says="zz-binary",
    ),
    Case(
        "new-one-speaker",
        new_script("zz-one.txt", ONE_SPEAKER),
        exit_status=SOME,
        says="zz-one.txt",
    ),
    Case(
        "new-emoji-only",
        new_script("zz-emoji.txt", "Radios\n\nQ: \U0001f399\ufe0f?\n\nA: \U0001f389\n"),
        exit_status=SOME,
        says="no turn has words",
    ),
    Case(
        "new-empty-answer",
        new_script("zz-empty-a.txt", EMPTY_ANSWER),
        exit_status=SOME,
        says="'A:' has no words",
    ),
    Case(
        "symlink-loop", symlink("zz-loop.txt", "zz-loop.txt"), exit_status=SOME, says="symlink loop"
    ),
    Case(
        "symlink-loop-pair",
        both(symlink("zz-a.txt", "zz-b.lnk"), symlink("zz-b.lnk", "zz-a.txt")),
        exit_status=SOME,
        says="symlink loop",
    ),
    Case(
        "symlink-dangling",
        symlink("zz-gone.txt", "nowhere.txt"),
        exit_status=SOME,
        says="does not exist",
    ),
    Case(
        "symlink-outside",
        symlink("zz-out.txt", "ABS:outside.txt"),
        exit_status=SOME,
        says="outside the show",
    ),
    Case("script-is-a-folder", script_is_a_folder, exit_status=SOME, says="not a file"),
    Case(
        "script-over-size-limit",
        both(
            toml_line("max_script_bytes", "max_script_bytes = 3000"),
            new_script("zz-long.txt", NO_QUESTION_MARKS * 100),
        ),
        exit_status=SOME,
        says="max_script_bytes",
    ),
    Case(
        "parse-over-size-limit",
        both(
            toml_line("max_script_bytes", "max_script_bytes = 3000"),
            new_script("zz-long.txt", NO_QUESTION_MARKS * 100),
        ),
        ("SHOW/scripts/zz-long.txt",),
        command="parse",
        says="max_script_bytes",
    ),
    Case(
        "render-over-size-limit",
        both(
            toml_line("max_script_bytes", "max_script_bytes = 3000"),
            new_script("zz-long.txt", NO_QUESTION_MARKS * 100),
        ),
        ("SHOW/scripts/zz-long.txt", "-o", "SHOW/out"),
        command="render",
        says="max_script_bytes",
    ),
    # what is no script file, given to parse and render: refused before it is opened
    Case(
        "parse-symlink-loop",
        symlink("zz-loop.txt", "zz-loop.txt"),
        ("SHOW/scripts/zz-loop.txt",),
        command="parse",
        says="symlink loop",
    ),
    Case(
        "render-symlink-loop",
        symlink("zz-loop.txt", "zz-loop.txt"),
        ("SHOW/scripts/zz-loop.txt", "-o", "SHOW/out"),
        command="render",
        says="symlink loop",
    ),
    Case(
        "parse-named-pipe",
        named_pipe("scripts/zz-pipe.txt"),
        ("SHOW/scripts/zz-pipe.txt",),
        command="parse",
        says="named pipe",
    ),
    Case(
        "render-named-pipe",
        named_pipe("scripts/zz-pipe.txt"),
        ("SHOW/scripts/zz-pipe.txt", "-o", "SHOW/out"),
        command="render",
        says="named pipe",
    ),
    # the output
    Case("out-is-a-file", replace_out_with_file, exit_status=OUTPUT, says="out"),
    Case("check-feed-is-a-folder", feed_is_a_folder, command="check", says="not a feed"),
    Case(
        "check-feed-is-a-named-pipe",
        named_pipe("out/feed.xml"),
        command="check",
        says="named pipe",
    ),
    # init and serve
    Case(
        "init-on-a-file",
        write_file("a-file", b"x"),
        ("SHOW/a-file",),
        command="init",
        says="a-file",
    ),
    Case("init-on-a-show", None, command="init", says="already exists"),
    Case("init-under-a-file", write_file("a-file", b"x"), ("SHOW/a-file/show",), command="init"),
    Case(
        "serve-nothing-built",
        lambda show: shutil.rmtree(show / "out"),
        command="serve",
        says="nothing built",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, built_show: Path, cache_dir: Path, tmp_path: Path) -> None:
    show = tmp_path / "show"
    shutil.copytree(built_show, show, symlinks=True)
    if case.mutate:
        case.mutate(show)
    before = out_snapshot(show / "out")
    args = [arg.replace("SHOW", str(show)) for arg in case.args]
    if case.command == "build":
        cache = [] if case.own_cache else ["--cache-dir", str(cache_dir)]
        result = run_qacast("build", show, *cache, "-q", *args)
    elif case.args:
        result = run_qacast(case.command, *args)
    else:
        result = run_qacast(case.command, show)
    assert result.returncode == case.exit_status, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("qacast: error: "), lines[0]
    assert case.says in lines[0], lines[0]
    assert out_snapshot(show / "out") == before
    assert not (show / ".qacast" / "work").exists() or not any(
        (show / ".qacast" / "work").iterdir()
    )


def test_the_matrix_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


def test_a_script_without_question_marks_renders(tmp_path: Path, cache_dir: Path) -> None:
    """No question mark is no error: "Tell me about radios" opens the exchange, so it is
    the question and names the chapter: a request is a question."""
    import json

    script = tmp_path / "no-questions.txt"
    script.write_text(NO_QUESTION_MARKS, encoding="utf-8")
    result = run_qacast("render", script, "-o", tmp_path / "out", "-q", cache_dir=cache_dir)
    assert result.returncode == 0, result.stderr
    chapters = json.loads((tmp_path / "out" / "no-questions.chapters.json").read_text("utf-8"))
    assert [c["title"] for c in chapters["chapters"]] == ["Tell me about radios"]
