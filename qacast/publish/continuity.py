"""A show's identity across hosts: the podcast:guid and item guids it already has.

Apps and directories know a show by its ``podcast:guid`` and an episode by
its ``<guid>``. Both must outlive a move: a new guid makes apps list the show
or its episodes a second time. So the channel's guid is, in this order:

1. ``podcast_guid`` in qacast.toml;
2. the one the feed in ``import_feed`` carries (the show's feed saved from
   the host it leaves);
3. the one out/feed.xml carries, when that feed was built for a public
   address (a feed built for this computer's address was never published);
4. the Podcasting 2.0 rule: UUIDv5 of the feed URL without its scheme and
   trailing slashes, in the namespace the spec fixes.

An episode whose title (or season and number) matches an item of the
imported feed takes that item's guid (see ``imported_guids``).
"""

from __future__ import annotations

import ipaddress
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from qacast.config import ShowConfig
from qacast.errors import ConfigError

# Fixed by the Podcasting 2.0 spec for podcast:guid: its example, the feed
# "https://podnews.net/rss", gives 9b024349-ccf0-5f69-a609-6b82873eab3c.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_NAME = "feed.xml"

# Podcasting 2.0 namespace addresses older feeds used for the same tags.
_PODCAST_NAMESPACES = (
    PODCAST_NS,
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)


@dataclass(frozen=True)
class OldItem:
    """An episode as a feed published before lists it."""

    guid: str
    title: str
    season: int | None
    number: int | None


@dataclass(frozen=True)
class OldFeed:
    self_url: str  # its atom:link rel="self", "" when it has none
    podcast_guid: str | None
    items: tuple[OldItem, ...]


def derived_podcast_guid(show: ShowConfig) -> str:
    """UUIDv5 of the feed address, the Podcasting 2.0 way.

    Every show served from this machine's default address would get the same
    guid, so a loopback feed address is combined with the show's title.
    """
    address = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", show.feed_url).rstrip("/")
    if is_loopback_url(show.base_url):
        address = f"{address}#{show.title}"
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, address))


def is_loopback_url(url: str) -> bool:
    """Whether ``url`` names this machine only (localhost, 127.x, ::1)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def channel_guid(show: ShowConfig, out_dir: Path) -> str:
    """The show's podcast:guid: kept from where it was published, else derived."""
    if show.podcast_guid is not None:
        return str(show.podcast_guid)
    if show.import_feed is not None:
        imported = read_old_feed(show.import_feed).podcast_guid
        if imported:
            return imported
    built = out_dir / FEED_NAME
    if built.is_file():
        try:
            last = read_old_feed(built)
        except ConfigError:
            last = None  # a damaged feed of ours is rebuilt; it published nothing to keep
        if last and last.podcast_guid and last.self_url and not is_loopback_url(last.self_url):
            return last.podcast_guid
    return derived_podcast_guid(show)


def _podcast_text(element: ET.Element, tag: str) -> str | None:
    for namespace in _PODCAST_NAMESPACES:
        text = element.findtext(f"{{{namespace}}}{tag}")
        if text and text.strip():
            return text.strip()
    return None


def _number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _old_item(item: ET.Element) -> OldItem | None:
    guid = (item.findtext("guid") or "").strip()
    if not guid:
        enclosure = item.find("enclosure")
        # Apps key an item without a guid by its enclosure URL: that is its identity.
        guid = (enclosure.get("url", "") if enclosure is not None else "").strip()
    if not guid:
        return None
    season = _number(_podcast_text(item, "season") or item.findtext(f"{{{ITUNES_NS}}}season"))
    number = _number(_podcast_text(item, "episode") or item.findtext(f"{{{ITUNES_NS}}}episode"))
    title = item.findtext(f"{{{ITUNES_NS}}}title") or item.findtext("title") or ""
    return OldItem(guid=guid, title=title.strip(), season=season, number=number)


def read_old_feed(path: Path) -> OldFeed:
    """The guids an RSS feed file carries; one clear line if it is not a feed."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as err:
        raise ConfigError(f"{path}: cannot be read as an RSS feed ({err})") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ConfigError(f"{path}: not an RSS feed (no <rss><channel>)")
    self_url = ""
    for link in channel.findall(f"{{{ATOM_NS}}}link"):
        if link.get("rel") == "self":
            self_url = link.get("href", "")
    items = tuple(old for old in map(_old_item, channel.findall("item")) if old is not None)
    return OldFeed(self_url, _podcast_text(channel, "guid"), items)


@dataclass(frozen=True)
class EpisodeKey:
    """What an episode is matched by against an imported feed's items."""

    slug: str
    title: str
    season: int | None
    number: int | None


def _folded(title: str) -> str:
    return " ".join(title.casefold().split())


def imported_guids(items: Sequence[OldItem], episodes: Sequence[EpisodeKey]) -> dict[str, str]:
    """slug -> the guid of the imported item that is the same episode.

    Matched by title (case and spacing aside) first, then, for the rest, by
    season and episode number. Only a match that is one to one counts: two
    items with the same title give neither's guid to anyone.
    """
    found: dict[str, str] = {}
    used: set[str] = set()
    keys = (
        lambda thing: _folded(thing.title) or None,
        lambda thing: (thing.season or 1, thing.number) if thing.number else None,
    )
    for key in keys:
        by_key: dict[object, list[OldItem]] = {}
        for item in items:
            if item.guid not in used and key(item) is not None:
                by_key.setdefault(key(item), []).append(item)
        wanted = [e for e in episodes if e.slug not in found and key(e) is not None]
        counts: dict[object, int] = {}
        for episode in wanted:
            counts[key(episode)] = counts.get(key(episode), 0) + 1
        for episode in wanted:
            matches = by_key.get(key(episode), [])
            if len(matches) == 1 and counts[key(episode)] == 1:
                found[episode.slug] = matches[0].guid
                used.add(matches[0].guid)
    return found
