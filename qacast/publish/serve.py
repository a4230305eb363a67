"""Serve out/ over HTTP the way a podcast host must: HEAD, byte ranges, MIME types, CORS.

The connections are waitress's: one event loop accepts them and reads every
request head, and only a complete request reaches one of a few worker threads,
so clients that connect and send nothing, or send slowly, hold no thread. A
whole file, or the span of it a Range asks for, is streamed from that loop
too, so a slow listener holds no thread either. The rest is this module's:

- which file a URL names: only regular files inside out/ are reachable;
  ".." segments, encoded or not, absolute paths and symlinks that lead
  outside all answer 404, and so does every dotfile and anything in a
  dot-folder (a repository's .gitkeep, state an older qacast kept in out/,
  temporary files);
- how it is labelled (an audio file by its format's record in
  ``qacast.formats``, anything else by ``MIME_TYPES``) and whether it is
  compressed: text (feed, pages, captions, chapters, styles) goes out gzipped
  to a client that accepts gzip, with ``Vary: Accept-Encoding`` and an ETag
  of its own; audio and images never are;
- byte ranges as RFC 9110 has them: one range is served (206), a range past
  the end answers 416 with ``Content-Range: bytes */LENGTH``, a Range the
  server does not serve (another unit, several ranges, bad syntax, any
  method but GET, a failed If-Range) is ignored and the whole file sent;
  Werkzeug answers If-None-Match and If-Modified-Since;
- the feed's and the pages' URLs, moved to the server's own address
  (``qacast.publish.localfeed``), never to one a request names.

Facing a network: a client has ``HEADER_TIMEOUT_S`` from connecting (or from
the end of its previous response) to send its request head, however it
trickles it; a response that moves no byte for ``IDLE_TIMEOUT_S`` is dropped;
at most ``MAX_CONNECTIONS`` are open at once (fewer where the process may open
fewer files); a request body, which nothing here reads, is refused over a few
kilobytes.
"""

from __future__ import annotations

import gzip
import ipaddress
import logging
import posixpath
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, TcpWSGIServer
from waitress.task import WSGITask
from werkzeug.exceptions import (
    HTTPException,
    MethodNotAllowed,
    NotFound,
    RequestedRangeNotSatisfiable,
)
from werkzeug.http import parse_date
from werkzeug.security import safe_join
from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from qacast.formats import served_type_of_suffix
from qacast.publish import localfeed

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# File suffix -> Content-Type, for all but audio (whose types are the format
# records', qacast.formats). Anything else is served as bytes to download.
MIME_TYPES: dict[str, str] = {
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
DEFAULT_MIME_TYPE = "application/octet-stream"

# Text, which gzip makes several times smaller. Audio and images are compressed
# already: gzip would only cost time, and a player seeks in an episode by the
# byte ranges of the file itself.
GZIP_SUFFIXES = frozenset(
    {".vtt", ".srt", ".json", ".xml", ".html", ".css", ".js", ".md", ".txt", ".svg"}
)
# A text file is read whole to compress it; a larger one (no show makes one)
# goes out as it is, so a stray dump in out/ cannot fill the memory.
MAX_GZIP_BYTES = 8 * 1024 * 1024
GZIP_LEVEL = 6  # zlib's default: most of level 9's gain at a fraction of its time

# Web players and transcript viewers on other origins fetch captions, chapters
# and the feed itself; nothing here is private, so every response allows it.
CORS_HEADERS: dict[str, str] = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Length, Content-Range, Accept-Ranges",
}

INDEX_NAME = "index.html"
_METHODS = ("GET", "HEAD")

MAX_THREADS = 8  # requests worked on at once; waiting and sending take no thread
MAX_CONNECTIONS = 1000  # open at once; past it, new ones wait in the listen queue
HEADER_TIMEOUT_S = 10.0  # from accepting a connection (or its last response) to its request head
IDLE_TIMEOUT_S = 30.0  # a response that sends no byte for this long is dropped
MAX_HEAD_BYTES = 64 * 1024  # request line and headers; more answers 431
MAX_BODY_BYTES = 4 * 1024  # nothing here reads a body; a bigger one answers 413
_LOOP_TIMEOUT_S = 1.0  # the event loop's longest wait, so deadlines are checked each second


