"""The stage order, readable in one screen.

text --parse--> Episode --cast--> Casting --synthesize--> Clips --level-->
     --assemble (+music)--> Programme --master/encode/tag--> EpisodeFiles
     --publish--> sidecars, feed.xml, site
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qacast.artwork import generate_cover
from qacast.audio.assemble import assemble
from qacast.audio.encode import FORMATS, encode, length_multiple_frames
from qacast.audio.loudness import LoudnessTarget, integrated_loudness_lufs
from qacast.audio.master import master_chain, voice_levels
from qacast.audio.music import check_music, load_music, mix_music
from qacast.audio.spans import encode_in_spans, frame_in_programme_samples, span_store
from qacast.audio.tags import write_tags
from qacast.config import ShowConfig
from qacast.episode import episode_tags, slugify
from qacast.errors import OutputError, ScriptError
from qacast.fsutil import (
    atomic_write_bytes,
    ensure_writable_dir,
    move_into_place,
)
from qacast.manifest import fingerprint
from qacast.models import EncodeSettings, Episode, EpisodeFile, Timeline, VoiceOverride
from qacast.progress import Progress, QuietProgress
from qacast.publish.sidecars import plain_transcript, write_sidecars
from qacast.script import utterances
from qacast.script.lexicon import show_lexicon
from qacast.script.read import read_episode
from qacast.store import ChecksummedStore
from qacast.voices.cache import SynthesisCache
from qacast.voices.engines import ENGINES
from qacast.voices.pool import SynthesisPool
from qacast.voices.presets import CastPreset, cast, for_language, merge_overrides
from qacast.voices.synthesize import synthesize


@dataclass(frozen=True)
class RenderEnv:
    """Everything a render needs from outside: injected, never global."""

    show: ShowConfig
    out_dir: Path
    preset: CastPreset
    formats: tuple[EncodeSettings, ...]
    loudness: LoudnessTarget
    cover: tuple[bytes, str] | None = None  # the show's cover, loaded and checked once
    jobs: int = 1  # processes this render may keep busy (-j)
    pool: Callable[[], SynthesisPool] = field(default=lambda: SynthesisPool(1))
    # The two stores of a show's cache: synthesized clips and encoded MP3 spans.
    # None: kept for one render only. Spans not given live beside the clips.
    clips: SynthesisCache | None = None
    spans: ChecksummedStore | None = None
    progress: Progress = field(default_factory=QuietProgress)
    # Encoder processes running at once, shared by every episode of a build.
    encoders: threading.Semaphore = field(default_factory=lambda: threading.BoundedSemaphore(1))
    # The date tagged into a script that gives none: a build passes the day the
    # episode was first published, so the tag and the feed's pubDate agree.
    default_date: dt.date | None = None
    # Where renders keep their work files: the show's .qacast/work in a build,
    # the system's temporary folder otherwise. Never out/, which is published.
    work_root: Path | None = None

    def __post_init__(self) -> None:
        if self.spans is None and self.clips is not None:
            object.__setattr__(self, "spans", span_store(self.clips))


@dataclass(frozen=True)
class RenderedEpisode:
    slug: str
    episode: Episode
    timeline: Timeline
    files: tuple[EpisodeFile, ...]
    sidecars: dict[str, Path]
    cover: Path  # the episode image in out_dir


def render_episode(
    script_path: Path, env: RenderEnv, default_number: int | None = None
) -> RenderedEpisode:
    show, out_dir = env.show, env.out_dir
    episode, overrides = read_episode(script_path, default_number=default_number, show=show)
    language = episode.meta.language or show.language  # voices and speech text follow it
    known = {
        name: VoiceOverride(person.voice, person.pitch, person.rate_wpm, person.gender)
        for name, person in show.people.items()
    }
    wishes = merge_overrides(episode, known, overrides)
    casting = cast(episode, for_language(env.preset, language), wishes)
    music_sources = {"intro": show.intro_music, "sting": show.sting, "outro": show.outro_music}
    check_music(music_sources, show.show_dir)  # before minutes of synthesis, not after
    speech = utterances(episode, show_lexicon(show.show_dir, show.lexicon), language)
    if not speech:
        raise ScriptError(f"{script_path.name}: no turn has words that can be spoken "
                          "(only symbols or emoji?)")  # fmt: skip
    slug = slugify(script_path.stem)
    ensure_writable_dir(out_dir)
    env.progress.planned(slug, len(speech))
    work_dir = _make_work_dir(slug, env.work_root)
    try:
        # Without a cache the clips and encoded spans still live on disk, for
        # this render only.
        store = env.clips or SynthesisCache(work_dir / "clips")
        spans = env.spans or span_store(store)
        clips = synthesize(speech, casting, env.pool, store, env.progress.clip_done)
        levels = voice_levels(speech, clips, store)
        rate_hz = clips[0].sample_rate_hz
        music = load_music(music_sources, show.show_dir, rate_hz)
        span_frames = [frame_in_programme_samples(s, rate_hz) for s in env.formats]
        programme = assemble(
            episode,
            speech,
            clips,
            casting.pauses,
            work_dir / "programme.pcm",
            store,
            levels.gains_db,
            pad_to_multiple_of=length_multiple_frames(env.formats, rate_hz),
            music=music,
            span_frame_samples=next((f for f in span_frames if f), None),
        )
        timeline = programme.timeline
        if music:
            mix_music(programme.pcm_path, timeline, music, levels.level_lufs)
        measured_lufs = integrated_loudness_lufs(programme.pcm_path, rate_hz)
        env.progress.detail(
            f"{slug}: voices levelled to {levels.level_lufs:.1f} LUFS, programme "
            f"{measured_lufs:.1f} LUFS -> {env.loudness.integrated_lufs:g} LUFS"
        )
        cover = env.cover or (generate_cover(show.title, episode.meta.title), "image/jpeg")
        tags = episode_tags(episode, show, date=episode.meta.date or env.default_date)
        transcript = plain_transcript(timeline, episode)
        files = []
        for settings, span_frame in zip(env.formats, span_frames, strict=True):
            final = out_dir / f"{slug}.{FORMATS[settings.format].extension}"
            # Encoded and tagged beside its final name, then renamed: a reader
            # never sees a half-written episode.
            partial = work_dir / final.name
            chain = master_chain(measured_lufs, env.loudness, settings, rate_hz)
            if span_frame:
                encode_in_spans(programme, settings, partial, chain, spans, env.encoders, env.jobs)
            else:
                encode(programme, settings, partial, chain, processes=min(2, env.jobs))
            write_tags(partial, settings.format, tags, timeline.chapters, cover, transcript)
            size_bytes = partial.stat().st_size
            move_into_place(partial, final)
            mime = FORMATS[settings.format].mime_type
            files.append(EpisodeFile(final, mime, timeline.duration_ms, size_bytes))
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    sidecars = write_sidecars(
        out_dir, slug, timeline, episode, description=tags.comment, language=language
    )
    cover_path = out_dir / f"{slug}{'.png' if cover[1] == 'image/png' else '.jpg'}"
    atomic_write_bytes(cover_path, cover[0])
    env.progress.episode_done(
        slug, f"{timeline.duration_ms / 1000:.0f} s, {', '.join(f.path.name for f in files)}"
    )
    return RenderedEpisode(slug, episode, timeline, tuple(files), sidecars, cover_path)


def _make_work_dir(slug: str, work_root: Path | None) -> Path:
    try:
        if work_root is not None:
            work_root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{slug}.", dir=work_root))
    except OSError as err:
        where = work_root or tempfile.gettempdir()
        raise OutputError(f"cannot create a work folder in {where}: {err.strerror or err}") from err


def render_inputs(script: Path, env: RenderEnv, number: int | None) -> str:
    """Everything that shapes an episode's bytes; base URL and feed fields do not."""
    show = env.show
    music = [show.intro_music, show.sting, show.outro_music]
    music_files = [
        (show.show_dir / source).read_bytes()
        for source in music
        if source and (show.show_dir / source).is_file()
    ]
    lexicon = show_lexicon(show.show_dir, show.lexicon)
    return fingerprint(
        [
            ("script", script.read_bytes()),
            # The episode's number (tagged as the track), not its place
            # among the scripts: adding a script re-renders no other episode.
            ("number", str(number)),
            ("preset", env.preset.path.read_bytes()),
            ("show", repr((show.title, show.author, music, env.loudness))),
            ("cover", env.cover[0] if env.cover else b""),
            ("music", b"".join(music_files)),
            ("formats", repr(env.formats)),
            ("engines", repr({name: spec.version() for name, spec in ENGINES.items()})),
            # How the show casts its recurring people ([people."Name"] voices).
            (
                "people",
                repr(
                    sorted(
                        (name, p.voice, p.pitch, p.rate_wpm, p.gender)
                        for name, p in show.people.items()
                    )
                ),
            ),
            # How the text is said: the language's normalisation and the lexicon.
            # A show without a language detects each episode's: adding one changes it.
            ("speech", repr((show.language, lexicon, *(() if show.language_set else ("?",))))),
        ]
    )
