"""An episode's number, guid and date stay what they were when it was first
published: adding, renaming or removing other scripts changes nothing about it,
not even a byte of its files. Built by the real CLI, read back from out/."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from build_helpers import build, make_show, run_qacast, session_cache
from held_lock import lock_held_elsewhere
from mutagen.id3 import ID3

from qacast.audio.spans import span_store
from qacast.build import plan_scripts
from qacast.config import load_show
from qacast.errors import ExitStatus, OutputError
from qacast.manifest import Identity, StateLayout
from qacast.prune import prune_cache
from qacast.voices.cache import SynthesisCache

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_cache(tmp_path_factory)


def unnumbered(show_dir: Path) -> None:
    """Scripts that give no number or date: neither front matter nor file name does."""
    scripts = show_dir / "scripts"
    for old, new in (("01-radios.txt", "radios.txt"), ("02-escaping.txt", "escaping.txt")):
        text = (scripts / old).read_text(encoding="utf-8")
        text = re.sub(r"(?m)^(episode|date): .*\n", "", text)
        (scripts / new).write_text(text, encoding="utf-8")
        (scripts / old).unlink()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Path:
    """Two episodes numbered by the build (escaping 1, radios 2: by file name)."""
    show_dir = make_show(tmp_path_factory.mktemp("identity"))
    unnumbered(show_dir)
    build(show_dir, cache_dir)
    return show_dir


def copy_built(reference: Path, tmp_path: Path) -> Path:
    show = tmp_path / "show"
    shutil.copytree(reference, show, symlinks=True)
    return show


def episode_files(out_dir: Path, slug: str) -> dict[str, bytes]:
    """Every file of one episode in out/: audio, sidecars, image, page."""
    return {
        path.name: path.read_bytes()
        for path in sorted(out_dir.iterdir())
        if path.is_file() and path.name.split(".")[0] == slug
    }


def feed_items(out_dir: Path) -> dict[str, tuple[str, str, str]]:
    """Enclosure file name -> (itunes:episode, guid, pubDate) as the feed says."""
    channel = ET.parse(out_dir / "feed.xml").getroot().find("channel")
    assert channel is not None
    items = {}
    for item in channel.iter("item"):
        enclosure = item.find("enclosure")
        assert enclosure is not None
        name = enclosure.get("url", "").rsplit("/", 1)[-1]
        items[name] = (
            item.findtext(f"{ITUNES}episode") or "",
            item.findtext("guid") or "",
            item.findtext("pubDate") or "",
        )
    return items


def test_new_episodes_are_numbered_by_file_name(reference: Path) -> None:
    items = feed_items(reference / "out")
    assert items["escaping.mp3"][0] == "1"
    assert items["radios.mp3"][0] == "2"


def test_adding_a_script_changes_no_other_episode(
    reference: Path, tmp_path: Path, cache_dir: Path
) -> None:
    show = copy_built(reference, tmp_path)
    out = show / "out"
    before = {slug: episode_files(out, slug) for slug in ("radios", "escaping")}
    items_before = feed_items(out)
    # Sorts first, so by place among the scripts it would have been episode 1.
    bonus = (show / "scripts" / "radios.txt").read_text(encoding="utf-8")
    (show / "scripts" / "aardvark-bonus.txt").write_text(
        bonus.replace("Fixing Radios", "Aardvark Bonus"), encoding="utf-8"
    )
    result = build(show, cache_dir)
    assert "built 1, unchanged 2" in result.stdout + result.stderr
    for slug, files in before.items():
        assert episode_files(out, slug) == files, slug
    items = feed_items(out)
    for name, item in items_before.items():
        assert items[name] == item, name
    assert items["aardvark-bonus.mp3"][0] == "3"


def test_renaming_a_script_is_a_new_episode_and_leaves_the_others(
    reference: Path, tmp_path: Path, cache_dir: Path
) -> None:
    show = copy_built(reference, tmp_path)
    out = show / "out"
    radios = episode_files(out, "radios")
    radios_item = feed_items(out)["radios.mp3"]
    (show / "scripts" / "escaping.txt").rename(show / "scripts" / "escape.txt")
    result = build(show, cache_dir)
    assert "built 1, unchanged 1" in result.stdout + result.stderr
    assert episode_files(out, "radios") == radios
    assert episode_files(out, "escaping") == {}  # the old name's files are gone
    items = feed_items(out)
    assert items["radios.mp3"] == radios_item
    # A new episode: the next number after the highest the show uses, a new guid.
    assert items["escape.mp3"][0] == "3"
    assert items["escape.mp3"][1] != radios_item[1]


def test_removing_a_script_leaves_the_others(
    reference: Path, tmp_path: Path, cache_dir: Path
) -> None:
    show = copy_built(reference, tmp_path)
    out = show / "out"
    radios = episode_files(out, "radios")
    radios_item = feed_items(out)["radios.mp3"]
    (show / "scripts" / "escaping.txt").unlink()
    result = build(show, cache_dir)
    assert "built 0, unchanged 1" in result.stdout + result.stderr
    assert episode_files(out, "radios") == radios
    assert feed_items(out) == {"radios.mp3": radios_item}


def test_a_published_guid_survives_a_new_guid_namespace(
    reference: Path, tmp_path: Path, cache_dir: Path
) -> None:
    show = copy_built(reference, tmp_path)
    items = feed_items(show / "out")
    config = show / "qacast.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^guid_namespace = ".*"$',
                  'guid_namespace = "0c6f3a52-9a51-4f7e-8d3b-5f0e1c2d3a4b"', text)  # fmt: skip
    config.write_text(text, encoding="utf-8")
    build(show, cache_dir)
    assert feed_items(show / "out") == items


def test_no_cache_renders_every_episode(reference: Path, tmp_path: Path, cache_dir: Path) -> None:
    show = copy_built(reference, tmp_path)
    before = {slug: episode_files(show / "out", slug) for slug in ("radios", "escaping")}
    result = build(show, cache_dir, "--no-cache")
    assert "built 2, unchanged 0" in result.stdout + result.stderr
    # Rendered afresh, and the same bytes: the cache never changes what is said.
    for slug, files in before.items():
        assert episode_files(show / "out", slug) == files, slug


# --- qacast cache prune ----------------------------------------------------------------


def cache_listing(cache: Path) -> dict[str, bytes]:
    return {
        path.relative_to(cache).as_posix(): path.read_bytes()
        for path in sorted(cache.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def pruned_show(reference: Path, tmp_path: Path, cache_dir: Path) -> tuple[Path, Path]:
    """A copy of the built show with a cache of its own holding two unused entries."""
    show = copy_built(reference, tmp_path)
    cache = tmp_path / "cache"
    shutil.copytree(cache_dir, cache)
    clips = SynthesisCache(cache)
    clips.put_entry("ab" * 32, 22050, b"\0" * 100_000)
    span_store(clips).put_entry("cd" * 32, 3, b"\1" * 50_000)
    return show, cache


def recorded_keys(show: Path) -> set[str]:
    keys: set[str] = set()
    for record in (show / ".qacast" / "state").glob("*.json"):
        keys.update(json.loads(record.read_text(encoding="utf-8"))["cache_keys"])
    return keys


def test_cache_prune_drops_unused_entries_and_keeps_used_ones(
    pruned_show: tuple[Path, Path],
) -> None:
    show, cache = pruned_show
    used = recorded_keys(show)
    assert used  # the build recorded the clips and spans each episode used
    result = run_qacast("cache", "prune", show, "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    match = re.fullmatch(
        r"freed ([\d,]+\.\d) MB \(([\d,]+) entries\); kept ([\d,]+) entries\n", result.stdout
    )
    assert match, result.stdout
    assert float(match[1].replace(",", "")) >= 0.1  # at least the two made-up entries
    assert int(match[3].replace(",", "")) == len(used)
    left = {Path(name).name.split(".")[0] for name in cache_listing(cache)}
    assert left == used
    # Nothing to synthesize or encode: every episode rendered again from the pruned
    # cache has the bytes it had, and the cache gains no entry.
    before = {slug: episode_files(show / "out", slug) for slug in ("radios", "escaping")}
    for slug in before:
        for path in (show / "out").glob(f"{slug}.*"):
            path.unlink()
    entries = cache_listing(cache)
    result = build(show, cache)
    assert "built 2, unchanged 0" in result.stdout + result.stderr
    assert cache_listing(cache) == entries
    for slug, files in before.items():
        assert episode_files(show / "out", slug) == files, slug


def test_cache_prune_refuses_when_a_record_does_not_know_its_entries(
    pruned_show: tuple[Path, Path],
) -> None:
    show, cache = pruned_show
    record = show / ".qacast" / "state" / "radios.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["cache_keys"] = None
    record.write_text(json.dumps(data), encoding="utf-8")
    entries = cache_listing(cache)
    result = run_qacast("cache", "prune", show, "--cache-dir", cache)
    assert result.returncode == ExitStatus.BAD_INPUT
    assert "radios" in result.stderr and "Traceback" not in result.stderr
    assert cache_listing(cache) == entries


def test_a_date_in_the_text_dates_the_tag_and_the_feed(
    reference: Path, tmp_path: Path, cache_dir: Path
) -> None:
    show = copy_built(reference, tmp_path)
    script = show / "scripts" / "radios.txt"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("Fixing Radios\n", "Fixing Radios\n\nPosted on March 4, 2024\n"),
                      encoding="utf-8")  # fmt: skip
    build(show, cache_dir)
    tags = ID3(show / "out" / "radios.mp3")
    assert str(tags["TDRC"].text[0]).startswith("2024-03-04")
    pub_date = feed_items(show / "out")["radios.mp3"][2]
    assert email.utils.parsedate_to_datetime(pub_date).date() == dt.date(2024, 3, 4)


def test_cache_prune_never_deletes_while_a_build_holds_the_lock(
    pruned_show: tuple[Path, Path],
) -> None:
    show, cache = pruned_show
    entries = cache_listing(cache)
    with (
        lock_held_elsewhere(StateLayout.of_show(show).lock),
        pytest.raises(OutputError, match="another build of this show holds"),
    ):
        prune_cache(show, cache, wait_s=0.2)
    assert cache_listing(cache) == entries


# --- numbering rules, on the plan alone ------------------------------------------------


def test_numbering_precedence(tmp_path: Path) -> None:
    """Front matter, then the file name's number, then the record; new ones after the
    highest, in file-name order; a record from before numbers were kept: its place."""
    scripts = tmp_path / "show" / "scripts"
    scripts.mkdir(parents=True)
    body = "Q: How did you start?\n\nA: With radios.\n"
    files = {
        "a-new.txt": body,
        "b-front.txt": "---\nepisode: 7\n---\n" + body,
        "c-recorded.txt": body,
        "d-legacy.txt": body,
        "e-new.txt": body,
        "012-named.txt": body,
        "b-draft.txt": "---\ndraft: true\n---\n" + body,  # takes no number
    }
    for name, text in files.items():
        (scripts / name).write_text(text, encoding="utf-8")
    (tmp_path / "show" / "qacast.toml").write_text('title = "T"\nauthor = "A"\n')
    show = load_show(tmp_path / "show")

    def record(number: int | None) -> Identity:
        return Identity(number, "", dt.date(2024, 1, 1))

    recorded = {"c-recorded": record(20), "d-legacy": record(None)}
    plans = plan_scripts(show, sorted(scripts.iterdir()), recorded)
    numbers = {plan.slug: plan.number for plan in plans}
    assert numbers == {
        "012-named": 12,
        "a-new": 21,
        "b-front": 7,
        "c-recorded": 20,
        "b-draft": None,
        "d-legacy": 6,  # its place among the scripts
        "e-new": 22,
    }
    assert all(p.episode and p.episode.meta.episode_number == p.number for p in plans)
