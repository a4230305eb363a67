"""Whatever state the caches are in, `qacast build` writes the bytes of a clean build.

A show of two short episodes is built cold in one folder (the reference) and
again, with its own cache, in another; then copies of the second are damaged
(clips deleted, bytes flipped in clips and MP3 span files, build state cut
short) and rebuilt. Every file in out/ (dotfiles aside) is compared byte for
byte with the reference. They can only match if a clip's audio does not depend
on which other clips were synthesized with it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from build_helpers import build, make_show

from qacast.manifest import StateLayout

Outputs = dict[str, bytes]


def outputs(show_dir: Path) -> Outputs:
    out_dir = show_dir / "out"
    return {
        path.relative_to(out_dir).as_posix(): path.read_bytes()
        for path in sorted(out_dir.rglob("*"))
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(out_dir).parts)
    }


def assert_same_files(got: Outputs, expected: Outputs) -> None:
    assert sorted(got) == sorted(expected)
    assert {".mp3", ".vtt", ".xml", ".html"} <= {Path(name).suffix for name in got}
    assert [name for name in expected if got[name] != expected[name]] == []


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    root = tmp_path_factory.mktemp("clean")
    show = make_show(root)
    build(show, root / "cache")
    return outputs(show)


@pytest.fixture(scope="module")
def primed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A second cold build, elsewhere: the show and its filled cache."""
    root = tmp_path_factory.mktemp("primed")
    show = make_show(root)
    build(show, root / "cache")
    return show, root / "cache"


@pytest.fixture
def copy(primed: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    show, cache = tmp_path / "show", tmp_path / "cache"
    shutil.copytree(primed[0], show)
    shutil.copytree(primed[1], cache)
    return show, cache


def flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4] = bytes(b ^ 0xFF for b in data[middle : middle + 4])
    path.write_bytes(bytes(data))


def test_two_cold_builds_are_byte_identical(clean: Outputs, primed: tuple[Path, Path]) -> None:
    assert_same_files(outputs(primed[0]), clean)


def test_half_the_clips_deleted(clean: Outputs, copy: tuple[Path, Path]) -> None:
    show, cache = copy
    clips = sorted(cache.rglob("*.clip"))
    assert len(clips) > 5
    for clip in clips[::2]:
        clip.unlink()
    shutil.rmtree(show / "out")
    build(show, cache)
    assert_same_files(outputs(show), clean)


def test_bytes_flipped_in_clips_and_span_files(clean: Outputs, copy: tuple[Path, Path]) -> None:
    show, cache = copy
    clips, spans = sorted(cache.rglob("*.clip")), sorted(cache.rglob("*.frames"))
    assert clips and spans
    damaged = [*clips[1::3], *spans[::2]]
    for path in damaged:
        flip_bytes(path)
    shutil.rmtree(show / "out")
    result = build(show, cache)
    # Each damaged entry is reported (by name), then made again.
    assert [p.name for p in damaged if f"{p.name} is checksum mismatch" not in result.stderr] == []
    assert_same_files(outputs(show), clean)


def test_build_state_truncated(clean: Outputs, copy: tuple[Path, Path]) -> None:
    show, cache = copy
    states = sorted(StateLayout.of_show(show).records.glob("*.json"))
    assert len(states) == 2
    for state in states:
        state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    build(show, cache)
    assert_same_files(outputs(show), clean)


def test_every_fault_at_once_without_a_clean_out(clean: Outputs, copy: tuple[Path, Path]) -> None:
    show, cache = copy
    for clip in sorted(cache.rglob("*.clip"))[1::2]:
        clip.unlink()
    for path in [*sorted(cache.rglob("*.clip"))[::4], *sorted(cache.rglob("*.frames"))]:
        flip_bytes(path)
    state = sorted(StateLayout.of_show(show).records.glob("*.json"))[0]
    state.write_bytes(state.read_bytes()[:10])
    (show / "out" / "02-escaping.mp3").unlink()
    build(show, cache)
    assert_same_files(outputs(show), clean)
