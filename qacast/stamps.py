"""File-metadata stamps: how a no-change build knows, from a few stat calls,
that an episode's inputs are as they were, without reading or hashing them.

A file is known by (inode, size, modification time in nanoseconds), as make
and git know it. An equal stamp means the inputs are unchanged; a different
one only means they must be hashed to tell (``RenderInputs.fingerprint`` in
qacast/render_inputs.py, which lists what an episode's stamp covers): a file
merely touched, or copied to a new inode, hashes the same and is not
rendered again.

The limit, as for make and git: an edit that keeps the file's inode and size
and whose modification time is set back to the old value to the nanosecond
(``touch -d``, ``os.utime``, some sync tools) is not seen. ``--no-cache``
renders everything whatever the stamps say.

qacast's own source files are part of every stamp, so a qacast changed without
a new version number (a checkout, a patch) hashes every input once again.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

Metadata = tuple[int, int, int] | None


def file_metadata(path: Path) -> Metadata:
    """(inode, size, mtime_ns) of the file ``path`` leads to; None when absent."""
    try:
        status = path.stat()  # follows a symlink: the file it leads to counts
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


@functools.cache
def engine_versions() -> str:
    """Asked once per process: installed engines do not change under a running build."""
    from qacast.voices.engines import ENGINES

    return repr({name: spec.version() for name, spec in ENGINES.items()})


@functools.cache
def own_code() -> str:
    """qacast's own source files by metadata, read once per process (a digest:
    every stamp includes it)."""
    package = Path(__file__).parent
    paths = sorted(package.rglob("*.py"))
    files = repr([(str(path.relative_to(package)), file_metadata(path)) for path in paths])
    return hashlib.sha256(files.encode()).hexdigest()
