"""The stage order, readable in one screen.

text --parse--> Episode --cast--> Casting (plan_episode)
     --synthesize--> clips, in script order as they arrive
     --level each sentence--> --assemble (+music)--> spans of the Programme
          each span, the moment it is written: --measure--> and --master/encode-->
     (make_programme)
     --join spans / encode whole, tag--> EpisodeFiles (write_audio)
     --publish--> sidecars, feed.xml, site
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from qacast.artwork import generate_cover
from qacast.audio.assemble import assemble
from qacast.audio.encode import encode
from qacast.audio.grid import FrameGrid, Span
from qacast.audio.master import SPEECH_LEVEL_LUFS, level_clip, master_chain, mastering_level
from qacast.audio.measured import Measurements
from qacast.audio.music import check_music, load_music
from qacast.audio.spans import SpanEncoder, SpannedEncoding, read_span, span_store
from qacast.audio.tags import write_tags
from qacast.episode import episode_tags, slugify
from qacast.errors import OutputError, ScriptError
from qacast.formats import FORMATS
from qacast.fsutil import (
    atomic_write_bytes,
    ensure_writable_dir,
    move_into_place,
)
from qacast.manifest import fingerprint
from qacast.models import (
    Casting,
    EncodeSettings,
    Episode,
    EpisodeFile,
    EpisodeTags,
    Programme,
    Timeline,
    Utterance,
    VoiceOverride,
)
from qacast.publish.sidecars import plain_transcript, write_sidecars
from qacast.render_env import RenderEnv
from qacast.script import utterances
from qacast.script.episode_language import overruled_show, voice_language
from qacast.script.read import fact_notes, read_episode
from qacast.script.speech.lexicon import show_lexicon
from qacast.store import ChecksummedStore
from qacast.voices.cache import SynthesisCache
from qacast.voices.engines import ENGINES
from qacast.voices.presets import cast, for_language, merge_overrides, speaks
from qacast.voices.synthesize import synthesize_in_order

# Defined in a light module of its own (a build with nothing to render builds
# one without importing the pipeline); re-exported here, where renders use it.
__all__ = ["RenderEnv", "RenderedEpisode", "render_episode", "render_inputs"]


@dataclass(frozen=True)
class RenderedEpisode:
    slug: str
    episode: Episode
    timeline: Timeline
    files: tuple[EpisodeFile, ...]
    sidecars: dict[str, Path]
    cover: Path  # the episode image in out_dir


@dataclass(frozen=True)
class Plan:
    """An episode read and cast, checked before any synthesis starts."""

    slug: str
    episode: Episode
    casting: Casting
    speech: tuple[Utterance, ...]
    language: str
    music_sources: dict[str, str | None]


@dataclass(frozen=True)
class Made:
    """The programme on disk, the level its chain masters from, and its spans being encoded."""

    programme: Programme
    chain_level_lufs: float  # the loudness the mastering chain was built for
    spanned: dict[EncodeSettings, SpannedEncoding]


def render_episode(
    script_path: Path, env: RenderEnv, default_number: int | None = None
) -> RenderedEpisode:
    plan = plan_episode(script_path, env, default_number)
    ensure_writable_dir(env.out_dir)
    env.progress.planned(plan.slug, len(plan.speech))
    work_dir = _make_work_dir(plan.slug, env.work_root)
    encoders = ThreadPoolExecutor(max_workers=max(1, env.jobs))
    try:
        # Drawn while the first sentences are said, before any span needs a thread.
        cover_job = encoders.submit(_episode_cover, env, plan)
        made = make_programme(plan, env, work_dir, encoders)
        cover = cover_job.result()
        tags = episode_tags(plan.episode, env.show, date=plan.episode.meta.date or env.default_date)
        files = write_audio(plan, made, env, work_dir, tags, cover)
    finally:
        # On success every span is already done; on a failure or Ctrl-C the
        # spans not yet started are dropped instead of encoded for nothing.
        encoders.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(work_dir, ignore_errors=True)
    timeline = made.programme.timeline
    sidecars = write_sidecars(env.out_dir, plan.slug, timeline, plan.episode,
                              description=tags.comment, language=plan.language)  # fmt: skip
    cover_path = env.out_dir / f"{plan.slug}{'.png' if cover[1] == 'image/png' else '.jpg'}"
    atomic_write_bytes(cover_path, cover[0])
    env.progress.episode_done(
        plan.slug, f"{timeline.duration_ms / 1000:.0f} s, {', '.join(f.path.name for f in files)}"
    )
    return RenderedEpisode(plan.slug, plan.episode, timeline, files, sidecars, cover_path)


def plan_episode(script_path: Path, env: RenderEnv, default_number: int | None) -> Plan:
    """Read and cast the episode; refuse what cannot render before minutes of synthesis."""
    show = env.show
    episode, overrides = read_episode(script_path, default_number=default_number, show=show)
    # Voices and speech text follow the episode's language, when a voice speaks it.
    language, unvoiced = voice_language(episode, show.language, lambda c: speaks(env.preset, c))
    for note in fact_notes(episode):
        env.progress.detail(f"{script_path.name}: {note}")
    for line in (overruled_show(episode, show.language, show.language_set), unvoiced):
        if line:
            env.progress.log(f"{script_path.name}: {line}")
    known = {
        name: VoiceOverride(person.voice, person.pitch, person.rate_wpm, person.gender)
        for name, person in show.people.items()
    }
    wishes = merge_overrides(episode, known, overrides)
    casting = cast(episode, for_language(env.preset, language), wishes)
    music_sources = {"intro": show.intro_music, "sting": show.sting, "outro": show.outro_music}
    check_music(music_sources, show.show_dir)
    speech = utterances(episode, show_lexicon(show.show_dir, show.lexicon), language)
    if not speech:
        raise ScriptError(f"{script_path.name}: no turn has words that can be spoken "
                          "(only symbols or emoji?)")  # fmt: skip
    slug = slugify(script_path.stem)
    return Plan(slug, episode, casting, tuple(speech), language, music_sources)


def make_programme(plan: Plan, env: RenderEnv, work_dir: Path, encoders: Executor) -> Made:
    """Synthesize, level and assemble, handing each finished span to its encoders.

    The critical path is synthesis feeding the encoders: every sentence is
    levelled from its own measurement, so the mastering chain is fixed before
    the first clip arrives, and a span is encoded as soon as it is written.
    """
    store = env.clips or SynthesisCache(work_dir / "clips")  # on disk even uncached
    measurements = Measurements(env.spans or span_store(store))
    try:
        programme, spanned = _assemble_and_encode(
            plan, env, store, measurements, work_dir, encoders
        )
        measured = measurements.programme_lufs()
    finally:
        measurements.close()
    level = mastering_level(measured)
    if level != SPEECH_LEVEL_LUFS:  # far off the plan: master again from the measurement
        rate_hz = programme.timeline.sample_rate_hz
        spanned = {s: e.again_with(_chain(level, s, env, rate_hz)) for s, e in spanned.items()}
    env.progress.detail(
        f"{plan.slug}: sentences levelled to {SPEECH_LEVEL_LUFS:g} LUFS, programme "
        f"{measured:.1f} LUFS -> {env.loudness.integrated_lufs:g} LUFS"
    )
    return Made(programme, level, spanned)


def _assemble_and_encode(
    plan: Plan,
    env: RenderEnv,
    store: SynthesisCache,
    measurements: Measurements,
    work_dir: Path,
    encoders: Executor,
) -> tuple[Programme, dict[EncodeSettings, SpannedEncoding]]:
    """Clips levelled and laid out as they arrive; each span measured and encoded once written."""
    clips = synthesize_in_order(
        plan.speech, plan.casting, env.pool, store, env.progress.clip_done,
        on_arrival=lambda key, a: measurements.measure_clip_soon(key, a.pcm, a.sample_rate_hz),
    )  # fmt: skip
    first = next(clips)
    rate_hz, pcm_path = first[0].sample_rate_hz, work_dir / "programme.pcm"
    grid = FrameGrid.for_formats(env.formats, rate_hz)
    spanned = _span_encodings(env, grid, pcm_path, measurements.span_store, encoders)

    def span_written(span: Span) -> None:
        measurements.add_span(read_span(pcm_path, span), rate_hz)
        for encoding in spanned.values():
            encoding.submit(span)

    levelled = (
        (plan.speech[clip.utterance_index], clip,
         level_clip(pcm, rate_hz, measurements.clip_lufs(clip.key, pcm, rate_hz)).pcm)
        for clip, pcm in itertools.chain([first], clips)
    )  # fmt: skip
    music = load_music(plan.music_sources, env.show.show_dir, rate_hz)
    try:
        programme = assemble(plan.episode, levelled, plan.casting.pauses, pcm_path, grid,
                             music, span_written, SPEECH_LEVEL_LUFS)  # fmt: skip
    except BaseException:
        for encoding in spanned.values():
            encoding.cancel()
        raise
    return programme, spanned


def _span_encodings(
    env: RenderEnv, grid: FrameGrid, pcm_path: Path, store: ChecksummedStore, executor: Executor
) -> dict[EncodeSettings, SpannedEncoding]:
    """An encoding per format that is cut into spans, with the chain planned for the
    speech level (known before anything is synthesized)."""
    return {
        settings: SpannedEncoding(
            SpanEncoder(pcm_path, grid.rate_hz, settings,
                        _chain(SPEECH_LEVEL_LUFS, settings, env, grid.rate_hz), store,
                        grid.frame_samples or 0),
            env.encoders, executor,
        )
        for settings in env.formats if grid.spliced(settings)
    }  # fmt: skip


def write_audio(
    plan: Plan,
    made: Made,
    env: RenderEnv,
    work_dir: Path,
    tags: EpisodeTags,
    cover: tuple[bytes, str],
) -> tuple[EpisodeFile, ...]:
    """Each format encoded (or its spans joined), tagged and moved into out/."""
    timeline = made.programme.timeline
    transcript = plain_transcript(timeline, plan.episode)
    files = []
    for settings in env.formats:
        final = env.out_dir / f"{plan.slug}.{FORMATS[settings.format].extension}"
        # Encoded and tagged beside its final name, then renamed: a reader
        # never sees a half-written episode.
        partial = work_dir / final.name
        if settings in made.spanned:
            made.spanned[settings].write(partial, timeline.frame_count)
        else:
            chain = _chain(made.chain_level_lufs, settings, env, timeline.sample_rate_hz)
            encode(made.programme, settings, partial, chain, processes=min(2, env.jobs))
        write_tags(partial, settings.format, tags, timeline.chapters, cover, transcript)
        size_bytes = partial.stat().st_size
        move_into_place(partial, final)
        mime = FORMATS[settings.format].mime_type
        files.append(EpisodeFile(final, mime, timeline.duration_ms, size_bytes))
    return tuple(files)


def _episode_cover(env: RenderEnv, plan: Plan) -> tuple[bytes, str]:
    """The show's cover, or one drawn for the episode: (image bytes, MIME type)."""
    return env.cover or (generate_cover(env.show.title, plan.episode.meta.title), "image/jpeg")


def _chain(level_lufs: float, settings: EncodeSettings, env: RenderEnv, rate_hz: int) -> str:
    return master_chain(level_lufs, env.loudness, settings, rate_hz)


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