@dataclass(frozen=True)
class Limits:
    """How much one server gives its clients; tests shrink them."""

    max_threads: int = MAX_THREADS
    header_timeout_s: float = HEADER_TIMEOUT_S
    idle_timeout_s: float = IDLE_TIMEOUT_S


def _is_hidden(relative: Path | str) -> bool:
    parts = relative.parts if isinstance(relative, Path) else relative.split("/")
    return any(part.startswith(".") for part in parts)


def _resolve(root: Path, url_path: str) -> Path | None:
    """The file in ``root`` that ``url_path`` (already percent-decoded) names, if any."""
    if "\x00" in url_path or "\\" in url_path:
        return None
    relative = url_path.lstrip("/")
    if relative and posixpath.normpath(relative) != relative.rstrip("/"):
        return None  # "a/../b", "./a", "a//b": no canonical file behind it
    joined = safe_join(str(root), relative) if relative else str(root)
    if joined is None:
        return None
    candidate = Path(joined)
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    # A symlink inside out/ may point anywhere: judge where it lands.
    if resolved != root and not resolved.is_relative_to(root):
        return None
    if _is_hidden(resolved.relative_to(root)):
        return None  # a symlink into a dot-folder is as private as the folder
    return resolved


def content_type_of_suffix(suffix: str) -> str:
    """The Content-Type of a file in out/ ending in ``suffix``: an audio file's
    from its format's record, any other's from ``MIME_TYPES``."""
    audio = served_type_of_suffix(suffix)
    return audio or MIME_TYPES.get(suffix.lower(), DEFAULT_MIME_TYPE)


def _mime_type(path: Path) -> str:
    return content_type_of_suffix(path.suffix)


# --- Byte ranges (RFC 9110, section 14) ---


@dataclass(frozen=True)
class ByteSpan:
    """Bytes ``start`` up to, not including, ``stop`` of a representation."""

    start: int
    stop: int


class Unsatisfiable(Enum):
    """A valid range that starts past the end (or asks for no byte): 416."""

    RANGE = "unsatisfiable"


_RANGE_SPEC = re.compile(r"(\d*)-(\d*)")
_MAX_POSITION_DIGITS = 18  # past any file's size; int() refuses thousands of digits


def _position(digits: str) -> int:
    return int(digits) if len(digits) <= _MAX_POSITION_DIGITS else 10**_MAX_POSITION_DIGITS


def byte_range(header: str, size: int) -> ByteSpan | Unsatisfiable | None:
    """What a Range header asks of ``size`` bytes; None where it is to be ignored.

    Ignored, as RFC 9110 lets a server do: a unit other than bytes, bad
    syntax, and several ranges (multipart/byteranges is not served; the
    whole file is what every client can use).
    """
    unit, equals, ranges = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    specs = [spec.strip() for spec in ranges.split(",") if spec.strip()]  # empty items are allowed
    match = _RANGE_SPEC.fullmatch(specs[0]) if len(specs) == 1 else None
    if match is None or match.group(0) == "-":
        return None
    first, last = match.groups()
    if not first:  # "-N": the last N bytes
        suffix = _position(last)
        if suffix == 0 or size == 0:
            return Unsatisfiable.RANGE
        return ByteSpan(max(size - suffix, 0), size)
    start = _position(first)
    if last and _position(last) < start:
        return None  # invalid: the header is ignored
    if start >= size:
        return Unsatisfiable.RANGE
    return ByteSpan(start, min(_position(last) + 1, size) if last else size)


def _if_range_holds(if_range: str | None, response: Response) -> bool:
    """Whether the Range may be served: no If-Range, or one naming this very file.

    Strong comparison only: a weak ETag never matches, and a date must be the
    Last-Modified to the second.
    """
    if if_range is None:
        return True
    value = if_range.strip()
    if value.startswith('"'):
        etag, weak = response.get_etag()
        return etag is not None and not weak and value == f'"{etag}"'
    if value.startswith("W/"):
        return False
    asked = parse_date(value)
    return asked is not None and asked == response.last_modified


