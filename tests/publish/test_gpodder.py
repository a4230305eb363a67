"""A real podcast client against a real build: gPodder's `gpo` subscribes to the
feed `qacast serve` publishes, updates and downloads every episode. The show is
built for port 8000 and served on a random port: the subscription must work
there all the same.

`gpo` prints success even when a download fails, so the verdict comes from
gPodder's own database (sqlite ``Database`` in GPODDER_HOME) and the files it
wrote. Everything gPodder writes stays in the test's temporary folder.

Needs Debian's gpodder package (CI's .ci/run installs it).
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import podcastparser
import pytest
from build_helpers import (
    NASTY_TITLE,
    SLUGS,
    build,
    free_port,
    make_show,
    qacast_serve,
    session_cache,
)
from mutagen.mp3 import MP3

GPO = shutil.which("gpo")
if GPO is None:
    pytest.skip(
        "gPodder's gpo is missing: install Debian's gpodder package to run this test "
        "(CI's .ci/run installs it)",
        allow_module_level=True,
    )

STATE_DOWNLOADED = 1  # gpodder.gPodderEpisodeState: NORMAL 0, DOWNLOADED 1, DELETED 2


@dataclass(frozen=True)
class Client:
    home: Path  # GPODDER_HOME: Settings.json and the Database
    downloads: Path  # GPODDER_DOWNLOAD_DIR
    env: dict[str, str]

    def gpo(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert GPO is not None
        result = subprocess.run(
            [GPO, *args], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def episodes(self) -> list[dict[str, object]]:
        with sqlite3.connect(self.home / "Database") as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(
                "SELECT e.guid, e.title, e.url, e.state, e.download_filename, e.file_size,"
                " e.total_time, e.mime_type, p.download_folder"
                " FROM episode e JOIN podcast p ON p.id = e.podcast_id ORDER BY e.guid"
            ).fetchall()
        return [dict(row) for row in rows]


@dataclass(frozen=True)
class Downloaded:
    out_dir: Path
    feed_url: str
    feed: bytes  # as served
    client: Client
    download_output: str


@pytest.fixture(scope="module")
def downloaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Downloaded]:
    root = tmp_path_factory.mktemp("gpodder")
    show_dir = make_show(root)  # built for 127.0.0.1:8000
    build(show_dir, session_cache(tmp_path_factory))
    home, downloads = root / "gpodder-home", root / "gpodder-downloads"
    home.mkdir()
    downloads.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(root),  # nothing lands in the real home folder
        "XDG_CONFIG_HOME": str(root / "xdg-config"),
        "XDG_DATA_HOME": str(root / "xdg-data"),
        "XDG_CACHE_HOME": str(root / "xdg-cache"),
        "GPODDER_HOME": str(home),
        "GPODDER_DOWNLOAD_DIR": str(downloads),
    }
    client = Client(home, downloads, env)
    with qacast_serve(show_dir, free_port()) as serving:
        feed_url = serving.url + "feed.xml"
        with urllib.request.urlopen(feed_url, timeout=30) as response:
            feed = response.read()
        client.gpo("subscribe", feed_url)
        client.gpo("update")
        result = client.gpo("download")
        yield Downloaded(show_dir / "out", feed_url, feed, client, result.stdout)


def test_every_episode_is_downloaded_with_the_feeds_guid(downloaded: Downloaded) -> None:
    parsed = podcastparser.parse(downloaded.feed_url, io.BytesIO(downloaded.feed))
    feed_guids = {episode["guid"]: episode for episode in parsed["episodes"]}
    rows = downloaded.client.episodes()
    assert {row["guid"] for row in rows} == set(feed_guids)
    assert len(rows) == len(SLUGS), rows  # no duplicates: each guid is read as an id, not a URL
    for row in rows:
        assert row["state"] == STATE_DOWNLOADED, (row, downloaded.download_output)
        expected = feed_guids[str(row["guid"])]
        assert row["title"] == expected["title"]
        assert row["url"] == expected["enclosures"][0]["url"]
        assert str(row["url"]).startswith(downloaded.feed_url.removesuffix("feed.xml"))


def test_downloads_are_byte_identical_to_out(downloaded: Downloaded) -> None:
    rows = downloaded.client.episodes()
    names = set()
    for row in rows:
        assert row["download_filename"], row
        path = downloaded.client.downloads / str(row["download_folder"])
        path /= str(row["download_filename"])
        assert path.is_file(), path
        source = downloaded.out_dir / Path(str(row["url"])).name
        assert path.read_bytes() == source.read_bytes(), path
        assert row["file_size"] == source.stat().st_size
        assert row["mime_type"] == "audio/mpeg"
        duration_s = float(MP3(source).info.length)  # type: ignore[no-untyped-call,attr-defined]
        assert abs(int(str(row["total_time"])) - duration_s) <= 1
        names.add(source.name)
    assert names == {f"{slug}.mp3" for slug in SLUGS}


def test_titles_with_markup_arrive_as_written(downloaded: Downloaded) -> None:
    titles = {row["title"] for row in downloaded.client.episodes()}
    assert titles == {"Fixing Radios", NASTY_TITLE}


def test_a_second_update_finds_nothing_new(downloaded: Downloaded) -> None:
    # The feed is fetched again; the same guids mean the same episodes:
    # nothing is listed twice, nothing goes back to "new".
    downloaded.client.gpo("update")
    rows = downloaded.client.episodes()
    assert len(rows) == len(SLUGS)
    assert all(row["state"] == STATE_DOWNLOADED for row in rows)
