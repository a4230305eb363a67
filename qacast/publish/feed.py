"""The show's RSS feed: RSS 2.0 with the itunes and Podcasting 2.0 namespaces.

feedgen writes RSS, ``content:encoded`` and the itunes tags; the extensions
in ``feedext.py`` add the ``podcast:`` namespace and what Apple reads that
feedgen lacks. This module decides what goes into each tag.

The same inputs always give the same bytes: no build clock, no version
string, items in a fixed order. Rebuilding a show must not make podcast apps
think something changed.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator

from qacast.config import ShowConfig
from qacast.models import Role, Speaker
from qacast.publish.catalog import PublishedEpisode, absolute_url, publish_moment, show_cover_path
from qacast.publish.continuity import PODCAST_GUID_NAMESPACE as PODCAST_GUID_NAMESPACE
from qacast.publish.continuity import channel_guid, derived_podcast_guid
from qacast.publish.feedext import ITUNES_NS as ITUNES_NS
from qacast.publish.feedext import PODCAST_NS as PODCAST_NS
from qacast.publish.feedext import (
    AlternateEnclosure,
    AppleEntryExtension,
    AppleExtension,
    ChannelTags,
    Person,
    PodcastIndexEntryExtension,
    PodcastIndexExtension,
    Trailer,
    Transcript,
)
from qacast.publish.sidecars import clock_timestamp
from qacast.script.labels.find import ROLE_LABELS

# Sidecar kind -> (podcast:transcript type, rel). Apple ingests the VTT (its
# <v Name> voice tags name the speakers); rel="captions" marks timed captions.
TRANSCRIPT_KINDS: dict[str, tuple[str, str | None]] = {
    "vtt": ("text/vtt", "captions"),
    "srt": ("application/x-subrip", None),
    "transcript_json": ("application/json", None),
}
CHAPTERS_KIND = "chapters_json"

# Script role -> podcast:person role. The narrator reads boilerplate (intro,
# credits) with a synthetic voice: not a person to credit.
PERSON_ROLES: dict[Role, str] = {"interviewer": "host", "interviewee": "guest"}

# A label never resolved to a name ("SI") is not a name to credit.
_BARE_INITIALS = re.compile(r"^[A-Z]{2,4}$")


_PRETTY = True  # one element a line: diffs between builds stay readable


# --- building ----------------------------------------------------------------------


def podcast_guid(show: ShowConfig) -> str:
    """The channel's podcast:guid for a show never published elsewhere: fixed in
    qacast.toml, or derived from the feed URL (see ``continuity``)."""
    if show.podcast_guid is not None:
        return str(show.podcast_guid)
    return derived_podcast_guid(show)


def episode_order_key(published: PublishedEpisode) -> tuple[dt.datetime, int, int, str]:
    """Sort key, oldest first; the feed lists the reverse (newest first)."""
    meta = published.episode.meta
    moment = publish_moments([published])[published.slug].astimezone(dt.timezone.utc)
    return (moment, meta.season or 0, meta.episode_number or 0, published.slug)


# Scripts without a date are dated by the day they are first built, and a day's
# build often brings several: each is published its episode number of minutes
# after noon UTC (within half a day), so they never share one pubDate (apps
# would list them in any order) and each keeps its own whatever others come.
UNDATED_STEP = dt.timedelta(minutes=1)
UNDATED_STEPS = 720


def publish_moments(episodes: Sequence[PublishedEpisode]) -> dict[str, dt.datetime]:
    """slug -> its pubDate: ``publish_moment``, an undated episode's moved on
    by its number (see UNDATED_STEP)."""
    moments: dict[str, dt.datetime] = {}
    for published in episodes:
        moment = publish_moment(published)
        if not published.dated:
            moment += (published.episode.meta.episode_number or 0) % UNDATED_STEPS * UNDATED_STEP
        moments[published.slug] = moment
    return moments


def _html_paragraphs(text: str) -> list[str]:
    """Plain text as HTML paragraphs: apps read RSS descriptions as HTML, so a
    literal "<part>" must arrive escaped or it vanishes as an unknown tag."""
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return [f"<p>{html.escape(block, quote=False)}</p>" for block in blocks if block]


def episode_description(published: PublishedEpisode) -> str:
    """HTML: the episode text plus "HH:MM:SS Title" chapter lines, the first at 00:00:00.

    Apple Podcasts builds chapters from such lines when the description has
    at least three, the first at 00:00:00.
    """
    meta = published.episode.meta
    parts = _html_paragraphs(meta.description) + _html_paragraphs(meta.byline)
    if published.chapters:
        lines = [
            f"{clock_timestamp(0 if index == 0 else chapter.start_ms)} {chapter.title}"
            for index, chapter in enumerate(published.chapters)
        ]
        parts.append(
            "<p>" + "<br>\n".join(html.escape(line, quote=False) for line in lines) + "</p>"
        )
    return "\n".join(parts) or _html_paragraphs(meta.title)[0]


def show_notes_html(published: PublishedEpisode) -> str:
    """``content:encoded``: the description, then who speaks, as HTML show notes."""
    parts = [episode_description(published)]
    credited = [s for s in published.episode.speakers if s.role != "narrator"]
    if credited:
        items = "".join(
            f"<li>{html.escape(speaker.name, quote=False)} "
            f"({PERSON_ROLES.get(speaker.role, speaker.role)})</li>"
            for speaker in credited
        )
        parts.append(f"<p>With:</p>\n<ul>{items}</ul>")
    keywords = published.episode.meta.keywords
    if keywords:
        parts.append(f"<p>Topics: {html.escape(', '.join(keywords), quote=False)}</p>")
    return "\n".join(parts)


def _cover_url(show: ShowConfig, path: Path, out_dir: Path) -> str:
    url = absolute_url(show, path, out_dir)
    # feedgen silently drops an itunes:image that does not end so.
    if not url.endswith((".jpg", ".png")):
        raise ValueError(f"{path}: cover images are published as .jpg or .png")
    return url


def _add_channel(fg: Any, show: ShowConfig, out_dir: Path) -> None:
    fg.title(show.title)
    # Plain text: podcastparser (gPodder) shows the channel description as is.
    fg.description(show.description or show.title)
    # feedgen takes the last link as the RSS <link>: self first, then the site.
    fg.link(href=show.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=show.base_url, rel="alternate")
    fg.language(show.language)
    fg.generator("qacast")  # no version: an upgrade must not change the bytes
    if show.copyright:
        fg.copyright(show.copyright)
    if show.author:
        fg.podcast.itunes_author(show.author)
    if show.owner_name and show.owner_email:
        fg.podcast.itunes_owner(name=show.owner_name, email=show.owner_email)
    category = {"cat": show.category}
    if show.subcategory:
        category["sub"] = show.subcategory
    fg.podcast.itunes_category(category)
    fg.podcast.itunes_type("episodic")
    cover = show_cover_path(show, out_dir)
    if cover is not None:
        url = _cover_url(show, cover, out_dir)
        fg.podcast.itunes_image(url)
        fg.image(url=url, title=show.title, link=show.base_url)
    fg.apple.explicit(show.explicit)
    if show.new_feed_url:
        # The show lives elsewhere now: apps that read this move the subscription.
        fg.podcast.itunes_new_feed_url(show.new_feed_url)
    fg.podcastindex.channel_tags(
        ChannelTags(
            guid=channel_guid(show, out_dir),
            locked=show.locked,
            owner_email=show.owner_email,
            funding_url=show.funding_url,
            funding_text=show.funding_text,
            license=show.license,
            txt=tuple(show.txt.items()),
        )
    )
    for name in show.hosts:
        links = show.people.get(name)
        fg.podcastindex.channel_person(
            Person(
                name=name[:128], role="host", href=links.href if links else "",
                img=links.img if links else "",
            )
        )  # fmt: skip


def _add_trailers(
    fg: Any,
    show: ShowConfig,
    ordered: Sequence[PublishedEpisode],
    out_dir: Path,
    moments: dict[str, dt.datetime],
) -> None:
    """podcast:trailer on the channel for each episode of type trailer, newest first."""
    for published in ordered:
        meta = published.episode.meta
        if meta.episode_type != "trailer" or not published.audio:
            continue
        enclosure = published.audio[0]
        fg.podcastindex.channel_trailer(
            Trailer(
                title=meta.title[:128],
                url=absolute_url(show, enclosure.path, out_dir),
                pub_date=moments[published.slug],
                mime_type=enclosure.mime_type,
                length_bytes=enclosure.path.stat().st_size,
                season=meta.season,
            )
        )


def _add_item(
    fg: Any, show: ShowConfig, published: PublishedEpisode, out_dir: Path, moment: dt.datetime
) -> None:
    """One episode's <item>, published at ``moment``: its text, its audio, its
    cover and language, its sidecars and its people, in that order (the order
    the tags are written)."""
    meta = published.episode.meta
    if not published.audio:
        raise ValueError(f"episode {published.slug!r} has no audio file")
    entry = fg.add_entry(order="append")
    _add_item_text(entry, show, published)
    entry.pubDate(moment)
    _add_item_audio(entry, show, published, out_dir)
    if published.cover is not None:
        entry.podcast.itunes_image(_cover_url(show, published.cover, out_dir))
    entry.apple.explicit(meta.explicit or show.explicit)
    language = meta.language or show.language
    if _differs(language, show.language):
        # RSS 2.0 has no item language; Dublin Core's is the one readers know.
        entry.dc.dc_language(language)
    _add_item_sidecars(entry, show, published, out_dir, language)
    _add_item_people(entry, show, published)


def _add_item_text(entry: Any, show: ShowConfig, published: PublishedEpisode) -> None:
    meta = published.episode.meta
    entry.title(meta.title)
    entry.podcast.itunes_title(meta.title)
    entry.guid(published.guid, permalink=False)
    entry.link(href=f"{show.base_url}{published.slug}.html")
    entry.description(episode_description(published))
    entry.content(show_notes_html(published))
    for keyword in meta.keywords:
        entry.category(term=keyword)
    entry.apple.keywords(meta.keywords)


def _add_item_audio(
    entry: Any, show: ShowConfig, published: PublishedEpisode, out_dir: Path
) -> None:
    """The enclosure (the first audio file), its duration and numbering, and
    every audio file as a podcast:alternateEnclosure."""
    meta = published.episode.meta
    enclosure = published.audio[0]
    entry.enclosure(
        url=absolute_url(show, enclosure.path, out_dir),
        # Apps and Apple compare this with the bytes they download: the file's size.
        length=str(enclosure.path.stat().st_size),
        type=enclosure.mime_type,
    )
    entry.podcast.itunes_duration(str(round(enclosure.duration_ms / 1000)))
    if meta.episode_number is not None:
        entry.podcast.itunes_episode(meta.episode_number)
    if meta.season is not None:
        entry.podcast.itunes_season(meta.season)
    entry.podcast.itunes_episode_type(meta.episode_type)
    entry.podcastindex.podcast_numbers(meta.season, meta.episode_number)
    for file in published.audio:
        entry.podcastindex.podcast_alternate_enclosure(
            AlternateEnclosure(
                url=absolute_url(show, file.path, out_dir),
                mime_type=file.mime_type,
                length_bytes=file.path.stat().st_size,
                default=file is enclosure,
            )
        )


def _add_item_sidecars(
    entry: Any, show: ShowConfig, published: PublishedEpisode, out_dir: Path, language: str
) -> None:
    """podcast:transcript for each transcript sidecar, podcast:chapters for the chapters."""
    for kind, (mime_type, rel) in TRANSCRIPT_KINDS.items():
        path = published.sidecars.get(kind)
        if path is not None:
            url = absolute_url(show, path, out_dir)
            entry.podcastindex.podcast_transcript(
                Transcript(url=url, mime_type=mime_type, language=language, rel=rel)
            )
    chapters = published.sidecars.get(CHAPTERS_KIND)
    if chapters is not None:
        entry.podcastindex.podcast_chapters(absolute_url(show, chapters, out_dir))


def _add_item_people(entry: Any, show: ShowConfig, published: PublishedEpisode) -> None:
    """podcast:person for each credited speaker, with the links [people] gives them."""
    for speaker in published.episode.speakers:
        role = PERSON_ROLES.get(speaker.role)
        if role is not None and is_credited_name(speaker):
            links = show.people.get(speaker.name)
            entry.podcastindex.podcast_person(
                Person(
                    name=speaker.name[:128],
                    role=role,
                    href=links.href if links else "",
                    img=links.img if links else "",
                )
            )


def is_credited_name(speaker: Speaker) -> bool:
    """Whether the speaker's name is a person's name apps may show as a credit.

    "Q:" becomes "Interviewer" and an unresolved "SI:" stays "SI": neither is
    a person, and podcast:person is shown in apps as a credit with that name.
    """
    generic = ROLE_LABELS.get(speaker.id.lower())
    if generic is not None and speaker.name == generic[1]:
        return False
    return not (speaker.name == speaker.id and _BARE_INITIALS.match(speaker.id))


def _differs(language: str, channel_language: str) -> bool:
    return language.lower() != channel_language.lower()


def build_feed(show: ShowConfig, episodes: Sequence[PublishedEpisode], *, out_dir: Path) -> bytes:
    """The feed.xml bytes for ``episodes`` (files in ``out_dir``), newest first."""
    guids = [published.guid for published in episodes]
    if len(set(guids)) != len(guids):
        raise ValueError("two episodes share a guid; slugs must be unique")
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.register_extension("apple", AppleExtension, AppleEntryExtension)
    _add_channel(fg, show, out_dir)
    if any(_differs(p.episode.meta.language or show.language, show.language) for p in episodes):
        fg.load_extension("dc", atom=False)  # only then: English feeds stay as they were
    ordered = sorted(episodes, key=episode_order_key, reverse=True)
    moments = publish_moments(ordered)
    _add_trailers(fg, show, ordered, out_dir, moments)
    for published in ordered:
        _add_item(fg, show, published, out_dir, moments[published.slug])
    if ordered:
        # feedgen would stamp the build clock; the newest episode is the last change.
        fg.lastBuildDate(moments[ordered[0].slug])
    else:
        fg.apple.drop_last_build_date()
    data: bytes = fg.rss_str(pretty=_PRETTY, encoding="UTF-8", xml_declaration=True)
    return data
