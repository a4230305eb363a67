"""A tiny real show for the publishing tests: two short MP3s made with ffmpeg,
sidecars written by qacast.publish.sidecars, a cover made with Pillow."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import imageio_ffmpeg
from mutagen.mp3 import MP3
from PIL import Image

from qacast.config import ShowConfig, load_show
from qacast.models import (
    Chapter,
    ChapterMark,
    Cue,
    Episode,
    EpisodeFile,
    EpisodeMeta,
    Paragraph,
    Speaker,
    Timeline,
    Turn,
    TurnSpan,
)
from qacast.publish.catalog import PublishedEpisode, episode_guid
from qacast.publish.sidecars import write_sidecars

NASTY_TITLE = 'Tom & Jerry <script>alert("x")</script> "quoted" \'single\' 🎙️ a<b'

SHOW_TOML = """\
title = {title}
author = "Ada Host"
description = "A show about <things> & more."
language = "en"
category = "Technology"
explicit = false
base_url = "{base_url}"
owner_name = "Ada Host"
owner_email = "ada@example.org"
copyright = "© 2024 Ada Host"
cover = "audio/cover.jpg"
guid_namespace = "8f4e2c1a-3b5d-4e6f-8a9b-0c1d2e3f4a5b"
"""


def make_mp3(path: Path, *, seconds: float, frequency_hz: int) -> None:
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={frequency_hz}:duration={seconds}",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "96k",
            "-ar",
            "44100",
            "-ac",
            "1",
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            str(path),
        ],
        check=True,
    )


def mp3_seconds(path: Path) -> float:
    """Duration as mutagen reads it from the file (what players report)."""
    info = MP3(path).info  # type: ignore[no-untyped-call]
    return float(info.length)  # type: ignore[attr-defined]


def make_jpeg(path: Path, colour: tuple[int, int, int]) -> None:
    Image.new("RGB", (64, 64), colour).save(path, format="JPEG")


@dataclass(frozen=True)
class TinyShow:
    show: ShowConfig
    episodes: list[PublishedEpisode]
    out_dir: Path


def _episode(title: str, number: int, date: dt.date, description: str) -> Episode:
    speakers = (
        Speaker(id="SI", name="Stephen <Host> Ibaraki", role="interviewer"),
        Speaker(id="NJP", name="Nestor J. Portillo", role="interviewee"),
    )
    turns = (
        Turn("SI", "question", (Paragraph("What is <script>alert(1)</script> about?"),)),
        Turn("NJP", "answer", (Paragraph("It is about Tom & Jerry. Really!"),)),
        Turn("SI", "question", (Paragraph("And then?"),)),
    )
    meta = EpisodeMeta(
        title=title,
        description=description,
        episode_number=number,
        season=1,
        date=date,
        keywords=("tech",),
    )
    return Episode(
        meta=meta,
        speakers=speakers,
        turns=turns,
        chapters=(ChapterMark("Opening", 0), ChapterMark("Second <part>", 2)),
    )


def _timeline(duration_ms: int) -> Timeline:
    cues = (
        Cue(0, "SI", "What is <script>alert(1)</script> about?", 100, 700),
        Cue(1, "NJP", "It is about Tom & Jerry.", 800, 1200),
        Cue(1, "NJP", "Really!", 1200, 1400),
        Cue(2, "SI", "And then?", 1500, duration_ms - 100),
    )
    turns = (
        TurnSpan(0, "SI", "question", 100, 700),
        TurnSpan(1, "NJP", "answer", 800, 1400),
        TurnSpan(2, "SI", "question", 1500, duration_ms - 100),
    )
    chapters = (
        Chapter("Opening", 0, 1500),
        Chapter("Second <part>", 1500, duration_ms),
    )
    return Timeline(
        cues=cues,
        turns=turns,
        chapters=chapters,
        duration_ms=duration_ms,
        sample_rate_hz=44100,
        frame_count=duration_ms * 441 // 10,
    )


def build_tiny_show(
    root: Path,
    *,
    base_url: str = "http://127.0.0.1:8000/",
    title: str = "Tiny <Show> & Friends",
    first_title: str = NASTY_TITLE,
) -> TinyShow:
    """Two episodes with real MP3s, sidecars and covers under ``root``."""
    show_dir = root / "show"
    out_dir = show_dir / "out"
    (show_dir / "audio").mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(exist_ok=True)
    toml_title = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    (show_dir / "qacast.toml").write_text(
        SHOW_TOML.format(title=toml_title, base_url=base_url), encoding="utf-8"
    )
    make_jpeg(show_dir / "audio" / "cover.jpg", (200, 40, 40))
    show = load_show(show_dir)
    specs = [
        ("first-episode", first_title, 1, dt.date(2024, 1, 15), 2.0, 440),
        ("second-episode", "Second & last", 2, dt.date(2024, 2, 1), 3.0, 660),
    ]
    episodes = []
    for slug, ep_title, number, date, seconds, frequency in specs:
        audio = out_dir / f"{slug}.mp3"
        if not audio.exists():
            make_mp3(audio, seconds=seconds, frequency_hz=frequency)
        duration_ms = round(mp3_seconds(audio) * 1000)
        episode = _episode(ep_title, number, date, f"About {ep_title}.")
        timeline = _timeline(duration_ms)
        sidecars = write_sidecars(out_dir, slug, timeline, episode)
        cover = out_dir / f"{slug}.jpg"
        make_jpeg(cover, (40, 40, 200 if number == 1 else 100))
        episodes.append(
            PublishedEpisode(
                slug=slug,
                episode=episode,
                audio=(
                    EpisodeFile(
                        path=audio,
                        mime_type="audio/mpeg",
                        duration_ms=duration_ms,
                        size_bytes=audio.stat().st_size,
                    ),
                ),
                sidecars=sidecars,
                chapters=timeline.chapters,
                cover=cover,
                pub_date=date,
                guid=episode_guid(show, slug),
            )
        )
    return TinyShow(show=show, episodes=episodes, out_dir=out_dir)


def with_base_url(tiny: TinyShow, base_url: str) -> TinyShow:
    return replace(tiny, show=replace(tiny.show, base_url=base_url))
