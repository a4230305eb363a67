"""``qacast check``: what a podcast directory would reject in a built show.

It reads what a directory reads, the built ``out/feed.xml``, and the files
the feed points at inside ``out/``, never the show's settings: the question
is whether the published bytes pass, whatever produced them. Each rule is a
function from the built show to problem lines; ``RULES`` lists them with the
name printed ahead of each line, so adding a rule is one function and one row.

The rules are Apple Podcasts' (title, description length, language, artwork,
category, explicit, enclosure, guid, pubDate, https, author and owner) and the
Podcasting 2.0 namespace's (podcast:guid, podcast:locked, alternateEnclosure,
transcripts, chapters); those that open the linked files (audio decoded and
timed, captions parsed, chapters read against their schema, the site's pages
there) are in ``check_files.py``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from qacast.apple import (
    APPLE_CATEGORIES,
    ARTWORK_FORMATS,
    ARTWORK_MAX_PX,
    ARTWORK_MIN_PX,
    ARTWORK_MODE,
    DESCRIPTION_MAX_BYTES,
    enclosure_types,
)
from qacast.formats import types_of_suffix
from qacast.limits import is_language_tag
from qacast.publish.built_show import BuiltShow, Finding, Rule, load_built_show
from qacast.publish.built_show import item_name as _item_name
from qacast.publish.check_files import audio_rule, chapters_rule, pages_rule, transcripts_rule
from qacast.publish.continuity import ITUNES_NS, PODCAST_NS, is_loopback_url
from qacast.script.front.fields import NUMBER_MAX, in_plausible_range

DC_NS = "http://purl.org/dc/elements/1.1/"
EXPLICIT_VALUES = ("true", "false")
LOCKED_VALUES = ("yes", "no")
# The zone whose day begins first (Kiribati's Line Islands): a pubDate on a day
# that has begun nowhere yet is in the future wherever the listener is. A date
# alone is published at noon UTC, up to a day ahead of someone's clock.
EARLIEST_ZONE = dt.timezone(dt.timedelta(hours=14))


def _title(show: BuiltShow) -> Iterator[Finding]:
    if not (show.channel.findtext("title") or "").strip():
        yield Finding("title", "the channel has no <title>")
    for item in show.items:
        if not (item.findtext("title") or "").strip():
            yield Finding("title", f"item {item.findtext('guid')!r} has no <title>")


def _description(show: BuiltShow) -> Iterator[Finding]:
    text = show.channel.findtext("description") or ""
    if not text.strip():
        yield Finding("description", "the channel has no <description>")
    size_bytes = len(text.encode("utf-8"))
    if size_bytes > DESCRIPTION_MAX_BYTES:
        yield Finding(
            "description",
            f"the channel description is {size_bytes} bytes; Apple allows {DESCRIPTION_MAX_BYTES}",
        )


def _language(show: BuiltShow) -> Iterator[Finding]:
    language = (show.channel.findtext("language") or "").strip()
    if not language:
        yield Finding("language", "the channel has no <language>")
    elif not is_language_tag(language):
        yield Finding("language", f"{language!r} is not an ISO 639 language code")
    for item in show.items:  # an episode in another language than the show's
        spoken = item.findtext(f"{{{DC_NS}}}language")
        if spoken is not None and not is_language_tag(spoken.strip()):
            yield Finding(
                "language", f"{_item_name(item)}: {spoken!r} is not an ISO 639 language code"
            )


def _artwork_problem(path: Path) -> str | None:
    try:
        with Image.open(path) as image:
            width, height = image.size
            image_format, mode = image.format, image.mode
    except (OSError, UnidentifiedImageError):
        return "is not a readable image"
    if image_format not in ARTWORK_FORMATS:
        return f"is {image_format}; Apple takes {' or '.join(ARTWORK_FORMATS)}"
    if mode != ARTWORK_MODE:
        return f"is in colour mode {mode}; Apple takes {ARTWORK_MODE}"
    if width != height:
        return f"is {width}x{height} px, not square"
    if not ARTWORK_MIN_PX <= width <= ARTWORK_MAX_PX:
        return f"is {width}x{height} px; Apple takes {ARTWORK_MIN_PX}-{ARTWORK_MAX_PX} px"
    return None


def _artwork(show: BuiltShow) -> Iterator[Finding]:
    image = show.channel.find(f"{{{ITUNES_NS}}}image")
    images = [("the channel's itunes:image", image)]
    images += [
        (f"{_item_name(i)}'s itunes:image", i.find(f"{{{ITUNES_NS}}}image")) for i in show.items
    ]
    for label, element in images:
        if element is None:
            if label.startswith("the channel"):
                yield Finding("artwork", "the channel has no itunes:image")
            continue
        url = element.get("href", "")
        path = show.local_file(url)
        if path is None:
            yield Finding("artwork", f"{label} {url!r} is not a file in {show.out_dir}")
            continue
        problem = _artwork_problem(path)
        if problem:
            yield Finding("artwork", f"{label} {path.name} {problem}")


def _category(show: BuiltShow) -> Iterator[Finding]:
    categories = show.channel.findall(f"{{{ITUNES_NS}}}category")
    if not categories:
        yield Finding("category", "the channel has no itunes:category")
    for element in categories:
        name = element.get("text", "")
        if name not in APPLE_CATEGORIES:
            yield Finding("category", f"{name!r} is not one of Apple's categories")
            continue
        for sub in element.findall(f"{{{ITUNES_NS}}}category"):
            if sub.get("text", "") not in APPLE_CATEGORIES[name]:
                yield Finding(
                    "category", f"{sub.get('text', '')!r} is not a subcategory of {name!r}"
                )


def _explicit(show: BuiltShow) -> Iterator[Finding]:
    value = show.channel.findtext(f"{{{ITUNES_NS}}}explicit")
    if value is None:
        yield Finding("explicit", "the channel has no itunes:explicit")
    elif value.strip().lower() not in EXPLICIT_VALUES:
        yield Finding("explicit", f"itunes:explicit is {value!r}, not true or false")


def _enclosure(show: BuiltShow) -> Iterator[Finding]:
    for item in show.items:
        enclosure = item.find("enclosure")
        if enclosure is None:
            yield Finding("enclosure", f"{_item_name(item)} has no <enclosure>")
            continue
        mime_type = enclosure.get("type", "")
        if mime_type not in enclosure_types():
            yield Finding(
                "enclosure",
                f"{_item_name(item)}: Apple plays no {mime_type!r} enclosure; "
                "list mp3 or m4a first in formats",
            )
        yield from _file_matches(
            show, "enclosure", _item_name(item), enclosure.get("url", ""),
            enclosure.get("length", ""), mime_type,
        )  # fmt: skip


def _file_matches(
    show: BuiltShow, rule: str, owner: str, url: str, length: str, mime_type: str
) -> Iterator[Finding]:
    path = show.local_file(url)
    if path is None:
        yield Finding(rule, f"{owner}: {url!r} is not a file in {show.out_dir}")
        return
    size_bytes = path.stat().st_size
    if length != str(size_bytes):
        yield Finding(rule, f"{owner}: length {length!r} but {path.name} is {size_bytes} bytes")
    expected = types_of_suffix(path.suffix)  # the types a directory accepts for it
    if mime_type not in expected:
        yield Finding(
            rule, f"{owner}: type {mime_type!r} does not match {path.name} ({', '.join(expected)})"
        )


def _guid(show: BuiltShow) -> Iterator[Finding]:
    guids = [(item.findtext("guid") or "").strip() for item in show.items]
    for item, guid in zip(show.items, guids, strict=True):
        if not guid:
            yield Finding("guid", f"{_item_name(item)} has no <guid>")
    for guid, count in Counter(g for g in guids if g).items():
        if count > 1:
            yield Finding("guid", f"{count} items share the guid {guid!r}")


# The year of an RFC 2822 date, after its day and month: "01 Jan 2024 ".
_YEAR = re.compile(r"\d{1,2}\s+[A-Za-z]{3}\s+(\d+)\s")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _pub_date_problem(text: str, now: dt.datetime) -> str | None:
    """Why ``text`` is no pubDate a directory takes; None when it is one."""
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return "is not an RFC 2822 date"
    year = _YEAR.search(text)
    if parsed.tzinfo is None or year is None:
        return "is not an RFC 2822 date"
    if len(year.group(1)) != 4:
        # Python and many apps read a year "1" as 2001, and "24" as 2024.
        return "is not an RFC 2822 date: its year must have four digits"
    weekday = text.split(",")[0].strip() if "," in text else None
    if weekday is not None and weekday != WEEKDAYS[parsed.weekday()]:
        return f"is not an RFC 2822 date: that day is a {WEEKDAYS[parsed.weekday()]}"
    try:
        in_plausible_range(parsed.date())
    except ValueError as err:
        return f"is no episode's date: it must {err}"
    if parsed.date() > now.astimezone(EARLIEST_ZONE).date():
        when = email.utils.format_datetime(now)
        return f"is in the future (now is {when}): apps list it at once, or hide it"
    return None


def _pub_date(show: BuiltShow) -> Iterator[Finding]:
    for item in show.items:
        text = item.findtext("pubDate")
        if not text:
            yield Finding("pubDate", f"{_item_name(item)} has no <pubDate>")
            continue
        problem = _pub_date_problem(text, show.now)
        if problem is not None:
            yield Finding("pubDate", f"{_item_name(item)}: {text!r} {problem}")


def _item_numbers(item: ET.Element) -> Iterator[tuple[str, str, int | None]]:
    """(tag, text, the number or None when it is none an episode can carry)
    for the item's itunes:season and itunes:episode."""
    for tag in ("season", "episode"):
        text = item.findtext(f"{{{ITUNES_NS}}}{tag}")
        if text is not None:
            try:
                yield tag, text, in_plausible_range(int(text.strip()))
            except ValueError:
                yield tag, text, None