def _file_span(environ: WSGIEnvironment, path: Path, span: ByteSpan) -> Iterable[bytes]:
    file = path.open("rb")
    file.seek(span.start)
    # Waitress sends a wrapped file from its event loop, no thread waiting on
    # the listener, and stops at Content-Length: the end of the span.
    return wrap_file(environ, file)


def _serve_range(request: Request, response: Response, path: Path, size: int) -> Response:
    """``response`` (a 200 for GET) cut to the Range asked, or a 416, or as it is."""
    header = request.headers.get("Range")
    if header is None or not _if_range_holds(request.headers.get("If-Range"), response):
        return response
    span = byte_range(header, size)
    if span is None:
        return response
    if isinstance(span, Unsatisfiable):
        response.close()  # the file send_file opened
        refused = RequestedRangeNotSatisfiable(length=size).get_response(request.environ)
        if "Vary" in response.headers:
            refused.headers["Vary"] = response.headers["Vary"]
        return refused
    response.status_code = 206
    response.headers["Content-Range"] = f"bytes {span.start}-{span.stop - 1}/{size}"
    if response.direct_passthrough:  # a file as send_file opened it
        response.close()
        response.response = _file_span(request.environ, path, span)
        response.content_length = span.stop - span.start
    else:
        response.set_data(response.get_data()[span.start : span.stop])
    return response


_RANGE_HEADERS = ("HTTP_RANGE", "HTTP_IF_RANGE")


def _conditional(request: Request, response: Response, path: Path, size: int) -> Response:
    """304, 412, a range or the whole: RFC 9110's order (section 13.2.2).

    Werkzeug decides 304 and 412, but would serve a Range before looking at
    If-None-Match, on HEAD too, and answer an unknown range unit with 416; so
    it sees the request without its Range, and ranges are decided here.
    """
    without_range = {k: v for k, v in request.environ.items() if k not in _RANGE_HEADERS}
    response.make_conditional(without_range, accept_ranges=True)
    if response.status_code != 200 or request.method != "GET":
        return response
    return _serve_range(request, response, path, size)


# --- Compression and the served address ---


def _accepts_gzip(request: Request) -> bool:
    return request.accept_encodings["gzip"] > 0  # "gzip;q=0" refuses it


def _served_base(environ: WSGIEnvironment) -> str:
    # Set by the server from the address it listens on, never from the Host header.
    return localfeed.serve_base(environ["SERVER_NAME"], int(environ["SERVER_PORT"]))


def _text_response(request: Request, path: Path, published: str | None) -> Response:
    """A text file from memory: its URLs moved if it is the feed or a page, gzipped
    if the client takes gzip. The ETag is of the bytes sent, so each variant has its own."""
    data = path.read_bytes()
    if published is not None and localfeed.is_localized(path):
        data = localfeed.localize(data, published, _served_base(request.environ))
    gzipped = _accepts_gzip(request)
    response = Response(gzip.compress(data, GZIP_LEVEL, mtime=0) if gzipped else data)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.last_modified = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    response.add_etag()
    response.cache_control.no_cache = True  # a rebuilt show must not hide behind a cached copy
    response.cache_control.max_age = 0
    return response


def _file_response(request: Request, path: Path) -> Response:
    return send_file(
        str(path),
        request.environ,
        conditional=False,  # see _conditional
        etag=True,
        max_age=0,  # a rebuilt episode must not hide behind a cached copy
    )


def _representation(request: Request, path: Path, published: str | None) -> Response:
    """The file's answer: whole (200), a span (206, 416) or not modified (304)."""
    is_text = path.suffix.lower() in GZIP_SUFFIXES
    size = path.stat().st_size
    if is_text and (size <= MAX_GZIP_BYTES or localfeed.is_localized(path)):
        response = _text_response(request, path, published)
        size = len(response.get_data())
    else:
        response = _file_response(request, path)
    response = _conditional(request, response, path, size)
    # Set last: given as mimetype, Werkzeug would add its own charset.
    if response.status_code in (200, 206, 304):
        response.headers["Content-Type"] = _mime_type(path)
    return response


