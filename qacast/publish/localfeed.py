"""The feed and pages as ``qacast serve`` hands them out: at the address asked.

A show is built for its ``base_url``, and the feed's enclosures, transcripts
and images are absolute URLs under it. Served from another port or host
(``qacast serve --port 8123``), those URLs would point at nothing: an app
would subscribe, then fail to fetch every episode. So the feed and the pages
(whose only absolute URL is the feed address shown to copy) are served with
the published base replaced by the address the request came to, taken from
its Host header. Everything else, the audio above all, is served byte for
byte as it is in out/.

The published base is read from the feed's own ``atom:link rel="self"``, so
it is whatever the last build wrote, whatever qacast.toml says now.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from pathlib import Path

from werkzeug.wrappers import Request, Response

from qacast.errors import ConfigError

FEED_NAME = "feed.xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
# Files whose text holds absolute URLs under the published base.
LOCALIZED_SUFFIXES: tuple[str, ...] = (".xml", ".html")


def published_base(out_dir: Path) -> str:
    """The address the show in ``out_dir`` was built for, ending in "/"."""
    feed = out_dir / FEED_NAME
    try:
        channel = ET.parse(feed).getroot().find("channel")
    except (OSError, ET.ParseError) as err:
        raise ConfigError(f"{feed}: cannot be read ({err}); run qacast build again") from None
    links = channel.findall(f"{{{ATOM_NS}}}link") if channel is not None else []
    for link in links:
        href = link.get("href", "")
        if link.get("rel") == "self" and href.endswith("/" + FEED_NAME):
            return href[: -len(FEED_NAME)]
    raise ConfigError(
        f"{feed}: no self link says where it was published, so its URLs cannot be "
        "rewritten for this address; run qacast build again"
    )


def localize(data: bytes, published: str, served: str) -> bytes:
    """``data`` with every URL under ``published`` moved under ``served``."""
    for old, new in {(published, served), (html.escape(published), html.escape(served))}:
        data = data.replace(old.encode("utf-8"), new.encode("utf-8"))
    return data


def local_response(request: Request, path: Path, published: str) -> Response | None:
    """The response for a feed or page at the request's own address; None for
    any other file, which is served as it is."""
    if path.suffix.lower() not in LOCALIZED_SUFFIXES:
        return None
    served = request.host_url  # "http://HOST:PORT/", from the Host header
    response = Response(localize(path.read_bytes(), published, served))
    response.add_etag()
    response.cache_control.max_age = 0
    return response.make_conditional(request)
