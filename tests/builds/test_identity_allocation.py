"""An episode's number, guid and date are fixed by the first build that sets
out to publish it, whether that build finishes or not.

Builds run in this process with the build's clock given (``today``), so a
first build stopped on one day and finished on the next shows which day an
undated episode keeps. The build is stopped by a KeyboardInterrupt from its
renderer after some episodes, the way Ctrl-C stops it; scripts are added or
removed before the next build, as a producer might. The outcome is compared
with builds that were never stopped, made the same days with the same edits.
(tests/builds/test_interrupted_numbering.py does the same with real signals.)
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mutagen.id3 import ID3

from qacast.audio.encode import encode_settings
from qacast.audio.loudness import LoudnessTarget
from qacast.build import BuildOptions, BuildReport, Renderer, build_show, render_locally
from qacast.config import load_show
from qacast.manifest import Identity, StateLayout, load_identities
from qacast.pipeline import RenderResources, RenderSettings
from qacast.scaffold import init_show
from qacast.voices.cache import SynthesisCache
from qacast.voices.pool import SynthesisPool
from qacast.voices.presets import load_preset

from conftest import DEFAULT_PRESET

DAY_ONE, DAY_TWO = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
# Longer ones sort later: the build renders them first.
SCRIPTS = {"apple": 1, "birch": 1, "cedar": 2, "dogwood": 3}
EXTRA = "aardvark"  # a script added later, sorting before the others


SCRIPT = """\
---
cast:
  H: {{name: Ada Host, role: interviewer}}
  G: {{name: Ben Guest, role: interviewee}}
---
About {name}

H: What is {name}?

{answers}
"""


def script_text(name: str, answers: int) -> str:
    lines = "\n\n".join(f"G: {name.title()} is word {n} of {answers}." for n in range(answers))
    return SCRIPT.format(name=name, answers=lines)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new show with undated, unnumbered scripts; copies share its guid namespace."""
    show = tmp_path_factory.mktemp("template") / "show"
    init_show(show)
    for path in (show / "scripts").iterdir():
        path.unlink()
    for name, answers in SCRIPTS.items():
        (show / "scripts" / f"{name}.txt").write_text(script_text(name, answers), encoding="utf-8")
    return show


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> SynthesisCache:
    """One cache for every build here: it changes no byte, only the time taken."""
    return SynthesisCache(tmp_path_factory.mktemp("cache"))


def stopping_after(episodes: int) -> Renderer:
    """Renders as a build does, until ``episodes`` are done; then Ctrl-C."""
    done: list[Path] = []

    def render(script: Path, *args: Any) -> object:
        if len(done) >= episodes:
            raise KeyboardInterrupt
        rendered = render_locally(script, *args)
        done.append(script)
        return rendered

    return render  # type: ignore[return-value]


def build(
    show_dir: Path, cache: SynthesisCache, today: dt.date, render: Renderer = render_locally
) -> BuildReport:
    with SynthesisPool(1) as pool:
        settings = RenderSettings(
            load_show(show_dir),
            load_preset(DEFAULT_PRESET),
            (encode_settings("mp3"),),
            LoudnessTarget(),
        )
        resources = RenderResources(show_dir / "out", pool=lambda: pool, clips=cache)
        return build_show(settings, resources, BuildOptions(today, render=render))


Edit = Callable[[Path], None]


def add_a_script(show: Path) -> None:
    (show / "scripts" / f"{EXTRA}.txt").write_text(script_text(EXTRA, 1), encoding="utf-8")


def remove(name: str) -> Edit:
    def edit(show: Path) -> None:
        (show / "scripts" / f"{name}.txt").unlink()

    return edit


EDITS: dict[str, Edit] = {
    "nothing": lambda show: None,
    "a-script-added": add_a_script,
    "the-first-rendered-removed": remove("dogwood"),  # the longest
    "a-last-rendered-removed": remove("birch"),
}


def published(show: Path) -> dict[str, tuple[str, str, dt.date, str]]:
    """Enclosure -> (itunes:episode, guid, pubDate's day, the MP3's date tag)."""
    channel = ET.parse(show / "out" / "feed.xml").getroot().find("channel")
    assert channel is not None
    items = {}
    for item in channel.iter("item"):
        enclosure = item.find("enclosure")
        assert enclosure is not None
        name = enclosure.get("url", "").rsplit("/", 1)[-1]
        day = email.utils.parsedate_to_datetime(item.findtext("pubDate") or "").date()
        tag = str(ID3(show / "out" / name)["TDRC"].text[0])
        items[name] = (
            item.findtext(f"{ITUNES}episode") or "",
            item.findtext("guid") or "",
            day,
            tag,
        )
    return items


