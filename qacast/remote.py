"""Rendering episodes on a Dask cluster (``qacast build --dask-scheduler``).

A task carries everything an episode's render reads (the script, the show's
settings, the cast preset, cover and music bytes), so workers need qacast
installed but no access to the show folder. On the worker the render runs in a
fresh ``python -m qacast.remote`` process: Dask's worker processes are daemons
that may not start the speech processes, and the render must be the very same
code path as a local build so that the bytes come out the same. The client
writes the returned files into out/ atomically, exactly as a local build would.

Nothing here imports Dask unless a scheduler is given.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qacast.errors import EngineError, QacastError
from qacast.fsutil import atomic_write_bytes
from qacast.models import EpisodeFile
from qacast.pipeline import render_episode
from qacast.progress import QuietProgress
from qacast.voices.cache import SynthesisCache
from qacast.voices.pool import SynthesisPool

CONNECT_TIMEOUT_S = 8  # the promise is a clear message within 10 s
JOB_FILE = "job.pickle"
RESULT_FILE = "result.pickle"


@dataclass(frozen=True)
class RemoteJob:
    script_name: str
    script: bytes
    position: int
    env: Any  # a RenderEnv with its callables and paths stripped (see make_job)
    assets: dict[str, bytes]  # show-relative path -> bytes, for the music files


@dataclass(frozen=True)
class RemoteResult:
    rendered: Any  # RenderedEpisode with paths relative to out/
    files: dict[str, bytes]  # file name in out/ -> bytes
    error: QacastError | None = None  # a bad script, not a broken cluster


def make_job(script: Path, position: int, env: Any) -> RemoteJob:
    show = env.show
    assets = {
        source: (show.show_dir / source).read_bytes()
        for source in show.music.values()
        if source and (show.show_dir / source).is_file()
    }
    portable = dataclasses.replace(
        env,
        show=dataclasses.replace(show, cover=None),  # the cover travels as env.cover bytes
        pool=None,
        clips=None,  # the worker keeps its own stores
        spans=None,
        progress=None,
        encoders=None,  # a lock does not travel; the worker makes its own
        work_root=None,  # a path of this machine: the worker uses its own temporary folder
    )
    return RemoteJob(script.name, script.read_bytes(), position, portable, assets)


def run_job(job: RemoteJob) -> RemoteResult:
    """Runs on a Dask worker: render in a fresh process, return the files."""
    with tempfile.TemporaryDirectory(prefix="qacast-remote-") as tmp:
        work = Path(tmp)
        (work / JOB_FILE).write_bytes(pickle.dumps(job))
        done = subprocess.run(
            [sys.executable, "-m", "qacast.remote", str(work)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not (work / RESULT_FILE).exists():
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise RuntimeError(f"remote render of {job.script_name} failed: {lines[-1:]}")
        result: RemoteResult = pickle.loads((work / RESULT_FILE).read_bytes())
        return result


def _render_here(work: Path) -> None:
    """The worker-side process: rebuild the show around the job and render it."""
    job: RemoteJob = pickle.loads((work / JOB_FILE).read_bytes())
    show_dir, out_dir = work / "show", work / "out"
    (show_dir / "scripts").mkdir(parents=True)
    script = show_dir / "scripts" / job.script_name
    script.write_bytes(job.script)
    for relative, data in job.assets.items():
        (show_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (show_dir / relative).write_bytes(data)
    pools: list[SynthesisPool] = []

    def pool() -> SynthesisPool:
        if not pools:
            pools.append(SynthesisPool(_cpu_count()))
        return pools[0]

    env = dataclasses.replace(
        job.env,
        show=dataclasses.replace(job.env.show, show_dir=show_dir),
        out_dir=out_dir,
        pool=pool,
        clips=SynthesisCache(work / "cache"),
        spans=None,  # beside the clips
        progress=QuietProgress(),
        encoders=threading.BoundedSemaphore(_cpu_count()),
    )
    try:
        rendered = render_episode(script, env, default_number=job.position)
    except QacastError as err:
        result = RemoteResult(rendered=None, files={}, error=err)
    else:
        files = {p.name: p.read_bytes() for p in out_dir.iterdir() if p.is_file()}
        result = RemoteResult(rendered=_relative(rendered, out_dir), files=files)
    finally:
        for started in pools:
            started.close()
    (work / RESULT_FILE).write_bytes(pickle.dumps(result))


def _cpu_count() -> int:
    return os.cpu_count() or 1


def _relative(rendered: Any, out_dir: Path) -> Any:
    def rel(path: Path) -> Path:
        return path.relative_to(out_dir)

    return dataclasses.replace(
        rendered,
        files=tuple(dataclasses.replace(f, path=rel(f.path)) for f in rendered.files),
        sidecars={kind: rel(path) for kind, path in rendered.sidecars.items()},
        cover=rel(rendered.cover),
    )


class DaskRenderer:
    """Renders episodes as tasks on an existing Dask cluster; writes results locally."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError as err:
            raise EngineError("--dask-scheduler needs Dask: pip install 'qacast[dask]'") from err
        try:
            self._client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise EngineError(f"cannot reach the Dask scheduler at {address}: {err}") from None

    def close(self) -> None:
        self._client.close()

    def renderer(self, out_dir: Path) -> Callable[[Path, Any, int], Any]:
        def render(script: Path, env: Any, position: int) -> Any:
            future = self._client.submit(
                run_job, make_job(script, position, env), pure=False, key=f"qacast-{script.name}"
            )
            try:
                result: RemoteResult = future.result()
            except Exception as err:  # the cluster's failure, not the script's
                raise EngineError(f"the cluster could not render {script.name}: {err}") from err
            if result.error:
                raise result.error  # the worker's own one-line message and exit code
            for name, data in sorted(result.files.items()):
                atomic_write_bytes(out_dir / name, data)
            rendered = result.rendered

            def absolute(path: Path) -> Path:
                return out_dir / path

            return dataclasses.replace(
                rendered,
                files=tuple(
                    EpisodeFile(absolute(f.path), f.mime_type, f.duration_ms, f.size_bytes)
                    for f in rendered.files
                ),
                sidecars={kind: absolute(p) for kind, p in rendered.sidecars.items()},
                cover=absolute(rendered.cover),
            )

        return render


if __name__ == "__main__":
    # Through the importable module, so what is pickled names qacast.remote,
    # not __main__.
    import qacast.remote

    qacast.remote._render_here(Path(sys.argv[1]))
