"""Serve out/ over HTTP the way a podcast host must: HEAD, byte ranges, MIME types, CORS.

Python's ``http.server`` answers no Range requests, which podcast apps and
Apple need for seeking, so the HTTP work is Werkzeug's:
``send_file`` handles Range (206, 416), HEAD, ETag and If-Modified-Since.
This module decides only which file a URL names and how it is labelled.

Only regular files inside out/ are reachable: ".." segments, encoded or not,
absolute paths and symlinks that lead outside all answer 404, and so does
every dotfile and anything in a dot-folder (a repository's .gitkeep, state an
older qacast kept in out/, temporary files).

The server is meant to face a network: a fixed pool of threads answers
(``MAX_THREADS``), a client has ``HEADER_TIMEOUT_S`` from connecting to send
its request head, and any single read or write waits at most
``IDLE_TIMEOUT_S``. Hundreds of connections that never send a request thus
cost a queue entry each, never a thread each, and are closed in seconds.
"""

from __future__ import annotations

import contextlib
import ipaddress
import posixpath
import socket
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.http import parse_range_header
from werkzeug.security import safe_join
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler
from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Request, Response

from qacast.publish import localfeed

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# File suffix -> Content-Type. Anything else is served as bytes to download.
MIME_TYPES: dict[str, str] = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".opus": "audio/ogg",
    ".ogg": "audio/ogg",
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

# Web players and transcript viewers on other origins fetch captions, chapters
# and the feed itself; nothing here is private, so every response allows it.
CORS_HEADERS: dict[str, str] = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Length, Content-Range, Accept-Ranges",
}

INDEX_NAME = "index.html"
_METHODS = ("GET", "HEAD")

MAX_THREADS = 32  # requests answered at once; more connections wait their turn
HEADER_TIMEOUT_S = (
    10.0  # from accepting a connection (or its previous response) to its request head
)
IDLE_TIMEOUT_S = 30.0  # any one read or write on a connection
_WATCH_INTERVAL_S = 0.25


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


def _mime_type(path: Path) -> str:
    return MIME_TYPES.get(path.suffix.lower(), DEFAULT_MIME_TYPE)


def _ignore_unserved_ranges(environ: WSGIEnvironment) -> None:
    """Drop a Range header asking for several ranges (or none that parses).

    Only single ranges are served (multipart/byteranges is not); RFC 9110
    (14.2) lets a server ignore a Range header, and the whole file with 200 is
    what a client can use, where Werkzeug would answer 416.
    """
    header = environ.get("HTTP_RANGE")
    if header is None:
        return
    parsed = parse_range_header(header)
    if parsed is None or len(parsed.ranges) != 1:
        del environ["HTTP_RANGE"]
        environ.pop("HTTP_IF_RANGE", None)


def make_app(out_dir: Path, published_base: str | None = None) -> WSGIApplication:
    """A WSGI app serving the files of ``out_dir``, read-only.

    With ``published_base`` (the address the show was built for), the feed
    and pages are served with it replaced by the request's own address.
    """
    root = out_dir.resolve()

    def respond(request: Request) -> Response:
        if request.method not in _METHODS:
            raise MethodNotAllowed(valid_methods=list(_METHODS))
        if _is_hidden(request.path):
            raise NotFound()
        _ignore_unserved_ranges(request.environ)
        path = _resolve(root, request.path)
        if path is not None and path.is_dir():
            if not request.path.endswith("/"):
                # Relative links on the index page need the trailing slash.
                return redirect(request.path + "/", code=301)
            path = _resolve(root, request.path + INDEX_NAME)
        if path is None or not path.is_file():
            raise NotFound()
        local = localfeed.local_response(request, path, published_base) if published_base else None
        if local is not None:
            local.headers["Content-Type"] = _mime_type(path)
            return local
        response = send_file(
            str(path),
            request.environ,
            conditional=True,  # Range -> 206/416, ETag, If-Modified-Since
            etag=True,
            max_age=0,  # a rebuilt episode must not hide behind a cached copy
        )
        # Set after send_file: given as mimetype, Werkzeug would add its own charset.
        response.headers["Content-Type"] = _mime_type(path)
        return response

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = respond(request)
        except HTTPException as err:
            response = err.get_response(environ)
        response.headers.update(CORS_HEADERS)
        return response(environ, start_response)

    return app


