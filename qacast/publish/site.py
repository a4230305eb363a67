"""The show's small website: an index page and one page per episode.

Pages are rendered with Jinja2 (autoescape on: titles and transcripts are
text, never markup) and link only to files in out/ by relative URLs, so the
site works from any base URL, and from a plain folder, and makes no request
elsewhere. The transcript is rendered from the episode's WebVTT cues, so the
page shows exactly the captions apps show; qacast.js highlights the cue being
spoken and makes the chapter list seek the player.

Same inputs, same bytes: files whose bytes are unchanged are not rewritten.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from qacast.config import ShowConfig
from qacast.formats import label_of_type
from qacast.fsutil import write_if_changed
from qacast.publish.catalog import (
    PublishedEpisode,
    has_own_artwork,
    publish_show_cover,
    relative_url,
)
from qacast.publish.feed import episode_order_key
from qacast.publish.sidecars import clock_timestamp

# Static files copied next to the pages: template name -> name in out/.
STATIC_FILES: dict[str, str] = {"qacast.css": "qacast.css", "qacast.js": "qacast.js"}

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


def _cues(published: PublishedEpisode) -> list[dict[str, Any]]:
    """The transcript's cues as the page shows them, a speaker's name where it changes."""
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


def _episode_view(published: PublishedEpisode, out_dir: Path) -> dict[str, Any]:
    meta = published.episode.meta
    enclosure = published.audio[0]
    cues = _cues(published)
    chapters = [
        {
            "start": _seconds(chapter.start_ms),
            "end": _seconds(chapter.end_ms),
            "clock": clock_timestamp(chapter.start_ms),
            "title": chapter.title,
        }
        for chapter in published.chapters
    ]
    return {
        "slug": published.slug,
        "page": relative_url(out_dir / f"{published.slug}.html", out_dir),
        "title": meta.title,
        "byline": meta.byline,
        "description": " ".join(meta.description.split()),
        "description_paragraphs": _paragraphs(meta.description),
        "number": meta.episode_number,
        "date": published.pub_date.isoformat(),
        "duration": _duration(enclosure.duration_ms),
        "cover": relative_url(published.cover, out_dir) if published.cover else None,
        # Its own artwork (front matter image), which the list of episodes shows too.
        "own_cover": relative_url(published.cover, out_dir)
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


def build_site(
    show: ShowConfig, episodes: Sequence[PublishedEpisode], *, out_dir: Path
) -> list[Path]:
    """Write index.html, one <slug>.html per episode and the static files; return their paths."""
    env = _environment()
    written: list[Path] = []

    def emit(name: str, data: bytes) -> None:
        path = out_dir / name
        write_if_changed(path, data)
        written.append(path)

    for template_name, out_name in STATIC_FILES.items():
        source = env.loader.get_source(env, template_name)[0] if env.loader else ""
        emit(out_name, source.encode("utf-8"))
    cover = publish_show_cover(show, out_dir)
    if cover is not None:
        written.append(cover)

    assets = {"css": STATIC_FILES["qacast.css"], "js": STATIC_FILES["qacast.js"]}
    ordered = sorted(episodes, key=episode_order_key, reverse=True)
    views = [_episode_view(published, out_dir) for published in ordered]
    common = {"show": show, "assets": assets}
    index = env.get_template("index.html").render(
        **common,
        cover=relative_url(cover, out_dir) if cover else None,
        show_paragraphs=_paragraphs(show.description),
        episodes=views,
    )
    emit("index.html", index.encode("utf-8"))
    page = env.get_template("episode.html")
    for view in views:
        emit(f"{view['slug']}.html", page.render(**common, ep=view).encode("utf-8"))
    return written
