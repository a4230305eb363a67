"""The stage order, readable in one screen.

text --parse--> Episode --cast--> Casting --synthesize--> Clips
     --assemble--> Programme --encode--> file --tag--> EpisodeFile
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qacast.audio.assemble import assemble
from qacast.audio.encode import FORMATS, encode, length_multiple_frames
from qacast.audio.tags import build_id3, write_id3
from qacast.errors import OutputError, ScriptError
from qacast.models import EncodeSettings, Episode, EpisodeFile, EpisodeTags, Timeline
from qacast.script import parse_script, read_script, utterances
from qacast.voices.cache import SynthesisCache
from qacast.voices.pool import SynthesisPool
from qacast.voices.presets import CastPreset, cast
from qacast.voices.synthesize import synthesize


@dataclass(frozen=True)
class RenderEnv:
    """Everything a render needs from outside: injected, never global."""

    out_dir: Path
    preset: CastPreset
    formats: tuple[EncodeSettings, ...]
    show_title: str
    show_author: str = ""
    pool: Callable[[], SynthesisPool] = field(default=lambda: SynthesisPool(1))
    cache: SynthesisCache | None = None
    on_progress: Callable[[str], None] = lambda message: None


@dataclass(frozen=True)
class RenderedEpisode:
    slug: str
    episode: Episode
    timeline: Timeline
    files: tuple[EpisodeFile, ...]


def render_episode(script_path: Path, env: RenderEnv) -> RenderedEpisode:
    episode = parse_script(read_script(script_path), source_name=script_path.name)
    casting = cast(episode, env.preset)
    speech = utterances(episode)
    if not speech:
        raise ScriptError(f"{script_path}: nothing to read aloud after the labels")
    slug = slugify(script_path.stem)
    ensure_writable_dir(env.out_dir)
    env.on_progress(f"{slug}: {len(speech)} sentences, {len(episode.speakers)} voices")
    clips = synthesize(speech, casting, env.pool, env.cache)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{slug}.", dir=env.out_dir))
    try:
        programme = assemble(
            episode,
            speech,
            clips,
            casting.pauses,
            work_dir / "programme.pcm",
            pad_to_multiple_of=length_multiple_frames(env.formats, clips[0].sample_rate_hz),
        )
        id3 = build_id3(episode_tags(episode, env), programme.timeline.chapters)
        files = []
        for settings in env.formats:
            spec = FORMATS[settings.format]
            final = env.out_dir / f"{slug}.{spec.extension}"
            # Encoded and tagged beside its final name, then renamed: a reader
            # never sees a half-written episode.
            partial = work_dir / final.name
            encode(programme, settings, partial)
            write_id3(partial, id3)
            size_bytes = partial.stat().st_size
            partial.replace(final)
            files.append(
                EpisodeFile(final, spec.mime_type, programme.timeline.duration_ms, size_bytes)
            )
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    env.on_progress(f"{slug}: wrote {', '.join(str(f.path) for f in files)}")
    return RenderedEpisode(slug, episode, programme.timeline, tuple(files))


def episode_tags(episode: Episode, env: RenderEnv) -> EpisodeTags:
    meta = episode.meta
    interviewer = next((s.name for s in episode.speakers if s.role == "interviewer"), "")
    return EpisodeTags(
        title=meta.title,
        artist=interviewer or env.show_author or env.show_title,
        album=env.show_title,
        track=meta.episode_number,
        date=meta.date.isoformat() if meta.date else "",
        comment=describe(episode),
    )


def describe(episode: Episode) -> str:
    """The episode's description: its own, else who talks with whom."""
    if episode.meta.description:
        return episode.meta.description
    hosts = [s.name for s in episode.speakers if s.role == "interviewer"]
    guests = [s.name for s in episode.speakers if s.role == "interviewee"]
    if hosts and guests:
        return f"{' and '.join(hosts)} in conversation with {' and '.join(guests)}."
    return episode.meta.title


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "episode"


def ensure_writable_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output dir {path}: {exc.strerror}") from exc
    if not path.is_dir():
        raise OutputError(f"output path {path} is not a directory")
    probe = None
    try:
        fd, name = tempfile.mkstemp(prefix=".qacast-probe-", dir=path)
        probe = Path(name)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"output dir {path} is not writable: {exc.strerror}") from exc
    finally:
        if probe:
            probe.unlink(missing_ok=True)
