"""The show's cover, checked once for every change of the file.

``artwork.load_cover`` decodes the whole image to check it, about 40 ms for a
1400 px cover, on every build. Its verdict on a cover used as is is kept in
the show's build state under a key made like the episodes' stamps (the file's
inode, size and mtime_ns, and qacast's own code: ``stamps.py``), so a build
that changes nothing does not decode it again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from qacast import artwork
from qacast.errors import OutputError
from qacast.fsutil import atomic_write_bytes
from qacast.stamps import file_metadata, own_code

COVER_MEMO_NAME = "cover.checked"  # in the show's build state


def load_cover_remembered(path: Path, memo_dir: Path | None) -> tuple[bytes, str]:
    """``load_cover``, with its verdict on a cover used as is remembered in
    ``memo_dir`` (the show's build state; None: nothing remembered) by the
    file's inode, size and mtime_ns and qacast's code: decoding a 1400 px image
    to check it costs about 40 ms, on every build. A cover that load_cover
    re-encodes is checked, and re-encoded, every time."""
    metadata = file_metadata(path)
    if memo_dir is None or metadata is None:
        return artwork.load_cover(path)
    key = repr((str(path), metadata, own_code()))
    memo = memo_dir / COVER_MEMO_NAME
    try:
        recorded, mime = memo.read_text(encoding="utf-8").splitlines()
        if recorded == key and mime in artwork.FORMAT_MIME.values():
            data = path.read_bytes()
            if len(data) == metadata[1]:
                return data, mime
    except (OSError, ValueError):
        pass  # never checked, or the memo is damaged: check
    data, mime = artwork.load_cover(path)
    if data == path.read_bytes():  # used as is
        with contextlib.suppress(OSError, OutputError):  # only the memo is lost
            memo_dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(memo, f"{key}\n{mime}\n".encode(), durable=False)
    return data, mime
