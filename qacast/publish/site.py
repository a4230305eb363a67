"""The show's small website: an index page and one page per episode.

Pages are rendered with Jinja2 (autoescape on: titles and transcripts are
text, never markup) and load only files in out/, by relative URLs, so the
site works from any base URL, and from a plain folder, and makes no request
elsewhere. Absolute URLs under the base URL appear only where a reader
elsewhere needs one: the canonical link and the OpenGraph/Twitter cards that
link previews read; links out are the directories the show lists under
[subscribe]. The style sheet is inlined in each page (it is small, and a
linked one would hold the first paint until it arrived); the script loads at
the end of the page. The transcript is rendered from the episode's WebVTT cues, so the
page shows exactly the captions apps show; qacast.js highlights the cue being
spoken and makes the chapter list seek the player.

Same inputs, same bytes: files whose bytes are unchanged are not rewritten.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from PIL import Image

from qacast.artwork import web_copy
from qacast.config import SUBSCRIBE_DIRECTORIES, ShowConfig
from qacast.formats import label_of_type
from qacast.fsutil import write_if_changed
from qacast.publish.catalog import (
    PublishedEpisode,
    absolute_url,
    has_own_artwork,
    publish_show_cover,
    relative_url,
)
from qacast.publish.feed import episode_order_key
from qacast.publish.sidecars import clock_timestamp

# Static files copied next to the pages: template name -> name in out/.
STATIC_FILES: dict[str, str] = {"qacast.js": "qacast.js"}
# Inlined into every page; out/ held it as a file before, and loses it now.
INLINE_CSS = "qacast.css"

# Link previews and search results show about this much of a description.
SUMMARY_MAX_CHARS = 200

# The pages show covers at most 240 CSS px wide (the index; 160 on an
# episode page): a copy twice that is sharp on 2x screens and a few tens of
# kB, where the published cover (up to 3000 px) would hold a phone's first
# paint for seconds. Named "<image's stem>.thumb.jpg" beside it.
THUMB_BOX_PX = 480
THUMB_SUFFIX = ".thumb.jpg"

# Links under the transcript: sidecar kind -> label.
SIDECAR_LINKS: dict[str, str] = {
    "show_notes": "Show notes (Markdown)",
    "vtt": "Captions (WebVTT)",
    "srt": "Captions (SRT)",
    "transcript_json": "Transcript (JSON)",
    "chapters_json": "Chapters (JSON)",
}


# --- WebVTT cues ---------------------------------------------------------------


@dataclass(frozen=True)
class TranscriptCue:
    start_ms: int
    end_ms: int
    speaker: str | None  # from the <v Name> voice tag
    text: str  # plain text, tags removed, entities decoded


_TIMESTAMP = re.compile(r"^(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")
_TAG = re.compile(r"<[^>]*>")


def _vtt_ms(stamp: str, source: str) -> int:
    match = _TIMESTAMP.match(stamp)
    if match is None:
        raise ValueError(f"{source}: bad WebVTT timestamp {stamp!r}")
    hours, minutes, seconds, millis = (int(group or 0) for group in match.groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def parse_webvtt(text: str, *, source: str = "<vtt>") -> tuple[TranscriptCue, ...]:
    """The cues of a WebVTT file (NOTE, STYLE and REGION blocks skipped)."""
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    if not blocks or not blocks[0].removeprefix("\ufeff").startswith("WEBVTT"):
        raise ValueError(f"{source}: not a WebVTT file")
    cues = []
    for block in blocks[1:]:
        lines = block.split("\n")
        if "-->" not in lines[0]:
            if lines[0].startswith(("NOTE", "STYLE", "REGION")) or len(lines) < 2:
                continue
            lines = lines[1:]  # a cue identifier
        start, _, rest = lines[0].partition("-->")
        end = rest.split()[0] if rest.split() else ""
        payload = " ".join(lines[1:])
        voice = _VOICE.search(payload)
        cues.append(
            TranscriptCue(
                start_ms=_vtt_ms(start.strip(), source),
                end_ms=_vtt_ms(end, source),
                speaker=html.unescape(voice.group(1).strip()) if voice else None,
                text=html.unescape(_TAG.sub("", payload)).strip(),
            )
        )
    return tuple(cues)


# --- view values ---------------------------------------------------------------
#
# Templates get plain values already formatted; no logic about files or time
# lives in the templates.


def _seconds(ms: int) -> str:
    # Fixed three decimals: the same number always prints the same way.
    return f"{ms / 1000:.3f}"


def _duration(ms: int) -> str:
    clock = clock_timestamp(round(ms / 1000) * 1000)
    return clock[3:] if clock.startswith("00:") else clock


def _size(size_bytes: int) -> str:
    if size_bytes >= 1_000_000:
        return f"{size_bytes / 1_000_000:.1f} MB"
    return f"{max(1, round(size_bytes / 1000))} kB"


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def summary(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters, with "…"."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def _subscribe_links(show: ShowConfig) -> list[dict[str, str]]:
    """The directories the show lists, in SUBSCRIBE_DIRECTORIES' order."""
    return [
        {"label": label, "url": show.subscribe[name]}
        for name, label in SUBSCRIBE_DIRECTORIES.items()
        if name in show.subscribe
    ]


