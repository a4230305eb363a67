"""Serve out/ over HTTP the way a podcast host must: HEAD, byte ranges, MIME types, CORS.

Python's ``http.server`` answers no Range requests (PITFALLS 26), which
podcast apps and Apple need for seeking, so the HTTP work is Werkzeug's:
``send_file`` handles Range (206, 416), HEAD, ETag and If-Modified-Since.
This module decides only which file a URL names and how it is labelled.

Only regular files inside out/ are reachable: ".." segments, encoded or not,
absolute paths and symlinks that lead outside all answer 404.
"""

from __future__ import annotations

import ipaddress
import posixpath
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.security import safe_join
from werkzeug.serving import BaseWSGIServer, ThreadedWSGIServer
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
    return resolved


def _mime_type(path: Path) -> str:
    return MIME_TYPES.get(path.suffix.lower(), DEFAULT_MIME_TYPE)


def make_app(out_dir: Path, published_base: str | None = None) -> WSGIApplication:
    """A WSGI app serving the files of ``out_dir``, read-only.

    With ``published_base`` (the address the show was built for), the feed
    and pages are served with it replaced by the request's own address.
    """
    root = out_dir.resolve()

    def respond(request: Request) -> Response:
        if request.method not in _METHODS:
            raise MethodNotAllowed(valid_methods=list(_METHODS))
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


class _AppServer(ThreadedWSGIServer):
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


def make_app_server(
    out_dir: Path, host: str = "127.0.0.1", port: int = 8000, published_base: str | None = None
) -> BaseWSGIServer:
    """A threaded server for ``out_dir`` bound to host:port (port 0: any free port).

    Raises OSError when it cannot listen there (port in use, unknown host).
    """
    if not out_dir.is_dir():
        raise FileNotFoundError(out_dir)
    try:
        return _AppServer(host, port, make_app(out_dir, published_base))
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
