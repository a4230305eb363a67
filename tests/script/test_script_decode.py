"""read_script: encodings that real transcripts arrive in, and files it must refuse."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from locations import DATA_DIR, SAMPLE_SCRIPT

from qacast.errors import ScriptError
from qacast.script import parse_script, read_script

DATA = DATA_DIR


def test_cp1252_file_with_curly_quotes_and_accents_decodes() -> None:
    text = read_script(DATA / "cp1252-curly-quotes-accents.txt")
    assert text.startswith("Café Culture\n\n")
    assert "“great” café?" in text
    assert "who’s happy — that’s all." in text
    assert "\r" not in text


def test_utf16_le_with_bom_decodes_without_the_bom() -> None:
    text = read_script(DATA / "utf16le-bom.txt")
    assert text.startswith("Déjà Vu\n")
    assert "“little endian”" in text
    assert "\ufeff" not in text


def test_utf16_be_with_bom_decodes(tmp_path: Path) -> None:
    path = tmp_path / "be.txt"
    path.write_bytes(b"\xfe\xff" + "Q: Big?\n\nA: Endian.\n".encode("utf-16-be"))
    assert read_script(path) == "Q: Big?\n\nA: Endian.\n"


def test_utf8_bom_is_removed() -> None:
    text = read_script(DATA / "utf8-bom.txt")
    assert text.startswith("Naïve Questions")


def test_decoded_fixtures_parse() -> None:
    episode = parse_script(read_script(DATA / "cp1252-curly-quotes-accents.txt"))
    assert episode.meta.title == "Café Culture"
    assert [t.kind for t in episode.turns] == ["question", "answer"]


def test_newlines_normalised_and_nfc(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    # "e" + combining acute, old Mac CR line ends, Windows CRLF.
    path.write_bytes("Cafe\u0301\rQ: a?\r\nA: b\r\n".encode())
    assert read_script(path) == "Café\nQ: a?\nA: b\n"


def test_the_sample_reads_as_utf8() -> None:
    text = read_script(SAMPLE_SCRIPT)
    assert "Nestor’s rich history" in text
    assert text.endswith("Skip to main content")


def _error(path: Path) -> str:
    with pytest.raises(ScriptError) as info:
        read_script(path)
    message = str(info.value)
    assert "\n" not in message
    assert path.name in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert "no such script file" in _error(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "episodes"
    folder.mkdir()
    assert "directory" in _error(folder)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in _error(path)


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \r\n\t\n\xc2\xa0\n")
    assert "only whitespace" in _error(path)


def test_png_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "cover.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert "binary" in _error(path)


def test_bytes_with_nuls_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Q: hello?\x00\x00A: yes\n")
    assert "binary" in _error(path)


def test_many_control_characters_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    path.write_bytes(bytes(range(1, 9)) * 20 + b"Q: x?\nA: y\n")
    assert "binary" in _error(path)


def test_a_stray_control_character_is_tolerated_and_removed(tmp_path: Path) -> None:
    path = tmp_path / "stray.txt"
    path.write_bytes(b"Q: Why?\n\nA: Because\x07 it is.\n" + b"x" * 200 + b"\x1a")
    text = read_script(path)
    assert "\x07" not in text
    assert "\x1a" not in text
    assert "Because it is." in text


def test_newline_in_file_name_keeps_the_message_on_one_line(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("Windows file names cannot hold newlines")
    path = tmp_path / "odd\nname.txt"
    path.write_bytes(b"")
    with pytest.raises(ScriptError) as info:
        read_script(path)
    assert "\n" not in str(info.value)


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="root (and Windows) can read files whatever their mode",
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Q: a?\nA: b\n")
    path.chmod(0)
    try:
        assert "permission denied" in _error(path)
    finally:
        path.chmod(0o644)


def test_declared_encoding_is_used_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes("Caf\u00e9 \u2019".encode("cp1252"))
    assert read_script(path, declared=lambda data: "cp1252") == "Caf\u00e9 \u2019"
    with pytest.raises(ScriptError, match="declares the encoding utf-8 but is not valid utf-8"):
        read_script(path, declared=lambda data: "utf-8")


def test_byte_order_mark_wins_over_a_declared_encoding(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"\xef\xbb\xbf" + "Caf\u00e9".encode())
    assert read_script(path, declared=lambda data: "cp1252") == "Caf\u00e9"


def test_the_limit_counts_the_bytes_read_not_the_size_reported() -> None:
    # A file in /proc reports a size of 0 and holds more: only what is read counts.
    maps = Path("/proc/self/maps")
    if not maps.is_file() or maps.stat().st_size != 0:
        pytest.skip("needs Linux's /proc, whose files report a size of 0")
    with pytest.raises(ScriptError, match=r"is over the limit of 0\.0001 MB for a script"):
        read_script(maps, limit_bytes=100)
