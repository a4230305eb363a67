"""Small file-system helpers shared by every stage that writes output."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from qacast.errors import OutputError, ScriptError

# Output is served to podcast apps and browsers: readable by all, like a plain
# open() would make it under the usual umask. mkstemp alone would leave 0600.
_OUTPUT_MODE = 0o644


# The folder where a build stages its temporary files (its work folder in
# .qacast/), so none is ever made inside out/, which gets uploaded: one entry
# while a build runs, none otherwise. A build is one per process (the lock
# sees to one per show), and threads must see it too, so it is module state.
_STAGING: list[Path] = []


@contextmanager
def stage_writes_in(directory: Path) -> Iterator[None]:
    """While the block runs, atomic writes make their temporary files in
    ``directory`` (when it is on the target's file system) instead of beside
    the target."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create {directory}: {err.strerror or err}") from err
    _STAGING.append(directory)
    try:
        yield
    finally:
        _STAGING.remove(directory)


def _staging_dir_for(path: Path) -> Path:
    if _STAGING:
        try:
            # A rename is only atomic within one file system.
            if _STAGING[-1].stat().st_dev == path.parent.stat().st_dev:
                return _STAGING[-1]
        except OSError:
            pass  # the target's folder is missing: mkstemp below reports it
    return path.parent


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half.

    The bytes go to a temporary file in the same directory, or in the build's
    staging folder on the same file system (``os.replace`` is only atomic
    within one), are flushed to disk, then renamed over ``path``. On failure
    the temporary file is removed and an ``OutputError`` names the path.
    """

    def fill(handle: BinaryIO) -> None:
        handle.write(data)

    _replace_atomically(path, _staging_dir_for(path), fill, durable)


def _replace_atomically(
    path: Path, directory: Path, fill: Callable[[BinaryIO], object], durable: bool
) -> None:
    """Fill a temporary file in ``directory``, flush it, and rename it over ``path``."""
    try:
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
    tmp_path = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            if durable:  # a cache entry is checksummed instead: no fsync per clip
                os.fsync(handle.fileno())
        tmp_path.chmod(_OUTPUT_MODE)
        tmp_path.replace(path)
    except OSError as err:
        tmp_path.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
    except BaseException:
        # KeyboardInterrupt mid-write: leave no stray temp file behind.
        tmp_path.unlink(missing_ok=True)
        raise


def ensure_writable_dir(path: Path) -> None:
    """Create ``path`` if needed and prove a file can be made in it, or raise OutputError."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output dir {path}: {err.strerror or err}") from err
    if not path.is_dir():
        raise OutputError(f"output path {path} is not a directory")
    try:
        fd, name = tempfile.mkstemp(prefix=".qacast-probe-", dir=path)
    except OSError as err:
        raise OutputError(f"output dir {path} is not writable: {err.strerror or err}") from err
    os.close(fd)
    Path(name).unlink()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically unless ``path`` already holds ``data``; True when written.

    A rebuild that rewrites identical bytes would still change mtimes and make
    sync tools and podcast hosts upload everything again.
    """
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
    except OSError:
        pass  # unreadable (its mode, another user's): replaced like a changed file
    atomic_write_bytes(path, data)
    return True


def move_into_place(source: Path, dest: Path) -> None:
    """Rename a finished work file onto ``dest``, atomically, or raise OutputError.

    Work files are made in the build-state folder, beside out/. When out/ is on
    another file system (a mount, a symlink to a synced folder) a rename cannot
    cross over, so the bytes are copied to a temporary file beside ``dest``
    first and that is renamed instead: a reader still sees the old file or the
    new one, never half.
    """
    try:
        source.chmod(_OUTPUT_MODE)
        source.replace(dest)
        return
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise OutputError(f"cannot write {dest}: {err.strerror or err}") from err

    def copy(handle: BinaryIO) -> None:
        with source.open("rb") as original:
            shutil.copyfileobj(original, handle)

    _replace_atomically(dest, dest.parent, copy, durable=True)
    source.unlink(missing_ok=True)


def copy_atomically(source: Path, dest: Path) -> None:
    """Copy ``source`` onto ``dest`` through a temporary file beside it and a
    rename, so a reader of ``dest`` sees the old file or the new one, never half."""

    def copy(handle: BinaryIO) -> None:
        with source.open("rb") as original:
            shutil.copyfileobj(original, handle)

    _replace_atomically(dest, dest.parent, copy, durable=True)


def is_leftover_temp(name: str) -> bool:
    """A temporary name this module makes (``.NAME.XXXXXXXX.tmp``, ``.qacast-probe-*``).

    Only a killed process leaves one behind; the next build removes them.
    """
    return name.startswith(".") and (name.endswith(".tmp") or name.startswith(".qacast-probe-"))


# What a path can lead to besides a regular file, as a message names it.
OTHER_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_file(mode: int) -> str | None:
    """What a file of this mode (``st_mode``) is, when it is no regular file
    ("a named pipe (FIFO)"); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for is_kind, kind in OTHER_KINDS if is_kind(mode)), "a special file")


def check_script_size(script: Path, limit_bytes: int) -> None:
    """Refuse a script over the limit before reading it (a book is not a script),
    and anything that is not a regular file (a symlink loop, a named pipe, a
    device) before opening it."""
    from qacast.script.formats.decode import script_status

    size_bytes = script_status(script).st_size
    if size_bytes > limit_bytes:
        raise ScriptError(
            f"{script.name}: {size_bytes / 1e6:.1f} MB is over the limit of "
            f"{limit_bytes / 1e6:g} MB for a script (max_script_bytes in qacast.toml)"
        )
