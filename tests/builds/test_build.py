"""`qacast build` on a real two-episode show, read back by what podcast apps use.

One build per module (speech cached for the session): the feed is parsed by
podcastparser (gPodder's parser), feedparser and ElementTree; every URL in it
is fetched from qacast's own server; durations are checked with mutagen; a
second build must rewrite nothing; guids must survive a new base URL and a
build in another folder.

What the parsers cannot see, by their own limits (not the feed's):
podcastparser reads ``podcast:`` tags only under the namespace's old GitHub
address, so transcripts, chapters and persons are checked with
feedparser and ElementTree; feedparser keeps only the last of repeated
``podcast:`` elements and reads ``itunes:explicit`` only as yes/clean (Apple
documents true/false), so those are checked in the XML.
"""

from __future__ import annotations

import http.client
import io
import shutil
import threading
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import podcastparser
import pytest
from build_helpers import (
    NASTY_TITLE,
    SLUGS,
    build,
    make_show,
    session_cache,
    set_base_url,
    snapshot,
)
from mutagen.mp3 import MP3

from qacast.publish.feed import PODCAST_GUID_NAMESPACE, PODCAST_NS
from qacast.publish.serve import make_app_server

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = f"{{{PODCAST_NS}}}"
ATOM = "{http://www.w3.org/2005/Atom}"
GUID_NAMESPACE = uuid.UUID("3d5b8c1e-7a2f-4e9d-b6c0-1f8e2a4d7c93")  # from the show's qacast.toml


