"""The server as podcast apps meet it: real HTTP on 127.0.0.1, raw requests."""

from __future__ import annotations

import email.utils
import gzip
import http.client
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from build_helpers import raw_request

from qacast.publish.serve import make_app_server

AUDIO = bytes(range(256)) * 40  # 10240 bytes whose every offset is recognisable
SIZE = len(AUDIO)
# Enough text that gzip has something to do, as a real page or feed has.
STYLE = "body { margin: 0 auto; max-width: 40rem; }\n" * 50
SCRIPT = "document.querySelectorAll('audio').forEach((a) => a.load());\n" * 50


def exchange(
    port: int, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request, its response headers as sent (repeats kept, names as written).
    A Host given here replaces http.client's own."""
    headers = headers or {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host="Host" in headers, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


@contextmanager
def running(out_dir: Path, host: str = "127.0.0.1", published: str | None = None) -> Iterator[int]:
    """qacast's server for ``out_dir`` on a free port, stopped afterwards."""
    server = make_app_server(out_dir, host, 0, published)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Served:
    out_dir: Path
    port: int

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        return raw_request(self.port, method, path, headers)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp_path = tmp_path_factory.mktemp("serve")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "episode.mp3").write_bytes(AUDIO)
    (out_dir / "index.html").write_text("<!doctype html><title>Show</title>", encoding="utf-8")
    (out_dir / "feed.xml").write_text("<rss/>", encoding="utf-8")
    (out_dir / "episode.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (out_dir / "episode.srt").write_text("", encoding="utf-8")
    (out_dir / "episode.chapters.json").write_text("{}", encoding="utf-8")
    (out_dir / "episode.m4a").write_bytes(b"m4a")
    (out_dir / "episode.opus").write_bytes(b"opus")
    (out_dir / "cover.jpg").write_bytes(b"jpg")
    (out_dir / "cover.png").write_bytes(b"png")
    (out_dir / "style.css").write_text(STYLE, encoding="utf-8")
    (out_dir / "app.js").write_text(SCRIPT, encoding="utf-8")
    (out_dir / "silence.mp3").write_bytes(b"")
    (out_dir / "sub").mkdir()
    (out_dir / "sub" / "index.html").write_text("sub index", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve", encoding="utf-8")
    (out_dir / "escape.txt").symlink_to(secret)
    (out_dir / "escape-dir").symlink_to(tmp_path)
    (out_dir / "inside-link.mp3").symlink_to(out_dir / "episode.mp3")
    with running(out_dir) as port:
        yield Served(out_dir, port)


def test_get_whole_file(served: Served) -> None:
    status, headers, body = served.request("GET", "/episode.mp3")
    assert status == 200
    assert body == AUDIO
    assert headers["content-type"] == "audio/mpeg"
    assert headers["content-length"] == str(len(AUDIO))
    assert headers["accept-ranges"] == "bytes"


def test_head_has_length_and_no_body(served: Served) -> None:
    status, headers, body = served.request("HEAD", "/episode.mp3")
    assert status == 200
    assert headers["content-length"] == str(len(AUDIO))
    assert headers["content-type"] == "audio/mpeg"
    assert body == b""


def test_range_gives_206_with_exact_bytes(served: Served) -> None:
    status, headers, body = served.request("GET", "/episode.mp3", {"Range": "bytes=10-19"})
    assert status == 206
    assert body == AUDIO[10:20]
    assert headers["content-range"] == f"bytes 10-19/{len(AUDIO)}"
    assert headers["content-length"] == "10"


def test_suffix_and_open_ranges(served: Served) -> None:
    status, _, body = served.request("GET", "/episode.mp3", {"Range": "bytes=-5"})
    assert (status, body) == (206, AUDIO[-5:])
    status, _, body = served.request("GET", "/episode.mp3", {"Range": "bytes=10200-"})
    assert (status, body) == (206, AUDIO[10200:])


@pytest.mark.parametrize(
    ("asked", "status", "start", "stop"),
    [
        ("items=0-5", 200, 0, SIZE),  # a unit this server does not serve: ignored
        ("bytes=0-1,5-9", 200, 0, SIZE),  # several ranges: ignored, no multipart
        ("bytes=5-3", 200, 0, SIZE),  # last before first: invalid, ignored
        ("bytes=oops", 200, 0, SIZE),
        ("bytes=5-9", 206, 5, 10),
        ("BYTES=5-9", 206, 5, 10),  # units are case-insensitive
        ("bytes=5-9, ", 206, 5, 10),  # an empty list element is no second range
        ("bytes=0-0", 206, 0, 1),
        ("bytes=-5", 206, SIZE - 5, SIZE),
        ("bytes=-99999", 206, 0, SIZE),  # a suffix longer than the file: all of it
        ("bytes=10200-99999", 206, 10200, SIZE),  # a last byte past the end: up to the end
        ("bytes=10200-", 206, 10200, SIZE),
    ],
)
def test_range_as_rfc_9110_has_it(
    served: Served, asked: str, status: int, start: int, stop: int
) -> None:
    got, headers, body = served.request("GET", "/episode.mp3", {"Range": asked})
    assert got == status
    assert body == AUDIO[start:stop]
    assert headers["content-length"] == str(stop - start)
    if status == 206:
        assert headers["content-range"] == f"bytes {start}-{stop - 1}/{SIZE}"
    else:
        assert "content-range" not in headers


@pytest.mark.parametrize(
    ("path", "asked", "size"),
    [
        ("/episode.mp3", "bytes=20000-20010", SIZE),
        ("/episode.mp3", f"bytes={SIZE}-", SIZE),  # the first byte past the last
        ("/episode.mp3", "bytes=-0", SIZE),  # a suffix of no bytes
        ("/silence.mp3", "bytes=0-", 0),  # an empty file has no byte to give
    ],
)
def test_unsatisfiable_range_is_416_with_the_length(
    served: Served, path: str, asked: str, size: int
) -> None:
    status, headers, _ = served.request("GET", path, {"Range": asked})
    assert status == 416
    assert headers["content-range"] == f"bytes */{size}"


def test_one_connection_carries_a_range_then_the_whole_file(served: Served) -> None:
    """A span ends exactly where Content-Length says: the next response on the same
    (kept-alive) connection starts clean, as a player's next request needs."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        answers = []
        for asked in ({"Range": "bytes=100-199"}, {}, {"Range": "bytes=-10"}):
            connection.request("GET", "/episode.mp3", headers=asked)
            response = connection.getresponse()
            answers.append((response.status, response.read()))
    finally:
        connection.close()
    assert answers == [(206, AUDIO[100:200]), (200, AUDIO), (206, AUDIO[-10:])]


def test_head_ignores_range(served: Served) -> None:
    """Range is defined for GET only: HEAD describes the whole file."""
    status, headers, body = served.request("HEAD", "/episode.mp3", {"Range": "bytes=0-9"})
    assert (status, body) == (200, b"")
    assert headers["content-length"] == str(SIZE)
    assert "content-range" not in headers


def _validators(served: Served) -> tuple[str, str]:
    _, headers, _ = served.request("HEAD", "/episode.mp3")
    return headers["etag"], headers["last-modified"]


def _http_date(date: str, shift: timedelta) -> str:
    return email.utils.format_datetime(email.utils.parsedate_to_datetime(date) + shift, True)


def test_if_range_naming_this_file_gets_the_range(served: Served) -> None:
    etag, last_modified = _validators(served)
    for validator in (etag, last_modified):
        status, _, body = served.request(
            "GET", "/episode.mp3", {"Range": "bytes=5-9", "If-Range": validator}
        )
        assert (status, body) == (206, AUDIO[5:10]), validator


@pytest.mark.parametrize("kind", ["other etag", "weak etag", "later date", "earlier date"])
def test_if_range_naming_another_version_gets_the_whole_file(served: Served, kind: str) -> None:
    """If-Range compares strongly: a weak tag never matches, a date only to the second."""
    etag, last_modified = _validators(served)
    validator = {
        "other etag": '"an-older-version"',
        "weak etag": f"W/{etag}",
        "later date": _http_date(last_modified, timedelta(days=1)),
        "earlier date": _http_date(last_modified, timedelta(days=-1)),
    }[kind]
    status, headers, body = served.request(
        "GET", "/episode.mp3", {"Range": "bytes=5-9", "If-Range": validator}
    )
    assert (status, body) == (200, AUDIO)
    assert "content-range" not in headers


def test_not_modified_wins_over_range(served: Served) -> None:
    """RFC 9110 13.2.2: If-None-Match is evaluated before Range."""
    etag, _ = _validators(served)
    status, _, body = served.request(
        "GET", "/episode.mp3", {"Range": "bytes=5-9", "If-None-Match": etag}
    )
    assert (status, body) == (304, b"")


def test_directory_index(served: Served) -> None:
    status, headers, body = served.request("GET", "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body.startswith(b"<!doctype html>")
    status, _, body = served.request("GET", "/sub/")
    assert (status, body) == (200, b"sub index")
    status, headers, _ = served.request("GET", "/sub")
    assert status == 301
    assert headers["location"].endswith("/sub/")


@pytest.mark.parametrize(
    ("path", "mime_type"),
    [
        ("/episode.mp3", "audio/mpeg"),
        ("/episode.m4a", "audio/mp4"),
        ("/episode.opus", "audio/ogg"),
        ("/episode.vtt", "text/vtt; charset=utf-8"),
        ("/episode.srt", "application/x-subrip; charset=utf-8"),
        ("/episode.chapters.json", "application/json"),
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/cover.jpg", "image/jpeg"),
        ("/cover.png", "image/png"),
    ],
)
def test_mime_types(served: Served, path: str, mime_type: str) -> None:
    status, headers, _ = served.request("HEAD", path)
    assert status == 200
    assert headers["content-type"] == mime_type


@pytest.mark.parametrize("path", ["/episode.vtt", "/episode.chapters.json", "/episode.srt"])
def test_cors_on_transcripts_and_chapters(served: Served, path: str) -> None:
    _, headers, _ = served.request("GET", path)
    assert headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/sub/../../secret.txt",
        "/sub/%2e%2e/%2e%2e/secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        "/..%5csecret.txt",
        "/escape.txt",
        "/escape-dir/secret.txt",
        "/escape-dir/",
        "/episode.mp3%00.html",
    ],
)
def test_traversal_never_escapes(served: Served, path: str) -> None:
    status, _, body = served.request("GET", path)
    assert status in (400, 404), (path, status)
    assert b"do not serve" not in body
    assert b"root:" not in body


def test_symlink_inside_out_dir_is_served(served: Served) -> None:
    status, _, body = served.request("GET", "/inside-link.mp3")
    assert (status, body) == (200, AUDIO)


def test_missing_file_is_404_and_writes_are_refused(served: Served) -> None:
    assert served.request("GET", "/nope.mp3")[0] == 404
    assert served.request("POST", "/episode.mp3")[0] == 405
    assert served.request("PUT", "/episode.mp3")[0] == 405


def test_serve_prints_its_url_and_says_loopback(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("hello", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from qacast.publish.serve import serve; "
        "serve(Path(sys.argv[1]), port=0)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        second = process.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:(\d+)/)$", first.strip())
        assert match, first
        assert "loopback" in second
        port = int(match.group(2))
        status, _, body = Served(tmp_path, port).request("GET", "/")
        assert (status, body) == (200, b"hello")
        # One line a request on stderr; what a client sent cannot steer the terminal.
        assert process.stderr.readline().strip() == '127.0.0.1 "GET /" 200'
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(b"GET /\x1b[2J HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            while conn.recv(4096):
                pass
        assert process.stderr.readline().strip() == '127.0.0.1 "GET /\\x1b[2J" 404'
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- One Date header ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/episode.mp3", {}),
        ("HEAD", "/episode.mp3", {}),
        ("GET", "/episode.mp3", {"Range": "bytes=0-9"}),
        ("GET", "/episode.mp3", {"Range": "bytes=99999-"}),
        ("GET", "/feed.xml", {"Accept-Encoding": "gzip"}),
        ("HEAD", "/index.html", {}),
        ("GET", "/sub", {}),
        ("GET", "/nope.mp3", {}),
        ("HEAD", "/nope.mp3", {}),
        ("POST", "/episode.mp3", {}),
    ],
)
def test_every_response_has_exactly_one_date(
    served: Served, method: str, path: str, headers: dict[str, str]
) -> None:
    _, sent, _ = exchange(served.port, method, path, headers)
    dates = [value for name, value in sent if name.lower() == "date"]
    assert len(dates) == 1, sent
    assert email.utils.parsedate_to_datetime(dates[0]) is not None


def test_a_not_modified_answer_has_exactly_one_date(served: Served) -> None:
    etag, _ = _validators(served)
    status, sent, _ = exchange(served.port, "GET", "/episode.mp3", {"If-None-Match": etag})
    assert status == 304
    assert [name.lower() for name, _ in sent].count("date") == 1, sent


# --- Text compression ------------------------------------------------------------

TEXT_PATHS = ["/", "/feed.xml", "/episode.vtt", "/episode.chapters.json", "/style.css", "/app.js"]


def _header(sent: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in sent if key.lower() == name]
    return values[0] if values else None


@pytest.mark.parametrize("path", TEXT_PATHS)
def test_text_goes_out_gzipped_to_a_client_that_takes_it(served: Served, path: str) -> None:
    on_disk = (served.out_dir / (path.strip("/") or "index.html")).read_bytes()
    status, plain, plain_body = exchange(served.port, "GET", path)
    assert (status, plain_body) == (200, on_disk)
    assert _header(plain, "content-encoding") is None
    status, zipped, zipped_body = exchange(
        served.port, "GET", path, {"Accept-Encoding": "gzip, deflate, br"}
    )
    assert status == 200
    assert _header(zipped, "content-encoding") == "gzip"
    assert gzip.decompress(zipped_body) == on_disk
    assert _header(zipped, "content-length") == str(len(zipped_body))
    # Both variants say they vary, so a cache keeps them apart.
    for sent in (plain, zipped):
        assert "accept-encoding" in (_header(sent, "vary") or "").lower()
    assert _header(zipped, "etag") != _header(plain, "etag")


def test_a_site_page_is_several_times_smaller_gzipped(served: Served) -> None:
    _, _, plain = exchange(served.port, "GET", "/style.css")
    _, _, zipped = exchange(served.port, "GET", "/style.css", {"Accept-Encoding": "gzip"})
    assert len(zipped) * 5 < len(plain)


def test_each_encoding_is_revalidated_against_its_own_etag(served: Served) -> None:
    gzip_asked = {"Accept-Encoding": "gzip"}
    _, zipped, _ = exchange(served.port, "GET", "/style.css", gzip_asked)
    zipped_etag = _header(zipped, "etag")
    assert zipped_etag is not None
    status, _, body = exchange(
        served.port, "GET", "/style.css", {**gzip_asked, "If-None-Match": zipped_etag}
    )
    assert (status, body) == (304, b"")
    # The gzip variant's tag says nothing of the plain one.
    status, _, body = exchange(served.port, "GET", "/style.css", {"If-None-Match": zipped_etag})
    assert (status, body) == (200, STYLE.encode())


@pytest.mark.parametrize("accepted", ["identity", "gzip;q=0", "br", ""])
def test_no_gzip_for_a_client_that_does_not_take_it(served: Served, accepted: str) -> None:
    status, sent, body = exchange(served.port, "GET", "/style.css", {"Accept-Encoding": accepted})
    assert (status, body) == (200, STYLE.encode())
    assert _header(sent, "content-encoding") is None


def test_a_range_of_gzipped_text_is_a_range_of_the_gzip_stream(served: Served) -> None:
    gzip_asked = {"Accept-Encoding": "gzip"}
    _, _, whole = exchange(served.port, "GET", "/style.css", gzip_asked)
    status, sent, head = exchange(
        served.port, "GET", "/style.css", {**gzip_asked, "Range": "bytes=0-9"}
    )
    assert status == 206
    assert _header(sent, "content-range") == f"bytes 0-9/{len(whole)}"
    _, _, tail = exchange(served.port, "GET", "/style.css", {**gzip_asked, "Range": "bytes=10-"})
    assert head + tail == whole


@pytest.mark.parametrize("path", ["/episode.mp3", "/episode.m4a", "/episode.opus", "/cover.png"])
def test_audio_and_images_are_never_compressed(served: Served, path: str) -> None:
    on_disk = (served.out_dir / path.lstrip("/")).read_bytes()
    gzip_asked = {"Accept-Encoding": "gzip"}
    status, sent, body = exchange(served.port, "GET", path, gzip_asked)
    assert (status, body) == (200, on_disk)
    assert _header(sent, "content-encoding") is None
    status, sent, body = exchange(served.port, "GET", path, {**gzip_asked, "Range": "bytes=1-2"})
    assert (status, body) == (206, on_disk[1:3])
    assert _header(sent, "content-encoding") is None


# --- Addresses in the feed: the server's, never the request's -------------------

PUBLISHED = "https://podcasts.example.org/show/"
FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<atom:link href="{PUBLISHED}feed.xml" rel="self" type="application/rss+xml"/>
<item><enclosure url="{PUBLISHED}episode.mp3" length="{SIZE}" type="audio/mpeg"/></item>
</channel></rss>
"""


@pytest.fixture(scope="module")
def published_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("published") / "out"
    out_dir.mkdir()
    (out_dir / "feed.xml").write_text(FEED, encoding="utf-8")
    (out_dir / "episode.mp3").write_bytes(AUDIO)
    page = f'<!doctype html><title>Show</title><a href="{PUBLISHED}feed.xml">feed</a>'
    (out_dir / "index.html").write_text(page, encoding="utf-8")
    return out_dir


@pytest.mark.parametrize(
    ("target", "headers"),
    [
        ("/feed.xml", {"Host": "evil.example"}),
        ("/feed.xml", {"Host": "evil.example:80"}),
        ("/feed.xml", {"X-Forwarded-Host": "evil.example", "Forwarded": "host=evil.example"}),
        ("http://evil.example/feed.xml", {"Host": "evil.example"}),  # absolute form
        ("/", {"Host": "evil.example"}),
        ("/feed.xml", {"Host": "evil.example", "Accept-Encoding": "gzip"}),
    ],
)
def test_a_host_header_never_reaches_the_feed(
    published_out: Path, target: str, headers: dict[str, str]
) -> None:
    """A cache in front would keep and hand on a feed pointing where a client said."""
    with running(published_out, published=PUBLISHED) as port:
        status, sent, body = exchange(port, "GET", target, headers)
    assert status == 200
    if _header(sent, "content-encoding") == "gzip":
        body = gzip.decompress(body)
    assert b"evil.example" not in body
    assert PUBLISHED.encode() not in body
    assert f"http://127.0.0.1:{port}/feed.xml".encode() in body


def test_a_host_name_listened_on_is_the_one_in_the_feed(published_out: Path) -> None:
    with running(published_out, host="localhost", published=PUBLISHED) as port:
        _, _, body = exchange(port, "GET", "/feed.xml", {"Host": "evil.example"})
    assert f'url="http://localhost:{port}/episode.mp3"'.encode() in body


def test_listening_everywhere_names_the_address_each_client_reached(published_out: Path) -> None:
    with running(published_out, host="0.0.0.0", published=PUBLISHED) as port:
        _, _, body = exchange(port, "GET", "/feed.xml", {"Host": "evil.example"})
    assert f'url="http://127.0.0.1:{port}/episode.mp3"'.encode() in body
