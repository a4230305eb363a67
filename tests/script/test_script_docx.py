"""Word documents as scripts: built with python-docx here, read back through qacast."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from qacast.cli import main
from qacast.errors import ScriptError
from qacast.script.formats.docx import read_docx
from qacast.script.read import read_episode


def _interview(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Radios, Taken Apart"
    document.core_properties.author = "Jane Doe"
    document.core_properties.created = dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.timezone.utc)
    document.add_heading("Radios, Taken Apart", level=1)
    document.add_paragraph("Sam Okafor repairs radios in a shop in Leeds.")
    document.add_heading("The first radio", level=3)
    label = document.add_paragraph()
    label.add_run("Jane: ").bold = True
    label.add_run("Where did it start? ")
    label.add_run("Tell me").italic = True
    label.add_run(" everything.")
    answer = document.add_paragraph()
    answer.add_run("Sam:").bold = True
    answer.add_run(" With a screwdriver and my father's radio. I needed:")
    document.add_paragraph("a screwdriver,", style="List Bullet")
    document.add_paragraph("a lot of patience.", style="List Number")
    question = document.add_paragraph()
    question.add_run("Jane: Thank you, ").bold = True
    question.add_run("Sam.").bold = True
    document.add_paragraph("")  # an empty paragraph, as Word documents are full of
    document.add_paragraph().add_run("Sam:").bold = True
    document.add_paragraph("Thank you.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Jane", "One more thing?"
    table.cell(1, 0).text, table.cell(1, 1).text = "Sam:", "Always."
    document.save(str(path))
    return path


def test_paragraphs_in_order_with_their_shape(tmp_path: Path) -> None:
    text, _ = read_docx(_interview(tmp_path / "radios.docx"))
    assert text == (
        "# Radios, Taken Apart\n\n"
        "Sam Okafor repairs radios in a shop in Leeds.\n\n"
        "### The first radio\n\n"
        "**Jane:** Where did it start? Tell me everything.\n\n"
        "**Sam:** With a screwdriver and my father's radio. I needed:\n\n"
        "- a screwdriver,\n"
        "- a lot of patience.\n\n"
        "**Jane: Thank you, Sam.**\n\n"
        "**Sam:**\n\n"
        "Thank you.\n\n"
        "Jane: One more thing?\n\n"
        "Sam: Always.\n"
    )


def test_core_properties_stand_in_for_front_matter(tmp_path: Path) -> None:
    _, facts = read_docx(_interview(tmp_path / "radios.docx"))
    assert (facts.title, facts.author, facts.date) == (
        "Radios, Taken Apart", "Jane Doe", dt.date(2024, 1, 15),
    )  # fmt: skip


def test_blank_template_properties_are_not_facts(tmp_path: Path) -> None:
    # python-docx's own template names itself as author, and a day in 2013.
    path = tmp_path / "bare.docx"
    document = docx.Document()
    document.add_paragraph("Q: Hi?")
    document.save(str(path))
    _, facts = read_docx(path)
    assert (facts.title, facts.author, facts.date) == (None, None, None)


def test_labelled_document_parses(tmp_path: Path) -> None:
    path = tmp_path / "talk.docx"
    document = docx.Document()
    document.core_properties.title = "Shop Talk"
    for speaker, words in [("Jane", "Where did it start?"), ("Sam", "With a radio."),
                           ("Jane", "Thank you, Sam."), ("Sam", "Thanks.")]:  # fmt: skip
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{speaker}:").bold = True
        paragraph.add_run(f" {words}")
    document.save(str(path))
    episode, _ = read_episode(path)
    assert episode.meta.title == "Shop Talk"
    assert [s.id for s in episode.speakers] == ["Jane", "Sam"]
    assert [t.text for t in episode.turns] == [
        "Where did it start?", "With a radio.", "Thank you, Sam.", "Thanks.",
    ]  # fmt: skip


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: p.write_bytes(b"PK\x03\x04 cut short"), "not a readable .docx file"),
        (lambda p: p.write_text("plain text saved as .docx"), "not a readable .docx file"),
        (lambda p: _zip(p, {"notes.txt": "x"}), "not a readable .docx file"),
        (lambda p: p.write_bytes(b""), "not a readable .docx file"),
    ],
)
def test_corrupt_document_is_one_line_exit_3(tmp_path: Path, make: object, problem: str) -> None:
    path = tmp_path / "broken.docx"
    make(path)  # type: ignore[operator]
    with pytest.raises(ScriptError, match=problem):
        read_docx(path)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("qacast: error: ")
    assert "broken.docx" in lines[0] and problem in lines[0]
    assert "Traceback" not in result.output


def test_document_without_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(ScriptError, match="the Word document holds no text"):
        read_docx(path)
