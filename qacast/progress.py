"""What a build tells the person waiting for it.

On a terminal: one status line, redrawn, with episodes, utterances and an
estimate of the time left. Elsewhere (CI logs, pipes): one plain line per
event, no control characters. ``-q`` silences both, ``-v`` adds detail.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Protocol, TextIO


class Progress(Protocol):
    def planned(self, slug: str, utterances: int) -> None:
        """An episode will be rendered and needs up to ``utterances`` clips."""

    def clip_done(self) -> None:
        """One utterance synthesized or found in the cache."""

    def episode_done(self, slug: str, message: str) -> None: ...

    def log(self, message: str) -> None: ...

    def detail(self, message: str) -> None:
        """Shown with -v only."""

    def close(self) -> None:
        """Leave the terminal clean."""


class QuietProgress:
    def planned(self, slug: str, utterances: int) -> None:
        pass

    def clip_done(self) -> None:
        pass

    def episode_done(self, slug: str, message: str) -> None:
        pass

    def log(self, message: str) -> None:
        pass

    def detail(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


class LineProgress(QuietProgress):
    """One line per episode: readable in a log file."""

    def __init__(self, stream: TextIO, verbose: bool = False) -> None:
        self._stream, self._verbose = stream, verbose
        self._lock = threading.Lock()

    def _write(self, line: str) -> None:
        with self._lock:
            print(line, file=self._stream, flush=True)

    def planned(self, slug: str, utterances: int) -> None:
        self.detail(f"{slug}: rendering {utterances} sentences")

    def episode_done(self, slug: str, message: str) -> None:
        self._write(f"{slug}: {message}")

    def log(self, message: str) -> None:
        self._write(message)

    def detail(self, message: str) -> None:
        if self._verbose:
            self._write(message)


class BarProgress(LineProgress):
    """A redrawn status line with an estimate, for a terminal."""

    def __init__(self, stream: TextIO, verbose: bool = False) -> None:
        super().__init__(stream, verbose)
        self._episodes = self._episodes_done = 0
        self._clips = self._clips_done = 0
        self._started = time.monotonic()
        self._drawn_at = 0.0

    def _status(self) -> str:
        elapsed = time.monotonic() - self._started
        eta = ""
        if self._clips_done and self._clips > self._clips_done:
            left_s = elapsed / self._clips_done * (self._clips - self._clips_done)
            eta = f", about {int(left_s) // 60}:{int(left_s) % 60:02d} left"
        return (
            f"episodes {self._episodes_done}/{self._episodes}, "
            f"sentences {self._clips_done}/{self._clips}{eta}"
        )

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._drawn_at > 0.1:  # a terminal redraw is not free
            self._drawn_at = now
            self._stream.write("\r\x1b[K" + self._status())
            self._stream.flush()

    def _write(self, line: str) -> None:
        with self._lock:
            self._stream.write("\r\x1b[K" + line + "\n")
            self._draw(force=True)

    def planned(self, slug: str, utterances: int) -> None:
        with self._lock:
            self._episodes += 1
            self._clips += utterances
            self._draw(force=True)
        super().planned(slug, utterances)

    def clip_done(self) -> None:
        with self._lock:
            self._clips_done += 1
            self._draw()

    def episode_done(self, slug: str, message: str) -> None:
        with self._lock:
            self._episodes_done += 1
        super().episode_done(slug, message)

    def close(self) -> None:
        with self._lock:
            self._stream.write("\r\x1b[K")
            self._stream.flush()


def make_progress(quiet: bool, verbose: bool, stream: TextIO | None = None) -> Progress:
    out = stream or sys.stderr
    if quiet:
        return QuietProgress()
    if out.isatty():
        return BarProgress(out, verbose)
    return LineProgress(out, verbose)