def _episode_numbers(show: BuiltShow) -> Iterator[Finding]:
    """Numbers Apple takes (whole, 1 up to a 32-bit integer), each episode
    number once per season; an item without a season is in season 1."""
    seen: dict[tuple[int, int], str] = {}
    for item in show.items:
        numbers: dict[str, int | None] = {}
        for tag, text, number in _item_numbers(item):
            if number is None:
                yield Finding(
                    f"itunes:{tag}",
                    f"{_item_name(item)}: {text!r} is not a whole number from 1 to {NUMBER_MAX}",
                )
            numbers[tag] = number
        episode = numbers.get("episode")
        if episode is None:
            continue
        key = (numbers.get("season") or 1, episode)
        first = seen.setdefault(key, _item_name(item))
        if first != _item_name(item):
            yield Finding(
                "itunes:episode",
                f"{first} and {_item_name(item)} are both season {key[0]}, episode {key[1]}",
            )


def _https(show: BuiltShow) -> Iterator[Finding]:
    if show.base_url.startswith("https://"):
        return
    if is_loopback_url(show.base_url):
        yield Finding(
            "https",
            f"the feed is at {show.base_url}, this computer only: fine for testing, "
            "set an https base_url in qacast.toml before publishing",
            warning=True,
        )
        return
    yield Finding("https", f"the feed is at {show.base_url}; Apple requires https")


