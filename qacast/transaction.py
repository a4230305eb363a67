"""A build as a transaction: one build per show at a time, nothing left behind.

- **One lock per show** (``SHOW/.qacast/build.lock``, a ``filelock`` lock). A
  second build waits up to ``LOCK_WAIT_S`` for the first to finish, then gives
  up with one line (exit 4: the output is not writable now). The operating
  system drops the lock when its holder dies, even by kill -9, so a killed
  build never blocks the next one.
- **Leftovers of a killed build are removed** before anything else happens:
  the work folder, temporary files beside outputs, and the state and cache an
  older qacast kept inside out/.
- **out/ holds only what a listener fetches.** Files of episodes whose script
  is gone, and artwork the show no longer uses, are removed, and said so.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from qacast.episode import slugify
from qacast.errors import OutputError
from qacast.fsutil import is_leftover_temp
from qacast.manifest import STATE_DIR, StateLayout, load_record, record_path

# Long enough for a build that is only writing its feed to finish; short
# enough that a second build started by mistake says so rather than hang.
LOCK_WAIT_S = 10.0

# What qacast before 0.2 kept inside out/ (and so published): the records and
# the default synthesis cache.
_OLD_STATE_IN_OUT = STATE_DIR
_OLD_CACHE_IN_OUT = ".cache"

# Covers the show's artwork may be published as (see publish/catalog.py); only
# the current one stays.
SHOW_COVER_NAMES = ("cover.jpg", "cover.png")


@contextmanager
def show_lock(
    state: StateLayout,
    wait_s: float = LOCK_WAIT_S,
    on_wait: Callable[[str], None] = lambda message: None,
) -> Iterator[None]:
    """Hold the show's build lock for the duration of the block; ``on_wait``
    hears once that the build waits for another."""
    try:
        state.root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create {state.root}: {err.strerror or err}") from err
    lock = FileLock(state.lock)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            on_wait(f"another build of this show is running; waiting up to {wait_s:g} s")
            lock.acquire(timeout=wait_s)
    except Timeout:
        raise OutputError(
            f"another build of this show holds {state.lock} (waited {wait_s:g} s); "
            "run the build again when it has finished"
        ) from None
    except OSError as err:
        raise OutputError(f"cannot lock {state.lock}: {err.strerror or err}") from err
    try:
        yield
    finally:
        lock.release()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _is_old_work_folder(path: Path) -> bool:
    """``out/.<slug>.XXXXXXXX``: the work folder renders kept in out/ before 0.2."""
    name = path.name
    return (
        path.is_dir()
        and name.startswith(".")
        and len(name.rsplit(".", 1)[-1]) == 8
        and name not in (_OLD_STATE_IN_OUT, _OLD_CACHE_IN_OUT)
    )


def clean_leftovers(state: StateLayout, out_dir: Path, cache_dir: Path | None) -> list[str]:
    """Remove what an earlier, killed build left; move old state out of out/.

    Must run under the show lock: a running build's work files look the same.
    ``cache_dir`` is the default cache (inside ``state``) when the build uses
    it: a cache shared through ``--cache-dir`` may have writers in other shows,
    so its temporary files are left to them. Returns what was done, one line each.
    """
    done: list[str] = []
    if state.work.is_dir():
        for entry in state.work.iterdir():
            _remove(entry)
    for folder in (state.records, state.last_good):
        _remove_temps(folder, recursive=False)
    if cache_dir is not None and cache_dir.is_dir():
        _remove_temps(cache_dir, recursive=True)
    if not out_dir.is_dir():
        return done
    old_state = out_dir / _OLD_STATE_IN_OUT
    if old_state.is_dir():
        state.records.mkdir(parents=True, exist_ok=True)
        for old in old_state.glob("*.json"):
            if not (state.records / old.name).exists():
                old.replace(state.records / old.name)
        shutil.rmtree(old_state, ignore_errors=True)
        done.append(f"moved the build state from {old_state} to {state.records}")
    old_cache = out_dir / _OLD_CACHE_IN_OUT
    if old_cache.is_dir():
        if cache_dir is not None and not cache_dir.exists():
            cache_dir.parent.mkdir(parents=True, exist_ok=True)
            old_cache.replace(cache_dir)
            done.append(f"moved the synthesis cache from {old_cache} to {cache_dir}")
        else:
            shutil.rmtree(old_cache, ignore_errors=True)
            done.append(f"removed the old synthesis cache {old_cache} from the published folder")
    for path in sorted(out_dir.rglob(".*")):
        if is_leftover_temp(path.name) or _is_old_work_folder(path):
            _remove(path)
    return done


def _remove_temps(folder: Path, *, recursive: bool) -> None:
    if not folder.is_dir():
        return
    for path in folder.rglob(".*") if recursive else folder.glob(".*"):
        if path.is_file() and is_leftover_temp(path.name):
            path.unlink(missing_ok=True)


def remove_gone_episodes(state: StateLayout, out_dir: Path, current: set[str]) -> list[str]:
    """Remove the files and records of episodes whose script is gone; their slugs."""
    removed = []
    for slug in _recorded(state):
        if slug in current:
            continue
        record = load_record(state, out_dir, slug)
        paths = record.output_paths() if record else []
        for path in [*paths, out_dir / f"{slug}.html"]:
            if path.parent == out_dir:  # never outside out/, whatever a record says
                path.unlink(missing_ok=True)
        for copy in state.last_good.glob("*") if state.last_good.is_dir() else []:
            if copy.is_file() and _slug_of(copy) == slug:
                copy.unlink()
        record_path(state, slug).unlink(missing_ok=True)
        removed.append(slug)
    return removed


def _recorded(state: StateLayout) -> list[str]:
    if not state.records.is_dir():
        return []
    return sorted(path.stem for path in state.records.glob("*.json"))


def _slug_of(script: Path) -> str:
    return slugify(script.stem)


def remove_stale_files(old: list[Path], new: list[Path]) -> None:
    """Remove the files an episode had and no longer has (a dropped format, a new cover type)."""
    keep = set(new)
    for path in old:
        if path not in keep:
            path.unlink(missing_ok=True)


def remove_stale_show_cover(current: Path) -> None:
    """Remove the show cover published under another name (a PNG replaced by a JPEG)."""
    for name in SHOW_COVER_NAMES:
        other = current.parent / name
        if other != current:
            other.unlink(missing_ok=True)
