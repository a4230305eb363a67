"""Click commands: parse options, call the pipeline, map errors to exit codes.

Each command imports what it runs inside its own function: importing every
command's modules up front took 0.72 s against 0.10 s for this module alone
(median of 11 runs; `python -c pass` 0.03 s), a cost `qacast --help`, `serve`
and a no-change `build` would all pay.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qacast import __version__, leave_interrupted
from qacast.errors import (
    ConfigError,
    ExitStatus,
    OutputError,
    QacastError,
    ShowRejectedError,
    SomeEpisodesFailedError,
)
from qacast.formats import FORMATS
from qacast.models import EncodeSettings

if TYPE_CHECKING:
    from qacast.build import BuildReport
    from qacast.progress import Progress
    from qacast.render_env import RenderResources, RenderSettings

DEFAULT_OUT = Path("out")
CLUSTER_EPISODES_IN_FLIGHT = 32  # the scheduler spreads them over its workers


class QacastGroup(click.Group):
    """The one place where errors become stderr lines and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        # In a qacast process (run), Ctrl-C is answered in one of three ways,
        # so that it always ends with 130 and one line, whenever it lands:
        # before the command, by leaving at once (nothing was written yet);
        # while it works, as a KeyboardInterrupt, so that it cleans up; once
        # it is done, not at all (it has nothing left to clean up, and its
        # own exit status stands).
        own = bool((ctx.obj or {}).get("own_process"))
        try:
            try:
                if own:
                    signal.signal(signal.SIGINT, signal.default_int_handler)
                _check_working_folder()
                return super().invoke(ctx)
            finally:
                if own:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
        except QacastError as err:
            click.echo(f"qacast: error: {err}", err=True)
            ctx.exit(int(err.exit_status))
        except KeyboardInterrupt:
            # Also when it lands in the finally above, before Ctrl-C is ignored.
            if own:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            click.echo("qacast: interrupted; no partial files were left", err=True)
            ctx.exit(int(ExitStatus.INTERRUPTED))


def _check_working_folder() -> None:
    """Relative paths need a current folder: a shell can sit in one that was deleted."""
    try:
        Path.cwd()
    except FileNotFoundError:
        raise ConfigError(
            "the current folder no longer exists (deleted or moved); cd to another one"
        ) from None


@click.group(cls=QacastGroup)
@click.version_option(__version__, prog_name="qacast")
def main() -> None:
    """Turn written Q&A interviews into multi-voice podcast episodes."""


def verbosity(command: Callable[..., Any]) -> Callable[..., Any]:
    """-q/--quiet and -v/--verbose, the same on every command."""

    @click.option("-v", "--verbose", is_flag=True, help="Say more about each step.")
    @click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")
    @functools.wraps(command)
    def wrapper(*args: Any, quiet: bool, verbose: bool, **kwargs: Any) -> Any:
        meta = click.get_current_context().meta
        meta["qacast.quiet"], meta["qacast.verbose"] = quiet, verbose and not quiet
        return command(*args, **kwargs)

    return wrapper


def _progress() -> Progress:
    from qacast.progress import make_progress

    meta = click.get_current_context().meta
    return make_progress(meta.get("qacast.quiet", False), meta.get("qacast.verbose", False))


