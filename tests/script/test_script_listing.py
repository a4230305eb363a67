"""Which files in scripts/ are scripts, and what build says of the others."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import pytest
from build_helpers import make_show, run_qacast, session_cache
from locations import DATA_DIR

from qacast.script.read import is_draft, list_scripts

HTML_PAGES = DATA_DIR / "html"


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_text("SI: Hi.\n\nNJP: Hello.\n", encoding="utf-8")


def test_every_supported_type_is_a_script_and_the_rest_is_said(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    _touch(scripts, "a.txt", "b.md", "c.markdown", "d.html", "e.HTM", "f.docx", "notes.pdf")
    _touch(scripts, "i.srt", "j.VTT")
    # Passed over in silence: hidden files, editor backups, Word's lock files, folders.
    _touch(scripts, ".hidden.md", "b.md~", ".b.md.swp", "g.swp", "~$f.docx", "#b.md#", "h.bak")
    (scripts / "images").mkdir()
    listing = list_scripts(scripts)
    assert [p.name for p in listing.scripts] == [
        "a.txt", "b.md", "c.markdown", "d.html", "e.HTM", "f.docx", "i.srt", "j.VTT",
    ]  # fmt: skip
    assert listing.skipped == (
        "scripts/notes.pdf: not a supported script type (.txt, .md, .html, .docx, .srt, .vtt)",
    )


@pytest.mark.parametrize(
    ("front", "draft"),
    [
        ("draft: true", True),
        ("published: false", True),  # Jekyll's way
        ("draft: false", False),
        ("title: x", False),
        ("draft: [broken", False),  # unreadable: build reports it when it renders
    ],
)
def test_is_draft(tmp_path: Path, front: str, draft: bool) -> None:
    script = tmp_path / "talk.md"
    script.write_text(f"---\n{front}\n---\nSI: Hi.\n\nNJP: Hello.\n", encoding="utf-8")
    assert is_draft(script) is draft


def _tiny_docx(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Word Talk"
    for speaker, words in [("Jane", "Where did it start?"), ("Sam", "With a radio."),
                           ("Jane", "Thank you, Sam."), ("Sam", "Thanks.")]:  # fmt: skip
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{speaker}:").bold = True
        paragraph.add_run(f" {words}")
    document.save(str(path))


@pytest.mark.slow
def test_build_takes_html_docx_and_captions_skips_drafts_and_says_so(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    show = make_show(tmp_path)
    scripts = show / "scripts"
    (scripts / "02-escaping.txt").unlink()  # one text episode is enough here
    shutil.copy(HTML_PAGES / "tiny-two-exchanges.html", scripts / "03-page.html")
    _tiny_docx(scripts / "04-word.docx")
    draft = (scripts / "01-radios.txt").read_text(encoding="utf-8")
    (scripts / "05-later.md").write_text(
        draft.replace("episode: 1", "episode: 5\ndraft: true"), encoding="utf-8"
    )
    (scripts / "06-boat-captions.vtt").write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Ana Kovač>Why a boat?\n\n"
        "00:00:02.500 --> 00:00:05.000\n<v Ben Ortiz>My grandfather built one.\n",
        encoding="utf-8",
    )
    (scripts / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (scripts / ".05-later.md.swp").write_bytes(b"\x00swap")
    result = run_qacast("build", show, "--cache-dir", session_cache(tmp_path_factory))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("qacast: ")]
    assert said == [
        "qacast: skipped scripts/notes.pdf: not a supported script type "
        "(.txt, .md, .html, .docx, .srt, .vtt)",
        "qacast: skipped scripts/05-later.md: a draft (front matter draft: true), not published",
    ]
    feed = ET.parse(show / "out" / "feed.xml")
    titles = sorted(item.findtext("title") or "" for item in feed.iter("item"))
    assert titles == ["06 Boat Captions", "Fixing Radios", "Tiny Page Talk", "Word Talk"]
    assert not (show / "out" / "05-later.mp3").exists()
    assert (show / "out" / "03-page.mp3").is_file() and (show / "out" / "04-word.mp3").is_file()
    assert (show / "out" / "06-boat-captions.mp3").is_file()
