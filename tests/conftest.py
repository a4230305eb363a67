"""Shared fixtures: real renders, read back with tools that did not write them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import readback

# The S3 and SFTP servers of the publish tests, started once a session when asked for.
pytest_plugins = ["publish_servers"]

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "scripts" / "mvp-interview.txt"
DEFAULT_PRESET = REPO / "voices" / "default.toml"


def ffprobe_json(path: Path, *args: str) -> dict[str, Any]:
    """ffprobe's JSON for ``args``: Debian's ffprobe when installed, else PyAV (readback.py)."""
    return readback.probe(path, *args)


def decode_to_float(path: Path, rate_hz: int = 22050) -> Any:
    """Decode any audio file to mono float samples, by a decoder qacast did not run."""
    return readback.decode_s16(path, rate_hz).astype(np.float64) / 32768.0


# How many of the slowest test files the end of a run names: where a full run's
# minutes go (and so which file to run alone while working on it).
SLOWEST_FILES_SHOWN = 8


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which reader checked the outputs, even under -q (the header is hidden then),
    and which test files took longest."""
    terminalreporter.write_line(readback.reader_description())
    seconds_by_file: dict[str, float] = defaultdict(float)
    for reports in terminalreporter.stats.values():
        for report in reports:
            if isinstance(report, pytest.TestReport):  # setup, call and teardown each
                seconds_by_file[report.nodeid.split("::")[0]] += report.duration
    if len(seconds_by_file) > SLOWEST_FILES_SHOWN:
        slowest = sorted(seconds_by_file.items(), key=lambda item: -item[1])
        terminalreporter.write_line(f"slowest test files (of {len(seconds_by_file)}):")
        for path, seconds in slowest[:SLOWEST_FILES_SHOWN]:
            terminalreporter.write_line(f"  {seconds:6.0f} s  {path}")


@pytest.fixture(scope="session")
def render_script(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Any]:
    """Render a script for real once per session and input; returns (RenderedEpisode, out_dir)."""
    from qacast.audio.encode import encode_settings
    from qacast.audio.loudness import LoudnessTarget
    from qacast.config import ShowConfig
    from qacast.pipeline import RenderResources, RenderSettings, render_episode
    from qacast.voices.cache import SynthesisCache
    from qacast.voices.pool import SynthesisPool
    from qacast.voices.presets import load_preset

    done: dict[tuple[Path, str], Any] = {}
    pools: list[SynthesisPool] = []
    cache_dir = tmp_path_factory.mktemp("cache")

    def pool() -> SynthesisPool:
        if not pools:
            pools.append(SynthesisPool(2))
        return pools[0]

    def render(script: Path, formats: str = "mp3", **show_fields: Any) -> Any:
        key = (script, formats, tuple(sorted(show_fields.items())))
        if key not in done:
            out_dir = tmp_path_factory.mktemp("out")
            settings = RenderSettings(
                show=ShowConfig(
                    title="Test Show", author="Test Author", show_dir=REPO, **show_fields
                ),
                preset=load_preset(DEFAULT_PRESET),
                formats=tuple(encode_settings(f) for f in formats.split(",")),
                loudness=LoudnessTarget(-19.0, -1.0),
            )
            resources = RenderResources(out_dir, pool=pool, clips=SynthesisCache(cache_dir))
            done[key] = (render_episode(script, settings, resources), out_dir)
        return done[key]

    yield render
    for started in pools:
        started.close()