@main.command("parse")
@click.argument("script", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the parse as JSON on stdout.")
@verbosity
def parse_command(script: Path, as_json: bool) -> None:
    """Show how SCRIPT was understood (front matter applied), without rendering."""
    from qacast.config import load_show
    from qacast.fsutil import check_script_size
    from qacast.limits import DEFAULT_MAX_SCRIPT_BYTES
    from qacast.script import episode_to_json, utterances
    from qacast.script.episode_language import overruled_show
    from qacast.script.read import read_episode
    from qacast.script.speech.lexicon import show_lexicon

    try:
        limit_bytes = load_show(_show_dir_for(script)).max_script_bytes
    except QacastError:  # parse reads the script alone; its show's config may be elsewhere
        limit_bytes = DEFAULT_MAX_SCRIPT_BYTES
    check_script_size(script, limit_bytes)
    show = load_show(_show_dir_for(script))  # its lexicon and language shape the speech
    episode, overrides = read_episode(script, show=show)
    preset, language, unvoiced = _voiced(episode, show)
    engines = _speaking_engines(episode, preset, language)
    _check_cast_voices(overrides, script, engines, show.show_dir / "voices")
    speech = (show_lexicon(show.show_dir, show.lexicon), language)
    written_in = episode.meta.language or show.language
    if as_json:
        data = episode_to_json(episode, *speech)
        read_in = {"read_in": language} if unvoiced else {}
        data["language"] = {"code": written_in, "source": episode.meta.language_source, **read_in}
        data["date"] = episode.meta.date.isoformat() if episode.meta.date else None
        data["cast"] = _cast_voices(episode, preset or _show_preset(show), language, overrides)
        data["doubts"] = [{"what": d.what, "fix": d.fix} for d in episode.doubts]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"title: {episode.meta.title}")
    click.echo(f"language: {written_in} ({episode.meta.language_source})")
    for line in (overruled_show(episode, show.language, show.language_set), unvoiced):
        if line:  # the words overruled the show, or no voice speaks them
            click.echo(f"  {line}")
    for speaker in episode.speakers:
        click.echo(f"speaker {speaker.id}: {speaker.name} ({speaker.role})")
    click.echo(f"{'turn':>4}  {'speaker':<10} {'role':<12} {'kind':<9} first words")
    for index, turn in enumerate(episode.turns):
        role = episode.speaker(turn.speaker_id).role
        words = " ".join(turn.text.split()[:8])
        click.echo(f"{index:>4}  {turn.speaker_id:<10} {role:<12} {turn.kind:<9} {words}")
    for mark in episode.chapters:
        click.echo(f"chapter at turn {mark.start_turn}: {mark.title}")
    for doubt in episode.doubts:  # each guess the text did not settle, and its one-line fix
        click.echo(f"doubt: {doubt.what}")
        click.echo(f"  if that is wrong, add to the front matter: {doubt.fix}")
    if click.get_current_context().meta.get("qacast.verbose"):
        for note in episode.notes:  # why lines were dropped, which rule made each label
            click.echo(f"note: {note}")
        for utterance in utterances(episode, *speech):
            click.echo(f"  {utterance.turn_index:>3} {utterance.speaker_id:<6} {utterance.speech}")


def _voiced(episode: Any, show: Any) -> tuple[Any, str, str | None]:
    """The show's cast preset (None when it cannot be loaded: parse still shows the
    text), the language its voices read the episode in, and a line when that is
    not the episode's own."""
    from qacast.script.episode_language import voice_language
    from qacast.voices.presets import speaks

    try:
        preset = _show_preset(show)
    except QacastError:
        return None, episode.meta.language or show.language, None
    language, unvoiced = voice_language(episode, show.language, lambda c: speaks(preset, c))
    return preset, language, unvoiced


def _show_preset(show: Any) -> Any:
    """The show's cast preset, as a render loads it."""
    from qacast.voices.presets import show_preset

    return show_preset(show.show_dir, show.voices)


def _cast_voices(
    episode: Any, preset: Any, language: str, overrides: dict[str, Any]
) -> dict[str, str]:
    """Speaker id -> the voice a render would give it, in the language it is read in."""
    from qacast.voices.presets import cast, for_language

    casting = cast(episode, for_language(preset, language), overrides)
    return {speaker: voice.voice_id for speaker, voice in casting.voices.items()}


def _speaking_engines(episode: Any, preset: Any, language: str) -> dict[str, str]:
    """Speaker id -> the engine that will speak them, as a render casts the
    episode in ``language``; {} when the show's preset cannot be loaded."""
    from qacast.voices.presets import for_language, role_voices

    if preset is None:
        return {}
    # When no voice of the preset speaks the language, the roles keep their voices.
    with contextlib.suppress(QacastError):
        preset = for_language(preset, language)
    return {speaker: voice.engine for speaker, voice in role_voices(episode, preset).items()}


