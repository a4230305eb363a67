"""The feed, read back by the parsers podcast apps use (podcastparser is
gPodder's, feedparser many others') and by ElementTree for the podcast: tags
neither keeps whole: podcastparser knows only the namespace's old address and
feedparser keeps only the last of repeated elements."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import podcastparser
import pytest

from qacast.config import PersonLinks
from qacast.models import EpisodeFile
from qacast.publish.catalog import episode_guid
from qacast.publish.feed import PODCAST_GUID_NAMESPACE, PODCAST_NS, build_feed, podcast_guid

from publish_helpers import NASTY_TITLE, TinyShow, build_tiny_show, mp3_seconds, with_base_url

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = f"{{{PODCAST_NS}}}"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> TinyShow:
    return build_tiny_show(tmp_path_factory.mktemp("feed"))


@pytest.fixture(scope="module")
def feed_bytes(tiny: TinyShow) -> bytes:
    return build_feed(tiny.show, tiny.episodes, out_dir=tiny.out_dir)


def by_guid(items: list[ET.Element]) -> dict[str, ET.Element]:
    return {item.findtext("guid", ""): item for item in items}


def test_podcastparser_sees_channel_fields(tiny: TinyShow, feed_bytes: bytes) -> None:
    parsed = podcastparser.parse(tiny.show.feed_url, io.BytesIO(feed_bytes))
    assert parsed["title"] == "Tiny <Show> & Friends"
    assert parsed["description"] == "A show about <things> & more."
    assert parsed["link"] == "http://127.0.0.1:8000/"
    assert parsed["language"] == "en"
    assert parsed["itunes_author"] == "Ada Host"
    assert parsed["itunes_owner"] == {"name": "Ada Host", "email": "ada@example.org"}
    assert parsed["itunes_categories"] == [["Technology"]]
    assert parsed["cover_url"] == "http://127.0.0.1:8000/cover.jpg"
    assert parsed["explicit"] is False
    assert parsed["type"] == "episodic"


def test_podcastparser_sees_item_fields(tiny: TinyShow, feed_bytes: bytes) -> None:
    parsed = podcastparser.parse(tiny.show.feed_url, io.BytesIO(feed_bytes))
    episodes = {episode["guid"]: episode for episode in parsed["episodes"]}
    assert set(episodes) == {published.guid for published in tiny.episodes}
    # Newest first, as apps expect.
    assert [episode["number"] for episode in parsed["episodes"]] == [2, 1]
    for published in tiny.episodes:
        episode = episodes[published.guid]
        audio = published.audio[0].path
        assert episode["title"] == published.episode.meta.title
        assert episode["link"] == f"http://127.0.0.1:8000/{published.slug}.html"
        assert episode["enclosures"] == [
            {
                "url": f"http://127.0.0.1:8000/{audio.name}",
                "file_size": audio.stat().st_size,
                "mime_type": "audio/mpeg",
            }
        ]
        assert abs(episode["total_time"] - mp3_seconds(audio)) <= 1
        assert episode["number"] == published.episode.meta.episode_number
        assert episode["season"] == 1
        assert episode["type"] == "full"
        assert episode["explicit"] is False
        assert episode["episode_art_url"] == f"http://127.0.0.1:8000/{published.slug}.jpg"
        noon_utc = dt.datetime.combine(published.pub_date, dt.time(12), tzinfo=dt.timezone.utc)
        assert episode["published"] == int(noon_utc.timestamp())
        assert "00:00:00 Opening" in episode["description"]
        assert "00:00:01 Second <part>" in episode["description"]


def test_published_date_is_noon_utc_of_the_given_day(tiny: TinyShow, feed_bytes: bytes) -> None:
    parsed = podcastparser.parse(tiny.show.feed_url, io.BytesIO(feed_bytes))
    first = next(e for e in parsed["episodes"] if e["number"] == 1)
    assert first["published"] == 1705320000  # 2024-01-15 12:00:00 UTC


def test_feedparser_sees_channel_and_item_fields(tiny: TinyShow, feed_bytes: bytes) -> None:
    parsed = feedparser.parse(feed_bytes)
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = parsed.feed
    assert channel.title == "Tiny <Show> & Friends"
    assert channel.link == "http://127.0.0.1:8000/"
    assert channel.language == "en"
    assert channel.rights == "© 2024 Ada Host"
    assert channel.author_detail == {"name": "Ada Host", "email": "ada@example.org"}
    assert channel.image.href == "http://127.0.0.1:8000/cover.jpg"
    assert {"rel": "self", "href": tiny.show.feed_url, "type": "application/rss+xml"} in [
        dict(link) for link in channel.links
    ]
    assert channel.tags[0].term == "Technology"
    assert channel.podcast_guid == podcast_guid(tiny.show)
    # lastBuildDate is the newest episode's date, not the build clock.
    assert channel.updated == "Thu, 01 Feb 2024 12:00:00 +0000"
    entries = {entry.id: entry for entry in parsed.entries}
    for published in tiny.episodes:
        entry = entries[published.guid]
        assert entry.guidislink is False
        assert entry.title == published.episode.meta.title
        assert entry.itunes_episode == str(published.episode.meta.episode_number)
        assert entry.itunes_season == "1"
        assert entry.itunes_episodetype == "full"
        assert int(entry.itunes_duration) == round(published.audio[0].duration_ms / 1000)
        assert entry.image.href.endswith(f"/{published.slug}.jpg")
        enclosure = next(link for link in entry.links if link.rel == "enclosure")
        assert enclosure.length == str(published.audio[0].path.stat().st_size)
        assert entry.podcast_chapters == {
            "url": f"http://127.0.0.1:8000/{published.slug}.chapters.json",
            "type": "application/json+chapters",
        }
        assert entry.published_parsed[:3] == published.pub_date.timetuple()[:3]


def test_channel_tags_in_the_xml(tiny: TinyShow, feed_bytes: bytes) -> None:
    channel = ET.fromstring(feed_bytes).find("channel")
    assert channel is not None
    assert channel.findtext(f"{ITUNES}explicit") == "false"  # Apple: true/false
    assert channel.findtext("copyright") == "© 2024 Ada Host"
    assert channel.findtext("description") == "A show about <things> & more."
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None and self_link.get("href") == tiny.show.feed_url
    assert self_link.get("rel") == "self"
    image = channel.find(f"{ITUNES}image")
    assert image is not None and image.get("href") == "http://127.0.0.1:8000/cover.jpg"
    owner = channel.find(f"{ITUNES}owner")
    assert owner is not None and owner.findtext(f"{ITUNES}email") == "ada@example.org"
    # A loopback address is shared by every show: the title tells them apart.
    assert channel.findtext(f"{PODCAST}guid") == str(
        uuid.uuid5(PODCAST_GUID_NAMESPACE, "127.0.0.1:8000/feed.xml#Tiny <Show> & Friends")
    )
    # No version string that would change the bytes on a feedgen upgrade.
    assert channel.findtext("generator") == "qacast"


def test_podcast_namespace_item_tags(tiny: TinyShow, feed_bytes: bytes) -> None:
    channel = ET.fromstring(feed_bytes).find("channel")
    assert channel is not None
    items = by_guid(channel.findall("item"))
    for published in tiny.episodes:
        item = items[published.guid]
        guid = item.find("guid")
        # Without isPermaLink="false" gPodder reads the guid as a URL.
        assert guid is not None and guid.get("isPermaLink") == "false"
        assert item.findtext(f"{ITUNES}explicit") == "false"
        assert item.findtext(f"{ITUNES}duration") == str(
            round(published.audio[0].duration_ms / 1000)
        )
        transcripts = [t.attrib for t in item.findall(f"{PODCAST}transcript")]
        base = f"http://127.0.0.1:8000/{published.slug}"
        assert transcripts == [
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
        persons = [(p.get("role"), p.text) for p in item.findall(f"{PODCAST}person")]
        assert persons == [("host", "Stephen <Host> Ibaraki"), ("guest", "Nestor J. Portillo")]


def test_itunes_duration_within_a_second_of_the_file(tiny: TinyShow, feed_bytes: bytes) -> None:
    channel = ET.fromstring(feed_bytes).find("channel")
    assert channel is not None
    items = by_guid(channel.findall("item"))
    for published in tiny.episodes:
        duration_s = int(items[published.guid].findtext(f"{ITUNES}duration", "-1"))
        assert abs(duration_s - mp3_seconds(published.audio[0].path)) <= 1


def test_same_inputs_same_bytes(tiny: TinyShow, feed_bytes: bytes) -> None:
    again = build_feed(tiny.show, list(reversed(tiny.episodes)), out_dir=tiny.out_dir)
    assert again == feed_bytes


def test_guids_survive_a_new_base_url(tiny: TinyShow, feed_bytes: bytes) -> None:
    moved = with_base_url(tiny, "https://podcasts.example.org/tiny/")
    moved_bytes = build_feed(moved.show, moved.episodes, out_dir=moved.out_dir)
    old = podcastparser.parse(tiny.show.feed_url, io.BytesIO(feed_bytes))
    new = podcastparser.parse(moved.show.feed_url, io.BytesIO(moved_bytes))
    assert [e["guid"] for e in new["episodes"]] == [e["guid"] for e in old["episodes"]]
    assert new["episodes"][0]["enclosures"][0]["url"].startswith(
        "https://podcasts.example.org/tiny/"
    )
    for published in tiny.episodes:
        assert episode_guid(moved.show, published.slug) == published.guid


def test_guid_depends_on_namespace_and_slug_only(tiny: TinyShow) -> None:
    show = tiny.show
    renamed = dataclasses.replace(show, title="Another title", show_dir=Path("/elsewhere"))
    assert episode_guid(renamed, "first-episode") == episode_guid(show, "first-episode")
    assert episode_guid(show, "first-episode") != episode_guid(show, "second-episode")
    assert episode_guid(show, "first-episode") == str(
        uuid.uuid5(uuid.UUID("8f4e2c1a-3b5d-4e6f-8a9b-0c1d2e3f4a5b"), "first-episode")
    )


def test_nasty_titles_stay_valid_xml(tiny: TinyShow, feed_bytes: bytes) -> None:
    root = ET.fromstring(feed_bytes)  # raises on invalid XML
    titles = [item.findtext("title") for item in root.iter("item")]
    assert NASTY_TITLE in titles
    assert b"<script>" not in feed_bytes  # only ever as escaped text
    parsed = feedparser.parse(feed_bytes)
    assert not parsed.bozo


def test_explicit_true_reaches_podcastparser(tiny: TinyShow) -> None:
    explicit = dataclasses.replace(tiny.show, explicit=True)
    data = build_feed(explicit, tiny.episodes, out_dir=tiny.out_dir)
    parsed = podcastparser.parse(explicit.feed_url, io.BytesIO(data))
    assert parsed["explicit"] is True
    assert all(episode["explicit"] is True for episode in parsed["episodes"])
    channel = ET.fromstring(data).find("channel")
    assert channel is not None and channel.findtext(f"{ITUNES}explicit") == "true"


def test_fixed_podcast_guid_survives_a_move(tiny: TinyShow) -> None:
    fixed = uuid.UUID("11111111-2222-5333-8444-555555555555")
    moved = dataclasses.replace(
        tiny.show, base_url="https://elsewhere.example.org/", podcast_guid=fixed
    )
    channel = ET.fromstring(build_feed(moved, [], out_dir=tiny.out_dir)).find("channel")
    assert channel is not None and channel.findtext(f"{PODCAST}guid") == str(fixed)


def test_empty_show_has_no_build_clock(tiny: TinyShow) -> None:
    data = build_feed(tiny.show, [], out_dir=tiny.out_dir)
    assert data == build_feed(tiny.show, [], out_dir=tiny.out_dir)
    channel = ET.fromstring(data).find("channel")
    assert channel is not None
    assert channel.find("lastBuildDate") is None
    assert channel.find("item") is None


def test_subcategory_is_nested(tiny: TinyShow) -> None:
    show = dataclasses.replace(tiny.show, category="News", subcategory="Tech News")
    parsed = podcastparser.parse(
        show.feed_url, io.BytesIO(build_feed(show, [], out_dir=tiny.out_dir))
    )
    assert parsed["itunes_categories"] == [["News", "Tech News"]]


@pytest.fixture(scope="module")
def rich(tiny: TinyShow) -> tuple[TinyShow, bytes]:
    """The tiny show with every optional feed field set, and an M4A beside each MP3."""
    show = dataclasses.replace(
        tiny.show,
        license="CC BY 4.0",
        funding_url="https://example.org/give",
        funding_text="Buy us a coffee",
        locked=True,
        people={
            "Nestor J. Portillo": PersonLinks(
                "https://example.org/njp", "https://example.org/njp.jpg"
            )
        },
    )
    episodes = []
    for index, published in enumerate(tiny.episodes):
        m4a = published.audio[0].path.with_suffix(".m4a")
        m4a.write_bytes(b"m4a stand-in " * (10 + index))
        extra = EpisodeFile(m4a, "audio/mp4", published.audio[0].duration_ms, m4a.stat().st_size)
        meta = dataclasses.replace(
            published.episode.meta,
            keywords=("engineering", "careers"),
            episode_type="trailer" if index == 0 else "bonus",
        )
        episode = dataclasses.replace(published.episode, meta=meta)
        episodes.append(
            dataclasses.replace(published, episode=episode, audio=(*published.audio, extra))
        )
    rich_show = TinyShow(show=show, episodes=episodes, out_dir=tiny.out_dir)
    return rich_show, build_feed(show, episodes, out_dir=tiny.out_dir)


def test_channel_podcasting_tags(rich: tuple[TinyShow, bytes]) -> None:
    _, data = rich
    channel = ET.fromstring(data).find("channel")
    assert channel is not None
    locked = channel.find(f"{PODCAST}locked")
    assert locked is not None and locked.text == "yes"
    assert locked.get("owner") == "ada@example.org"
    funding = channel.find(f"{PODCAST}funding")
    assert funding is not None and funding.get("url") == "https://example.org/give"
    assert funding.text == "Buy us a coffee"
    assert channel.findtext(f"{PODCAST}medium") == "podcast"
    assert channel.findtext(f"{PODCAST}license") == "CC BY 4.0"
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.podcast_medium == "podcast"


def test_channel_leaves_out_unset_podcasting_tags(feed_bytes: bytes) -> None:
    channel = ET.fromstring(feed_bytes).find("channel")
    assert channel is not None
    assert channel.find(f"{PODCAST}funding") is None
    assert channel.find(f"{PODCAST}license") is None
    locked = channel.find(f"{PODCAST}locked")
    assert locked is not None and locked.text == "no"
    assert channel.findtext(f"{PODCAST}medium") == "podcast"


def test_items_carry_title_notes_keywords_and_type(rich: tuple[TinyShow, bytes]) -> None:
    show, data = rich
    parsed = podcastparser.parse(show.show.feed_url, io.BytesIO(data))
    episodes = {episode["guid"]: episode for episode in parsed["episodes"]}
    for published in show.episodes:
        meta = published.episode.meta
        episode = episodes[published.guid]
        assert episode["type"] == meta.episode_type
        # content:encoded: the show notes as HTML, names escaped.
        assert "Stephen &lt;Host&gt; Ibaraki (host)" in episode["description_html"]
        assert "Topics: engineering, careers" in episode["description_html"]
    entries = {entry.id: entry for entry in feedparser.parse(data).entries}
    for published in show.episodes:
        entry = entries[published.guid]
        assert entry.itunes_episodetype == published.episode.meta.episode_type
        assert entry.content[0].value.startswith("<p>About ")
        # <category> per keyword, and itunes:keywords read as the same tags.
        assert {tag.term for tag in entry.tags} == {"engineering", "careers"}
    channel = ET.fromstring(data).find("channel")
    assert channel is not None
    for item in channel.findall("item"):
        published = next(p for p in show.episodes if p.guid == item.findtext("guid"))
        meta = published.episode.meta
        assert item.findtext(f"{ITUNES}title") == meta.title
        assert item.findtext(f"{ITUNES}keywords") == "engineering,careers"
        assert item.findtext(f"{ITUNES}episodeType") == meta.episode_type
        assert item.findtext(f"{PODCAST}season") == str(meta.season)
        assert item.findtext(f"{PODCAST}episode") == str(meta.episode_number)
        assert [c.text for c in item.findall("category")] == ["engineering", "careers"]
        assert item.find(f"{CONTENT}encoded") is not None


def test_alternate_enclosure_per_format(rich: tuple[TinyShow, bytes]) -> None:
    show, data = rich
    channel = ET.fromstring(data).find("channel")
    assert channel is not None
    for item in channel.findall("item"):
        published = next(p for p in show.episodes if p.guid == item.findtext("guid"))
        alternates = item.findall(f"{PODCAST}alternateEnclosure")
        assert len(alternates) == len(published.audio) == 2
        for alternate, file in zip(alternates, published.audio, strict=True):
            assert alternate.get("type") == file.mime_type
            assert alternate.get("length") == str(file.path.stat().st_size)
            source = alternate.find(f"{PODCAST}source")
            assert source is not None
            assert source.get("uri") == f"http://127.0.0.1:8000/{file.path.name}"
        # The first is the <enclosure> itself, and says so.
        assert [a.get("default") for a in alternates] == ["true", None]
        enclosure = item.find("enclosure")
        assert enclosure is not None and enclosure.get("url", "").endswith(".mp3")


def test_person_href_and_img(rich: tuple[TinyShow, bytes]) -> None:
    _, data = rich
    channel = ET.fromstring(data).find("channel")
    assert channel is not None
    item = channel.find("item")
    assert item is not None
    persons = {p.text: p for p in item.findall(f"{PODCAST}person")}
    guest = persons["Nestor J. Portillo"]
    assert guest.get("href") == "https://example.org/njp"
    assert guest.get("img") == "https://example.org/njp.jpg"
    host = persons["Stephen <Host> Ibaraki"]
    assert host.get("href") is None and host.get("img") is None
