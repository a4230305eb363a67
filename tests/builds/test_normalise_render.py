"""A lexicon change re-renders the episode but re-synthesizes only the sentences it changes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qacast.audio.encode import encode_settings
from qacast.audio.loudness import LoudnessTarget
from qacast.build import BuildOptions, BuildReport, build_show
from qacast.cli import main
from qacast.config import load_show
from qacast.pipeline import RenderResources, RenderSettings
from qacast.scaffold import init_show
from qacast.voices.cache import SynthesisCache
from qacast.voices.pool import SynthesisPool
from qacast.voices.presets import load_preset

from conftest import DEFAULT_PRESET

SCRIPT = "Q: Who runs FCIPS now?\n\nA: It costs $5 a year. Ask Portillo.\n"


def _build(show_dir: Path, cache: SynthesisCache) -> BuildReport:
    with SynthesisPool(1) as pool:
        settings = RenderSettings(
            load_show(show_dir),
            load_preset(DEFAULT_PRESET),
            (encode_settings("mp3"),),
            LoudnessTarget(),
        )
        resources = RenderResources(show_dir / "out", pool=lambda: pool, clips=cache)
        return build_show(settings, resources, BuildOptions(dt.date(2026, 12, 1)))


@pytest.mark.slow
def test_lexicon_change_resynthesizes_only_the_sentence_it_changes(tmp_path: Path) -> None:
    show_dir = tmp_path / "show"
    init_show(show_dir)
    for path in (show_dir / "scripts").iterdir():
        path.unlink()
    (show_dir / "scripts" / "talk.txt").write_text(SCRIPT, encoding="utf-8")
    first = SynthesisCache(tmp_path / "cache")
    report = _build(show_dir, first)
    assert report.rendered == ("talk",) and not report.failed
    assert first.stats.misses == 3 and first.stats.hits == 0

    (show_dir / "voices" / "lexicon.toml").write_text('Portillo = "Por-tee-yo"\n', "utf-8")
    second = SynthesisCache(tmp_path / "cache")
    report = _build(show_dir, second)
    # The episode is rendered again (its speech changed), from two cached sentences.
    assert report.rendered == ("talk",)
    assert (second.stats.misses, second.stats.hits) == (1, 2)

    # What was spoken, as `qacast parse --json` reports it for this show.
    result = CliRunner().invoke(main, ["parse", "--json", str(show_dir / "scripts" / "talk.txt")])
    assert result.exit_code == 0, result.output
    turns = json.loads(result.stdout)["turns"]
    assert [t["speech"] for t in turns] == [
        "Who runs F-C-I-P-S now?",
        "It costs five dollars a year. Ask Por-tee-yo.",
    ]
    assert turns[1]["text"] == "It costs $5 a year. Ask Portillo."