class _BindError(Exception):
    """Carries an OSError out of Werkzeug's constructor, which would print it and exit."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _HeaderDeadlines:
    """Shuts down connections whose request head is late, from one watcher thread.

    A socket timeout alone bounds each read, not the whole head: a client
    sending a byte every few seconds would hold its thread forever.
    """

    def __init__(self, limit_s: float) -> None:
        self._limit_s = limit_s
        self._due: dict[socket.socket, float] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="qacast-deadlines", daemon=True)
        self._watcher.start()

    def start(self, connection: socket.socket) -> None:
        """The head is due ``limit_s`` from now, unless it is already counting."""
        with self._lock:
            self._due.setdefault(connection, time.monotonic() + self._limit_s)

    def done(self, connection: socket.socket) -> bool:
        """Stop counting; False when the deadline had already passed."""
        with self._lock:
            return self._due.pop(connection, None) is not None

    def stop(self) -> None:
        self._stopped.set()

    def _watch(self) -> None:
        while not self._stopped.wait(_WATCH_INTERVAL_S):
            now = time.monotonic()
            with self._lock:
                late = [conn for conn, due in self._due.items() if due <= now]
                for conn in late:
                    del self._due[conn]
            for conn in late:
                with contextlib.suppress(OSError):  # already closed
                    conn.shutdown(socket.SHUT_RDWR)  # its reader sees end of stream


class _Handler(WSGIRequestHandler):
    timeout = IDLE_TIMEOUT_S  # applied to the socket: each read and write

    def handle_one_request(self) -> None:
        deadlines: _HeaderDeadlines = self.server.deadlines  # type: ignore[attr-defined]
        deadlines.start(self.connection)
        try:
            super().handle_one_request()
        finally:
            deadlines.done(self.connection)

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if not self.server.deadlines.done(self.connection):  # type: ignore[attr-defined]
            # Cut off mid-head: what was read is no request, answer nothing.
            self.close_connection = True
            return False
        return ok


class _AppServer(BaseWSGIServer):
    """Werkzeug's server with a fixed pool of threads and header deadlines."""

    multithread = True  # Werkzeug then speaks HTTP/1.1 (keep-alive)

    def __init__(self, host: str, port: int, app: WSGIApplication, *,
                 max_threads: int, header_timeout_s: float) -> None:  # fmt: skip
        self.deadlines = _HeaderDeadlines(header_timeout_s)
        self._workers = ThreadPoolExecutor(max_workers=max_threads,
                                           thread_name_prefix="qacast-serve")  # fmt: skip
        try:
            super().__init__(host, port, app, handler=_Handler)
        except BaseException:
            self._stop_helpers()
            raise

    # Werkzeug answers a failed bind (port in use) with two lines of its own on
    # stderr and sys.exit(1); anything but an OSError passes through it, so the
    # error reaches the CLI, which reports it in its one-line form.
    def server_bind(self) -> None:
        try:
            super().server_bind()
        except OSError as err:
            raise _BindError(err) from err

    def server_activate(self) -> None:
        try:
            super().server_activate()
        except OSError as err:
            raise _BindError(err) from err

    def process_request(self, request: Any, client_address: Any) -> None:
        # Counted from the accept: a connection waiting in the queue for a
        # thread is closed when late, so it never reaches one.
        self.deadlines.start(request)
        self._workers.submit(self._answer, request, client_address)

    def _answer(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.deadlines.done(request)
            self.shutdown_request(request)

    def _stop_helpers(self) -> None:
        self.deadlines.stop()
        self._workers.shutdown(wait=False, cancel_futures=True)

    def server_close(self) -> None:
        super().server_close()
        self._stop_helpers()


def make_app_server(
    out_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    published_base: str | None = None,
    *,
    max_threads: int = MAX_THREADS,
    header_timeout_s: float = HEADER_TIMEOUT_S,
) -> BaseWSGIServer:
    """A server for ``out_dir`` bound to host:port (port 0: any free port).

    Raises OSError when it cannot listen there (port in use, unknown host).
    """
    if not out_dir.is_dir():
        raise FileNotFoundError(out_dir)
    try:
        return _AppServer(host, port, make_app(out_dir, published_base),
                          max_threads=max_threads, header_timeout_s=header_timeout_s)  # fmt: skip
    except _BindError as err:
        raise err.error from None


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
    server = make_app_server(out_dir, host, port, published)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{server.server_port}/"
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


__all__ = ["CORS_HEADERS", "MIME_TYPES", "make_app", "make_app_server", "serve"]