def _check_cast_voices(
    overrides: dict[str, Any], script: Path, engines: dict[str, str], voice_folder: Path
) -> None:
    """A voice the front matter names must exist for the engine that will speak
    it (``engines``: speaker id -> engine; the default engine for one not
    there), among its voices or the show's voice files: `parse` says so, not only `build`."""
    from qacast.voices.engines import DEFAULT_ENGINE, UnknownVoiceError
    from qacast.voices.presets import resolve_voice

    for label, override in overrides.items():
        if override.voice is None:
            continue
        try:
            resolve_voice(engines.get(label, DEFAULT_ENGINE), override.voice, (voice_folder,))
        except UnknownVoiceError as err:
            raise ConfigError(f"{script.name}: front matter cast {label}: {err}") from None


def _show_dir_for(script: Path) -> Path:
    """A script in SHOW/scripts/ belongs to SHOW; anything else to the current folder."""
    try:
        parent = script.resolve().parent
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        parent = script.absolute().parent  # its own line comes when the script is read
    if parent.name == "scripts" and (parent.parent / "qacast.toml").exists():
        return parent.parent
    return Path.cwd()


def _formats(value: str, bitrate_kbps: int | None, channels: int) -> tuple[EncodeSettings, ...]:
    from qacast.audio.encode import encode_settings

    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    if bitrate_kbps is not None and bitrate_kbps < 1:
        raise ConfigError(f"--bitrate must be a positive number of kbps, got {bitrate_kbps}")
    if not names:
        raise ConfigError("--format needs at least one format, e.g. --format mp3")
    return tuple(encode_settings(name, bitrate_kbps, channels) for name in dict.fromkeys(names))


def _claim_cores(jobs: int) -> None:
    """Keep this process and its children on ``jobs`` cores when run as a program.

    ``-j N`` means N cores. Counting processes is not enough: ffmpeg filters
    and encodes on threads of their own, so a ``-j 1`` build kept 1.25 cores
    busy on average (measured) and took CPU a producer meant to leave free.
    Only a real qacast process does this (``run``); a library caller or a test
    calling ``main`` in-process keeps its own affinity.
    """
    context = click.get_current_context()
    if not (context.obj or {}).get("own_process") or not hasattr(os, "sched_setaffinity"):
        return
    allowed = sorted(os.sched_getaffinity(0))
    if jobs < len(allowed):
        # Start from a core picked by process id: two `-j 1` builds side by
        # side should not both queue on the first core.
        first = os.getpid() % len(allowed)
        os.sched_setaffinity(0, [allowed[(first + i) % len(allowed)] for i in range(jobs)])


@dataclass(frozen=True)
class RenderOptions:
    """The options ``render`` and ``build`` share, parsed once (``render_options``)."""

    voices: str | None  # a preset name or .toml path; None: the show's
    format_names: str | None  # "mp3,opus"; None: the show's formats
    bitrate_kbps: int | None
    loudness: str | None  # "mono", "stereo", "-18/-1.5"; None: the show's
    jobs: int  # cores (-j): speech processes, encoders, episodes side by side
    cache_dir: Path | None  # None: the show's .qacast/cache
    no_cache: bool  # render everything afresh, reading and writing no cache