def make_app(
    out_dir: Path,
    published_base: str | None = None,
    log: Callable[[str], None] | None = None,
) -> WSGIApplication:
    """A WSGI app serving the files of ``out_dir``, read-only.

    With ``published_base`` (the address the show was built for), the feed
    and pages are served with it replaced by the server's own address, from
    the WSGI ``SERVER_NAME`` and ``SERVER_PORT``. ``log`` gets one line per
    request.
    """
    root = out_dir.resolve()

    def respond(request: Request) -> Response:
        if request.method not in _METHODS:
            raise MethodNotAllowed(valid_methods=list(_METHODS))
        if _is_hidden(request.path):
            raise NotFound()
        path = _resolve(root, request.path)
        if path is not None and path.is_dir():
            if not request.path.endswith("/"):
                # Relative links on the index page need the trailing slash.
                return redirect(request.path + "/", code=301)
            path = _resolve(root, request.path + INDEX_NAME)
        if path is None or not path.is_file():
            raise NotFound()
        return _representation(request, path, published_base)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = respond(request)
        except HTTPException as err:
            response = err.get_response(environ)
        response.headers.update(CORS_HEADERS)
        if log is not None:
            log(_log_line(environ, response.status_code))
        return response(environ, start_response)

    return app


def _log_line(environ: WSGIEnvironment, status: int) -> str:
    """``ADDRESS "METHOD URI" STATUS``, with anything unprintable escaped: the
    URI is the client's, and a terminal would obey control characters in it."""
    asked = f"{environ.get('REQUEST_METHOD', '')} {environ.get('REQUEST_URI', '')}"
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in asked)
    return f'{environ.get("REMOTE_ADDR", "-")} "{shown}" {status}'


# --- The server ---


class _Task(WSGITask):
    """A request, told the address its connection reached rather than waitress's name."""

    def get_environment(self) -> WSGIEnvironment:
        environ = super().get_environment()
        if isinstance(self.channel, _Channel):
            environ["SERVER_NAME"] = self.channel.served_host
            environ["SERVER_PORT"] = str(self.channel.served_port)
        return environ


class _Channel(HTTPChannel):
    """One connection, with the clock its next request head runs against."""

    task_class = _Task

    def __init__(self, server: BaseWSGIServer, sock: socket.socket, addr: Any,
                 adj: Adjustments, map: Any = None) -> None:  # fmt: skip
        self.waiting_since = time.monotonic()
        host, port = sock.getsockname()[:2]
        named = server.named_host if isinstance(server, AppServer) else None
        # Listening on every interface, the address a client reached is the one
        # it can reach again; otherwise the address asked for, as it was written.
        self.served_host: str = named or host
        self.served_port: int = port
        super().__init__(server, sock, addr, adj, map)

    def service(self) -> None:
        super().service()
        self.waiting_since = time.monotonic()  # the next head is due from now

    def handle_write(self) -> None:
        super().handle_write()
        if not self.total_outbufs_len:
            self.waiting_since = time.monotonic()  # the response is out: same

    def overdue(self, now_s: float, limits: Limits) -> bool:
        """Late with its request head, or its response stopped moving.

        ``now_s`` is wall-clock time, as waitress keeps ``last_activity``.
        """
        if self.total_outbufs_len:
            return now_s - self.last_activity > limits.idle_timeout_s
        if self.requests:
            return False  # waiting for a worker: the client did its part
        return time.monotonic() - self.waiting_since > limits.header_timeout_s


def _connection_limit() -> int:
    """``MAX_CONNECTIONS``, or fewer where the process may open fewer files: a
    connection is one descriptor, and the file it is being sent another."""
    if sys.platform == "win32":
        return min(MAX_CONNECTIONS, 500)  # select() there watches at most 512 sockets
    import resource  # POSIX only

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, soft // 2 - 32))


