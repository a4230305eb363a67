"""kill -9 at several moments of a real build, then build again: no stray file
anywhere in the show, and every output byte-identical to a clean build made
elsewhere. Also a full disk under out/ (exit 4, one line, nothing half-written).

Each moment is a state of the show folder the test waits for (the lock taken,
a work folder made, clips cached, the first episode renamed into out/...), so
the kill lands at a known stage of the build, not after some guessed delay.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from build_helpers import make_show, qacast_command, run_qacast
from process_group import wait_until_gone

from qacast.errors import ExitStatus

Moment = Callable[[Path], bool]


def _any(pattern: str, minimum: int = 1) -> Moment:
    def reached(show: Path) -> bool:
        return any(count >= minimum for count, _ in enumerate(show.glob(pattern), start=1))

    return reached


MOMENTS: dict[str, Moment] = {
    "lock-taken": _any(".qacast/build.lock"),
    "identities-recorded": _any(".qacast/identities.json"),
    "work-folder-made": _any(".qacast/work/*"),
    "clips-cached": _any(".qacast/cache/*/*.clip", minimum=4),
    "programme-assembled": _any(".qacast/work/*/programme.pcm"),
    "first-episode-published": _any("out/*.mp3"),
    "sidecars-written": _any("out/*.vtt"),
    "site-written": _any("out/index.html"),
}


def all_files(show: Path) -> dict[str, bytes]:
    """Every file in the show folder: relative path -> bytes, with the build
    state's file-metadata stamps (inodes, mtimes: never the same in two
    folders) left out, so only what the content decides is compared."""
    return {
        path.relative_to(show).as_posix(): content_of(path)
        for path in sorted(show.rglob("*"))
        if path.is_file()
    }


def content_of(path: Path) -> bytes:
    """The bytes that matter. The day a build ran (first_built) is left out
    too: this build and the clean one may fall on two sides of midnight.
    The scripts give their dates; tests/builds/test_identity_allocation.py checks
    first days with the build's clock fixed."""
    if path.name in METADATA_ONLY:
        return b""  # present or not is compared, not its bytes
    if path.suffix == ".json" and path.parent.name == "state":
        record = json.loads(path.read_text(encoding="utf-8"))
        record.pop("stamp", None)
        record.pop("first_built", None)
        return json.dumps(record, sort_keys=True).encode()
    if path.name == "identities.json":
        identities = json.loads(path.read_text(encoding="utf-8"))
        for identity in identities.values():
            identity.pop("first_built", None)
        return json.dumps(identities, sort_keys=True).encode()
    return path.read_bytes()


# Keyed by file metadata: the parsed scripts, the feed and site's stamp, the checked cover.
METADATA_ONLY = {"parsed.pickle", "published.stamp", "cover.checked"}


def clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("QACAST_CACHE_DIR", None)  # the show's own .qacast/cache: part of what is checked
    return env


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The show built once, cold, with nothing interrupted."""
    show = make_show(tmp_path_factory.mktemp("clean"))
    result = run_qacast("build", show)
    assert result.returncode == 0, result.stderr
    return all_files(show)


def kill_at(show: Path, moment: Moment) -> bool:
    """Start a build, SIGKILL its whole process group when ``moment`` is reached.
    False when the build finished first (the moment was never seen)."""
    build = subprocess.Popen(
        [*qacast_command(), "build", str(show), "-q"],
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: speech processes and ffmpeg included
    )
    try:
        while build.poll() is None:
            if moment(show):
                os.killpg(build.pid, signal.SIGKILL)
                build.wait()
                return True
            time.sleep(0.002)  # how often to look, not how long to wait
        return False
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
        # The rest of the group (ffmpeg, the speech server) got the SIGKILL
        # too; the next build starts once none of them runs any more.
        wait_until_gone(build.pid)


@pytest.mark.parametrize(
    "moment",
    sorted(MOMENTS),
)
def test_kill_9_then_build_gives_a_clean_build(
    tmp_path: Path, clean_build: dict[str, bytes], moment: str
) -> None:
    show = make_show(tmp_path)
    killed = kill_at(show, MOMENTS[moment])
    if not killed:
        pytest.skip(f"the build finished before {moment} was seen")  # pragma: no cover
    # Even before the next build tidies up, the killed one left nothing in
    # out/ but finished files: its work and temporary files are in .qacast/.
    out_dir = show / "out"
    assert not out_dir.exists() or [p.name for p in out_dir.rglob(".*")] == []
    again = run_qacast("build", show, "-q")
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    files = all_files(show)
    # What is published, then the build state, then the cache: the first
    # difference found says the most.
    for area in ("out/", ".qacast/state/", ".qacast/"):
        mine = {name: data for name, data in files.items() if name.startswith(area)}
        clean = {name: data for name, data in clean_build.items() if name.startswith(area)}
        stray, missing = sorted(set(mine) - set(clean)), sorted(set(clean) - set(mine))
        assert (stray, missing) == ([], []), f"{area}: stray {stray}, missing {missing}"
        differing = sorted(name for name in mine if mine[name] != clean[name])
        assert differing == [], f"{area}: {differing}"
    assert sorted(files) == sorted(clean_build)


def test_at_least_five_moments() -> None:
    assert len(MOMENTS) >= 5


# --- a full disk ---------------------------------------------------------------------------


def _mount_tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def test_a_full_disk_under_out_is_exit_4_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    """out/ on a real 64 kB file system: the first episode does not fit."""
    show = make_show(tmp_path)
    out_dir = show / "out"
    out_dir.mkdir()
    if not _mount_tmpfs(out_dir, "64k"):
        pytest.skip("needs root and tmpfs to make a small real file system")
    try:
        result = run_qacast("build", show, "-q", cache_dir=tmp_path / "cache")
        assert result.returncode == ExitStatus.OUTPUT, result.stderr
        (line,) = result.stderr.splitlines()
        assert line.startswith("qacast: error: ") and "No space left" in line
        assert [p.name for p in out_dir.iterdir() if p.name.startswith(".")] == []
        assert [p.name for p in out_dir.iterdir() if p.suffix == ".mp3"] == []
        assert list((show / ".qacast" / "work").iterdir()) == []
    finally:
        subprocess.run(["umount", str(out_dir)], check=False)
    # With room again, the build completes.
    result = run_qacast("build", show, "-q", cache_dir=tmp_path / "cache")
    assert result.returncode == 0, result.stderr


# Sizes that run out at different stages for the two-episode show (measured):
# the programme file, the encoded spans, ffmpeg joining the spans; and one
# that may fit.
SHOW_DISK_SIZES = ("300k", "700k", "1200k", "1400k", "1800k")


def test_a_full_disk_under_the_whole_show_is_exit_4(tmp_path: Path) -> None:
    """The build state, work files and out/ all on one small real file system."""
    failures = 0
    for size in SHOW_DISK_SIZES:
        mount_point = tmp_path / f"disk-{size}"
        mount_point.mkdir()
        if not _mount_tmpfs(mount_point, size):
            pytest.skip("needs root and tmpfs to make a small real file system")
        try:
            show = make_show(mount_point)
            result = run_qacast("build", show, "-q", cache_dir=tmp_path / "cache")
            assert "Traceback" not in result.stderr
            if result.returncode == 0:
                continue
            failures += 1
            assert result.returncode == ExitStatus.OUTPUT, (size, result.stderr)
            (line,) = result.stderr.splitlines()
            assert "No space left on device" in line, line
            assert [p.name for p in (show / "out").rglob(".*")] == []
            assert list((show / ".qacast" / "work").iterdir()) == []
        finally:
            subprocess.run(["umount", str(mount_point)], check=False)
    # The sizes are meant to run out at several stages (state, clips, episode
    # files); how many do depends on what a build writes, so at least two.
    assert failures >= 2