def render_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by render and build: how episodes sound and where work is
    kept, handed to the command as one ``options: RenderOptions``."""

    @functools.wraps(command)
    def wrapper(*args: Any, jobs: int | None, **kwargs: Any) -> Any:
        count = jobs if jobs is not None else (os.cpu_count() or 1)
        if count < 1:
            raise ConfigError(f"-j/--jobs must be at least 1, got {count}")
        shared = {f.name: kwargs.pop(f.name) for f in fields(RenderOptions) if f.name != "jobs"}
        return command(*args, options=RenderOptions(jobs=count, **shared), **kwargs)

    for option in reversed(
        [
            click.option("--voices", "voices", default=None,
                         help="Cast preset: a name in the show's voices/ folder or a .toml path."),
            click.option("--format", "format_names", default=None,
                         help=f"Comma-separated: {', '.join(FORMATS)} [show's formats]."),
            click.option("--bitrate", "bitrate_kbps", type=int, default=None,
                         help="Bit rate in kbps [per format]."),
            click.option("--loudness", default=None,
                         help="mono (-19 LUFS), stereo (-16 LUFS), or LUFS[/dBTP] like -18/-1.5."),
            click.option("-j", "--jobs", type=int, default=None,
                         help="Speech worker processes [number of CPUs]."),
            click.option("--cache-dir", type=click.Path(path_type=Path), envvar="QACAST_CACHE_DIR",
                         default=None, help="Synthesis cache [SHOW/.qacast/cache]."),
            click.option("--no-cache", is_flag=True, help="Render all afresh, no cache."),
        ]
    ):  # fmt: skip
        wrapper = option(wrapper)
    return wrapper


def render_settings(show_dir: Path, options: RenderOptions, build: bool = False) -> RenderSettings:
    """The show's settings with the options over them. ``build``: for ``qacast
    build``, whose build state remembers the checked cover."""
    from qacast.config import load_show, parse_loudness_target
    from qacast.cover_check import load_cover_remembered
    from qacast.manifest import StateLayout
    from qacast.render_env import RenderSettings
    from qacast.voices.presets import show_preset

    show = load_show(show_dir)
    loudness_text = options.loudness or show.loudness
    loudness = parse_loudness_target(loudness_text)
    channels = 2 if loudness_text.strip().lower() == "stereo" else 1
    formats = _formats(options.format_names or ",".join(show.formats),
                       options.bitrate_kbps, channels)  # fmt: skip
    memo = StateLayout.of_show(show.show_dir).records if build else None
    return RenderSettings(
        show=show,
        preset=show_preset(show.show_dir, options.voices or show.voices),
        formats=formats,
        loudness=loudness,
        cover=load_cover_remembered(show.cover, memo) if show.cover else None,
    )


def render_resources(
    out_dir: Path, show_dir: Path, options: RenderOptions, pools: list[Any], progress: Progress
) -> RenderResources:
    """The processes, stores and progress lines of a render or build. The speech
    processes are started on first need only, and kept in ``pools`` to close."""
    from qacast.render_env import RenderResources
    from qacast.voices.cache import SynthesisCache
    from qacast.voices.pool import SynthesisPool

    lock = threading.Lock()

    def pool() -> SynthesisPool:
        # Started on the first cache miss only: a build with nothing new
        # to say never boots a speech engine. build_show asks for it from the
        # main thread before its episode threads start (see voices/pool.py).
        with lock:
            if not pools:
                pools.append(SynthesisPool(options.jobs))
        return pools[0]  # type: ignore[no-any-return]

    cache = None if options.no_cache else SynthesisCache(
        _cache_dir(options.cache_dir, show_dir), warn=_warn)  # fmt: skip
    return RenderResources(
        out_dir=out_dir,
        jobs=options.jobs,
        pool=pool,
        clips=cache,
        progress=progress,
        encoders=threading.BoundedSemaphore(options.jobs),
    )


def _cache_dir(option: Path | None, show_dir: Path) -> Path:
    """--cache-dir (or QACAST_CACHE_DIR), else the show's .qacast/cache; never out/."""
    from qacast.manifest import StateLayout

    if option is None:
        return StateLayout.of_show(show_dir).cache
    if option.exists() and not option.is_dir():
        raise ConfigError(f"--cache-dir {option}: is a file, not a folder")
    return option


def _warn(message: str) -> None:
    click.echo(f"qacast: warning: {message}", err=True)


@main.command("voices")
@click.option("--language", "-l", default=None, help="Only voices of this language (fr, en-gb).")
@click.option("--preview", "preview_voice", default=None, metavar="VOICE",
              help="Write a short sample of VOICE instead of listing.")  # fmt: skip
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Where --preview writes its WAV (default: preview-VOICE.wav).")  # fmt: skip
@click.option("--engine", default=None, help="The engine of --preview VOICE (default: pyttsx3, "
              "or piper for a voice file or a Piper voice's name).")  # fmt: skip
