"""A built show as ``qacast check`` reads it: out/feed.xml's channel and the folder.

Shared by check's rules on the feed (``check.py``) and on the files it links
(``check_files.py``): the show, a finding, and how a rule is called.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from qacast.errors import ConfigError
from qacast.fsutil import not_a_file

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_NAME = "feed.xml"


@dataclass(frozen=True)
class BuiltShow:
    out_dir: Path
    channel: ET.Element
    base_url: str  # the feed's own address minus "feed.xml": where out/ is published
    now: dt.datetime  # aware: what "in the future" is measured from (qacast/clock.py)

    @property
    def items(self) -> list[ET.Element]:
        return self.channel.findall("item")

    def local_file(self, url: str) -> Path | None:
        """The file in out/ that ``url`` names, or None when it names none there."""
        if not url.startswith(self.base_url):
            return None
        relative = unquote(urlsplit(url).path[len(urlsplit(self.base_url).path) :])
        try:
            path = (self.out_dir / relative).resolve()
        except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
            return None
        if not path.is_relative_to(self.out_dir.resolve()) or not path.is_file():
            return None
        return path


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    warning: bool = False  # worth knowing, but no directory rejects it


Rule = Callable[[BuiltShow], Iterator[Finding]]


def item_name(item: ET.Element) -> str:
    return repr(item.findtext("title") or item.findtext("guid") or "untitled item")


def load_built_show(out_dir: Path, now: dt.datetime) -> BuiltShow:
    feed = out_dir / FEED_NAME
    try:
        kind = not_a_file(feed.stat().st_mode)
        if kind is not None:  # a named pipe would never finish reading
            raise ConfigError(f"{feed}: is {kind}, not a feed; remove it and run qacast build")
        root = ET.parse(feed).getroot()
    except FileNotFoundError:
        raise ConfigError(f"{feed}: nothing built yet; run qacast build first") from None
    except OSError as err:
        raise ConfigError(f"{feed}: cannot be read ({err.strerror or err})") from None
    except ET.ParseError as err:
        raise ConfigError(f"{feed}: not well-formed XML ({err})") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ConfigError(f"{feed}: not an RSS feed")
    self_link = next(
        (link.get("href", "") for link in channel.findall(f"{{{ATOM_NS}}}link")
         if link.get("rel") == "self"),
        "",
    )  # fmt: skip
    if not self_link.endswith("/" + FEED_NAME):
        raise ConfigError(f"{feed}: no atom:link rel=self ending in /{FEED_NAME}")
    return BuiltShow(out_dir, channel, self_link[: -len(FEED_NAME)], now)
