"""A pool of spawn-context worker processes, each owning one speech engine.

Why not concurrent.futures: a worker stuck inside espeak must be killed and its
utterance retried once, which ProcessPoolExecutor cannot do for one worker.
Why spawn: a process forked after it has synthesized hangs inside espeak (PITFALLS 5),
and the engine is not thread-safe (PITFALLS 4), so each worker runs one engine on
its main thread and the parent never synthesizes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any

from qacast.errors import EngineError, QacastError
from qacast.models import VoicePreset
from qacast.voices.engines.base import SpeechAudio

UTTERANCE_TIMEOUT_S = 60.0
MAX_ATTEMPTS = 2  # the first try and one retry in a fresh worker


@dataclass(frozen=True)
class SynthesisRequest:
    text: str
    voice: VoicePreset


def _worker_main(conn: Connection, engine_name: str) -> None:
    # pyttsx3 prints "Audio saved to ..." on stdout (PITFALLS 7): keep it off ours.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    from qacast.voices.engines import ENGINES

    try:
        engine = ENGINES[engine_name].create()
        conn.send(("ready", engine.version()))
    except Exception as exc:
        conn.send(("failed", f"could not start the {engine_name} engine: {exc}"))
        return
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        job_id, request = message
        try:
            audio = engine.synthesize(request.text, request.voice)
            conn.send((job_id, audio))
        except QacastError as exc:
            conn.send((job_id, EngineError(str(exc))))
        except Exception as exc:
            conn.send((job_id, EngineError(f"speech engine failed: {exc}")))


class _Worker:
    def __init__(self, ctx: multiprocessing.context.SpawnContext, engine_name: str) -> None:
        self.conn, child_conn = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(
            target=_worker_main, args=(child_conn, engine_name), daemon=True
        )
        self.process.start()
        child_conn.close()
        self.ready = False
        self.job: int | None = None
        self.started_at = 0.0

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class SynthesisPool:
    """Start workers early (they boot while the script is parsed), then synthesize."""

    def __init__(
        self, jobs: int, engine_name: str = "pyttsx3", timeout_s: float = UTTERANCE_TIMEOUT_S
    ) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self._ctx = multiprocessing.get_context("spawn")
        self._engine_name = engine_name
        self._timeout_s = timeout_s
        self._workers = [_Worker(self._ctx, engine_name) for _ in range(jobs)]
        self.engine_version = ""

    def __enter__(self) -> SynthesisPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            if worker.process.is_alive():
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        for worker in self._workers:
            worker.process.join(2)
            if worker.process.is_alive():
                worker.kill()
        self._workers = []

    def synthesize(self, requests: Sequence[SynthesisRequest]) -> Iterator[tuple[int, SpeechAudio]]:
        """Yield (index, audio) for every request, in completion order."""
        pending: deque[int] = deque(range(len(requests)))
        attempts = [0] * len(requests)
        outstanding = len(requests)
        while outstanding:
            for worker in self._workers:
                if worker.ready and worker.job is None and pending:
                    job = pending.popleft()
                    attempts[job] += 1
                    worker.job, worker.started_at = job, time.monotonic()
                    worker.conn.send((job, requests[job]))
            conns = [w.conn for w in self._workers]
            for ready in wait(conns, timeout=1.0):
                worker = next(w for w in self._workers if w.conn is ready)
                try:
                    message: tuple[Any, Any] = worker.conn.recv()
                except (EOFError, OSError):
                    self._replace(worker, pending, attempts, requests, "exited")
                    continue
                if message[0] == "ready":
                    worker.ready, self.engine_version = True, message[1]
                    continue
                if message[0] == "failed":
                    raise EngineError(message[1])
                job, result = message
                worker.job = None
                assert isinstance(job, int)
                if isinstance(result, EngineError):
                    raise result
                outstanding -= 1
                yield job, result
            now = time.monotonic()
            for worker in list(self._workers):
                if worker.job is not None and now - worker.started_at > self._timeout_s:
                    self._replace(worker, pending, attempts, requests, "timed out")

    def _replace(
        self,
        worker: _Worker,
        pending: deque[int],
        attempts: list[int],
        requests: Sequence[SynthesisRequest],
        why: str,
    ) -> None:
        job = worker.job
        worker.kill()
        self._workers[self._workers.index(worker)] = _Worker(self._ctx, self._engine_name)
        if job is None:
            return
        if attempts[job] >= MAX_ATTEMPTS:
            raise EngineError(
                f"the speech engine {why} twice on {requests[job].text[:50]!r}; giving up"
            )
        pending.appendleft(job)
