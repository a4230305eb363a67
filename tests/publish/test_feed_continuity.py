"""The feed's identity and reach tags, read back by tools that did not write
them: lxml for the podcast: namespace (podcastparser knows only its old
address), podcastparser for itunes:new-feed-url, feedparser for the channel
guid; and a real `qacast build` of a show that moves here from another host.

- podcast:guid: the Podcasting 2.0 UUIDv5 of the feed address, kept once
  published (out/feed.xml at a public address, or the imported old feed);
- item guids imported from the old feed, by title or by season and number;
- itunes:new-feed-url for a show moving away;
- podcast:txt, podcast:trailer and the channel's podcast:person hosts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import io
import uuid
from pathlib import Path

import feedparser
import podcastparser
import pytest
from build_helpers import SLUGS, build, make_show, run_qacast, session_cache
from lxml import etree

from qacast.config import PersonLinks, load_show
from qacast.errors import ConfigError
from qacast.publish.continuity import (
    PODCAST_GUID_NAMESPACE,
    EpisodeKey,
    OldItem,
    imported_guids,
    read_old_feed,
)
from qacast.publish.feed import PODCAST_NS, build_feed

from publish_helpers import TinyShow, build_tiny_show, with_base_url

NS = {"podcast": PODCAST_NS, "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
OLD_PODCAST_GUID = "0b9a6f1e-2c3d-5e4f-8a7b-6c5d4e3f2a1b"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> TinyShow:
    return build_tiny_show(tmp_path_factory.mktemp("continuity"))


def channel_of(data: bytes) -> etree._Element:
    channel = etree.fromstring(data).find("channel")
    assert channel is not None
    return channel


def guid_of(data: bytes) -> str:
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.bozo_exception
    return str(parsed.feed.podcast_guid)


def old_feed_xml(items: str, guid: str = OLD_PODCAST_GUID) -> str:
    # The namespace's old address, as feeds made before 2021 still carry it.
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>The old home</title>
<atom:link href="https://old-host.example.net/show/rss" rel="self" type="application/rss+xml"/>
<podcast:guid>{guid}</podcast:guid>
{items}
</channel>
</rss>
"""


def test_podcast_guid_is_the_uuid5_of_the_feed_address(tiny: TinyShow) -> None:
    # The spec's own example pins the namespace: podnews.net/rss.
    example = uuid.uuid5(PODCAST_GUID_NAMESPACE, "podnews.net/rss")
    assert str(example) == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    public = with_base_url(tiny, "https://example.org/show/")
    data = build_feed(public.show, public.episodes, out_dir=tiny.out_dir)
    expected = uuid.uuid5(PODCAST_GUID_NAMESPACE, "example.org/show/feed.xml")
    assert guid_of(data) == str(expected)
    assert uuid.UUID(guid_of(data)).version == 5


