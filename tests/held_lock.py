"""A show's build lock held by someone else, for tests of what waits for it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock


@contextmanager
def lock_held_elsewhere(lock_path: Path) -> Iterator[None]:
    """Hold ``lock_path`` from another thread, as a running build would, until the block ends."""
    holder = FileLock(lock_path)
    acquired, release = threading.Event(), threading.Event()

    def hold() -> None:
        with holder:
            acquired.set()
            release.wait()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        acquired.wait()
        yield
    finally:
        release.set()
        thread.join()
