"""feedgen extensions for what feedgen does not write itself.

The ``podcast:`` namespace (channel guid, locked, funding, medium, license,
txt, trailers and hosts; per item transcripts, chapters, persons, season, episode, alternate
enclosures), ``itunes:keywords``, and ``itunes:explicit`` as ``true``/``false``,
the form Apple documents today (feedgen only knows the older yes/no/clean).
Each takes plain values; ``feed.py`` decides what they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any

# feedgen.util reads lxml.etree without importing it (feedgen.feed does): a
# module that imports this one first must not fail on it.
import lxml.etree  # noqa: F401
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

from qacast.publish.continuity import ITUNES_NS as ITUNES_NS
from qacast.publish.continuity import PODCAST_NS as PODCAST_NS

CHAPTERS_TYPE = "application/json+chapters"


@dataclass(frozen=True)
class Transcript:
    url: str
    mime_type: str
    language: str
    rel: str | None = None


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # Podcasting 2.0 person role: "host", "guest"
    href: str = ""  # the person's page
    img: str = ""  # the person's picture


@dataclass(frozen=True)
class AlternateEnclosure:
    url: str
    mime_type: str
    length_bytes: int
    default: bool  # the same file as the RSS <enclosure>


@dataclass(frozen=True)
class Trailer:
    """podcast:trailer: an episode of type trailer, announced on the channel."""

    title: str  # at most 128 characters
    url: str
    pub_date: dt.datetime
    mime_type: str
    length_bytes: int
    season: int | None = None  # the season it announces


@dataclass(frozen=True)
class ChannelTags:
    """Channel tags of the ``podcast:`` namespace; empty strings are left out."""

    guid: str
    locked: bool
    owner_email: str = ""
    funding_url: str = ""
    funding_text: str = ""
    license: str = ""
    medium: str = "podcast"
    txt: tuple[tuple[str, str], ...] = ()  # (purpose, text); purpose "" for none


class PodcastIndexExtension(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """Channel tags of the ``podcast:`` namespace."""

    def __init__(self) -> None:
        self._tags: ChannelTags | None = None
        self._persons: list[Person] = []
        self._trailers: list[Trailer] = []

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def channel_tags(self, tags: ChannelTags) -> None:
        self._tags = tags

    def channel_person(self, person: Person) -> None:
        self._persons.append(person)

    def channel_trailer(self, trailer: Trailer) -> None:
        self._trailers.append(trailer)

    def extend_rss(self, feed: Any) -> Any:
        tags = self._tags
        if tags is None:
            return feed
        channel = feed[0]
        self._add_tags(channel, tags)
        for person in self._persons:
            _person_element(channel, person)
        for trailer in self._trailers:
            element = xml_elem(
                f"{{{PODCAST_NS}}}trailer",
                channel,
                pubdate=format_datetime(trailer.pub_date),
                url=trailer.url,
                length=str(trailer.length_bytes),
                type=trailer.mime_type,
            )
            if trailer.season is not None:
                element.attrib["season"] = str(trailer.season)
            element.text = trailer.title
        return feed

    @staticmethod
    def _add_tags(channel: Any, tags: ChannelTags) -> None:
        xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = tags.guid
        locked = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
        locked.text = "yes" if tags.locked else "no"
        if tags.owner_email:
            locked.attrib["owner"] = tags.owner_email
        if tags.funding_url:
            funding = xml_elem(f"{{{PODCAST_NS}}}funding", channel, url=tags.funding_url)
            funding.text = tags.funding_text or "Support the show"
        xml_elem(f"{{{PODCAST_NS}}}medium", channel).text = tags.medium
        if tags.license:
            xml_elem(f"{{{PODCAST_NS}}}license", channel).text = tags.license
        for purpose, text in tags.txt:
            element = xml_elem(f"{{{PODCAST_NS}}}txt", channel)
            if purpose:
                element.attrib["purpose"] = purpose
            element.text = text


def _person_element(parent: Any, person: Person) -> None:
    element = xml_elem(f"{{{PODCAST_NS}}}person", parent, role=person.role)
    element.text = person.name
    for name, value in (("href", person.href), ("img", person.img)):
        if value:
            element.attrib[name] = value


class PodcastIndexEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Item tags of the ``podcast:`` namespace."""

    def __init__(self) -> None:
        self._transcripts: list[Transcript] = []
        self._chapters_url: str | None = None
        self._persons: list[Person] = []
        self._season: int | None = None
        self._episode: int | None = None
        self._alternates: list[AlternateEnclosure] = []

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def podcast_transcript(self, transcript: Transcript) -> None:
        self._transcripts.append(transcript)

    def podcast_chapters(self, url: str) -> None:
        self._chapters_url = url

    def podcast_person(self, person: Person) -> None:
        self._persons.append(person)

    def podcast_numbers(self, season: int | None, episode: int | None) -> None:
        self._season, self._episode = season, episode

    def podcast_alternate_enclosure(self, alternate: AlternateEnclosure) -> None:
        self._alternates.append(alternate)

    def extend_rss(self, item: Any) -> Any:
        for transcript in self._transcripts:
            element = xml_elem(
                f"{{{PODCAST_NS}}}transcript",
                item,
                url=transcript.url,
                type=transcript.mime_type,
                language=transcript.language,
            )
            if transcript.rel:
                element.attrib["rel"] = transcript.rel
        if self._chapters_url is not None:
            xml_elem(f"{{{PODCAST_NS}}}chapters", item, url=self._chapters_url, type=CHAPTERS_TYPE)
        for person in self._persons:
            _person_element(item, person)
        if self._season is not None:
            xml_elem(f"{{{PODCAST_NS}}}season", item).text = str(self._season)
        if self._episode is not None:
            xml_elem(f"{{{PODCAST_NS}}}episode", item).text = str(self._episode)
        for alternate in self._alternates:
            element = xml_elem(
                f"{{{PODCAST_NS}}}alternateEnclosure",
                item,
                type=alternate.mime_type,
                length=str(alternate.length_bytes),
            )
            if alternate.default:
                element.attrib["default"] = "true"
            xml_elem(f"{{{PODCAST_NS}}}source", element, uri=alternate.url)
        return item