def test_published_guid_is_kept_when_the_address_changes(tmp_path: Path) -> None:
    tiny = build_tiny_show(tmp_path, base_url="https://first.example.org/")
    first = build_feed(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    (tiny.out_dir / "feed.xml").write_bytes(first)
    moved = with_base_url(tiny, "https://second.example.org/cast/")
    second = build_feed(moved.show, moved.episodes, out_dir=tiny.out_dir)
    assert guid_of(second) == guid_of(first)
    assert channel_of(second).find("{http://www.w3.org/2005/Atom}link").get("href") == (
        "https://second.example.org/cast/feed.xml"
    )


def test_a_guid_built_for_this_computer_is_not_kept(tmp_path: Path) -> None:
    tiny = build_tiny_show(tmp_path)  # http://127.0.0.1:8000/: never published
    (tiny.out_dir / "feed.xml").write_bytes(
        build_feed(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    )
    public = with_base_url(tiny, "https://example.org/")
    data = build_feed(public.show, public.episodes, out_dir=tiny.out_dir)
    assert guid_of(data) == str(uuid.uuid5(PODCAST_GUID_NAMESPACE, "example.org/feed.xml"))


def test_imported_feed_gives_the_channel_guid(tiny: TinyShow, tmp_path: Path) -> None:
    old = tmp_path / "old.xml"
    old.write_text(old_feed_xml(""), encoding="utf-8")
    show = dataclasses.replace(tiny.show, import_feed=old, base_url="https://new.example.org/")
    assert guid_of(build_feed(show, tiny.episodes, out_dir=tiny.out_dir)) == OLD_PODCAST_GUID


def test_guids_match_by_title_then_by_number() -> None:
    items = [
        OldItem("old-1", "Fixing  RADIOS", None, 1),
        OldItem("old-2", "An old title", 1, 2),
        OldItem("old-3", "Twin", None, None),
        OldItem("old-4", "twin", None, None),
    ]
    episodes = [
        EpisodeKey("a", "Fixing radios", 1, 7),  # title wins over the number
        EpisodeKey("b", "A new title", None, 2),  # season 1 unless said
        EpisodeKey("c", "Twin", None, None),  # two items so titled: neither
        EpisodeKey("d", "Unknown", 2, 2),
    ]
    assert imported_guids(items, episodes) == {"a": "old-1", "b": "old-2"}


def test_new_feed_url_reaches_podcastparser(tiny: TinyShow) -> None:
    moving = dataclasses.replace(tiny.show, new_feed_url="https://new.example.org/feed.xml")
    data = build_feed(moving, tiny.episodes, out_dir=tiny.out_dir)
    parsed = podcastparser.parse(moving.feed_url, io.BytesIO(data))
    assert parsed["new_url"] == "https://new.example.org/feed.xml"
    assert b"new-feed-url" not in build_feed(tiny.show, tiny.episodes, out_dir=tiny.out_dir)


def test_txt_trailer_and_hosts_on_the_channel(tiny: TinyShow) -> None:
    show = dataclasses.replace(
        tiny.show,
        txt={"verify": "S6lpp-7ZCn8-dZfGc", "": "a note & <more>"},
        hosts=("Ada Host", "Bo Cohost"),
        people={"Ada Host": PersonLinks("https://example.org/ada", "https://example.org/a.jpg")},
    )
    first, second = tiny.episodes
    meta = dataclasses.replace(first.episode.meta, episode_type="trailer", season=2)
    trailer = dataclasses.replace(first, episode=dataclasses.replace(first.episode, meta=meta))
    channel = channel_of(build_feed(show, [trailer, second], out_dir=tiny.out_dir))
    txts = channel.findall("podcast:txt", NS)
    assert [(t.get("purpose"), t.text) for t in txts] == [
        ("verify", "S6lpp-7ZCn8-dZfGc"),
        (None, "a note & <more>"),
    ]
    hosts = channel.findall("podcast:person", NS)
    assert [(p.text, p.get("role"), p.get("href"), p.get("img")) for p in hosts] == [
        ("Ada Host", "host", "https://example.org/ada", "https://example.org/a.jpg"),
        ("Bo Cohost", "host", None, None),
    ]
    (element,) = channel.findall("podcast:trailer", NS)
    assert element.text == meta.title
    assert element.get("url") == "http://127.0.0.1:8000/first-episode.mp3"
    assert element.get("length") == str(first.audio[0].path.stat().st_size)
    assert element.get("type") == "audio/mpeg"
    assert element.get("season") == "2"
    when = email.utils.parsedate_to_datetime(element.get("pubdate", ""))
    assert when.date() == first.pub_date
    # The same episode is still an item, with its own itunes:episodeType.
    types = channel.xpath("item/itunes:episodeType/text()", namespaces=NS)
    assert sorted(types) == ["full", "trailer"]


def test_no_trailer_txt_or_host_unless_given(tiny: TinyShow) -> None:
    channel = channel_of(build_feed(tiny.show, tiny.episodes, out_dir=tiny.out_dir))
    for tag in ("txt", "trailer", "person"):
        assert channel.find(f"podcast:{tag}", NS) is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('subscribe = { itunes = "https://example.org" }', "directory = URL"),
        ('subscribe = { apple = "podcasts.apple.com/x" }', r"http\(s\) URL"),
        ('txt = { verify = "" }', "not be empty"),
        (f'txt = "{"x" * 4001}"', "4000"),
        ('hosts = "Ada Host"', "list of names"),
        ('hosts = ["Ada", "Ada"]', "each person once"),
        ('import_feed = "../elsewhere.xml"', "inside the show folder"),
        ('import_feed = "missing.xml"', "existing file"),
        ('new_feed_url = "ftp://example.org/feed.xml"', r"http\(s\) URL"),
    ],
)
def test_bad_reach_settings_fail_with_one_line(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "qacast.toml").write_text(f'title = "T"\n{line}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_show(tmp_path)
    assert "\n" not in str(caught.value)


def test_an_import_feed_that_is_no_feed_fails_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "old.xml"
    bad.write_text("<html><body>not a feed</body></html>", encoding="utf-8")
    with pytest.raises(ConfigError, match="not an RSS feed"):
        read_old_feed(bad)
    bad.write_text("<rss><channel>", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot be read as an RSS feed"):
        read_old_feed(bad)


def test_a_show_moving_here_keeps_its_guids(tmp_path_factory: pytest.TempPathFactory) -> None:
    show_dir = make_show(tmp_path_factory.mktemp("moving"), base_url="https://new.example.org/")
    items = """
<item><title>Fixing Radios</title><guid isPermaLink="false">old-host-radios</guid>
  <enclosure url="https://old-host.example.net/r.mp3" length="1" type="audio/mpeg"/></item>
<item><title>Renamed since</title><itunes:episode>2</itunes:episode>
  <enclosure url="https://old-host.example.net/e.mp3" length="1" type="audio/mpeg"/></item>
"""
    (show_dir / "old-feed.xml").write_text(old_feed_xml(items), encoding="utf-8")
    config = show_dir / "qacast.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'import_feed = "old-feed.xml"\n', encoding="utf-8"
    )
    build(show_dir, session_cache(tmp_path_factory))
    data = (show_dir / "out" / "feed.xml").read_bytes()
    parsed = podcastparser.parse("https://new.example.org/feed.xml", io.BytesIO(data))
    by_link = {
        episode["link"].rsplit("/", 1)[-1]: episode["guid"] for episode in parsed["episodes"]
    }
    assert by_link == {
        f"{SLUGS[0]}.html": "old-host-radios",
        # No guid in the old item: apps knew it by its enclosure's address.
        f"{SLUGS[1]}.html": "https://old-host.example.net/e.mp3",
    }
    assert guid_of(data) == OLD_PODCAST_GUID
    # The import is remembered: without the old feed the guids stay.
    config.write_text(
        config.read_text(encoding="utf-8").replace('import_feed = "old-feed.xml"\n', ""),
        encoding="utf-8",
    )
    build(show_dir, session_cache(tmp_path_factory))
    again = (show_dir / "out" / "feed.xml").read_bytes()
    assert guid_of(again) == OLD_PODCAST_GUID
    parsed = podcastparser.parse("https://new.example.org/feed.xml", io.BytesIO(again))
    assert {episode["guid"] for episode in parsed["episodes"]} == set(by_link.values())


def test_a_broken_import_feed_stops_the_build_with_one_line(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    show_dir = make_show(tmp_path_factory.mktemp("broken-import"))
    (show_dir / "old-feed.xml").write_text("not xml at all", encoding="utf-8")
    config = show_dir / "qacast.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'import_feed = "old-feed.xml"\n', encoding="utf-8"
    )
    result = run_qacast("build", show_dir, cache_dir=session_cache(tmp_path_factory))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "old-feed.xml: cannot be read as an RSS feed" in result.stderr
    assert not (show_dir / "out" / "feed.xml").exists()


def test_trailer_from_front_matter_in_a_real_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    show_dir = make_show(tmp_path_factory.mktemp("trailer"))
    script = show_dir / "scripts" / f"{SLUGS[0]}.txt"
    script.write_text(
        script.read_text(encoding="utf-8").replace("episode: 1\n", "episode: 1\ntype: trailer\n"),
        encoding="utf-8",
    )
    build(show_dir, session_cache(tmp_path_factory))
    channel = channel_of((show_dir / "out" / "feed.xml").read_bytes())
    (trailer,) = channel.findall("podcast:trailer", NS)
    assert trailer.text == "Fixing Radios"
    assert trailer.get("url") == f"http://127.0.0.1:8000/{SLUGS[0]}.mp3"
    assert dt.date.fromisoformat("2024-01-15") == (
        email.utils.parsedate_to_datetime(trailer.get("pubdate", "")).date()
    )
