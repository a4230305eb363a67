"""A show built for real in four formats, read back as a directory and an app would.

Date tags (mutagen), the feed's alternate enclosures (ElementTree,
podcastparser, feedparser), `qacast check` on the good build and on damaged
copies of it (one per rule), and `qacast serve` on a random port.
"""
# mypy: disallow-untyped-calls=False
# (mutagen's readers are unannotated.)

from __future__ import annotations

import datetime as dt
import email.utils
import io
import shutil
import subprocess
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import feedparser
import mutagen
import podcastparser
import pytest
from build_helpers import (
    SLUGS,
    build,
    make_show,
    qacast_command,
    qacast_serve,
    run_qacast,
    session_cache,
)
from mutagen.id3 import ID3
from PIL import Image

from qacast.errors import ExitStatus
from qacast.publish.check import check_show
from qacast.publish.feed import ITUNES_NS, PODCAST_NS

FORMATS = ("mp3", "m4a", "opus", "flac")
PODCAST = f"{{{PODCAST_NS}}}"
ITUNES = f"{{{ITUNES_NS}}}"
# The second script loses its date: it is tagged with the day it was first built.
UNDATED = SLUGS[1]


@dataclass(frozen=True)
class Built:
    show_dir: Path
    today: dt.date  # the build's day, on either side of the build

    @property
    def out_dir(self) -> Path:
        return self.show_dir / "out"

    def feed(self) -> ET.Element:
        channel = ET.parse(self.out_dir / "feed.xml").getroot().find("channel")
        assert channel is not None
        return channel


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    show_dir = make_show(tmp_path_factory.mktemp("published"))
    script = show_dir / "scripts" / f"{UNDATED}.txt"
    lines = script.read_text(encoding="utf-8").splitlines(keepends=True)
    script.write_text("".join(line for line in lines if not line.startswith("date:")), "utf-8")
    before = dt.date.today()
    build(show_dir, session_cache(tmp_path_factory), "--format", ",".join(FORMATS))
    after = dt.date.today()
    if before != after:
        pytest.skip("the build ran over midnight; its date is ambiguous")
    return Built(show_dir, before)


def pub_dates(built: Built) -> dict[str, dt.date]:
    """slug -> the day of its item's pubDate."""
    dates = {}
    for item in built.feed().findall("item"):
        enclosure = item.find("enclosure")
        assert enclosure is not None
        slug = enclosure.get("url", "").rsplit("/", 1)[-1].split(".")[0]
        dates[slug] = email.utils.parsedate_to_datetime(item.findtext("pubDate", "")).date()
    return dates


# --- date tags ------------------------------------------------------------------


def test_every_format_is_tagged_with_the_pubdate(built: Built) -> None:
    dates = pub_dates(built)
    assert dates == {SLUGS[0]: dt.date(2024, 1, 15), UNDATED: built.today}
    for slug, date in dates.items():
        # ID3v2.3 has no full-date frame: the year in TYER, day and month in TDAT.
        raw = ID3(built.out_dir / f"{slug}.mp3", translate=False)
        assert raw.version[:2] == (2, 3)
        assert str(raw["TYER"]) == f"{date:%Y}"
        assert str(raw["TDAT"]) == f"{date:%d%m}"
        m4a = mutagen.File(built.out_dir / f"{slug}.m4a")
        assert m4a.tags["\xa9day"] == [date.isoformat()]
        for suffix in ("opus", "flac"):
            vorbis = mutagen.File(built.out_dir / f"{slug}.{suffix}")
            assert vorbis.tags["date"] == [date.isoformat()], suffix


# --- feed -----------------------------------------------------------------------


def test_every_format_is_an_alternate_enclosure(built: Built) -> None:
    for item in built.feed().findall("item"):
        alternates = item.findall(f"{PODCAST}alternateEnclosure")
        files = []
        for alternate in alternates:
            source = alternate.find(f"{PODCAST}source")
            assert source is not None
            path = built.out_dir / source.get("uri", "").rsplit("/", 1)[-1]
            assert alternate.get("length") == str(path.stat().st_size)
            files.append(path.suffix.lstrip("."))
        assert files == list(FORMATS)
        assert item.findtext(f"{ITUNES}title") == item.findtext("title")
        assert item.findtext(f"{PODCAST}episode") == item.findtext(f"{ITUNES}episode")
    data = (built.out_dir / "feed.xml").read_bytes()
    parsed = podcastparser.parse("http://127.0.0.1:8000/feed.xml", io.BytesIO(data))
    assert [len(e["enclosures"]) for e in parsed["episodes"]] == [1, 1]
    assert all(e["description_html"] for e in parsed["episodes"])
    fed = feedparser.parse(data)
    assert not fed.bozo, fed.get("bozo_exception")
    assert fed.feed.podcast_medium == "podcast"