@click.option("--show", "show_dir", type=click.Path(path_type=Path), default=".",
              help="The show whose voices/ folder holds voice files (default: here).")  # fmt: skip
@click.argument("text", required=False)
@verbosity
def voices_command(
    language: str | None, preview_voice: str | None, output: Path | None,
    engine: str | None, show_dir: Path, text: str | None,
) -> None:  # fmt: skip
    """List the voices of every installed engine and the show's voice files
    (voices/*.onnx), or preview one: voices --preview VOICE [TEXT]."""
    from qacast.voices.preview import (
        PREVIEW_TEXT,
        installed_voices,
        voice_file_problems,
        write_preview,
    )

    folder = show_dir / "voices"
    if preview_voice is None:
        if text is not None:
            raise ConfigError("TEXT is only for --preview VOICE")
        listed = installed_voices(language, folder)
        problems = voice_file_problems(folder)
        if not listed and not problems:
            raise ConfigError(f"no installed voice speaks '{language}'")
        width = max([22, *(len(v.voice_id) + 1 for v in listed)])
        click.echo(f"{'engine':<8} {'voice':<{width}} {'language':<12} {'gender':<7} description")
        for v in listed:
            click.echo(f"{v.engine:<8} {v.voice_id:<{width}} {v.language:<12} {v.gender:<7} "
                       f"{v.description}")  # fmt: skip
        for problem in problems:
            click.echo(f"qacast: error: {problem}", err=True)
        if problems:
            raise click.exceptions.Exit(int(ExitStatus.BAD_INPUT))
        return
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in preview_voice)
    path = output or Path(f"preview-{safe}{FORMATS['wav'].suffix}")
    voice = write_preview(preview_voice, path, text or PREVIEW_TEXT, engine, folder)
    click.echo(f"{path} ({voice.voice_id})")


@main.command("render")
@click.argument("scripts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out-dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Where the episode files go.")  # fmt: skip
@render_options
@verbosity
def render_command(scripts: tuple[Path, ...], out_dir: Path, options: RenderOptions) -> None:
    """Render each SCRIPT into OUT_DIR/<slug>.mp3 (and sidecars)."""
    from qacast.fsutil import check_script_size
    from qacast.pipeline import render_episode
    from qacast.voices.pool import SynthesisPool

    # Workers boot (a second Python each) while the script is parsed and the
    # cache consulted; a cold render of one episode waits less that way.
    _claim_cores(options.jobs)
    pools: list[Any] = [SynthesisPool(options.jobs)]
    progress = _progress()
    try:
        settings = render_settings(_show_dir_for(scripts[0]), options)
        # A neural voice's workers load their model (about 2 s) meanwhile too.
        pools[0].prestart(voice.engine for voice in settings.preset.all_voices)
        show_dir = settings.show.show_dir
        resources = render_resources(out_dir, show_dir, options, pools, progress)
        for script in scripts:
            check_script_size(script, settings.show.max_script_bytes)
            rendered = render_episode(script, settings, resources)
            for file in rendered.files:
                click.echo(str(file.path))
    finally:
        for started in pools:
            started.close()
        progress.close()


@main.command("build")
@click.argument("show_dir", required=False, default=".", type=click.Path(path_type=Path))
@click.option(
    "--dask-scheduler",
    metavar="tcp://HOST:PORT",
    default=None,
    help="Render episodes on this Dask cluster (workers need qacast installed).",
)
@render_options
@verbosity
def build_command(show_dir: Path, dask_scheduler: str | None, options: RenderOptions) -> None:
    """Render every script of SHOW_DIR that changed, then write the feed and the site."""
    pools: list[Any] = []
    out_dir = show_dir / "out"
    progress = _progress()
    cluster = None
    try:
        if dask_scheduler:
            from qacast.remote import DaskRenderer

            # Connect first: an unreachable cluster fails before anything is written.
            cluster = DaskRenderer(dask_scheduler)
        else:
            _claim_cores(options.jobs)
        report = _build(show_dir, options, cluster, pools, progress)
    finally:
        for started in pools:
            started.close()
        if cluster:
            cluster.close()
        progress.close()
    if not click.get_current_context().meta.get("qacast.quiet"):  # -q: results and errors only
        for line in report.skipped:
            click.echo(f"qacast: skipped {line}", err=True)
        for line in report.scheduled:
            click.echo(f"qacast: {line}", err=True)
    progress.log(
        f"built {len(report.rendered)}, unchanged {len(report.unchanged)}, "
        f"failed {len(report.failed)}; feed {'updated' if report.feed_written else 'unchanged'}: "
        f"{out_dir / 'feed.xml'}"
    )
    if report.failed:
        _report_failures(report.failed, len(report.rendered) + len(report.unchanged))