def _podcast_guid(show: BuiltShow) -> Iterator[Finding]:
    value = show.channel.findtext(f"{{{PODCAST_NS}}}guid")
    if value is None:
        yield Finding("podcast:guid", "the channel has no podcast:guid")
        return
    try:
        uuid.UUID(value)
    except ValueError:
        yield Finding("podcast:guid", f"{value!r} is not a UUID")


def _podcast_locked(show: BuiltShow) -> Iterator[Finding]:
    locked = show.channel.find(f"{{{PODCAST_NS}}}locked")
    if locked is not None and (locked.text or "").strip() not in LOCKED_VALUES:
        yield Finding("podcast:locked", f"{locked.text!r} is not yes or no")


def _alternate_enclosures(show: BuiltShow) -> Iterator[Finding]:
    for item in show.items:
        for alternate in item.findall(f"{{{PODCAST_NS}}}alternateEnclosure"):
            source = alternate.find(f"{{{PODCAST_NS}}}source")
            if source is None:
                yield Finding("alternateEnclosure", f"{_item_name(item)}: no podcast:source")
                continue
            yield from _file_matches(
                show, "alternateEnclosure", _item_name(item), source.get("uri", ""),
                alternate.get("length", ""), alternate.get("type", ""),
            )  # fmt: skip


def _linked_files(show: BuiltShow) -> Iterator[Finding]:
    for item in show.items:
        for tag in ("transcript", "chapters"):
            for element in item.findall(f"{{{PODCAST_NS}}}{tag}"):
                url = element.get("url", "")
                if show.local_file(url) is None:
                    yield Finding(
                        f"podcast:{tag}", f"{_item_name(item)}: {url!r} is not a file in out/"
                    )


def _channel_people(show: BuiltShow) -> Iterator[Finding]:
    """Who makes the show and how to reach them: directories show the author,
    and mail the owner's address a code to prove the show is theirs."""
    if not (show.channel.findtext(f"{{{ITUNES_NS}}}author") or "").strip():
        yield Finding(
            "itunes:author", "the channel has no itunes:author; set author in qacast.toml"
        )
    owner = show.channel.find(f"{{{ITUNES_NS}}}owner")
    email = owner.findtext(f"{{{ITUNES_NS}}}email") if owner is not None else None
    if owner is None or not (email or "").strip():
        yield Finding(
            "itunes:owner",
            "the channel has no itunes:owner with an itunes:email; "
            "set owner_name and owner_email in qacast.toml",
        )


RULES: tuple[tuple[str, Rule], ...] = (
    ("title", _title),
    ("description", _description),
    ("language", _language),
    ("artwork", _artwork),
    ("category", _category),
    ("explicit", _explicit),
    ("enclosure", _enclosure),
    ("guid", _guid),
    ("pubDate", _pub_date),
    ("itunes:episode", _episode_numbers),
    ("https", _https),
    ("podcast:guid", _podcast_guid),
    ("podcast:locked", _podcast_locked),
    ("alternateEnclosure", _alternate_enclosures),
    ("linked files", _linked_files),
    ("itunes:author, itunes:owner", _channel_people),
    ("audio, itunes:duration", audio_rule),
    ("podcast:chapters", chapters_rule),
    ("podcast:transcript", transcripts_rule),
    ("site", pages_rule),
)


def check_show(out_dir: Path, now: dt.datetime | None = None) -> list[Finding]:
    """Every finding of every rule on the show built in ``out_dir``, dates
    measured from ``now`` (aware; the system clock by default)."""
    show = load_built_show(out_dir, now or dt.datetime.now(dt.timezone.utc))
    return [finding for _name, rule in RULES for finding in rule(show)]
