"""Is the show online as built? The feed fetched from the base URL, every file it links asked for.

What a podcast app does first, from outside: GET the feed at the show's
address, then HEAD each enclosure, transcript, chapters file, image and page
the feed names, and compare what comes back with out/ (the length, and the
media type qacast gives each kind of file). A base URL with a typo in its host
or its path fails here with one line, instead of in a listener's app.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from qacast import __version__
from qacast.errors import OnlineCheckError
from qacast.publish.plan import FEED_NAME, content_type

TIMEOUT_S = 30.0
PARALLEL_REQUESTS = 8  # a podcast host answers many at once; a server of one's own too
_USER_AGENT = f"qacast/{__version__} (publish check)"
_NAMESPACES = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
}
# Where the feed names a file, as (XPath to the attribute or text) pairs.
_LINKS = (
    "//item/enclosure/@url",
    "//podcast:transcript/@url",
    "//podcast:chapters/@url",
    "//podcast:alternateEnclosure/podcast:source/@uri",
    "//itunes:image/@href",
    "//channel/image/url/text()",
    "//item/link/text()",
)


@dataclass(frozen=True)
class OnlineFinding:
    url: str
    message: str
    warning: bool = False

    def line(self) -> str:
        return f"{'warning' if self.warning else 'problem'}: online: {self.url}: {self.message}"


@dataclass(frozen=True)
class OnlineReport:
    feed_url: str
    checked: int  # files the feed links, each asked for
    findings: tuple[OnlineFinding, ...]

    @property
    def problems(self) -> tuple[OnlineFinding, ...]:
        return tuple(finding for finding in self.findings if not finding.warning)


@dataclass(frozen=True)
class _Answer:
    status: int
    length: int | None
    media_type: str
    body: bytes


def verify_online(base_url: str, out_dir: Path) -> OnlineReport:
    """Fetch the feed of the show built in ``out_dir`` from ``base_url`` (where
    it is published, ending in "/") and check every file it links against out/.

    The links are those of out/feed.xml, the feed just published; one that the
    server answers differently is a problem, a differing media type a warning.
    Raises OnlineCheckError when the feed itself cannot be fetched there."""
    base = base_url
    feed_url = base + FEED_NAME
    try:
        answer = _ask(feed_url, "GET")
    except OSError as err:
        raise OnlineCheckError(
            f"cannot fetch {feed_url}: {_reason(err)}; is base_url in qacast.toml right?"
        ) from None
    if answer.status != 200:
        raise OnlineCheckError(
            f"{feed_url}: HTTP {answer.status}: the feed is not there; "
            "is base_url in qacast.toml right, and was the show published to it?"
        )
    local_feed = (out_dir / FEED_NAME).read_bytes()
    findings: list[OnlineFinding] = []
    if answer.body != local_feed:
        stale = "differs from out/feed.xml: a cache may still hold the old one (up to 5 minutes)"
        findings.append(OnlineFinding(feed_url, stale, warning=True))
    urls = sorted(set(_linked(local_feed)))
    with ThreadPoolExecutor(PARALLEL_REQUESTS) as pool:
        for found in pool.map(lambda url: list(_check(url, base, out_dir)), urls):
            findings.extend(found)
    return OnlineReport(feed_url, len(urls), tuple(findings))


def online_lines(report: OnlineReport) -> list[str]:
    """What ``publish`` and ``check --online`` print: each finding, then the verdict."""
    lines = [finding.line() for finding in report.findings]
    if not report.problems:
        lines.append(f"online: {report.feed_url} and the {report.checked} files it links "
                     "are as built")  # fmt: skip
    return lines


def raise_for_problems(report: OnlineReport) -> None:
    if report.problems:
        raise OnlineCheckError(f"{len(report.problems)} of the files the feed at "
                               f"{report.feed_url} links are not as published")  # fmt: skip


def _linked(feed: bytes) -> Iterator[str]:
    root = etree.fromstring(feed, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    for path in _LINKS:
        for value in root.xpath(path, namespaces=_NAMESPACES):
            if str(value).strip():
                yield str(value).strip()


def _check(url: str, base: str, out_dir: Path) -> Iterator[OnlineFinding]:
    try:
        answer = _ask(url, "HEAD")
    except OSError as err:
        yield OnlineFinding(url, f"cannot be fetched: {_reason(err)}")
        return
    if answer.status != 200:
        yield OnlineFinding(url, f"HTTP {answer.status}")
        return
    if not url.startswith(base):
        return  # artwork or a page elsewhere: that it answers is all one can ask
    relative = unquote(url[len(base) :].split("?")[0].split("#")[0])
    local = out_dir / relative
    if not local.is_file():
        return
    size = local.stat().st_size
    if answer.length is not None and answer.length != size:
        yield OnlineFinding(url, f"{answer.length} bytes online, {size} in out/{relative}")
    expected = content_type(relative).split(";")[0].strip()
    if answer.media_type and answer.media_type != expected:
        yield OnlineFinding(url, f"served as {answer.media_type}, not {expected}", warning=True)


def _ask(url: str, method: str) -> _Answer:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return _answer(response, read=method == "GET")
    except urllib.error.HTTPError as err:
        return _Answer(err.code, None, "", b"")
    except (http.client.HTTPException, ValueError) as err:  # a garbled answer, a bad URL
        raise OSError(str(err)) from err


def _answer(response: http.client.HTTPResponse, read: bool) -> _Answer:
    length = response.headers.get("Content-Length")
    media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    body = response.read() if read else b""
    return _Answer(response.status, int(length) if length and length.isdigit() else None,
                   media_type, body)  # fmt: skip


def _reason(err: OSError) -> str:
    reason = getattr(err, "reason", err)
    if isinstance(reason, socket.gaierror):
        return "no such host"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer in {TIMEOUT_S:g} s"
    return str(getattr(reason, "strerror", None) or reason)
