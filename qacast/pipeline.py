"""The render of one episode, its stages readable in one function (render_episode).

plan         script --read, cast, checked--> Plan: what is said, by which voice
synthesise   Plan --speech processes--> clips, in script order, as they arrive
assemble     clips --levelled, laid out with pauses and music--> the programme
and master     file, span by span; each span measured, mastered and encoded
               the moment it is written (audio/mastering.py), so encoding
               overlaps synthesis; the programme's loudness checked at the end
encode       each format: its spans joined, or the programme encoded whole
tag and      tags, chapters and cover in each file, moved into out/; captions,
sidecars       transcript, chapters and the episode image beside them

What shapes the bytes comes in ``RenderSettings``, what does the work in
``RenderResources`` (qacast/render_env.py); the episode's number and date are
arguments. What a build compares to decide whether to render again is listed
in qacast/render_inputs.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

from qacast.artwork import generate_cover, load_cover
from qacast.audio.assemble import assemble
from qacast.audio.master import SPEECH_LEVEL_LUFS
from qacast.audio.mastering import Mastering, Workers
from qacast.audio.music import check_music, load_music
from qacast.audio.spans import span_store
from qacast.audio.tags import write_tags
from qacast.config import ShowConfig
from qacast.episode import episode_tags, slugify
from qacast.errors import OutputError, ScriptError
from qacast.formats import FORMATS
from qacast.fsutil import atomic_write_bytes, ensure_writable_dir, move_into_place
from qacast.models import (
    Casting,
    Clip,
    EncodeSettings,
    Episode,
    EpisodeFile,
    EpisodeTags,
    Programme,
    Timeline,
    Utterance,
)
from qacast.progress import Progress
from qacast.publish.catalog import episode_image_name
from qacast.publish.sidecars import plain_transcript, write_sidecars
from qacast.render_env import RenderResources, RenderSettings
from qacast.script import utterances
from qacast.script.episode_language import overruled_show, voice_language
from qacast.script.read import fact_notes, image_file, read_episode
from qacast.script.speech.lexicon import show_lexicon
from qacast.voices.cache import SynthesisCache
from qacast.voices.presets import cast, for_language, merge_overrides, speaks
from qacast.voices.synthesize import synthesize_in_order

__all__ = ["RenderResources", "RenderSettings", "RenderedEpisode", "render_episode"]


@dataclass(frozen=True)
class RenderedEpisode:
    slug: str
    episode: Episode
    timeline: Timeline
    files: tuple[EpisodeFile, ...]
    sidecars: dict[str, Path]
    cover: Path  # the episode image in out_dir
    # Every cache entry the render read or wrote (``qacast cache prune`` keeps
    # them); None without a cache.
    cache_keys: frozenset[str] | None = None


@dataclass(frozen=True)
class Plan:
    """An episode read and cast, checked before any synthesis starts."""

    slug: str
    episode: Episode
    casting: Casting
    speech: tuple[Utterance, ...]
    language: str
    image: Path | None = None  # the episode's own artwork (front matter image)
    artwork: tuple[bytes, str] | None = None  # that image checked: (bytes, MIME type)


def render_episode(
    script: Path,
    settings: RenderSettings,
    resources: RenderResources,
    number: int | None = None,
    date: dt.date | None = None,
) -> RenderedEpisode:
    """Render ``script`` into out/ as the episode numbered ``number``, dated
    ``date`` when the script gives none, in the stages the module lists."""
    plan = plan_episode(script, settings, resources.progress, number)
    with Workshop(plan.slug, settings, resources) as shop:
        # Drawn while the first sentences are said, before any span needs a thread.
        cover = shop.threads.submit(episode_cover, settings, plan)
        clips = synthesize(plan, resources, shop)
        programme = assemble_and_master(plan, clips, settings.show, shop)
        encoded = encode_formats(plan.slug, programme, settings.formats, shop)
        tags = episode_tags(plan.episode, settings.show, date=plan.episode.meta.date or date)
        return tag_and_write(plan, encoded, tags, cover.result(), shop)


def plan_episode(
    script_path: Path, settings: RenderSettings, progress: Progress, number: int | None
) -> Plan:
    """Read and cast the episode; refuse what cannot render before minutes of synthesis."""
    show, preset = settings.show, settings.preset
    episode, overrides = read_episode(script_path, default_number=number, show=show)
    # Voices and speech text follow the episode's language, when a voice speaks it.
    language, unvoiced = voice_language(episode, show.language, lambda c: speaks(preset, c))
    for note in fact_notes(episode):
        progress.detail(f"{script_path.name}: {note}")
    for line in (overruled_show(episode, show.language, show.language_set), unvoiced):
        if line:
            progress.log(f"{script_path.name}: {line}")
    wishes = merge_overrides(episode, show.people_voices, overrides)
    casting = cast(episode, for_language(preset, language), wishes)
    check_music(show.music, show.show_dir)
    speech = utterances(episode, show_lexicon(show.show_dir, show.lexicon), language)
    if not speech:
        raise ScriptError(f"{script_path.name}: no turn has words that can be spoken "
                          "(only symbols or emoji?)")  # fmt: skip
    image = image_file(episode.meta.image, script_path)
    # Checked as the show's cover is, before any synthesis.
    artwork = load_cover(image, label=f"{script_path.name}: front matter image") if image else None
    slug = slugify(script_path.stem)
    return Plan(slug, episode, casting, tuple(speech), language, image, artwork)


class Workshop:
    """One render's work: its folder, the threads its spans are encoded on, the
    stores it reads and fills, and its mastering. Whichever way the render
    ends, the spans not yet started are dropped and the folder is removed."""

    def __init__(self, slug: str, settings: RenderSettings, resources: RenderResources) -> None:
        ensure_writable_dir(resources.out_dir)
        self.out_dir, self.progress = resources.out_dir, resources.progress
        self.dir = _make_work_dir(slug, resources.work_root)
        self.threads = ThreadPoolExecutor(max_workers=max(1, resources.jobs))
        # Every key the render uses is noted, for ``qacast cache prune``.
        self._used: set[str] | None = None if resources.clips is None else set()
        clips = resources.clips or SynthesisCache(self.dir / "clips")  # on disk even uncached
        spans = resources.spans or span_store(clips)
        if self._used is not None:
            clips, spans = replace(clips, used=self._used), replace(spans, used=self._used)
        self.clips = clips
        workers = Workers(self.threads, resources.encoders, resources.jobs)
        self.mastering = Mastering(settings.loudness, settings.formats, spans, workers)

    def __enter__(self) -> Workshop:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # On success every span is already done; on a failure or Ctrl-C the
        # spans not yet started are dropped instead of encoded for nothing.
        self.mastering.close()
        self.threads.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def cache_keys(self) -> frozenset[str] | None:
        """The cache entries used so far; None without a cache."""
        return None if self._used is None else frozenset(self._used)


def synthesize(
    plan: Plan, resources: RenderResources, shop: Workshop
) -> Iterator[tuple[Clip, bytes]]:
    """Each sentence's clip in script order, as soon as it and those before it
    exist; each is measured on arrival, off the assembler's path."""
    resources.progress.planned(plan.slug, len(plan.speech))
    done = resources.progress.clip_done
    return synthesize_in_order(plan.speech, plan.casting, resources.pool, shop.clips, done,
                               on_arrival=shop.mastering.clip_said)  # fmt: skip


