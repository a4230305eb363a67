"""The feed and pages as ``qacast serve`` hands them out: at the address served.

A show is built for its ``base_url``, and the feed's enclosures, transcripts
and images are absolute URLs under it. Served from another port or host
(``qacast serve --port 8123``), those URLs would point at nothing: an app
would subscribe, then fail to fetch every episode. So the feed and the pages
(whose only absolute URL is the feed address shown to copy) are served with
the published base replaced by the server's own address. Everything else, the
audio above all, is served byte for byte as it is in out/.

That address is never taken from the request: a ``Host`` header is whatever
the client typed, and a cache in front would keep and hand on a feed whose
every URL points at the client's choice. ``serve_base`` builds it from the
address the server listens on (or, listening on every interface, the one the
connection reached), which only the machine's own configuration decides.

The published base is read from the feed's own ``atom:link rel="self"``, so
it is whatever the last build wrote, whatever qacast.toml says now.
"""

from __future__ import annotations

import html
import ipaddress
import xml.etree.ElementTree as ET
from pathlib import Path

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


def serve_base(host: str, port: int) -> str:
    """``http://HOST:PORT/`` for a host name or IP address, IPv6 in brackets.

    An IPv4 address seen through an IPv6 socket (``::ffff:192.0.2.1``) is
    written as the IPv4 address a client would type.
    """
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return f"http://{host}:{port}/"  # a name, as configured
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"http://{address.ipv4_mapped}:{port}/"
    if isinstance(address, ipaddress.IPv6Address):
        return f"http://[{host.replace('%', '%25')}]:{port}/"  # a zone id, percent-encoded
    return f"http://{host}:{port}/"


def localize(data: bytes, published: str, served: str) -> bytes:
    """``data`` with every URL under ``published`` moved under ``served``."""
    for old, new in {(published, served), (html.escape(published), html.escape(served))}:
        data = data.replace(old.encode("utf-8"), new.encode("utf-8"))
    return data


def is_localized(path: Path) -> bool:
    """Whether ``path`` is served with its URLs moved (the feed and the pages)."""
    return path.suffix.lower() in LOCALIZED_SUFFIXES
