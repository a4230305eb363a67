"""Reproducibility: the same inputs give the same bytes in every output file.

The session's ``render_script`` renders each distinct argument set once into a
new out dir with one shared cache; the same formats listed in another order
are the same inputs, so that call is a second, independent render to compare.
That renders with an empty or damaged cache give these bytes too is checked in
test_cache_faults.py, and that clips do not depend on what else was said in
test_synthesis_independent.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import SAMPLE

FORMATS = "mp3,m4a,opus"
SAME_FORMATS_REORDERED = "opus,m4a,mp3"


def _digests(out_dir: Path) -> dict[str, str]:
    return {
        path.relative_to(out_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out_dir.rglob("*"))
        if path.is_file()
    }


def test_two_renders_give_identical_files(render_script: Callable[..., Any]) -> None:
    first, first_dir = render_script(SAMPLE, FORMATS)
    second, second_dir = render_script(SAMPLE, SAME_FORMATS_REORDERED)
    assert first_dir != second_dir
    digests = _digests(first_dir)
    # Audio in every format, every sidecar and the cover are among the files compared.
    expected = {f.path.name for f in first.files} | {p.name for p in first.sidecars.values()}
    expected.add(first.cover.name)
    assert expected <= set(digests), sorted(expected - set(digests))
    assert {".mp3", ".m4a", ".opus", ".vtt", ".srt", ".json", ".md", ".jpg"} <= {
        Path(name).suffix for name in digests
    }
    assert _digests(second_dir) == digests
    assert second.timeline == first.timeline