def assemble_and_master(
    plan: Plan, clips: Iterator[tuple[Clip, bytes]], show: ShowConfig, shop: Workshop
) -> Programme:
    """Clips levelled and laid out as they arrive, each span measured and
    encoded once written; the programme's loudness checked at the end."""
    first = next(clips)  # the speech's rate: the programme's, and the music's
    rate_hz = first[0].sample_rate_hz
    levelled = (
        (plan.speech[clip.utterance_index], clip, shop.mastering.level(clip, pcm))
        for clip, pcm in itertools.chain([first], clips)
    )
    file = shop.mastering.programme_file(shop.dir / "programme.pcm", rate_hz)
    music = load_music(show.music, show.show_dir, rate_hz)
    programme = assemble(plan.episode, levelled, plan.casting.pauses, file, music)
    measured = shop.mastering.finish()
    shop.progress.detail(
        f"{plan.slug}: sentences levelled to {SPEECH_LEVEL_LUFS:g} LUFS, programme "
        f"{measured:.1f} LUFS -> {shop.mastering.target.integrated_lufs:g} LUFS"
    )
    return programme


@dataclass(frozen=True)
class Encoded:
    """Each format's file in the work folder, untagged, and the timeline they play."""

    timeline: Timeline
    files: dict[EncodeSettings, Path]


def encode_formats(
    slug: str, programme: Programme, formats: tuple[EncodeSettings, ...], shop: Workshop
) -> Encoded:
    """Each format's spans joined, or the programme encoded whole."""
    files = {}
    for settings in formats:
        partial = shop.dir / f"{slug}.{FORMATS[settings.format].extension}"
        shop.mastering.write(settings, programme, partial)
        files[settings] = partial
    return Encoded(programme.timeline, files)


def tag_and_write(
    plan: Plan, encoded: Encoded, tags: EpisodeTags, cover: tuple[bytes, str], shop: Workshop
) -> RenderedEpisode:
    """Tag each file and move it into out/; write the sidecars and the episode
    image beside them."""
    timeline, out_dir = encoded.timeline, shop.out_dir
    transcript = plain_transcript(timeline, plan.episode)
    files = []
    for settings, partial in encoded.files.items():
        write_tags(partial, settings.format, tags, timeline.chapters, cover, transcript)
        size_bytes = partial.stat().st_size
        # Encoded and tagged beside its final name, then renamed: a reader
        # never sees a half-written episode.
        move_into_place(partial, out_dir / partial.name)
        mime = FORMATS[settings.format].mime_type
        files.append(EpisodeFile(out_dir / partial.name, mime, timeline.duration_ms, size_bytes))
    sidecars = write_sidecars(out_dir, plan.slug, timeline, plan.episode,
                              description=tags.comment, language=plan.language)  # fmt: skip
    cover_path = out_dir / episode_image_name(plan.slug, cover[1], own=plan.image is not None)
    atomic_write_bytes(cover_path, cover[0])
    names = ", ".join(file.path.name for file in files)
    shop.progress.episode_done(plan.slug, f"{timeline.duration_ms / 1000:.0f} s, {names}")
    return RenderedEpisode(plan.slug, plan.episode, timeline, tuple(files), sidecars, cover_path,
                           shop.cache_keys())  # fmt: skip


def episode_cover(settings: RenderSettings, plan: Plan) -> tuple[bytes, str]:
    """The episode's own artwork, else the show's cover, else one drawn for the
    episode: (image bytes, MIME type). Its own is checked as the show's is
    (JPEG or PNG, square, 1400-3000 px; other colour modes made RGB)."""
    if plan.artwork is not None:
        return plan.artwork
    title = plan.episode.meta.title
    return settings.cover or (generate_cover(settings.show.title, title), "image/jpeg")


def _make_work_dir(slug: str, work_root: Path | None) -> Path:
    try:
        if work_root is not None:
            work_root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{slug}.", dir=work_root))
    except OSError as err:
        where = work_root or tempfile.gettempdir()
        raise OutputError(f"cannot create a work folder in {where}: {err.strerror or err}") from err