def _cue_views(published: PublishedEpisode) -> list[dict[str, Any]]:
    """The transcript as the page shows it: each cue, its speaker named where it changes."""
    cues: list[dict[str, Any]] = []
    vtt = published.sidecars.get("vtt")
    if vtt is None:
        return cues
    previous: str | None = None
    for cue in parse_webvtt(vtt.read_text(encoding="utf-8"), source=str(vtt)):
        cues.append(
            {
                "start": _seconds(cue.start_ms),
                "end": _seconds(cue.end_ms),
                "speaker": cue.speaker or "",
                "speaker_changed": bool(cue.speaker) and cue.speaker != previous,
                "text": cue.text,
            }
        )
        previous = cue.speaker
    return cues


def _episode_view(
    show: ShowConfig, published: PublishedEpisode, out_dir: Path, images: dict[Path, PageImage]
) -> dict[str, Any]:
    meta = published.episode.meta
    enclosure = published.audio[0]
    cues = _cue_views(published)
    chapters = [
        {
            "start": _seconds(chapter.start_ms),
            "end": _seconds(chapter.end_ms),
            "clock": clock_timestamp(chapter.start_ms),
            "title": chapter.title,
        }
        for chapter in published.chapters
    ]
    page = out_dir / f"{published.slug}.html"
    return {
        "slug": published.slug,
        "page": relative_url(page, out_dir),
        "page_url": absolute_url(show, page, out_dir),
        "title": meta.title,
        "byline": meta.byline,
        "description": " ".join(meta.description.split()),
        "summary": summary(meta.description or f"{meta.title}: an episode of {show.title}."),
        "description_paragraphs": _paragraphs(meta.description),
        "number": meta.episode_number,
        "date": published.pub_date.isoformat(),
        "duration": _duration(enclosure.duration_ms),
        "cover": images[published.cover] if published.cover else None,
        "cover_url": absolute_url(show, published.cover, out_dir) if published.cover else None,
        "audio_url": absolute_url(show, enclosure.path, out_dir),
        # Its own artwork (front matter image), which the list of episodes shows too.
        "own_cover": images[published.cover].url
        if published.cover and has_own_artwork(published)
        else None,
        "audio": [
            {
                "url": relative_url(file.path, out_dir),
                "mime_type": file.mime_type,
                "label": label_of_type(file.mime_type) or file.path.suffix.lstrip(".").upper(),
                "size": _size(file.path.stat().st_size),
            }
            for file in published.audio
        ],
        "chapters": chapters,
        "cues": cues,
        # An episode in another language than the show's page says so: lang="fr".
        "language": meta.language or "",
        "files": [
            {"url": relative_url(published.sidecars[kind], out_dir), "label": label}
            for kind, label in SIDECAR_LINKS.items()
            if kind in published.sidecars
        ],
    }


