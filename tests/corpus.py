"""The transcript corpus: real published interview layouts, each with what a reader expects.

Every fixture `NAME.EXT` in `tests/data/transcripts/` has `NAME.expect.json` beside it.
A `.docx` transcript is stored as `NAME.docx.json`, a small spec that `build_docx` turns
into a real Word file, so that no generated binary is committed.

Keys of an expectation (see MANIFEST.md for the layouts):
- `layout`: which published layout the fixture follows (one line).
- `speakers`: the people, each `{name, role, aliases?}`; `aliases` lists other names a
  reader would accept for the same person (an honorific form, a role word).
- `narrator`: true when the narrator must be listed too (ignored otherwise).
- `questions`: how many turns are questions (the chapters made from questions).
- `title`: the exact title, when the document states one.
- `not_spoken`: furniture that must not occur in what any turn speaks.
- `not_in_text`: markup that must not occur even in the displayed text (captions, pages).
- `spoken`: phrases that must appear, in this order, in the turns' text.
- `language`: the language the words are in (ISO 639-1), as `qacast parse` detects it
  for a show that sets none.
- `date`: the day the episode is dated (ISO 8601), from its front matter or its text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).resolve().parent / "data" / "transcripts"
EXPECT_SUFFIX = ".expect.json"
DOCX_SPEC_SUFFIX = ".docx.json"


@dataclass(frozen=True)
class Expectation:
    """One fixture of the corpus and what parsing it must give."""

    name: str
    source: Path
    data: dict[str, Any]

    @property
    def is_docx_spec(self) -> bool:
        return self.source.name.endswith(DOCX_SPEC_SUFFIX)


def _source_for(expect_path: Path) -> Path:
    stem = expect_path.name[: -len(EXPECT_SUFFIX)]
    candidates = [
        p
        for p in expect_path.parent.iterdir()
        if p.name.startswith(stem + ".") and p.name != expect_path.name
    ]
    if len(candidates) != 1:
        names = sorted(p.name for p in candidates)
        raise ValueError(f"{expect_path.name}: expected one fixture beside it, found {names}")
    return candidates[0]


def load_expectations() -> list[Expectation]:
    """Every fixture of the corpus with its expectation, sorted by name."""
    found = []
    for expect_path in sorted(CORPUS_DIR.glob("*" + EXPECT_SUFFIX)):
        name = expect_path.name[: -len(EXPECT_SUFFIX)]
        data = json.loads(expect_path.read_text(encoding="utf-8"))
        found.append(Expectation(name, _source_for(expect_path), data))
    return found


def build_docx(spec_path: Path, out_dir: Path) -> Path:
    """Write the Word file a `.docx.json` spec describes; return its path.

    The spec: `{"core": {"title": ..., "author": ...}, "paragraphs": [{"style": "Heading 1",
    "runs": [{"text": ..., "bold": true, "italic": false}]}]}`; a paragraph may give
    `"text"` instead of `"runs"`.
    """
    import docx

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    document = docx.Document()
    for key, value in spec.get("core", {}).items():
        setattr(document.core_properties, key, value)
    for para in spec["paragraphs"]:
        paragraph = document.add_paragraph(style=para.get("style", "Normal"))
        runs = para.get("runs", [{"text": para.get("text", "")}])
        for run_spec in runs:
            run = paragraph.add_run(run_spec["text"])
            run.bold = run_spec.get("bold")
            run.italic = run_spec.get("italic")
    out = out_dir / (spec_path.name[: -len(".json")])
    document.save(str(out))
    return out