class AppServer(TcpWSGIServer):
    """Waitress's server on a socket bound already, with deadlines on heads and
    stalled responses, run by ``serve_forever`` until ``shutdown``."""

    channel_class = _Channel

    def __init__(self, app: WSGIApplication, sock: socket.socket, named_host: str | None,
                 limits: Limits) -> None:  # fmt: skip
        self.named_host = named_host
        self.limits = limits
        self._sockets: dict[int, Any] = {}
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        adj = Adjustments(
            threads=limits.max_threads,
            connection_limit=_connection_limit(),
            cleanup_interval=1,  # how often maintenance() runs, in seconds
            asyncore_use_poll=True,  # select() fails past descriptor 1023
            max_request_header_size=MAX_HEAD_BYTES,
            max_request_body_size=MAX_BODY_BYTES,
            ident="qacast",
        )
        sockinfo = (sock.family, sock.type, sock.proto, sock.getsockname())
        super().__init__(app, cast(Any, self._sockets), _sock=sock, adj=adj,
                         sockinfo=sockinfo, bind_socket=False)  # fmt: skip

    @property
    def server_port(self) -> int:
        return int(self.effective_port)  # type: ignore[attr-defined]

    def maintenance(self, now: float) -> None:
        # In place of waitress's rule (idle for channel_timeout), which a client
        # sending its head a byte at a time never meets.
        for channel in list(self._sockets.values()):
            if isinstance(channel, _Channel) and channel.overdue(now, self.limits):
                channel.will_close = True  # closed by the loop, which sees it writable

    def serve_forever(self) -> None:
        self._stopped.clear()
        try:
            while not self._stopping.is_set():
                wasyncore.loop(_LOOP_TIMEOUT_S, use_poll=True, map=self._sockets, count=1)
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop ``serve_forever`` (from another thread) and wait until it has."""
        self._stopping.set()
        self.pull_trigger()
        self._stopped.wait()

    def server_close(self) -> None:
        for channel in list(self._sockets.values()):
            if isinstance(channel, HTTPChannel):
                channel.handle_close()  # also removes the files buffering its output
        # Workers first: one finishing a response still wakes the loop, whose
        # wake-up pipe must be open until then.
        self.task_dispatcher.shutdown()
        wasyncore.close_all(cast(Any, self._sockets))  # the listening socket, the wake-up pipe


def _is_wildcard(host: str) -> bool:
    if not host:
        return True
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _bound_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port; an IPv4 address first where a name has both,
    as a browser given "localhost" tries it. Raises OSError."""
    found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                               flags=socket.AI_PASSIVE)  # fmt: skip
    family, kind, proto, _, address = min(found, key=lambda info: info[0] != socket.AF_INET)
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":  # there it would let another program share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart at once
        sock.bind(address)
    except BaseException:
        sock.close()
        raise
    return sock


def make_app_server(
    out_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    published_base: str | None = None,
    *,
    limits: Limits = Limits(),
    log: Callable[[str], None] | None = None,
) -> AppServer:
    """A server for ``out_dir`` bound to host:port (port 0: any free port).

    Raises OSError when it cannot listen there (port in use, unknown host).
    """
    if not out_dir.is_dir():
        raise FileNotFoundError(out_dir)
    sock = _bound_socket(host, port)
    try:
        app = make_app(out_dir, published_base, log)
        return AppServer(app, sock, None if _is_wildcard(host) else host, limits)
    except BaseException:
        sock.close()
        raise


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(out_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``out_dir`` until interrupted (Ctrl-C), its feed at the address asked."""
    # A folder with no feed has no addresses to move: it is served as it is.
    has_feed = (out_dir / localfeed.FEED_NAME).exists()
    published = localfeed.published_base(out_dir) if has_feed else None
    # Waitress warns "Task queue depth is N" whenever a request waits a moment
    # for a worker thread, as the first one can on a busy machine. With no
    # logging set up, Python prints it bare among the request lines, where it
    # reads like an error; the request is served all the same.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = make_app_server(
        out_dir, host, port, published, log=lambda line: click.echo(line, err=True)
    )
    url = localfeed.serve_base(host or "0.0.0.0", server.server_port)
    click.echo(f"Serving {out_dir} at {url}")
    if _is_loopback(host):
        click.echo("Only this computer can connect (loopback); use --host to share it.")
    else:
        click.echo(f"Listening on {host}: other computers on the network can connect.")
    click.echo("Press Ctrl-C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


__all__ = [
    "CORS_HEADERS",
    "GZIP_SUFFIXES",
    "MIME_TYPES",
    "AppServer",
    "ByteSpan",
    "Limits",
    "Unsatisfiable",
    "byte_range",
    "content_type_of_suffix",
    "make_app",
    "make_app_server",
    "serve",
]