# --- qacast check ---------------------------------------------------------------


def test_check_passes_a_good_build(built: Built) -> None:
    result = run_qacast("check", built.show_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    # Built for this computer's address: worth a warning, not a rejection.
    assert result.stdout.startswith("warning: https: ")
    assert "problem" not in result.stdout


def _rewrite_feed(show: Path, old: str, new: str, count: int = 1) -> None:
    feed = show / "out" / "feed.xml"
    text = feed.read_text(encoding="utf-8")
    assert old in text, old
    feed.write_text(text.replace(old, new, count), encoding="utf-8")


def _first_guid(show: Path) -> str:
    channel = ET.parse(show / "out" / "feed.xml").getroot().find("channel")
    assert channel is not None
    return channel.findtext("item/guid", "")


def _damage_artwork_size(show: Path) -> None:
    Image.new("RGB", (1000, 1000), (1, 2, 3)).save(show / "out" / "cover.png")


def _damage_artwork_mode(show: Path) -> None:
    Image.new("CMYK", (1400, 1400)).save(show / "out" / f"{SLUGS[0]}.png", format="JPEG")


def _damage_enclosure_length(show: Path) -> None:
    with (show / "out" / f"{SLUGS[0]}.mp3").open("ab") as audio:
        audio.write(b"\0" * 10)


def _damage_enclosure_format(show: Path) -> None:
    # Opus first: a valid feed, but not one Apple plays.
    old = f"{SLUGS[0]}.mp3"
    _rewrite_feed(show, f'{old}" length', f'{SLUGS[0]}.opus" length')
    size = (show / "out" / f"{SLUGS[0]}.opus").stat().st_size
    mp3_size = (show / "out" / old).stat().st_size
    _rewrite_feed(
        show, f'length="{mp3_size}" type="audio/mpeg"', f'length="{size}" type="audio/ogg"'
    )


def _damage_guid(show: Path) -> None:
    channel = ET.parse(show / "out" / "feed.xml").getroot().find("channel")
    assert channel is not None
    first, second = (item.findtext("guid", "") for item in channel.findall("item"))
    _rewrite_feed(show, second, first)


# Rule name -> how to break a good build for it.
DAMAGE: dict[str, Callable[[Path], None]] = {
    "title": lambda show: _rewrite_feed(
        show, "<title>Two Voices &amp; &lt;Friends&gt;</title>", "<title> </title>"
    ),
    "description": lambda show: _rewrite_feed(
        show, "<description>Short talks", "<description>" + "x" * 4001
    ),
    "language": lambda show: _rewrite_feed(show, "<language>en<", "<language>English<"),
    "artwork": _damage_artwork_size,
    "artwork (colour mode)": _damage_artwork_mode,
    "category": lambda show: _rewrite_feed(show, 'text="Technology"', 'text="Gadgets"'),
    "explicit": lambda show: _rewrite_feed(show, "<itunes:explicit>false", "<itunes:explicit>no"),
    "enclosure": _damage_enclosure_length,
    "enclosure (Apple's types)": _damage_enclosure_format,
    "enclosure (type)": lambda show: _rewrite_feed(show, 'type="audio/mpeg"', 'type="video/mp4"'),
    "guid": _damage_guid,
    "pubDate": lambda show: _rewrite_feed(show, "<pubDate>", "<pubDate>2024-01-15 or "),
    "https": lambda show: _rewrite_feed(
        show, "http://127.0.0.1:8000/", "http://podcasts.example.org/", count=-1
    ),
    "podcast:guid": lambda show: _rewrite_feed(show, "<podcast:guid>", "<podcast:guid>not-"),
    "podcast:locked": lambda show: _rewrite_feed(
        show, ">no</podcast:locked>", ">maybe</podcast:locked>"
    ),
    "alternateEnclosure": lambda show: (show / "out" / f"{SLUGS[1]}.opus").unlink(),
    "podcast:transcript": lambda show: (show / "out" / f"{SLUGS[0]}.vtt").unlink(),
}  # fmt: skip


ALSO_FLAGGED = {"enclosure": ("alternateEnclosure",)}


@pytest.mark.parametrize("rule", list(DAMAGE))
def test_check_flags_each_rule(built: Built, tmp_path: Path, rule: str) -> None:
    show = tmp_path / "show"
    shutil.copytree(built.show_dir, show)
    DAMAGE[rule](show)
    name = rule.split(" (")[0]
    problems = [f for f in check_show(show / "out") if not f.warning]
    flagged = {f.rule for f in problems}
    # The enclosure is also the first alternateEnclosure: both see its file.
    assert name in flagged and flagged <= {name, *ALSO_FLAGGED.get(name, ())}, problems
    result = run_qacast("check", show)
    assert result.returncode == ExitStatus.REJECTED
    assert f"problem: {name}: " in result.stdout
    assert "Traceback" not in result.stderr


def test_check_without_a_build_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = run_qacast("check", tmp_path)
    assert result.returncode == ExitStatus.BAD_INPUT
    assert result.stderr.count("\n") == 1 and "qacast build" in result.stderr


# --- serve on any port ----------------------------------------------------------


def test_serve_on_another_port_points_enclosures_at_itself(built: Built) -> None:
    with qacast_serve(built.show_dir) as serving:
        assert serving.port != 8000
        with urllib.request.urlopen(serving.url + "feed.xml", timeout=30) as response:
            feed = response.read()
        parsed = podcastparser.parse(serving.url + "feed.xml", io.BytesIO(feed))
        assert parsed["episodes"]
        channel = ET.fromstring(feed).find("channel")
        assert channel is not None
        urls = [e.get("url", "") for e in channel.iter("enclosure")]
        urls += [s.get("uri", "") for s in channel.iter(f"{PODCAST}source")]
        urls += [t.get("url", "") for t in channel.iter(f"{PODCAST}transcript")]
        assert len(urls) == 2 * (1 + len(FORMATS) + 3)
        assert all(url.startswith(serving.url) for url in urls), urls
        # The podcast:guid names the show, wherever it is served from.
        built_guid = built.feed().findtext(f"{PODCAST}guid")
        assert channel.findtext(f"{PODCAST}guid") == built_guid
        for url in urls[:2]:
            with urllib.request.urlopen(url, timeout=30) as response:
                body = response.read()
            assert body == (built.out_dir / url.rsplit("/", 1)[-1]).read_bytes()
        with urllib.request.urlopen(serving.url, timeout=30) as response:
            page = response.read().decode("utf-8")
        assert serving.url + "feed.xml" in page
        assert "127.0.0.1:8000" not in page


def test_serve_refuses_a_feed_that_does_not_say_where_it_lives(
    built: Built, tmp_path: Path
) -> None:
    show = tmp_path / "show"
    shutil.copytree(built.show_dir, show)
    _rewrite_feed(show, 'rel="self"', 'rel="via"')
    result = subprocess.run(
        [*qacast_command(), "serve", str(show), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == ExitStatus.BAD_INPUT
    assert result.stderr.count("\n") == 1, result.stderr
    assert "no self link" in result.stderr and "qacast build" in result.stderr


def test_eyed3_reads_title_date_and_chapters(built: Built) -> None:
    """eyeD3, another ID3 reader podcast tools use, sees what mutagen sees."""
    import eyed3

    for slug, date in pub_dates(built).items():
        audio = eyed3.load(built.out_dir / f"{slug}.mp3")
        assert audio is not None and audio.tag is not None
        # eyeD3 reads an ID3v2.3 date from TYER (the day, in TDAT, it leaves aside).
        best = audio.tag.recording_date
        assert best is not None and best.year == date.year
        assert audio.tag.title
        chapters = list(audio.tag.chapters)
        assert chapters and all(chapter.title for chapter in chapters)
        assert list(audio.tag.table_of_contents)
