"""Real clients against the show as published: a build uploaded by `qacast
publish` to a real S3 server (SeaweedFS's gateway) and fetched from that
server's own HTTP endpoint, as listeners would fetch it from a public bucket.
Nothing of qacast serves it: no address rewriting, no server of ours.

- gPodder (`gpo`) subscribes, updates and downloads every episode, each
  byte for byte as out/ holds it (verdict from gPodder's own database);
- podcastparser and feedparser read the feed as fetched; every file it links
  answers HEAD with its length and type, and the audio answers a byte range;
- Chromium opens an episode page: the player learns the duration, a chapter
  seeks it, the cover shows, nothing is requested outside the bucket and
  nothing goes to the console.

Needs the S3 server's wheel and the publish extra (skips otherwise), Debian's
gpodder for the gPodder part and chromium for the browser part.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser
import podcastparser
import pytest
from build_helpers import NASTY_TITLE, SLUGS, build, make_show, qacast_command, session_cache
from lxml import etree

from publish_servers import BUCKET, S3Server, s3_environment

pytestmark = pytest.mark.slow

PREFIX = "published-copy/"
PODCAST = "{https://podcastindex.org/namespace/1.0}"


@dataclass(frozen=True)
class Published:
    out_dir: Path
    base_url: str  # the bucket's prefix over HTTP, ending in "/"

    @property
    def feed_url(self) -> str:
        return self.base_url + "feed.xml"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, s3_server: S3Server) -> Iterator[Published]:
    root = tmp_path_factory.mktemp("published-copy")
    base_url = f"{s3_server.endpoint}/{BUCKET}/{PREFIX}"
    show_dir = make_show(root, base_url=base_url)
    build(show_dir, session_cache(tmp_path_factory))
    env = {**s3_environment(root / "home"), "AWS_ENDPOINT_URL": s3_server.endpoint}
    done = subprocess.run(
        [*qacast_command(), "publish", str(show_dir), "--to", f"s3://{BUCKET}/{PREFIX}"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    # publish checks the copy over HTTP itself (every file the feed names).
    assert done.returncode == 0, done.stdout + done.stderr
    yield Published(show_dir / "out", base_url)


def fetch(
    url: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def test_the_feed_is_served_as_built_and_parsers_read_it(published: Published) -> None:
    status, headers, feed = fetch(published.feed_url)
    assert status == 200 and feed == (published.out_dir / "feed.xml").read_bytes()
    assert headers["content-type"].startswith("application/rss+xml")
    parsed = podcastparser.parse(published.feed_url, io.BytesIO(feed))
    assert {episode["title"] for episode in parsed["episodes"]} == {"Fixing Radios", NASTY_TITLE}
    other = feedparser.parse(feed)
    assert not other.bozo, other.bozo_exception
    assert other.feed.podcast_guid  # the channel's identity travels with the copy
    for episode in parsed["episodes"]:
        (enclosure,) = episode["enclosures"]
        assert enclosure["url"].startswith(published.base_url)


def linked_files(feed: bytes) -> dict[str, str]:
    """URL -> the type the feed gives it, for every file the feed links."""
    channel = etree.fromstring(feed).find("channel")
    assert channel is not None
    links = {}
    for element in channel.iter("enclosure", f"{PODCAST}transcript", f"{PODCAST}chapters"):
        links[element.get("url", "")] = element.get("type", "")
    for element in channel.iter("{http://www.itunes.com/dtds/podcast-1.0.dtd}image"):
        links[element.get("href", "")] = ""
    return links


def test_every_linked_file_answers_with_its_length_and_type(published: Published) -> None:
    _, _, feed = fetch(published.feed_url)
    links = linked_files(feed)
    assert len(links) >= 2 * 5  # per episode: audio, VTT, SRT, JSON transcript, chapters
    for url, mime_type in links.items():
        status, headers, _ = fetch(url, "HEAD")
        local = published.out_dir / url.removeprefix(published.base_url)
        assert status == 200, url
        assert int(headers["content-length"]) == local.stat().st_size, url
        if mime_type and mime_type != "application/json+chapters":
            assert headers["content-type"].split(";")[0] == mime_type, url
    # Players seek by byte range.
    audio = published.base_url + f"{SLUGS[0]}.mp3"
    status, headers, body = fetch(audio, headers={"Range": "bytes=100-199"})
    assert status == 206 and body == (published.out_dir / f"{SLUGS[0]}.mp3").read_bytes()[100:200]


def test_gpodder_downloads_every_episode_from_the_bucket(
    published: Published, tmp_path: Path
) -> None:
    if shutil.which("gpo") is None:
        pytest.skip("gPodder's gpo is missing: install Debian's gpodder package")
    from test_gpodder import STATE_DOWNLOADED, Client

    home, downloads = tmp_path / "gpodder-home", tmp_path / "gpodder-downloads"
    home.mkdir()
    downloads.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "GPODDER_HOME": str(home),
        "GPODDER_DOWNLOAD_DIR": str(downloads),
    }
    client = Client(home, downloads, env)
    client.gpo("subscribe", published.feed_url)
    client.gpo("update")
    output = client.gpo("download").stdout
    rows = client.episodes()
    assert len(rows) == len(SLUGS), rows
    for row in rows:
        assert row["state"] == STATE_DOWNLOADED, (row, output)
        assert str(row["url"]).startswith(published.base_url)
        path = downloads / str(row["download_folder"]) / str(row["download_filename"])
        source = published.out_dir / Path(str(row["url"])).name
        assert path.read_bytes() == source.read_bytes(), path
    assert {row["title"] for row in rows} == {"Fixing Radios", NASTY_TITLE}
    client.gpo("update")  # the same guids again: nothing new, nothing listed twice
    assert len(client.episodes()) == len(SLUGS)


def test_an_episode_page_plays_from_the_bucket_in_chromium(published: Published) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing: install Debian's chromium package")
    from playwright.sync_api import sync_playwright
    from test_site_browser import CHROMIUM_ARGS

    problems: list[str] = []
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith((published.base_url, "data:"))
                    else outside.append(r.url)
                ),
            )
            response = page.goto(published.base_url + f"{SLUGS[0]}.html")
            assert response is not None and response.status == 200
            page.wait_for_function("document.getElementById('player').readyState >= 1")
            duration_s = page.evaluate("document.getElementById('player').duration")
            assert duration_s > 1
            page.locator("button[data-seek]").nth(1).click()
            current_s = page.evaluate("document.getElementById('player').currentTime")
            start_s = float(
                page.locator("button[data-seek]").nth(1).get_attribute("data-start") or 0
            )
            assert current_s == pytest.approx(start_s, abs=0.001)
            page.wait_for_function("document.querySelector('img.cover').naturalWidth > 0")
        finally:
            browser.close()
    assert not problems, problems
    assert not outside, outside
