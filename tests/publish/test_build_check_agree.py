"""`qacast build` and `qacast check` agree on what is valid.

What check rejects in a feed, build refuses to write (or, for a cover in
another colour mode, converts); what build publishes, check passes. Check is
shown each rule on a feed damaged by hand, as a directory would receive it
from any tool; build on the same values written in a show.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from build_helpers import build, make_show, qacast_command, run_qacast, session_cache
from PIL import Image

from qacast.errors import ExitStatus
from qacast.limits import is_language_tag
from qacast.publish.check import check_show
from qacast.script.read import file_number, read_episode


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_cache(tmp_path_factory)


@pytest.fixture(scope="module")
def built_show(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Path:
    show_dir = make_show(tmp_path_factory.mktemp("agree"))
    build(show_dir, cache_dir)
    return show_dir


@pytest.fixture
def show(built_show: Path, tmp_path: Path) -> Path:
    """A copy of the built show, to damage or change."""
    copy = tmp_path / "show"
    shutil.copytree(built_show, copy)
    return copy


def rewrite_feed(show: Path, pattern: str, new: str, count: int = 1) -> None:
    feed = show / "out" / "feed.xml"
    text, done = re.subn(pattern, new, feed.read_text(encoding="utf-8"), count=count)
    assert done, pattern
    feed.write_text(text, encoding="utf-8")


def first_pub_date(text: str) -> Callable[[Path], None]:
    return lambda show: rewrite_feed(show, r"<pubDate>[^<]*<", f"<pubDate>{text}<")


def both_episode_one(show: Path) -> None:
    rewrite_feed(show, r"<itunes:episode>2<", "<itunes:episode>1<")


def season_on_first(season: str) -> Callable[[Path], None]:
    def damage(show: Path) -> None:
        rewrite_feed(show, r"<itunes:episode>", f"<itunes:season>{season}</itunes:season>\\g<0>")

    return damage


def episode_language(language: str) -> Callable[[Path], None]:
    """The first item in another language, as build writes it (Dublin Core)."""

    def damage(show: Path) -> None:
        rewrite_feed(show, r"<rss ", '<rss xmlns:dc="http://purl.org/dc/elements/1.1/" ')
        rewrite_feed(show, r"</item>", f"<dc:language>{language}</dc:language></item>")

    return damage


def combined(*damages: Callable[[Path], None]) -> Callable[[Path], None]:
    def damage(show: Path) -> None:
        for one in damages:
            one(show)

    return damage


HUGE = "100000000000000000000000"

# What a feed says -> the rule that must flag it (None: no rule may).
FEEDS: dict[str, tuple[Callable[[Path], None], str | None]] = {
    # Python (and apps) read the year "1" as 2001; RFC 2822 years have four digits.
    "pubDate year 1": (first_pub_date("Mon, 01 Jan 1 12:00:00 +0000"), "pubDate"),
    "pubDate year 9999": (first_pub_date("Fri, 31 Dec 9999 12:00:00 +0000"), "pubDate"),
    "pubDate year 1899": (first_pub_date("Sun, 15 Jan 1899 12:00:00 +0000"), "pubDate"),
    "pubDate wrong weekday": (first_pub_date("Tue, 15 Jan 2024 12:00:00 +0000"), "pubDate"),
    "pubDate good": (first_pub_date("Mon, 15 Jan 2024 12:00:00 +0000"), None),
    "episode 1 twice": (both_episode_one, "itunes:episode"),
    # An item without a season is in season 1.
    "episode 1 twice, one in season 1": (
        combined(both_episode_one, season_on_first("1")),
        "itunes:episode",
    ),
    "episode 1 in seasons 1 and 2": (combined(both_episode_one, season_on_first("2")), None),
    "episode huge": (
        lambda show: rewrite_feed(show, r"<itunes:episode>2<", f"<itunes:episode>{HUGE}<"),
        "itunes:episode",
    ),
    "episode zero": (
        lambda show: rewrite_feed(show, r"<itunes:episode>2<", "<itunes:episode>0<"),
        "itunes:episode",
    ),
    "season huge": (season_on_first(HUGE), "itunes:season"),
    "season text": (season_on_first("one"), "itunes:season"),
    "language qq": (lambda show: rewrite_feed(show, r"<language>en<", "<language>qq<"), "language"),
    "language xx-nonsense": (
        lambda show: rewrite_feed(show, r"<language>en<", "<language>xx-nonsense<"),
        "language",
    ),
    "language en-GB": (lambda show: rewrite_feed(show, r"<language>en<", "<language>en-GB<"), None),
    "episode language qq": (episode_language("qq"), "language"),
    "episode language fr": (episode_language("fr"), None),
}


@pytest.mark.parametrize("case", list(FEEDS))
def test_check_flags_what_build_refuses(show: Path, case: str) -> None:
    damage, rule = FEEDS[case]
    damage(show)
    problems = [finding for finding in check_show(show / "out") if not finding.warning]
    assert [finding.rule for finding in problems] == ([rule] if rule else []), problems


def test_check_names_both_items_of_a_number_once(show: Path) -> None:
    both_episode_one(show)
    result = run_qacast("check", show)
    assert result.returncode == ExitStatus.REJECTED, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("problem:")]
    assert "'Fixing Radios'" in line
    assert line.endswith("are both season 1, episode 1")


# --- the cover: build converts what check would reject ----------------------------------


def cmyk_jpeg(path: Path) -> None:
    Image.new("CMYK", (1400, 1400), (200, 100, 0, 30)).save(path, format="JPEG", quality=90)


def palette_png_with_transparency(path: Path) -> None:
    image = Image.new("P", (1400, 1400), 0)
    image.putpalette([30, 60, 90, 250, 200, 10] + [0] * 762)
    image.paste(1, (0, 0, 700, 1400))
    image.save(path, format="PNG", transparency=1)


# name in audio/ -> (how to draw it, where out/ publishes it, the RGB of its left and right halves)
COVERS: dict[str, tuple[Callable[[Path], None], str, tuple[tuple[int, int, int], ...]]] = {
    "cover.jpg": (cmyk_jpeg, "cover.jpg", (Image.new("CMYK", (1, 1), (200, 100, 0, 30))
                                          .convert("RGB").getpixel((0, 0)),) * 2),
    "cover.png": (palette_png_with_transparency, "cover.png", ((255, 255, 255), (30, 60, 90))),
}  # fmt: skip


@pytest.mark.parametrize("name", list(COVERS))
def test_a_cover_in_another_colour_mode_is_published_in_rgb(
    show: Path, cache_dir: Path, name: str
) -> None:
    draw, published, colours = COVERS[name]
    draw(show / "audio" / name)
    config = show / "qacast.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'(?m)^cover = ".*"$', f'cover = "audio/{name}"', text), "utf-8")
    build(show, cache_dir, "-q")
    with Image.open(show / "out" / published) as cover:
        assert (cover.format, cover.mode, cover.size) == (
            "PNG" if published.endswith(".png") else "JPEG",
            "RGB",
            (1400, 1400),
        )
        for x, colour in zip((100, 1300), colours, strict=True):
            pixel = cover.getpixel((x, 700))
            assert isinstance(pixel, tuple)
            assert max(abs(a - b) for a, b in zip(pixel, colour, strict=True)) <= 4, pixel
    result = run_qacast("check", show, "-q")
    assert result.returncode == 0, result.stdout + result.stderr


# --- out/feed.xml that cannot be read -----------------------------------------------------


def unable_to_read_any_file(probe_dir: Path) -> list[str]:
    """A command prefix under which a file's mode bits stop its reads.

    None is needed for a user. Root reads any file (its capabilities
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so as root the command runs
    under setpriv with both dropped: it stays root, owner of the files.
    Skips the test when that cannot be arranged, after trying it on a file.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root reads any file, and setpriv (util-linux) is not here to stop that")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    secret = probe_dir / "secret"
    secret.write_text("x", encoding="utf-8")
    secret.chmod(0)
    tried = subprocess.run([*prefix, "cat", str(secret)], capture_output=True, check=False)
    secret.unlink()
    if tried.returncode == 0:
        pytest.skip("root reads any file, and setpriv could not drop that power here")
    return prefix


def run_unable_to_read(prefix: list[str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, *qacast_command(), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_an_unreadable_feed_is_one_line_for_check_and_replaced_by_build(
    show: Path, cache_dir: Path, tmp_path: Path
) -> None:
    prefix = unable_to_read_any_file(tmp_path)
    feed = show / "out" / "feed.xml"
    config = show / "qacast.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("Short talks", "Shorter talks"), "utf-8"
    )
    feed.chmod(0)
    checked = run_unable_to_read(prefix, "check", show)
    assert checked.returncode == ExitStatus.BAD_INPUT, checked.stderr
    assert checked.stderr == f"qacast: error: {feed}: cannot be read (Permission denied)\n"
    # build writes the feed anew (by rename, which the folder's mode allows).
    built = run_unable_to_read(prefix, "build", show, "--cache-dir", cache_dir, "-q")
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    assert feed.stat().st_mode & 0o444 == 0o444
    assert "Shorter talks" in feed.read_text(encoding="utf-8")


# --- dates and numbers no episode carries, from other sources than front matter ----------

DIALOGUE = "\nQ: How did you start?\n\nA: I fixed radios.\n\nQ: And then?\n\nA: A shop.\n"


@pytest.mark.parametrize("year", [1898, dt.date.today().year + 50])
def test_a_date_in_the_text_no_episode_has_is_not_used(tmp_path: Path, year: int) -> None:
    script = tmp_path / "radios.md"
    script.write_text(f"# Radios\n\nPosted on March 4, {year}\n" + DIALOGUE, encoding="utf-8")
    episode, _ = read_episode(script)
    assert episode.meta.date is None
    assert f"date {year}-03-04 not used: it must be a day from 1900-01-01" in episode.notes[-1]


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("012-radios.txt", 12),
        ("20240115-radios.txt", 20240115),  # a date as the number: Apple takes it
        ("20240115093000-radios.txt", None),  # a time stamp: no episode number
        ("0-radios.txt", None),
        ("9" * 200 + ".txt", None),
    ],
)
def test_a_file_name_number_is_an_episode_number_only_in_range(
    name: str, number: int | None
) -> None:
    assert file_number(Path(name)) == number


@pytest.mark.parametrize(
    ("tag", "valid"),
    [
        ("en", True),
        ("en-us", True),
        ("pt-BR", True),
        ("es-419", True),
        ("zh-Hant-TW", True),
        ("yue", True),  # three letters: ISO 639-3
        ("qq", False),
        ("xx-nonsense", False),
        ("english", False),
        ("", False),
    ],
)
def test_a_language_tag_starts_with_a_real_language(tag: str, valid: bool) -> None:
    assert is_language_tag(tag) is valid
