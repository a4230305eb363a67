"""The server as podcast apps meet it: real HTTP on 127.0.0.1, raw requests."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_helpers import raw_request

from qacast.publish.serve import make_app_server

AUDIO = bytes(range(256)) * 40  # 10240 bytes whose every offset is recognisable


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
    (out_dir / "sub").mkdir()
    (out_dir / "sub" / "index.html").write_text("sub index", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve", encoding="utf-8")
    (out_dir / "escape.txt").symlink_to(secret)
    (out_dir / "escape-dir").symlink_to(tmp_path)
    (out_dir / "inside-link.mp3").symlink_to(out_dir / "episode.mp3")
    server = make_app_server(out_dir, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(out_dir, server.server_port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


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


def test_unsatisfiable_range_is_416(served: Served) -> None:
    status, headers, _ = served.request("GET", "/episode.mp3", {"Range": "bytes=20000-20010"})
    assert status == 416
    assert headers["content-range"] == f"bytes */{len(AUDIO)}"


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
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        second = process.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:(\d+)/)$", first.strip())
        assert match, first
        assert "loopback" in second
        port = int(match.group(2))
        status, _, body = Served(tmp_path, port).request("GET", "/")
        assert (status, body) == (200, b"hello")
    finally:
        process.terminate()
        process.wait(timeout=30)
