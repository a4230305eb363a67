"""Script file -> text: find the encoding, refuse what is not a transcript.

Interviews arrive from word processors, blog exports and e-mail, so the
encodings seen in practice are UTF-8 (with or without a BOM), UTF-16 with a
BOM (Windows "Unicode" text) and Windows-1252 (legacy "ANSI" exports).
"""

from __future__ import annotations

import codecs
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

from qacast.fsutil import refuse_other_kinds, script_error, script_status, unreadable_script
from qacast.limits import DEFAULT_MAX_SCRIPT_BYTES
from qacast.script.text import TEXT_CONTROLS, normalise_text

# Checked in order: the UTF-32 LE BOM starts with the UTF-16 LE BOM, so the
# longer marks must come first.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Tried in order when there is no BOM. Strict UTF-8 almost never accepts
# cp1252 text by accident, so trying it first is safe.
FALLBACK_ENCODINGS: tuple[str, ...] = ("utf-8", "cp1252")

# Opened without waiting (a named pipe put in the file's place after the
# check opens at once, and is then refused), and never as a terminal.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_bytes(path: Path, limit_bytes: int = DEFAULT_MAX_SCRIPT_BYTES) -> bytes:
    """The file's bytes, at most ``limit_bytes`` of them; ScriptError (one line)
    for anything ``script_status`` refuses, an unreadable file and a longer one.

    The limit counts the bytes read, not the size the file system reports: a
    file in /proc reports 0 and a file still being written grows.
    """
    script_status(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        raise unreadable_script(path, err) from None
    with os.fdopen(fd, "rb") as handle:
        refuse_other_kinds(path, os.fstat(fd).st_mode)  # the path may lead elsewhere by now
        try:
            data = handle.read(limit_bytes + 1)
        except OSError as err:
            raise unreadable_script(path, err) from None
    if len(data) > limit_bytes:
        raise script_error(
            path,
            f"is over the limit of {limit_bytes / 1e6:g} MB for a script "
            "(max_script_bytes in qacast.toml)",
        )
    return data


def _decode(path: Path, data: bytes, declared: str | None = None) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise script_error(
                    path,
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} text",
                ) from None
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            raise script_error(
                path, f"declares the encoding {declared} but is not valid {declared}"
            ) from None
    if b"\x00" in data:
        raise script_error(
            path,
            "looks like a binary file, not a text transcript (it contains NUL "
            "bytes; UTF-16 text needs a byte-order mark)",
        )
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise script_error(path, "is neither UTF-8 nor Windows-1252 text; save it as UTF-8")


def _control_count(text: str) -> int:
    return sum(1 for ch in text if ch not in TEXT_CONTROLS and unicodedata.category(ch) == "Cc")


def _looks_binary(text: str) -> bool:
    # A stray control byte or two is common in pasted text; a binary file has
    # them everywhere. One in a hundred characters is far beyond any real text.
    return _control_count(text) > max(2, len(text) // 100)


def read_script(
    path: Path,
    *,
    declared: Callable[[bytes], str | None] | None = None,
    limit_bytes: int = DEFAULT_MAX_SCRIPT_BYTES,
) -> str:
    """Read a transcript file and return its text, newlines as \\n, in NFC.

    ``declared`` finds the encoding a file names for itself (an HTML page's
    ``<meta charset>``); a byte-order mark still wins over it. At most
    ``limit_bytes`` are read (the show's max_script_bytes).

    Raises ScriptError (one line, naming the file) for a missing file, a
    directory, a named pipe or a device, an unreadable file, one over the
    limit, an empty or whitespace-only file, a binary file and text that is
    not in the encoding it declares.
    """
    path = Path(path)
    data = read_bytes(path, limit_bytes)
    if not data:
        raise script_error(path, "the script file is empty")
    text = _decode(path, data, declared(data) if declared else None)
    if _looks_binary(text):
        raise script_error(
            path, "looks like a binary file, not a text transcript (too many control characters)"
        )
    text = normalise_text(text)
    if not text.strip():
        raise script_error(path, "the script file contains only whitespace")
    return text
