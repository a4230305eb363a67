"""Rendering episodes on a Dask cluster (``qacast build --dask-scheduler``).

A task carries everything an episode's render reads (the script, the show's
settings, the cast preset, cover, music and lexicon bytes), so workers need qacast
installed but no access to the show folder. On the worker the render runs in a
fresh ``python -m qacast.remote`` process: Dask's worker processes are daemons
that may not start the speech processes, and the render must be the very same
code path as a local build so that the bytes come out the same. The client
writes the returned files into out/ atomically, exactly as a local build would.

Nothing here imports Dask unless a scheduler is given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qacast.errors import EngineError, QacastError
from qacast.fsutil import atomic_write_bytes
from qacast.models import EpisodeFile
from qacast.pipeline import render_episode
from qacast.voices.cache import SynthesisCache
from qacast.voices.pool import SynthesisPool

CONNECT_TIMEOUT_S = 8  # the promise is a clear message within 10 s
JOB_FILE = "job.pickle"
RESULT_FILE = "result.pickle"


@dataclass(frozen=True)
class RemoteJob:
    script_name: str
    script: bytes
    number: int  # the episode's number
    date: dt.date  # tagged when the script gives no date: the day it was first published
    settings: Any  # RenderSettings, the show's folder and cover path of this machine left out
    assets: dict[str, bytes]  # show-relative path -> bytes: the music and the lexicon


@dataclass(frozen=True)
class RemoteResult:
    rendered: Any  # RenderedEpisode with paths relative to out/
    files: dict[str, bytes]  # file name in out/ -> bytes
    error: QacastError | None = None  # a bad script, not a broken cluster


def make_job(script: Path, settings: Any, number: int, date: dt.date) -> RemoteJob:
    from qacast.script.read import front_matter_image
    from qacast.script.speech.lexicon import LEXICON_FILE

    show = settings.show
    # The show's files a render reads besides the script and the cast preset
    # (which travels loaded): its music, and its lexicon.
    files = {source: show.music_file(source) for source in show.music.values() if source}
    files[str(LEXICON_FILE)] = show.show_dir / LEXICON_FILE
    image = front_matter_image(script)  # the worker finds it where it is here, beside the script
    if image is not None:
        beside = image.is_relative_to(script.parent)
        relative = image.relative_to(script.parent if beside else script.parent.parent)
        files[str(Path("scripts") / relative if beside else relative)] = image
    assets = {name: path.read_bytes() for name, path in files.items() if path and path.is_file()}
    # The cover travels as the settings' cover bytes; the worker uses its own
    # folders. Resources (processes, locks, stores) stay here: the worker makes its own.
    portable = dataclasses.replace(settings, show=dataclasses.replace(show, cover=None))
    return RemoteJob(script.name, script.read_bytes(), number, date, portable, assets)


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
    from qacast.render_env import RenderResources
    from qacast.voices.pool import SynthesisPool

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

    settings = dataclasses.replace(
        job.settings, show=dataclasses.replace(job.settings.show, show_dir=show_dir)
    )
    resources = RenderResources(  # this worker's cores, whatever -j the build was given
        out_dir=out_dir,
        jobs=_cpu_count(),
        pool=pool,
        clips=SynthesisCache(work / "cache"),
        encoders=threading.BoundedSemaphore(_cpu_count()),
    )
    try:
        rendered = render_episode(script, settings, resources, job.number, job.date)
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
        cache_keys=None,  # entries of the worker's own cache, not the show's
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

    def render(
        self, script: Path, settings: Any, resources: Any, number: int, date: dt.date
    ) -> Any:
        """Render ``script`` on the cluster and write its files into ``resources.out_dir``
        (a ``build.Renderer``)."""
        job = make_job(script, settings, number, date)
        future = self._client.submit(run_job, job, pure=False, key=f"qacast-{script.name}")
        try:
            result: RemoteResult = future.result()
        except Exception as err:  # the cluster's failure, not the script's
            raise EngineError(f"the cluster could not render {script.name}: {err}") from err
        if result.error:
            raise result.error  # the worker's own one-line message and exit code
        out_dir = resources.out_dir
        for name, data in sorted(result.files.items()):
            atomic_write_bytes(out_dir / name, data)
        rendered = result.rendered
        return dataclasses.replace(
            rendered,
            files=tuple(
                EpisodeFile(out_dir / f.path, f.mime_type, f.duration_ms, f.size_bytes)
                for f in rendered.files
            ),
            sidecars={kind: out_dir / p for kind, p in rendered.sidecars.items()},
            cover=out_dir / rendered.cover,
        )


if __name__ == "__main__":
    # Through the importable module, so what is pickled names qacast.remote,
    # not __main__.
    import qacast.remote

    qacast.remote._render_here(Path(sys.argv[1]))