# --- rendering -------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("qacast", "templates"),
        autoescape=True,  # every page: titles and transcripts are text, never markup
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class PageImage:
    """A cover as a page shows it: its small copy and its shape."""

    url: str  # relative to out/
    width_px: int
    height_px: int

    def height_at(self, width_px: int) -> int:
        """The height the page gives it at ``width_px`` (width and height attributes
        reserve its room before it loads: nothing moves when it arrives)."""
        return round(width_px * self.height_px / self.width_px)


def page_image(source: Path, out_dir: Path) -> PageImage:
    """The small copy of ``source`` (a cover in out/), made when missing or older.

    Everything in out/ is written by qacast only when its bytes change, so a
    copy newer than its image was made from those very bytes: a rebuild never
    decodes an unchanged cover again.
    """
    thumb = source.with_name(source.stem + THUMB_SUFFIX)
    try:
        fresh = thumb.stat().st_mtime_ns >= source.stat().st_mtime_ns
    except FileNotFoundError:
        fresh = False
    if not fresh and not write_if_changed(thumb, web_copy(source, THUMB_BOX_PX)):
        os.utime(thumb)  # the same copy from a new image: mark it made from this one
    with Image.open(thumb) as image:  # its header only
        width_px, height_px = image.size
    return PageImage(relative_url(thumb, out_dir), width_px, height_px)


def _remove_stale_thumbs(out_dir: Path, kept: set[Path]) -> None:
    """Small copies of covers no page shows any more (an episode gone, a cover renamed)."""
    for path in out_dir.glob(f"*{THUMB_SUFFIX}"):
        if path not in kept:
            path.unlink(missing_ok=True)


def _template_source(env: jinja2.Environment, name: str) -> str:
    return env.loader.get_source(env, name)[0] if env.loader else ""


def build_site(
    show: ShowConfig, episodes: Sequence[PublishedEpisode], *, out_dir: Path
) -> list[Path]:
    """Write index.html, one <slug>.html per episode, the static files and the
    covers' small copies; return their paths."""
    env = _environment()
    written: list[Path] = []

    def emit(name: str, data: bytes) -> None:
        path = out_dir / name
        write_if_changed(path, data)
        written.append(path)

    for template_name, out_name in STATIC_FILES.items():
        emit(out_name, _template_source(env, template_name).encode("utf-8"))
    (out_dir / INLINE_CSS).unlink(missing_ok=True)
    cover = publish_show_cover(show, out_dir)
    sources = {cover, *(published.cover for published in episodes if published.cover)}
    images = {source: page_image(source, out_dir) for source in sorted(sources)}
    thumbs = {out_dir / image.url for image in images.values()}
    _remove_stale_thumbs(out_dir, thumbs)
    written += [cover, *sorted(thumbs)]

    assets = {"css": _template_source(env, INLINE_CSS), "js": STATIC_FILES["qacast.js"]}
    ordered = sorted(episodes, key=episode_order_key, reverse=True)
    views = [_episode_view(show, published, out_dir, images) for published in ordered]
    common = {"show": show, "assets": assets, "cover_url": absolute_url(show, cover, out_dir)}
    index = env.get_template("index.html").render(
        **common,
        cover=images[cover],
        show_paragraphs=_paragraphs(show.description),
        show_summary=summary(show.description),
        subscribe=_subscribe_links(show),
        episodes=views,
    )
    emit("index.html", index.encode("utf-8"))
    page = env.get_template("episode.html")
    for view in views:
        emit(f"{view['slug']}.html", page.render(**common, ep=view).encode("utf-8"))
    return written
