"""Front matter written for Jekyll or Hugo renders on the first try."""

from __future__ import annotations

from pathlib import Path

import mutagen
import pytest
from click.testing import CliRunner

from qacast.cli import main

JEKYLL_SCRIPT = """\
---
layout: post
title: "Radios, Taken Apart"
date: 2024-01-15 10:30:00 +0200
categories: interviews engineering
tags: [careers, radio]
summary: How a habit of opening radios became a career.
draft: false
image: /assets/img/radios.jpg
author: Jane Doe
permalink: /2024/radios/
---
Jane: Where did it start?

Sam: With a screwdriver and my father's radio.

Jane: Thank you, Sam.

Sam: Thank you.
"""


@pytest.mark.slow
def test_jekyll_front_matter_renders_on_the_first_try(tmp_path: Path) -> None:
    script = tmp_path / "radios.md"
    script.write_text(JEKYLL_SCRIPT, encoding="utf-8")
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["render", str(script), "-o", str(out_dir), "-q", "-j", "1", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    mp3 = out_dir / "radios.mp3"
    assert mp3.is_file()
    tags = mutagen.File(mp3)  # type: ignore[attr-defined]
    assert str(tags["TIT2"]) == "Radios, Taken Apart"


def test_parse_verbose_lists_what_the_front_matter_ignored(tmp_path: Path) -> None:
    script = tmp_path / "radios.md"
    script.write_text(JEKYLL_SCRIPT, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", "-v", str(script)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stdout.splitlines() if line.startswith("note: front matter")]
    # The parser's own notes (labels, roles, dropped lines) follow; these are the reader's.
    assert notes == [
        "note: front matter: ignored field 'layout'",
        "note: front matter: ignored field 'permalink'",
        "note: front matter: image '/assets/img/radios.jpg' not found beside the script; "
        "the show's cover is used",
    ]


def test_parse_without_verbose_prints_no_notes(tmp_path: Path) -> None:
    script = tmp_path / "radios.md"
    script.write_text(JEKYLL_SCRIPT, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(script)])
    assert result.exit_code == 0
    assert "note:" not in result.stdout
