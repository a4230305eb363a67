from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from qacast.publish.site import TranscriptCue, build_site, parse_webvtt

from publish_helpers import NASTY_TITLE, TinyShow, build_tiny_show


@pytest.fixture()
def tiny(tmp_path: Path) -> TinyShow:
    return build_tiny_show(tmp_path)


class ElementCollector(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def collect(path: Path) -> ElementCollector:
    collector = ElementCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_writes_index_and_a_page_per_episode(tiny: TinyShow) -> None:
    written = build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    names = {path.name for path in written}
    assert {"index.html", "first-episode.html", "second-episode.html"} <= names
    assert {"qacast.js", "cover.jpg", "cover.thumb.jpg", "first-episode.thumb.jpg"} <= names
    assert "qacast.css" not in names  # inlined in each page
    assert all(path.parent == tiny.out_dir and path.is_file() for path in written)


def test_index_lists_episodes_and_links_the_feed(tiny: TinyShow) -> None:
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    index = collect(tiny.out_dir / "index.html")
    hrefs = [attrs.get("href") for tag, attrs in index.tags if tag == "a"]
    assert "feed.xml" in hrefs
    assert hrefs.index("second-episode.html") < hrefs.index("first-episode.html")  # newest first
    assert ("img", {"class": "cover", "src": "cover.thumb.jpg"}) in [
        (tag, {k: v for k, v in attrs.items() if k in ("class", "src")})
        for tag, attrs in index.tags
    ]
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in (
        index.tags
    )


def test_episode_page_has_player_chapters_transcript_download(tiny: TinyShow) -> None:
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    page = collect(tiny.out_dir / "first-episode.html")
    tags = page.tags
    audio = {
        "id": "player",
        "controls": None,
        "preload": "none",  # qacast.js asks for the metadata once the page is in
        "aria-label": f"Listen to {NASTY_TITLE}",
    }
    assert ("audio", audio) in tags
    assert ("source", {"src": "first-episode.mp3", "type": "audio/mpeg"}) in tags
    seek_buttons = [attrs for tag, attrs in tags if tag == "button" and "data-seek" in attrs]
    assert [b["data-start"] for b in seek_buttons] == ["0.000", "1.500"]
    cues = [attrs for tag, attrs in tags if tag == "p" and "data-cue" in attrs]
    assert [(c["data-start"], c["data-end"]) for c in cues][:3] == [
        ("0.100", "0.700"),
        ("0.800", "1.200"),
        ("1.200", "1.400"),
    ]
    downloads = [attrs for tag, attrs in tags if tag == "a" and "download" in attrs]
    assert downloads and downloads[0]["href"] == "first-episode.mp3"
    assert ("script", {"src": "qacast.js"}) in tags


def test_script_in_titles_and_transcripts_is_inert(tiny: TinyShow) -> None:
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    for name in ("index.html", "first-episode.html"):
        text = (tiny.out_dir / name).read_text(encoding="utf-8")
        page = collect(tiny.out_dir / name)
        scripts = [attrs for tag, attrs in page.tags if tag == "script"]
        # The only script is our own file; the ones in titles and cues are text.
        assert all(attrs == {"src": "qacast.js"} for attrs in scripts)
        assert not any("alert" in data for data in page.scripts)
        assert "&lt;script&gt;alert(" in text
        assert "<script>alert" not in text
    episode_text = (tiny.out_dir / "first-episode.html").read_text(encoding="utf-8")
    assert "Tom &amp; Jerry" in episode_text
    assert "🎙️" in episode_text
    assert NASTY_TITLE not in episode_text  # only ever escaped


def test_pages_load_nothing_from_elsewhere(tiny: TinyShow) -> None:
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    base = tiny.show.base_url
    for name in ("index.html", "first-episode.html", "second-episode.html"):
        text = (tiny.out_dir / name).read_text(encoding="utf-8")
        urls = re.findall(r"https?://[^\s\"'<>)]+", text)
        # Absolute URLs only under the show's own address: the feed to paste,
        # the canonical and autodiscovery links, the link-preview cards.
        assert all(url.startswith(base) for url in urls), urls
        assert re.search(r"[\"'(=]//", text) is None  # no protocol-relative URLs either
    for name in ("index.html", "first-episode.html"):
        page = collect(tiny.out_dir / name)
        for tag, attrs in page.tags:
            # What a browser fetches to show the page is all in out/, by relative URL.
            loaded = attrs.get("src") or (attrs.get("href") if tag == "link" else None)
            if loaded is not None and attrs.get("rel") not in ("canonical", "alternate"):
                assert "://" not in loaded or loaded.startswith("data:"), loaded
                assert not loaded.startswith("/"), loaded
            if tag == "a":
                href = attrs.get("href") or ""
                assert "://" not in href and not href.startswith("/"), href


def test_same_inputs_same_bytes_and_nothing_rewritten(tiny: TinyShow) -> None:
    written = build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in written}
    again = build_site(tiny.show, list(reversed(tiny.episodes)), out_dir=tiny.out_dir)
    assert set(again) == set(before)
    for path in again:
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before[path]


def test_parse_webvtt_reads_voices_entities_and_skips_notes() -> None:
    text = (
        "WEBVTT\n\nNOTE a comment\n\n"
        "intro\n00:00.500 --> 00:01.250 align:start\n<v Ada &amp; Co>Hello &lt;b&gt;\nworld\n\n"
        "01:00:00.000 --> 01:00:02.000\n<v.loud Bob>Hi <i>there</i>\n"
    )
    assert parse_webvtt(text) == (
        TranscriptCue(500, 1250, "Ada & Co", "Hello <b> world"),
        TranscriptCue(3_600_000, 3_602_000, "Bob", "Hi there"),
    )


def test_parse_webvtt_rejects_other_files() -> None:
    with pytest.raises(ValueError, match="not a WebVTT file"):
        parse_webvtt("1\n00:00:01,000 --> 00:00:02,000\nHi\n", source="x.srt")