@dataclass(frozen=True)
class Built:
    show_dir: Path
    out_dir: Path
    base_url: str
    port: int
    cache_dir: Path
    feed: bytes
    build_stderr: str

    def guid(self, slug: str) -> str:
        return str(uuid.uuid5(GUID_NAMESPACE, slug))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The show built once, its out/ served by qacast's server on a free port."""
    root = tmp_path_factory.mktemp("build")
    cache_dir = session_cache(tmp_path_factory)
    show_dir = make_show(root)
    out_dir = show_dir / "out"
    out_dir.mkdir()
    # The server comes first so the build can put its real address in the feed.
    server = make_app_server(out_dir, "127.0.0.1", 0)
    base_url = f"http://127.0.0.1:{server.server_port}/"
    set_base_url(show_dir, base_url)
    result = build(show_dir, cache_dir)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Built(
            show_dir=show_dir,
            out_dir=out_dir,
            base_url=base_url,
            port=server.server_port,
            cache_dir=cache_dir,
            feed=(out_dir / "feed.xml").read_bytes(),
            build_stderr=result.stderr,
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def channel_of(feed: bytes) -> ET.Element:
    channel = ET.fromstring(feed).find("channel")
    assert channel is not None
    return channel


def items_by_guid(feed: bytes) -> dict[str, ET.Element]:
    return {item.findtext("guid", ""): item for item in channel_of(feed).findall("item")}


def mp3_seconds(path: Path) -> float:
    return float(MP3(path).info.length)  # type: ignore[no-untyped-call,attr-defined]


def http_get(port: int, url_path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", url_path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- the first build ------------------------------------------------------------------


def test_build_renders_both_episodes(built: Built) -> None:
    assert "built 2, unchanged 0, failed 0" in built.build_stderr
    for slug in SLUGS:
        for suffix in (".mp3", ".vtt", ".srt", ".transcript.json", ".chapters.json", ".html"):
            assert (built.out_dir / f"{slug}{suffix}").is_file(), slug + suffix
    assert {"feed.xml", "index.html", "cover.png", "cover.thumb.jpg", "qacast.js"} <= {
        path.name for path in built.out_dir.iterdir()
    }


# --- podcastparser: what gPodder sees ---------------------------------------------------


def test_podcastparser_sees_the_channel(built: Built) -> None:
    parsed = podcastparser.parse(built.base_url + "feed.xml", io.BytesIO(built.feed))
    assert parsed["title"] == "Two Voices & <Friends>"
    assert parsed["description"] == "Short talks about building things, for the end-to-end tests."
    assert parsed["link"] == built.base_url
    assert parsed["language"] == "en"
    assert parsed["itunes_author"] == "Ada Host"
    assert parsed["itunes_owner"] == {"name": "Ada Host", "email": "ada@example.org"}
    assert parsed["itunes_categories"] == [["Technology"]]
    assert parsed["cover_url"] == built.base_url + "cover.png"
    assert parsed["explicit"] is False


def test_podcastparser_sees_every_item_field(built: Built) -> None:
    parsed = podcastparser.parse(built.base_url + "feed.xml", io.BytesIO(built.feed))
    episodes = {episode["guid"]: episode for episode in parsed["episodes"]}
    assert set(episodes) == {built.guid(slug) for slug in SLUGS}
    assert [episode["number"] for episode in parsed["episodes"]] == [2, 1]  # newest first
    titles = {"01-radios": "Fixing Radios", "02-escaping": NASTY_TITLE}
    dates = {"01-radios": 1705320000, "02-escaping": 1706788800}  # noon UTC of the day
    for slug in SLUGS:
        episode = episodes[built.guid(slug)]
        audio = built.out_dir / f"{slug}.mp3"
        assert episode["title"] == titles[slug]
        assert episode["link"] == f"{built.base_url}{slug}.html"
        assert episode["published"] == dates[slug]
        assert episode["enclosures"] == [
            {
                "url": f"{built.base_url}{slug}.mp3",
                "file_size": audio.stat().st_size,
                "mime_type": "audio/mpeg",
            }
        ]
        assert abs(episode["total_time"] - mp3_seconds(audio)) <= 1
        assert episode["episode_art_url"] == f"{built.base_url}{slug}.png"
        assert episode["explicit"] is False
        # Chapter lines in the description, the first at 00:00:00 (Apple builds chapters so).
        assert "00:00:00 " in episode["description"]
        chapters = (built.out_dir / f"{slug}.chapters.json").read_text(encoding="utf-8")
        assert chapters.count('"startTime"') >= 2
        assert episode["description"].count("\n00:00:") + 1 >= 2


# --- feedparser --------------------------------------------------------------------------


def test_feedparser_sees_the_channel(built: Built) -> None:
    parsed = feedparser.parse(built.feed)
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = parsed.feed
    assert channel.title == "Two Voices & <Friends>"
    assert channel.subtitle == "Short talks about building things, for the end-to-end tests."
    assert channel.link == built.base_url
    assert channel.language == "en"
    assert channel.author_detail == {"name": "Ada Host", "email": "ada@example.org"}
    assert channel.publisher_detail == {"name": "Ada Host", "email": "ada@example.org"}
    assert channel.image.href == built.base_url + "cover.png"
    assert [tag.term for tag in channel.tags] == ["Technology"]
    assert {"rel": "self", "href": built.base_url + "feed.xml", "type": "application/rss+xml"} in [
        dict(link) for link in channel.links
    ]
    # Served from this computer: the title tells this show from others there.
    feed_address = built.base_url.removeprefix("http://") + "feed.xml#Two Voices & <Friends>"
    assert channel.podcast_guid == str(uuid.uuid5(PODCAST_GUID_NAMESPACE, feed_address))
    assert not channel.get("itunes_explicit")  # feedparser: None unless "yes"


def test_feedparser_sees_every_item_field(built: Built) -> None:
    parsed = feedparser.parse(built.feed)
    entries = {entry.id: entry for entry in parsed.entries}
    dates = {"01-radios": (2024, 1, 15, 12), "02-escaping": (2024, 2, 1, 12)}
    for slug in SLUGS:
        entry = entries[built.guid(slug)]
        audio = built.out_dir / f"{slug}.mp3"
        assert entry.guidislink is False
        assert entry.link == f"{built.base_url}{slug}.html"
        assert entry.published_parsed[:4] == dates[slug]
        enclosure = next(link for link in entry.links if link.rel == "enclosure")
        assert enclosure.href == f"{built.base_url}{slug}.mp3"
        assert enclosure.length == str(audio.stat().st_size)
        assert enclosure.type == "audio/mpeg"
        assert abs(int(entry.itunes_duration) - mp3_seconds(audio)) <= 1
        assert entry.itunes_episode == str(SLUGS.index(slug) + 1)
        assert entry.image.href == f"{built.base_url}{slug}.png"
        assert "00:00:00 " in entry.summary
        assert entry.podcast_chapters == {
            "url": f"{built.base_url}{slug}.chapters.json",
            "type": "application/json+chapters",
        }
        # feedparser keeps the last of the three transcripts only.
        assert entry.podcast_transcript["url"].startswith(f"{built.base_url}{slug}.")
    assert entries[built.guid("02-escaping")].title == NASTY_TITLE


# --- the XML itself ------------------------------------------------------------------------


def test_channel_tags_in_the_xml(built: Built) -> None:
    channel = channel_of(built.feed)
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None
    assert self_link.attrib == {
        "href": built.base_url + "feed.xml",
        "rel": "self",
        "type": "application/rss+xml",
    }
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    category = channel.find(f"{ITUNES}category")
    assert category is not None and category.get("text") == "Technology"
    image = channel.find(f"{ITUNES}image")
    assert image is not None and image.get("href") == built.base_url + "cover.png"
    assert channel.findtext(f"{PODCAST}guid")


def test_item_tags_in_the_xml(built: Built) -> None:
    items = items_by_guid(built.feed)
    persons = {
        "01-radios": [("host", "Ada Host"), ("guest", "Nestor Portillo")],
        "02-escaping": [("host", "Ada Host"), ("guest", "Jane <Doe> & Co")],
    }
    for slug in SLUGS:
        item = items[built.guid(slug)]
        guid = item.find("guid")
        # Without isPermaLink="false" gPodder reads the guid as a URL.
        assert guid is not None and guid.get("isPermaLink") == "false"
        assert item.findtext(f"{ITUNES}episode") == str(SLUGS.index(slug) + 1)
        assert item.findtext(f"{ITUNES}explicit") == "false"
        image = item.find(f"{ITUNES}image")
        assert image is not None and image.get("href") == f"{built.base_url}{slug}.png"
        base = f"{built.base_url}{slug}"
        assert [t.attrib for t in item.findall(f"{PODCAST}transcript")] == [
            {"url": f"{base}.vtt", "type": "text/vtt", "language": "en", "rel": "captions"},
            {"url": f"{base}.srt", "type": "application/x-subrip", "language": "en"},
            {"url": f"{base}.transcript.json", "type": "application/json", "language": "en"},
        ]
        chapters = item.find(f"{PODCAST}chapters")
        assert chapters is not None
        assert chapters.attrib == {
            "url": f"{base}.chapters.json",
            "type": "application/json+chapters",
        }
        assert [(p.get("role"), p.text) for p in item.findall(f"{PODCAST}person")] == persons[slug]


def test_itunes_duration_is_the_audio_duration(built: Built) -> None:
    items = items_by_guid(built.feed)
    for slug in SLUGS:
        duration_s = int(items[built.guid(slug)].findtext(f"{ITUNES}duration", "-1"))
        assert abs(duration_s - mp3_seconds(built.out_dir / f"{slug}.mp3")) <= 1


def feed_urls(feed: bytes) -> set[str]:
    """Every URL the feed points apps to: enclosures, images, transcripts, chapters, pages."""
    root = ET.fromstring(feed)
    urls = {element.get("url") or element.get("href") for element in root.iter()}
    urls |= {element.text for element in root.iter() if element.tag in ("link", "url")}
    return {url for url in urls if url and url.startswith("http")}


def test_every_linked_file_answers_200_with_its_bytes(built: Built) -> None:
    urls = feed_urls(built.feed)
    assert len(urls) >= 2 * 7 + 3  # per episode: audio, image, 3 transcripts, chapters, page
    for url in sorted(urls):
        assert url.startswith(built.base_url), url
        path = urlsplit(url).path
        status, body = http_get(built.port, path)
        assert status == 200, url
        name = path.lstrip("/") or "index.html"
        assert body == (built.out_dir / name).read_bytes(), url


# --- nothing changed, nothing rewritten --------------------------------------------------


def test_rebuild_with_nothing_changed_rewrites_nothing(built: Built) -> None:
    before = snapshot(built.out_dir)
    result = build(built.show_dir, built.cache_dir)
    after = snapshot(built.out_dir)
    assert "built 0, unchanged 2, failed 0; feed unchanged" in result.stderr
    assert after.keys() == before.keys()
    changed = [name for name in before if after[name] != before[name]]
    assert changed == [], "rewritten (bytes or mtime): " + ", ".join(changed)


def test_guids_survive_a_new_base_url(built: Built, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(built.show_dir, moved)  # out/ too, mtimes kept
    mp3_mtimes = {slug: (moved / "out" / f"{slug}.mp3").stat().st_mtime_ns for slug in SLUGS}
    set_base_url(moved, "https://podcasts.example.org/two-voices/")
    result = build(moved, built.cache_dir)
    assert "built 0, unchanged 2" in result.stderr  # the audio does not depend on the URL
    feed = (moved / "out" / "feed.xml").read_bytes()
    assert set(items_by_guid(feed)) == set(items_by_guid(built.feed))
    parsed = podcastparser.parse(
        "https://podcasts.example.org/two-voices/feed.xml", io.BytesIO(feed)
    )
    assert [e["guid"] for e in parsed["episodes"]] == [
        built.guid("02-escaping"),
        built.guid("01-radios"),
    ]
    assert all(
        e["enclosures"][0]["url"].startswith("https://podcasts.example.org/two-voices/")
        for e in parsed["episodes"]
    )
    for slug in SLUGS:
        assert (moved / "out" / f"{slug}.mp3").stat().st_mtime_ns == mp3_mtimes[slug]


def test_a_copy_elsewhere_builds_the_same_guids_and_feed(built: Built, tmp_path: Path) -> None:
    # Another folder, no out/ yet: as on another machine (same speech cache, so
    # the audio and every size in the feed are the same too).
    copy = make_show(tmp_path / "elsewhere" / "deeper", base_url=built.base_url)
    build(copy, built.cache_dir)
    feed = (copy / "out" / "feed.xml").read_bytes()
    assert set(items_by_guid(feed)) == {built.guid(slug) for slug in SLUGS}
    assert feed == built.feed


# --- text that looks like markup stays text ------------------------------------------------


class PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.script_tags: list[dict[str, str | None]] = []
        self.h1 = ""
        self._in_h1 = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.script_tags.append(dict(attrs))
        self._in_h1 = tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_h1:
            self.h1 += data


def scan(path: Path) -> PageScan:
    page = PageScan()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_markup_in_titles_and_transcripts_stays_text(built: Built) -> None:
    root = ET.fromstring(built.feed)  # raises on invalid XML
    assert NASTY_TITLE in [item.findtext("title") for item in root.iter("item")]
    assert b"<script" not in built.feed  # only ever escaped
    page = scan(built.out_dir / "02-escaping.html")
    assert page.h1 == NASTY_TITLE
    assert page.script_tags == [{"src": "qacast.js"}]  # the title's <script> is text
    text = "".join(page.text)
    assert "Jane <Doe> & Co" in text  # the guest's name, in the transcript
    assert 'Not here & not "now". 🎙️' in text
    index = scan(built.out_dir / "index.html")
    assert index.script_tags == []
    assert NASTY_TITLE in "".join(index.text)
    assert "<script" not in (built.out_dir / "02-escaping.vtt").read_text(encoding="utf-8")
