"""`qacast build --dask-scheduler`: the same bytes as a local build, or a clear refusal."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

QACAST = [sys.executable, "-m", "qacast.cli"]


def qacast(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*QACAST, *map(str, args)], capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def files_of(out_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out_dir.iterdir()) if p.is_file()}


def test_cluster_build_gives_the_bytes_of_a_local_build(tmp_path: Path, scheduler: str) -> None:
    show = tmp_path / "show"
    assert qacast("init", show).returncode == 0
    script = show / "scripts" / "building-things-together.txt"
    second = show / "scripts" / "second-talk.txt"
    second.write_text(
        script.read_text(encoding="utf-8").replace("episode: 1", "episode: 2")
        .replace("Building Things Together", "A Second Talk"),
        encoding="utf-8",
    )  # fmt: skip
    # The show's lexicon travels with the job: a worker says "radios" its way too.
    (show / "voices" / "lexicon.toml").write_text('radios = "ray dee ohs"\n', encoding="utf-8")
    local = tmp_path / "local"
    shutil.copytree(show, local)

    remote = qacast("build", show, "--dask-scheduler", scheduler, "--no-cache")
    assert remote.returncode == 0, remote.stderr
    assert "built 2" in remote.stderr
    # Locally with a cache: the two episodes share most sentences, so the
    # second takes clips the first synthesized (with other sentences around
    # them), while each Dask worker synthesizes its episode's on its own.
    here = qacast("build", local)
    assert here.returncode == 0, here.stderr

    remote_files, local_files = files_of(show / "out"), files_of(local / "out")
    assert sorted(remote_files) == sorted(local_files)
    assert {n for n in remote_files if n.endswith(".mp3")} == {
        "building-things-together.mp3",
        "second-talk.mp3",
    }
    for name, data in remote_files.items():
        assert data == local_files[name], name


def test_an_unreachable_scheduler_is_a_quick_clear_error(tmp_path: Path) -> None:
    show = tmp_path / "show"
    assert qacast("init", show).returncode == 0
    # The client gives up after remote.CONNECT_TIMEOUT_S (8 s); no timing is
    # asserted here (the machine is shared), only that it ends with one line.
    result = qacast("build", show, "--dask-scheduler", "tcp://127.0.0.1:9")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "tcp://127.0.0.1:9" in lines[0], result.stderr
    assert list((show / "out").iterdir()) == []  # nothing written
