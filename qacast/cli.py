"""Click commands: parse options, call the pipeline, map errors to exit codes."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qacast import __version__
from qacast.errors import ConfigError, ExitStatus, QacastError
from qacast.models import EncodeSettings

DEFAULT_OUT = Path("out")
BUILTIN_PRESET = Path(__file__).parent / "data" / "default-voices.toml"


class QacastGroup(click.Group):
    """The one place where errors become stderr lines and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QacastError as err:
            click.echo(f"qacast: error: {err}", err=True)
            ctx.exit(int(err.exit_status))
        except KeyboardInterrupt:
            click.echo("qacast: interrupted; no partial files were left", err=True)
            ctx.exit(int(ExitStatus.INTERRUPTED))


@click.group(cls=QacastGroup)
@click.version_option(__version__, prog_name="qacast")
def main() -> None:
    """Turn written Q&A interviews into multi-voice podcast episodes."""


def _say(quiet: bool) -> Callable[[str], None]:
    return (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))


@main.command("parse")
@click.argument("script", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the parse as JSON on stdout.")
def parse_command(script: Path, as_json: bool) -> None:
    """Show how SCRIPT was understood, without rendering."""
    from qacast.script import episode_to_json, parse_script, read_script

    episode = parse_script(read_script(script), source_name=script.name)
    if as_json:
        click.echo(json.dumps(episode_to_json(episode), indent=2, ensure_ascii=False))
        return
    click.echo(f"title: {episode.meta.title}")
    for speaker in episode.speakers:
        click.echo(f"speaker {speaker.id}: {speaker.name} ({speaker.role})")
    click.echo(f"{'turn':>4}  {'speaker':<10} {'role':<12} {'kind':<9} first words")
    for index, turn in enumerate(episode.turns):
        role = episode.speaker(turn.speaker_id).role
        words = " ".join(turn.text.split()[:8])
        click.echo(f"{index:>4}  {turn.speaker_id:<10} {role:<12} {turn.kind:<9} {words}")
    for mark in episode.chapters:
        click.echo(f"chapter at turn {mark.start_turn}: {mark.title}")


def _show_dir_for(script: Path) -> Path:
    """A script in SHOW/scripts/ belongs to SHOW; anything else to the current folder."""
    parent = script.resolve().parent
    if parent.name == "scripts" and (parent.parent / "qacast.toml").exists():
        return parent.parent
    return Path.cwd()


def _formats(value: str, bitrate_kbps: int | None) -> tuple[EncodeSettings, ...]:
    from qacast.audio.encode import encode_settings

    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    if not names:
        raise ConfigError("--format needs at least one format, e.g. --format mp3")
    return tuple(encode_settings(name, bitrate_kbps) for name in dict.fromkeys(names))


def _jobs(value: int | None) -> int:
    jobs = value if value is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise ConfigError(f"-j/--jobs must be at least 1, got {jobs}")
    return jobs


@main.command("render")
@click.argument("scripts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out-dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Where the episode files go.",
)
@click.option(
    "--voices",
    "voices",
    default=None,
    help="Cast preset: a name in the show's voices/ folder or a .toml path.",
)
@click.option("--format", "format_names", default=None, help="Comma-separated, e.g. mp3.")
@click.option("--bitrate", "bitrate_kbps", type=int, default=None, help="Bit rate in kbps.")
@click.option("-j", "--jobs", type=int, default=None, help="Speech worker processes [CPUs].")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    envvar="QACAST_CACHE_DIR",
    default=None,
    help="Synthesis cache [OUT_DIR/.cache; env QACAST_CACHE_DIR].",
)
@click.option("--no-cache", is_flag=True, help="Synthesize everything afresh.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def render_command(
    scripts: tuple[Path, ...],
    out_dir: Path,
    voices: str | None,
    format_names: str | None,
    bitrate_kbps: int | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    quiet: bool,
) -> None:
    """Render each SCRIPT into OUT_DIR/<slug>.mp3."""
    from qacast.config import load_show
    from qacast.pipeline import RenderEnv, render_episode
    from qacast.voices.cache import SynthesisCache
    from qacast.voices.pool import SynthesisPool
    from qacast.voices.presets import load_preset, preset_path

    say = _say(quiet)
    worker_count = _jobs(jobs)
    show = load_show(_show_dir_for(scripts[0]))
    preset_name = voices or show.voices
    path = preset_path(show.show_dir / "voices", preset_name)
    if not path.exists() and preset_name == "default":
        path = BUILTIN_PRESET
    preset = load_preset(path)
    formats = _formats(format_names or ",".join(show.formats), bitrate_kbps)
    cache = None
    if not no_cache:
        cache = SynthesisCache(
            cache_dir or out_dir / ".cache",
            warn=lambda m: click.echo(f"qacast: warning: {m}", err=True),
        )
    # Workers boot (a second Python each) while the script is parsed and the
    # cache consulted; when everything is cached they are simply not used.
    pools = [SynthesisPool(worker_count)]

    def pool() -> SynthesisPool:
        return pools[0]

    try:
        for script in scripts:
            rendered = render_episode(
                script,
                RenderEnv(
                    out_dir=out_dir,
                    preset=preset,
                    formats=formats,
                    show_title=show.title,
                    show_author=show.author,
                    pool=pool,
                    cache=cache,
                    on_progress=say,
                ),
            )
            for file in rendered.files:
                click.echo(str(file.path))
    finally:
        for started in pools:
            started.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
