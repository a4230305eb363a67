"""Speech synthesis in worker processes: one fresh process per chunk of utterances.

Why fresh processes: espeak-ng carries state from one utterance to the next
(measured: the same sentence comes out a few samples longer or shorter
depending on everything said before it in that process, and no priming
utterance resets it). A chunk synthesized in a fresh process sounds the same
whichever worker, machine or ``-j`` ran it, so builds are byte-identical.

Why a forkserver: a fresh interpreter costs about 0.2 s; forking from a server
that has imported the engine but never synthesized costs a few ms, and a
process forked after synthesis would hang inside espeak (PITFALLS 5). The
parent never synthesizes. Where forkserver does not exist (Windows), spawn.

Each child runs one engine on its main thread (PITFALLS 4); a child that stops
answering for longer than the per-utterance timeout is killed and its chunk
retried once in a new child.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
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
MAX_ATTEMPTS = 2  # the first try and one retry in a fresh process
# Utterances per process. Fixed, so a chunk's audio never depends on -j; small
# enough that one episode still spreads over every worker.
CHUNK_UTTERANCES = 6
PRELOAD = ["qacast.voices.engines.preload"]
_server_lock = threading.Lock()


@dataclass(frozen=True)
class SynthesisRequest:
    text: str
    voice: VoicePreset


def _chunk_main(conn: Connection, engine_name: str, requests: Sequence[SynthesisRequest]) -> None:
    # Ctrl-C reaches the whole process group; the parent answers it (and kills
    # this child), so the child does not print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # pyttsx3 prints on stdout (PITFALLS 7): keep it off ours.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    from qacast.voices.engines import ENGINES

    try:
        engine = ENGINES[engine_name].create()
    except Exception as exc:
        conn.send((-1, EngineError(f"could not start the {engine_name} engine: {exc}")))
        return
    for index, request in enumerate(requests):
        try:
            conn.send((index, engine.synthesize(request.text, request.voice)))
        except QacastError as exc:
            conn.send((index, EngineError(str(exc))))
            return
        except Exception as exc:
            conn.send((index, EngineError(f"speech engine failed: {exc}")))
            return


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class _Chunk:
    """One child process synthesizing requests[start:stop] in order."""

    def __init__(
        self,
        ctx: Any,
        engine_name: str,
        requests: Sequence[SynthesisRequest],
        start: int,
        stop: int,
    ) -> None:
        self.start, self.stop = start, stop
        self.yielded = 0  # requests of this chunk already handed to the caller
        self.attempts = 1
        self._ctx, self._engine_name, self._requests = ctx, engine_name, requests
        self._launch()

    def _launch(self) -> None:
        self.conn, child_conn = self._ctx.Pipe(duplex=False)
        self.process: BaseProcess = self._ctx.Process(
            target=_chunk_main,
            args=(child_conn, self._engine_name, self._requests[self.start : self.stop]),
            daemon=True,
        )
        self.process.start()
        child_conn.close()
        self.received, self.last_progress = 0, time.monotonic()  # this child's progress

    def relaunch(self) -> None:
        self.kill()
        self.attempts += 1
        self._launch()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    @property
    def finished(self) -> bool:
        return self.received == self.stop - self.start


class SynthesisPool:
    """At most ``jobs`` synthesis processes at once, shared by every thread that uses it."""

    def __init__(
        self, jobs: int, engine_name: str = "pyttsx3", timeout_s: float = UTTERANCE_TIMEOUT_S
    ) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self._ctx = _context()
        self._engine_name = engine_name
        self._timeout_s = timeout_s
        self._slots = threading.BoundedSemaphore(jobs)
        self.jobs = jobs
        self.processes_started = 0
        _start_forkserver(self._ctx)

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
        pass  # every child is reaped by synthesize(); the forkserver ends with us

    def synthesize(self, requests: Sequence[SynthesisRequest]) -> Iterator[tuple[int, SpeechAudio]]:
        """Yield (index, audio) for every request, in completion order."""
        bounds = [(i, min(i + CHUNK_UTTERANCES, len(requests)))
                  for i in range(0, len(requests), CHUNK_UTTERANCES)]  # fmt: skip
        waiting = list(reversed(bounds))
        running: list[_Chunk] = []
        try:
            while waiting or running:
                while waiting and self._slots.acquire(blocking=not running):
                    start, stop = waiting.pop()
                    running.append(_Chunk(self._ctx, self._engine_name, requests, start, stop))
                    self.processes_started += 1
                for ready in wait([c.conn for c in running], timeout=0.5):
                    chunk = next(c for c in running if c.conn is ready)
                    yield from self._receive(chunk, requests)
                    if chunk.finished:
                        chunk.kill()
                        running.remove(chunk)
                        self._slots.release()
                now = time.monotonic()
                for chunk in running:
                    if now - chunk.last_progress > self._timeout_s:
                        self._retry(chunk, requests, "stopped answering")
        finally:
            for chunk in running:
                chunk.kill()
                self._slots.release()

    def _receive(
        self, chunk: _Chunk, requests: Sequence[SynthesisRequest]
    ) -> Iterator[tuple[int, SpeechAudio]]:
        try:
            index, result = chunk.conn.recv()
        except (EOFError, OSError):
            self._retry(chunk, requests, "exited")
            return
        if isinstance(result, EngineError):
            raise result
        chunk.last_progress = time.monotonic()
        chunk.received = index + 1
        # A retried chunk starts over (its audio must not depend on where the
        # first child stopped); what was already handed out is not repeated.
        if index >= chunk.yielded:
            chunk.yielded = index + 1
            yield chunk.start + index, result

    def _retry(self, chunk: _Chunk, requests: Sequence[SynthesisRequest], why: str) -> None:
        if chunk.attempts >= MAX_ATTEMPTS:
            text = requests[chunk.start + chunk.received].text
            raise EngineError(f"the speech engine {why} twice on {text[:50]!r}; giving up")
        chunk.relaunch()
        self.processes_started += 1


def _start_forkserver(ctx: Any) -> None:
    """Boot the forkserver now, so it imports the engine while the caller parses.

    Started from the main thread it starts with Ctrl-C ignored (an ignored
    signal survives exec, and Python keeps it ignored): the parent answers
    Ctrl-C, and a server interrupted while still importing would print a
    traceback of its own. Only the main thread may change signal handlers,
    which is why the CLI creates its pool there.
    """
    if ctx.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    with _server_lock:
        if threading.current_thread() is not threading.main_thread():
            forkserver.ensure_running()
            return
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