def _build(
    show_dir: Path, options: RenderOptions, cluster: Any, pools: list[Any], progress: Progress
) -> BuildReport:
    """The show built here (``options.jobs`` cores) or on ``cluster``."""

    from qacast.build import BuildOptions, build_show
    from qacast.clock import now, today

    settings = render_settings(show_dir, options, build=True)
    out_dir = show_dir / "out"
    resources = render_resources(out_dir, settings.show.show_dir, options, pools, progress)
    # --no-cache renders every episode afresh, without reading the cache.
    moment = now()  # QACAST_NOW, or the clock: what is due, and the day of a new episode
    how = BuildOptions(today(moment), options.jobs, rerender=options.no_cache, now=moment)
    if cluster:
        how = replace(how, episodes_at_once=CLUSTER_EPISODES_IN_FLIGHT,
                                  render=cluster.render)  # fmt: skip
    return build_show(settings, resources, how)


def _report_failures(failed: tuple[str, ...], built: int) -> None:
    """One stderr line per failed script, the count folded into the last one."""
    for line in failed[:-1]:
        click.echo(f"qacast: error: {line}", err=True)
    total = len(failed) + built
    if not built:
        outcome = "no episode was built"
    else:
        outcome = "the other was built" if built == 1 else f"the other {built} were built"
    raise SomeEpisodesFailedError(f"{failed[-1]} ({len(failed)} of {total} scripts failed; "
                                  f"{outcome})")  # fmt: skip


@main.command("init")
@click.argument("show_dir", required=False, default=".", type=click.Path(path_type=Path))
@verbosity
def init_command(show_dir: Path) -> None:
    """Create a new show in SHOW_DIR: qacast.toml, scripts/, voices/, audio/, out/,
    and a .gitignore line for the build state (.qacast/)."""
    from qacast.scaffold import init_show
    from qacast.voices.presets import BUILTIN_PRESET

    init_show(show_dir)
    preset = show_dir / "voices" / "default.toml"
    if not preset.exists():
        preset.write_bytes(BUILTIN_PRESET.read_bytes())
    if not click.get_current_context().meta.get("qacast.quiet"):
        click.echo(f"Created a show in {show_dir}; try: qacast build {show_dir}")


@main.group("cache")
def cache_group() -> None:
    """Look after the show's synthesis cache."""


@cache_group.command("prune")
@click.argument("show_dir", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--cache-dir", type=click.Path(path_type=Path), envvar="QACAST_CACHE_DIR",
              default=None, help="Synthesis cache [SHOW/.qacast/cache].")  # fmt: skip
@verbosity
def cache_prune_command(show_dir: Path, cache_dir: Path | None) -> None:
    """Drop the cache entries no episode of SHOW_DIR uses; print the space freed."""
    from qacast.prune import prune_cache

    if not (show_dir / "qacast.toml").is_file():
        raise ConfigError(f"{show_dir}: not a show folder (no qacast.toml); nothing pruned")
    report = prune_cache(show_dir, _cache_dir(cache_dir, show_dir))
    click.echo(report.summary())


