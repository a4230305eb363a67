"""The server facing a network: idle and slow clients hold no thread, header
deadlines, RFC 9110 for ranges it does not serve, bodies refused, and no dotfile
ever served. Real sockets on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_helpers import raw_request

from qacast.publish.serve import Limits, make_app_server

AUDIO = bytes(range(256)) * 40
MAX_THREADS = 4
HEADER_TIMEOUT_S = 1.0
# Longer than any client here waits (raw_request gives up after 30 s): a request
# that had to wait for idle connections to time out fails instead of passing late.
PATIENT = Limits(max_threads=2, header_timeout_s=600.0, idle_timeout_s=600.0)


@dataclass(frozen=True)
class Served:
    out_dir: Path
    port: int


@contextlib.contextmanager
def running(out_dir: Path, limits: Limits) -> Iterator[int]:
    server = make_app_server(out_dir, "127.0.0.1", 0, limits=limits)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "episode.mp3").write_bytes(AUDIO)
    (out_dir / "feed.xml").write_text("<rss/>", encoding="utf-8")
    (out_dir / ".gitkeep").touch()
    (out_dir / ".feed.xml.abcd1234.tmp").write_text("half", encoding="utf-8")
    (out_dir / ".qacast").mkdir()
    (out_dir / ".qacast" / "episode.json").write_text("{}", encoding="utf-8")
    (out_dir / ".cache").mkdir()
    (out_dir / ".cache" / "ab.clip").write_bytes(b"clip")
    (out_dir / "pages").mkdir()
    (out_dir / "pages" / ".hidden.html").write_text("no", encoding="utf-8")
    (out_dir / ".work").mkdir()
    (out_dir / ".work" / "index.html").write_text("no", encoding="utf-8")
    # A visible name that leads into a dot-folder is as private as the folder.
    (out_dir / "state.json").symlink_to(out_dir / ".qacast" / "episode.json")
    limits = Limits(max_threads=MAX_THREADS, header_timeout_s=HEADER_TIMEOUT_S)
    with running(out_dir, limits) as port:
        yield Served(out_dir, port)


@pytest.mark.parametrize(
    "path",
    [
        "/.gitkeep",
        "/.feed.xml.abcd1234.tmp",
        "/.qacast/episode.json",
        "/.qacast/",
        "/.cache/ab.clip",
        "/pages/.hidden.html",
        "/.work/",
        "/.work/index.html",
        "/%2Egitkeep",  # percent-encoded dot
        "/state.json",
    ],
)
def test_no_dotfile_is_served(served: Served, path: str) -> None:
    for method in ("GET", "HEAD"):
        status, _, body = raw_request(served.port, method, path)
        assert status == 404, (method, path)
        assert b"half" not in body and b"clip" not in body


def test_several_ranges_get_the_whole_file(served: Served) -> None:
    """RFC 9110 14.2: a server may ignore Range; the whole body beats a 416."""
    status, headers, body = raw_request(
        served.port, "GET", "/episode.mp3", {"Range": "bytes=0-1,5-9"}
    )
    assert status == 200
    assert body == AUDIO
    assert "content-range" not in headers


def test_a_malformed_range_gets_the_whole_file(served: Served) -> None:
    status, _, body = raw_request(served.port, "GET", "/episode.mp3", {"Range": "bytes=oops"})
    assert status == 200
    assert body == AUDIO


def test_a_single_range_is_still_served(served: Served) -> None:
    status, headers, body = raw_request(served.port, "GET", "/episode.mp3", {"Range": "bytes=5-9"})
    assert status == 206
    assert body == AUDIO[5:10]
    assert headers["content-range"] == f"bytes 5-9/{len(AUDIO)}"


def _idle_connections(port: int, count: int) -> list[socket.socket]:
    """``count`` connections: half send nothing, half half a request head."""
    connections = []
    for n in range(count):
        conn = socket.create_connection(("127.0.0.1", port), timeout=60)
        connections.append(conn)
        if n % 2:
            conn.sendall(b"GET /episode.mp3 HTTP/1.1\r\nHost: x\r\n")  # a head never finished
    return connections


def test_300_half_open_connections_take_no_thread_and_are_closed(served: Served) -> None:
    threads = threading.active_count()  # the server's own are running already
    connections = _idle_connections(served.port, 300)
    try:
        assert threading.active_count() <= threads
        # The server ends every one of them: each reads end of stream (or a
        # reset), never a hang; the socket timeout is only the test's safety net.
        for conn in connections:
            with contextlib.suppress(ConnectionResetError):
                assert conn.recv(1024) == b""
        assert threading.active_count() <= threads
    finally:
        for conn in connections:
            conn.close()
    # And the server still answers.
    status, _, body = raw_request(served.port, "GET", "/episode.mp3")
    assert status == 200
    assert body == AUDIO


def test_a_trickled_head_is_cut_off(served: Served) -> None:
    """A byte now and then keeps a per-read timeout happy; the head deadline is not."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=60) as conn:
        conn.sendall(b"GET /episode.mp3 HTTP/1.1\r\n")
        closed = threading.Event()

        def trickle() -> None:
            try:
                while not closed.wait(0.2):
                    conn.sendall(b"X")
            except OSError:
                pass

        sender = threading.Thread(target=trickle, daemon=True)
        sender.start()
        try:
            data = conn.recv(1024)
        except ConnectionResetError:
            data = b""
        finally:
            closed.set()
            sender.join()
        assert data == b""  # closed without an answer, long before the trickle ends


