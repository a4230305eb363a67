"""File-metadata stamps: how a no-change build knows, from a few stat calls,
that an episode's inputs are as they were, without reading or hashing them.

A stamp names every file a render reads by (inode, size, modification time in
nanoseconds), as make and git do, plus the settings that are not files. An
equal stamp means the inputs are unchanged; a different one only means they
must be hashed to tell (``pipeline.render_inputs``): a file merely touched, or
copied to a new inode, hashes the same and is not rendered again.

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
from typing import TYPE_CHECKING

from qacast.manifest import fingerprint

if TYPE_CHECKING:
    from qacast.pipeline import RenderEnv

# The show's own lexicon file, which pipeline.render_inputs reads through show_lexicon.
LEXICON_FILE = Path("voices") / "lexicon.toml"

Metadata = tuple[int, int, int] | None


def file_metadata(path: Path) -> Metadata:
    """(inode, size, mtime_ns) of the file ``path`` leads to; None when absent."""
    try:
        status = path.stat()  # follows a symlink: the file it leads to counts
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def render_input_stamp(script: Path, env: RenderEnv, number: int | None) -> str:
    """What ``pipeline.render_inputs`` covers, with each file known by its
    metadata instead of its bytes. The show's settings are taken whole (a
    change of feed fields only costs one hash, never a render)."""
    show = env.show
    music = [show.intro_music, show.sting, show.outro_music]
    files = [script, env.preset.path, show.show_dir / LEXICON_FILE]
    files += [show.show_dir / source for source in music if source]
    return fingerprint(
        [
            ("files", repr([(str(path), file_metadata(path)) for path in files])),
            ("number", str(number)),
            ("show", repr(show)),
            ("render", repr((env.loudness, env.formats))),
            ("cover", _digest(env.cover[0]) if env.cover else ""),
            ("engines", engine_versions()),
            ("qacast", own_code()),
        ]
    )


@functools.lru_cache(maxsize=4)
def _digest(data: bytes) -> str:
    """The show's cover, hashed once per build rather than once per episode."""
    return hashlib.sha256(data).hexdigest()


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