@main.command("check")
@click.argument("show_dir", required=False, default=".", type=click.Path(path_type=Path))
@click.option(
    "--online",
    is_flag=True,
    help="Then fetch the feed from its base URL and check every file it links.",
)
@verbosity
def check_command(show_dir: Path, online: bool) -> None:
    """Check the built SHOW_DIR/out/ against Apple's and Podcasting 2.0's rules.

    Dates are measured from now, or from QACAST_NOW (an ISO 8601 moment)."""
    from qacast.clock import now
    from qacast.publish.built_show import load_built_show
    from qacast.publish.check import check_show
    from qacast.publish.online import online_lines, raise_for_problems, verify_online

    out_dir = show_dir / "out"
    findings = check_show(out_dir, now())
    problems = [f for f in findings if not f.warning]
    for finding in findings:
        kind = "warning" if finding.warning else "problem"
        click.echo(f"{kind}: {finding.rule}: {finding.message}")
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise ShowRejectedError(f"{count} a directory would reject")
    if not click.get_current_context().meta.get("qacast.quiet"):
        click.echo(f"{out_dir}: passes Apple's and Podcasting 2.0's rules")
    if online:  # from the address the feed says it lives at, as an app would
        report = verify_online(load_built_show(out_dir, now()).base_url, out_dir)
        for line in online_lines(report):
            click.echo(line)
        raise_for_problems(report)


@main.command("publish")
@click.argument("show_dir", required=False, default=".", type=click.Path(path_type=Path))
@click.option(
    "--to",
    "destination",
    required=True,
    metavar="DEST",
    help="A folder (or file://...), s3://BUCKET/PREFIX or sftp://USER@HOST[:PORT]/PATH.",
)
@click.option(
    "--endpoint-url",
    default=None,
    metavar="URL",
    help="S3 endpoint of a host other than AWS: R2, B2, MinIO [AWS_ENDPOINT_URL].",
)
@click.option("--dry-run", is_flag=True, help="List each upload, skip and delete; change nothing.")
@click.option(
    "--verify/--no-verify",
    default=True,
    show_default=True,
    help="Then fetch the feed from base_url and check every file it links.",
)
@verbosity
def publish_command(
    show_dir: Path, destination: str, endpoint_url: str | None, dry_run: bool, verify: bool
) -> None:
    """Upload SHOW_DIR/out/ to DEST: only what changed, the feed last, removals after it."""
    from qacast.clock import now
    from qacast.config import load_show
    from qacast.publish.online import online_lines, raise_for_problems, verify_online
    from qacast.publish.publisher import publish

    progress = _progress()
    try:
        report = publish(show_dir, destination, endpoint_url, progress, dry_run=dry_run,
                         now=now())  # fmt: skip
    finally:
        progress.close()
    for line in report.plan_lines() if dry_run else ():
        click.echo(line)
    click.echo(report.summary(dry_run))
    if dry_run or not verify:
        return
    online = verify_online(load_show(show_dir).base_url, show_dir / "out")
    for line in online_lines(online):
        click.echo(line)
    raise_for_problems(online)


@main.command("serve")
@click.argument("show_dir", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; loopback unless you say otherwise.")  # fmt: skip
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@verbosity
def serve_command(show_dir: Path, host: str, port: int) -> None:
    """Serve SHOW_DIR/out/ as a podcast host would (HEAD, byte ranges, CORS)."""
    from qacast.publish.serve import serve

    out_dir = show_dir / "out"
    if not (out_dir / "feed.xml").is_file():
        raise ConfigError(f"{out_dir}: nothing built yet; run: qacast build {show_dir}")
    try:
        serve(out_dir, host, port)
    except OSError as err:
        raise OutputError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err


def run() -> None:
    """The console entry point: the CLI, then a quiet exit."""
    # Until the command starts (click parsing the options), Ctrl-C leaves at
    # once with 130, as while qacast was importing: QacastGroup.invoke takes
    # over from there. Python's own handler here would let click turn it into
    # "Aborted!" and exit 1, or Python into a death by signal.
    signal.signal(signal.SIGINT, leave_interrupted)
    status: int | str | None = 1
    try:
        main(obj={"own_process": True})
    except SystemExit as done:
        status = done.code
    # Ctrl-C is ignored from the command's end on, and os._exit skips
    # Python's finalization: nothing can turn a late Ctrl-C into a traceback.
    if isinstance(status, str):
        print(status, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
