"""Speech synthesis in worker processes: every utterance said by a process that said nothing before.

Why: espeak-ng carries state from one synthesis to the next, so a sentence's
samples depend on what its process said before (engines/preload.py says what
carries over and what was measured). Said by a fresh fork of a template that
has never synthesized, a sentence sounds the same whatever worker, order,
``-j``, cache state or machine (same versions) made it, so a partial cache, a
retry, a killed build or a Dask worker all give the bytes of a clean build.

How, cheaply: the forkserver imports and initialises the engine once (the
template, which never synthesizes). Each pool slot is a long-lived worker
forked from it (a "zygote"): it never synthesizes either, and for each
utterance it forks a child that says that one utterance, hands back the PCM
and exits. A fork costs a few ms; a worker started through multiprocessing
costs about 0.1 s (it re-runs the main module), which is why utterances are
not given a multiprocessing process each. A process forked after espeak-ng
has synthesized could hang inside it, hence nobody forks after synthesizing.
Where fork does not exist (Windows), each worker is spawned, says one
utterance and exits: slower, just as independent.

Each child runs one engine on its main thread (pyttsx3 is not thread-safe). A
worker that does not answer within the per-utterance timeout is killed with
its child (they share a process group) and the utterance retried once in a
new worker.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any, TypeAlias

from qacast.errors import EngineError, QacastError
from qacast.models import VoicePreset
from qacast.voices.engines import ENGINES
from qacast.voices.engines.base import SpeechAudio, SpeechEngine

UTTERANCE_TIMEOUT_S = 60.0
MAX_ATTEMPTS = 2  # the first try and one retry in a new worker
TEMPLATE = ["qacast.voices.engines.preload"]  # what the forkserver imports once
CAN_FORK = hasattr(os, "fork")
_server_lock = threading.Lock()


@dataclass(frozen=True)
class SynthesisRequest:
    text: str
    voice: VoicePreset


Answer: TypeAlias = "SpeechAudio | EngineError"


@dataclass(frozen=True)
class ChildDied:
    """What a worker answers when the child saying an utterance died without a whole answer."""

    exit_code: int  # negative: killed by that signal


def _say(engine_name: str, request: SynthesisRequest) -> Answer:
    # The template's module, imported in a synthesis process only: importing
    # it creates the engines, which the parent must never do.
    from qacast.voices.engines import preload

    try:
        engine = preload.engine(engine_name)
    except Exception as exc:
        return EngineError(f"could not start the {engine_name} engine: {exc}")
    return _say_with(engine, request)


def _say_with(engine: SpeechEngine, request: SynthesisRequest) -> Answer:
    try:
        return engine.synthesize(request.text, request.voice)
    except QacastError as exc:
        return EngineError(str(exc))
    except Exception as exc:
        return EngineError(f"speech engine failed: {exc}")


def _forked_say(
    conn: Connection, engine_name: str, request: SynthesisRequest
) -> Answer | ChildDied:
    """Fork a child that says ``request`` and pickles its answer into a pipe."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one utterance, then gone without running any exit handler
        status = 1
        try:
            os.close(read_fd)
            conn.close()  # so the parent sees EOF when the worker dies, whatever this child does
            with os.fdopen(write_fd, "wb") as out:
                pickle.dump(_say(engine_name, request), out, pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        if read_fd not in wait([read_fd, conn]):
            # The parent went away (or spoke out of turn): stop the child, stop here.
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise SystemExit(0)
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    exit_code = os.waitstatus_to_exitcode(status)
    if exit_code != 0 or not data:  # it died before it had said all (or anything)
        return ChildDied(exit_code)
    answer: Answer = pickle.loads(data)
    return answer


def _requests(conn: Connection) -> Iterator[SynthesisRequest]:
    """What the parent asks a worker, until it sends None or closes the pipe."""
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        yield request


def _stateless_worker_main(conn: Connection, engine_name: str) -> None:
    """A worker for an engine that carries no state between utterances: it says them all.

    Spawned, not forked from the template: such an engine may not share a
    process with the template's engine (Piper crashes in a process that has
    loaded the bundled libespeak-ng).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if CAN_FORK:
        os.setpgid(0, 0)
    # Loaded before the first request: a worker started ahead of need
    # (SynthesisPool.prestart) loads its model while the script is parsed.
    engine: SpeechEngine | EngineError
    try:
        engine = ENGINES[engine_name].create()
    except Exception as exc:
        engine = EngineError(f"could not start the {engine_name} engine: {exc}")
    for request in _requests(conn):
        conn.send(engine if isinstance(engine, EngineError) else _say_with(engine, request))


def _worker_main(conn: Connection, engine_name: str) -> None:
    """A worker's life: wait for a request, fork a child to say it, pass the answer on."""
    # Ctrl-C reaches the whole process group; the parent answers it (and kills
    # this worker), so the worker prints no traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Its own process group, which its children join: the parent kills both at once.
    if CAN_FORK:
        os.setpgid(0, 0)
    # pyttsx3 prints on stdout: keep it off ours.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    # What exists now is shared with every child; kept out of the collector, it
    # is not copied page by page into each of them when a collection runs.
    gc.freeze()
    for request in _requests(conn):
        if not CAN_FORK:
            conn.send(_say(engine_name, request))
            return  # this process has synthesized: it must not say anything else
        conn.send(_forked_say(conn, engine_name, request))


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(TEMPLATE)
        return ctx
    return multiprocessing.get_context("spawn")


class _Worker:
    """One worker process, and the request it is saying, if any."""

    def __init__(self, ctx: Any, engine_name: str, stateless: bool) -> None:
        self.engine_name, self.stateless = engine_name, stateless
        self.conn, child_conn = ctx.Pipe()
        main = _stateless_worker_main if stateless else _worker_main
        self.process: BaseProcess = ctx.Process(
            target=main, args=(child_conn, engine_name), daemon=True
        )
        self.process.start()
        child_conn.close()
        self.index = -1
        self.request: SynthesisRequest | None = None
        self.attempts = 0
        self.started = 0.0

    def ask(self, index: int, request: SynthesisRequest, attempts: int) -> None:
        self.index, self.request, self.attempts = index, request, attempts
        self.started = time.monotonic()
        self.conn.send(request)

    def kill(self) -> None:
        pid = self.process.pid
        try:
            if CAN_FORK and pid is not None:
                os.killpg(pid, signal.SIGKILL)  # the worker and the child it forked
            else:
                self.process.kill()
        except (ProcessLookupError, PermissionError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


class SynthesisPool:
    """At most ``jobs`` utterances said at once, shared by every thread that uses it."""

    def __init__(self, jobs: int, timeout_s: float = UTTERANCE_TIMEOUT_S) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self._ctx = _context()
        self._spawn = multiprocessing.get_context("spawn")  # for stateless engines
        self._timeout_s = timeout_s
        self._slots = threading.BoundedSemaphore(jobs)
        self._idle: list[_Worker] = []  # workers between two utterances, of any engine
        self._idle_lock = threading.Lock()
        self.jobs = jobs
        self.processes_started = 0  # worker processes, not the children they fork
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
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()

    def prestart(self, engine_names: Iterable[str]) -> None:
        """Start ``jobs`` workers of each engine named that loads a model (Piper)
        now, idle until asked: they load it while the caller reads the script.

        Only engines whose workers say every utterance themselves: the others
        fork a child per utterance from a template the forkserver already holds.
        """
        for name in sorted(set(engine_names)):
            if not ENGINES[name].stateless:
                continue
            with self._idle_lock:
                ready = sum(1 for worker in self._idle if worker.engine_name == name)
            started = [self._new_worker(name) for _ in range(self.jobs - ready)]
            with self._idle_lock:
                self._idle.extend(started)

    def _new_worker(self, engine_name: str) -> _Worker:
        with self._idle_lock:
            self.processes_started += 1
        stateless = ENGINES[engine_name].stateless
        return _Worker(self._spawn if stateless else self._ctx, engine_name, stateless)

    def _hand_out(self, index: int, request: SynthesisRequest, attempts: int) -> _Worker:
        """Give a request to an idle worker of its engine, or to a new one."""
        engine_name = request.voice.engine
        with self._idle_lock:
            mine = [w for w in self._idle if w.engine_name == engine_name]
            worker = mine[-1] if mine else None
            if worker is not None:
                self._idle.remove(worker)
        if worker is not None:
            try:
                worker.ask(index, request, attempts)
                return worker
            except OSError:  # it died while idle: not the utterance's fault
                worker.kill()
        worker = self._new_worker(engine_name)
        worker.ask(index, request, attempts)
        return worker

    def _done_with(self, worker: _Worker) -> None:
        if CAN_FORK or worker.stateless:
            with self._idle_lock:
                self._idle.append(worker)
        else:
            worker.close()  # it has synthesized: it must not say anything else

    def synthesize(self, requests: Sequence[SynthesisRequest]) -> Iterator[tuple[int, SpeechAudio]]:
        """Yield (index, audio) for every request, in completion order."""
        waiting = list(reversed(range(len(requests))))
        busy: list[_Worker] = []
        try:
            while waiting or busy:
                while waiting and self._slots.acquire(blocking=not busy):
                    index = waiting.pop()
                    busy.append(self._hand_out(index, requests[index], attempts=1))
                for ready in wait([w.conn for w in busy], timeout=0.5):
                    worker = next(w for w in busy if w.conn is ready)
                    audio = self._receive(worker, busy)
                    if audio is not None:
                        busy.remove(worker)
                        self._done_with(worker)
                        self._slots.release()
                        yield worker.index, audio
                now = time.monotonic()
                for worker in list(busy):
                    if now - worker.started > self._timeout_s:
                        self._retry(worker, busy, "stopped answering")
        finally:
            for worker in busy:
                worker.kill()
                self._slots.release()

    def _receive(self, worker: _Worker, busy: list[_Worker]) -> SpeechAudio | None:
        """The worker's audio, or None when the utterance was handed to a new worker."""
        try:
            answer = worker.conn.recv()
        except (EOFError, OSError):
            self._retry(worker, busy, "exited")
            return None
        if isinstance(answer, EngineError):
            raise answer
        if isinstance(answer, ChildDied):
            self._retry(worker, busy, f"exited ({answer.exit_code})")
            return None
        audio: SpeechAudio = answer
        return audio

    def _retry(self, worker: _Worker, busy: list[_Worker], why: str) -> None:
        """Kill ``worker`` and give its utterance to a new one, unless that was its last try."""
        assert worker.request is not None
        busy.remove(worker)
        worker.kill()
        if worker.attempts >= MAX_ATTEMPTS:
            self._slots.release()
            raise EngineError(
                f"the speech engine {why} twice on {worker.request.text[:50]!r}; giving up"
            )
        fresh = self._new_worker(worker.engine_name)
        fresh.ask(worker.index, worker.request, attempts=worker.attempts + 1)
        busy.append(fresh)


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
    from multiprocessing import forkserver  # POSIX only: asked where it is the start method

    with _server_lock:
        if threading.current_thread() is not threading.main_thread():
            forkserver.ensure_running()
            return
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
