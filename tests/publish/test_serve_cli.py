"""`qacast serve` as users start it (a subprocess) on a really built show:
what it prints, byte ranges on real episodes, and no way out of out/."""

from __future__ import annotations

import gzip
import http.client
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_helpers import (
    build,
    make_show,
    qacast_serve,
    raw_request,
    run_qacast,
    session_cache,
)

from qacast.errors import ExitStatus


@dataclass(frozen=True)
class Served:
    show_dir: Path
    port: int
    banner: list[str]

    @property
    def out_dir(self) -> Path:
        return self.show_dir / "out"

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        return raw_request(self.port, method, path, headers)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    show_dir = make_show(tmp_path_factory.mktemp("serve-cli"))
    build(show_dir, session_cache(tmp_path_factory))
    with qacast_serve(show_dir) as serving:
        yield Served(show_dir, serving.port, serving.banner)


def test_prints_where_it_listens_and_that_it_is_loopback_only(served: Served) -> None:
    first, second = served.banner[:2]
    assert first == f"Serving {served.out_dir} at http://127.0.0.1:{served.port}/"
    assert "loopback" in second
    status, headers, body = served.request("GET", "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    # The page as built, its feed address moved to where it is served.
    built = (served.out_dir / "index.html").read_bytes()
    here = f"http://127.0.0.1:{served.port}/".encode()
    assert body == built.replace(b"http://127.0.0.1:8000/", here)
    assert here + b"feed.xml" in body


def test_range_request_gets_exactly_the_bytes_asked(served: Served) -> None:
    audio = (served.out_dir / "01-radios.mp3").read_bytes()
    size = len(audio)
    for first, last in [(0, 0), (0, 1023), (1000, 4999), (size - 100, size - 1)]:
        status, headers, body = served.request(
            "GET", "/01-radios.mp3", {"Range": f"bytes={first}-{last}"}
        )
        assert status == 206
        assert body == audio[first : last + 1]
        assert headers["content-range"] == f"bytes {first}-{last}/{size}"
        assert headers["content-length"] == str(last - first + 1)
    status, _, body = served.request("GET", "/01-radios.mp3", {"Range": "bytes=-500"})
    assert (status, body) == (206, audio[-500:])
    status, headers, _ = served.request("GET", "/01-radios.mp3", {"Range": f"bytes={size}-"})
    assert status == 416
    assert headers["content-range"] == f"bytes */{size}"


def test_head_and_whole_file(served: Served) -> None:
    audio = (served.out_dir / "02-escaping.mp3").read_bytes()
    status, headers, body = served.request("HEAD", "/02-escaping.mp3")
    assert (status, body) == (200, b"")
    assert headers["content-length"] == str(len(audio))
    assert headers["content-type"] == "audio/mpeg"
    assert headers["accept-ranges"] == "bytes"
    status, _, body = served.request("GET", "/02-escaping.mp3")
    assert (status, body) == (200, audio)


@pytest.mark.parametrize(
    "path",
    [
        "/../qacast.toml",
        "/%2e%2e/qacast.toml",
        "/%2E%2E/qacast.toml",
        "/..%2fqacast.toml",
        "/.%2e/qacast.toml",
        "/scripts/../../qacast.toml",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%5cqacast.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        "SHOW_DIR/qacast.toml",
        "SHOW_DIR/out/feed.xml",
        "/01-radios.mp3%00.html",
    ],
)
def test_nothing_outside_out_is_reachable(served: Served, path: str) -> None:
    path = path.replace("SHOW_DIR", served.show_dir.as_posix())
    status, _, body = served.request("GET", path)
    assert status in (400, 404), (path, status)
    assert b"guid_namespace" not in body  # qacast.toml, one folder above out/
    assert b"root:" not in body


def test_the_feed_points_at_the_server_whatever_the_host_header_says(served: Served) -> None:
    """Every URL of the feed at the address served, each one answering, however the
    request names the host: a cache in front must never keep a feed pointing elsewhere."""
    here = f"http://127.0.0.1:{served.port}/"
    for host in ("evil.example", f"evil.example:{served.port}", "127.0.0.1.evil.example"):
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        try:
            connection.putrequest("GET", "/feed.xml", skip_host=True)
            connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            feed = response.read()
        finally:
            connection.close()
        assert response.status == 200
        assert b"evil.example" not in feed
        channel = ET.fromstring(feed).find("channel")
        assert channel is not None
        urls = [enclosure.get("url", "") for enclosure in channel.iter("enclosure")]
        assert len(urls) == 2
        assert all(url.startswith(here) for url in urls), urls
    for url in urls:
        status, _, _ = served.request("HEAD", url.removeprefix(here[:-1]))
        assert status == 200, url


# What Lighthouse calls text: every such file of a built site, and none other.
TEXT_SUFFIXES = {".html", ".xml", ".css", ".js", ".vtt", ".srt", ".json", ".md"}


def test_every_text_file_of_the_site_goes_out_gzipped(served: Served) -> None:
    files = sorted(p for p in served.out_dir.iterdir() if p.is_file())
    text = [p for p in files if p.suffix in TEXT_SUFFIXES]
    # No .css: the pages carry their styles inline.
    assert {p.suffix for p in text} >= {".html", ".xml", ".js", ".vtt", ".json"}
    for path in files:
        _, plain_headers, plain = served.request("GET", "/" + path.name)
        status, headers, body = served.request("GET", "/" + path.name, {"Accept-Encoding": "gzip"})
        assert status == 200
        if path in text:
            assert headers.get("content-encoding") == "gzip", path.name
            assert "Accept-Encoding" in headers["vary"]
            assert gzip.decompress(body) == plain
            assert headers["etag"] != plain_headers["etag"]
        else:  # audio and images, compressed already
            assert "content-encoding" not in headers, path.name
            assert body == plain == path.read_bytes()


def test_serve_before_any_build_is_one_line(tmp_path: Path) -> None:
    show_dir = make_show(tmp_path)
    result = run_qacast("serve", show_dir, "--port", "0")
    assert result.returncode == ExitStatus.BAD_INPUT
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"qacast: error: {show_dir / 'out'}: nothing built yet; run: qacast build {show_dir}"
    ]


def test_busy_port_is_one_line(served: Served) -> None:
    result = run_qacast("serve", served.show_dir, "--port", str(served.port))
    assert result.returncode == ExitStatus.OUTPUT
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"qacast: error: cannot listen on 127.0.0.1:{served.port}: ")