def out_files(show: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((show / "out").iterdir()) if p.is_file()}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("finished", [0, 2])
def test_a_build_stopped_on_day_one_and_finished_on_day_two_publishes_day_ones_episodes(
    tmp_path: Path, template: Path, cache: SynthesisCache, finished: int, edit: str
) -> None:
    stopped = tmp_path / "stopped" / "show"
    shutil.copytree(template, stopped)
    with pytest.raises(KeyboardInterrupt):
        build(stopped, cache, DAY_ONE, stopping_after(finished))
    EDITS[edit](stopped)
    report = build(stopped, cache, DAY_TWO)
    assert not report.failed

    clean = tmp_path / "clean" / "show"
    shutil.copytree(template, clean)
    build(clean, cache, DAY_ONE)
    EDITS[edit](clean)
    build(clean, cache, DAY_TWO)

    assert load_identities(StateLayout.of_show(stopped)) == load_identities(
        StateLayout.of_show(clean)
    )
    assert published(stopped) == published(clean)
    assert out_files(stopped) == out_files(clean)
    # Every episode of the first build dates from day one; one added later, from day two.
    for name, (_, _, day, tag) in published(stopped).items():
        expected = DAY_TWO if name.startswith(EXTRA) else DAY_ONE
        assert (day, tag) == (expected, expected.isoformat()), name


def test_identities_are_recorded_before_anything_renders(
    tmp_path: Path, template: Path, cache: SynthesisCache
) -> None:
    show = tmp_path / "show"
    shutil.copytree(template, show)
    with pytest.raises(KeyboardInterrupt):
        build(show, cache, DAY_ONE, stopping_after(0))
    assert not list((show / ".qacast" / "state").glob("*.json"))  # no episode was published
    recorded = load_identities(StateLayout.of_show(show))
    assert {slug: identity.number for slug, identity in recorded.items()} == {
        name: number for number, name in enumerate(SCRIPTS, start=1)
    }
    assert {identity.first_built for identity in recorded.values()} == {DAY_ONE}


def test_a_draft_takes_no_identity_until_it_is_published(
    tmp_path: Path, template: Path, cache: SynthesisCache
) -> None:
    """A draft's first day is the day it is first built as an episode, not
    the day a build first saw it."""
    show = tmp_path / "show"
    shutil.copytree(template, show)
    draft = show / "scripts" / f"{EXTRA}.txt"
    draft.write_text(
        script_text(EXTRA, 1).replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8"
    )
    build(show, cache, DAY_ONE)
    assert EXTRA not in load_identities(StateLayout.of_show(show))
    draft.write_text(script_text(EXTRA, 1), encoding="utf-8")
    build(show, cache, DAY_TWO)
    assert load_identities(StateLayout.of_show(show))[EXTRA].first_built == DAY_TWO
    assert load_identities(StateLayout.of_show(show))[EXTRA].number == len(SCRIPTS) + 1


def test_a_show_built_before_identities_were_recorded_keeps_its_episodes(
    tmp_path: Path, template: Path, cache: SynthesisCache
) -> None:
    """Only the episode records know the identities: the next build takes
    them from there, renders nothing and changes no byte."""
    show = tmp_path / "show"
    shutil.copytree(template, show)
    build(show, cache, DAY_ONE)
    state = StateLayout.of_show(show)
    before = load_identities(state), out_files(show)
    state.identities.unlink()
    report = build(show, cache, DAY_TWO)
    assert report.rendered == ()
    assert (load_identities(state), out_files(show)) == before


def test_a_damaged_identities_file_falls_back_on_the_records(
    tmp_path: Path, template: Path, cache: SynthesisCache
) -> None:
    show = tmp_path / "show"
    shutil.copytree(template, show)
    build(show, cache, DAY_ONE)
    state = StateLayout.of_show(show)
    before = load_identities(state)
    data = json.loads(state.identities.read_text(encoding="utf-8"))
    data["apple"] = {"number": "one"}  # not an identity
    state.identities.write_text(json.dumps(data), encoding="utf-8")
    assert load_identities(state) == {s: i for s, i in before.items() if s != "apple"}
    state.identities.write_text("{ not json", encoding="utf-8")
    assert load_identities(state) == {}
    report = build(show, cache, DAY_TWO)
    assert report.rendered == ()
    assert load_identities(state) == before
    assert all(isinstance(identity, Identity) for identity in before.values())


def test_a_script_whose_render_failed_keeps_its_number(
    tmp_path: Path, template: Path, cache: SynthesisCache
) -> None:
    """Given a number by the build in which it failed, it is published with
    that number once fixed, though a script added meanwhile sorts before it."""
    show = tmp_path / "show"
    shutil.copytree(template, show)
    script = show / "scripts" / "cedar.txt"
    good = script.read_text(encoding="utf-8")
    script.write_text(
        good.replace("role: interviewee}", "role: interviewee, voice: zz-nope}"), encoding="utf-8"
    )
    report = build(show, cache, DAY_ONE)
    assert [line.split(":")[0] for line in report.failed] == ["cedar.txt"]
    add_a_script(show)
    script.write_text(good, encoding="utf-8")
    build(show, cache, DAY_TWO)
    numbers = {name: item[0] for name, item in published(show).items()}
    assert numbers == {"apple.mp3": "1", "birch.mp3": "2", "cedar.mp3": "3", "dogwood.mp3": "4",
                       f"{EXTRA}.mp3": "5"}  # fmt: skip
    assert published(show)["cedar.mp3"][2] == DAY_ONE