def test_200_idle_connections_leave_a_listener_served_at_once(tmp_path: Path) -> None:
    """Connections that send nothing (or half a head) wait in the event loop, not
    in a worker thread, so a real request is answered without waiting for them
    to time out (ten minutes here, longer than the request waits)."""
    (tmp_path / "episode.mp3").write_bytes(AUDIO)
    with running(tmp_path, PATIENT) as port:
        connections = _idle_connections(port, 200)
        try:
            for _ in range(3):
                status, _, body = raw_request(port, "GET", "/episode.mp3")
                assert (status, body) == (200, AUDIO)
        finally:
            for conn in connections:
                conn.close()


def test_listeners_that_stop_reading_hold_no_thread(tmp_path: Path) -> None:
    """A paused podcast app leaves its download unread; with as many of them as
    there are threads, and more, the next listener is still served: files are
    sent from the event loop, never by a thread waiting on the listener."""
    (tmp_path / "episode.mp3").write_bytes(AUDIO)
    with (tmp_path / "long.mp3").open("wb") as long_episode:
        long_episode.truncate(64 * 1024 * 1024)  # sparse: more than any socket buffers
    with running(tmp_path, PATIENT) as port:
        stalled = []
        try:
            for n in range(4 * PATIENT.max_threads):
                conn = socket.create_connection(("127.0.0.1", port), timeout=60)
                stalled.append(conn)
                asked = b"Range: bytes=0-\r\n" if n % 2 else b""  # how apps ask, or not
                conn.sendall(b"GET /long.mp3 HTTP/1.1\r\nHost: x\r\n" + asked + b"\r\n")
                assert conn.recv(12) in (b"HTTP/1.1 200", b"HTTP/1.1 206")  # then never read
            status, _, body = raw_request(port, "GET", "/episode.mp3")
            assert (status, body) == (200, AUDIO)
        finally:
            for conn in stalled:
                conn.close()


def test_a_request_body_is_refused_not_awaited(served: Served) -> None:
    """Nothing here reads a body: a big one is refused at once, never buffered."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=60) as conn:
        conn.sendall(b"POST /episode.mp3 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
        reply = conn.recv(1024)
    assert reply.split(b" ", 2)[1] in (b"405", b"413")