def _explicit_text(explicit: bool) -> str:
    return "true" if explicit else "false"


class AppleExtension(BaseExtension):  # type: ignore[misc]
    """Channel ``itunes:explicit`` as true/false; no lastBuildDate on an empty show."""

    def __init__(self) -> None:
        self._explicit: bool | None = None
        self._drop_last_build_date = False

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS}

    def explicit(self, explicit: bool) -> None:
        self._explicit = explicit

    def drop_last_build_date(self) -> None:
        # feedgen always writes one, defaulting to the build clock; a show with
        # no episodes has no date of its own to put there.
        self._drop_last_build_date = True

    def extend_rss(self, feed: Any) -> Any:
        channel = feed[0]
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = _explicit_text(self._explicit)
        if self._drop_last_build_date:
            for element in channel.findall("lastBuildDate"):
                channel.remove(element)
        return feed


class AppleEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Item ``itunes:explicit`` as true/false, and ``itunes:keywords``.

    Apple no longer reads itunes:keywords, but other directories' search does.
    """

    def __init__(self) -> None:
        self._explicit: bool | None = None
        self._keywords: tuple[str, ...] = ()

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS}

    def explicit(self, explicit: bool) -> None:
        self._explicit = explicit

    def keywords(self, keywords: tuple[str, ...]) -> None:
        self._keywords = keywords

    def extend_rss(self, item: Any) -> Any:
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", item).text = _explicit_text(self._explicit)
        if self._keywords:
            xml_elem(f"{{{ITUNES_NS}}}keywords", item).text = ",".join(self._keywords)
        return item
