"""What the last build made of each script, so the next build redoes only what changed.

Each rendered episode leaves ``out/.qacast/<slug>.json``: a fingerprint of
every input that shapes its bytes, and what the feed and site need to know
about its outputs (files, durations, chapters). An episode whose fingerprint
matches and whose files are all still there is published without rendering.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qacast import __version__
from qacast.fsutil import write_if_changed
from qacast.models import Chapter, EpisodeFile

STATE_DIR = ".qacast"


def fingerprint(parts: Iterable[tuple[str, bytes | str]]) -> str:
    """One hash over named inputs; the names keep two inputs from trading bytes."""
    digest = hashlib.sha256(f"qacast {__version__}\n".encode())
    for name, value in parts:
        data = value.encode("utf-8") if isinstance(value, str) else value
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class EpisodeRecord:
    slug: str
    inputs: str  # fingerprint of everything the render read
    files: tuple[EpisodeFile, ...]
    sidecars: dict[str, Path]
    chapters: tuple[Chapter, ...]
    cover: Path
    first_built: dt.date  # the pubDate of an episode whose script gives no date

    def outputs_present(self) -> bool:
        paths = [f.path for f in self.files] + list(self.sidecars.values()) + [self.cover]
        sizes_match = all(f.path.is_file() and f.path.stat().st_size == f.size_bytes
                          for f in self.files)  # fmt: skip
        return sizes_match and all(path.is_file() for path in paths)


def record_path(out_dir: Path, slug: str) -> Path:
    return out_dir / STATE_DIR / f"{slug}.json"


def load_record(out_dir: Path, slug: str) -> EpisodeRecord | None:
    """The last build's record, or None when there is none or it cannot be read."""
    try:
        data = json.loads(record_path(out_dir, slug).read_text(encoding="utf-8"))
        return EpisodeRecord(
            slug=data["slug"],
            inputs=data["inputs"],
            files=tuple(
                EpisodeFile(out_dir / f["name"], f["mime_type"], f["duration_ms"], f["size_bytes"])
                for f in data["files"]
            ),
            sidecars={kind: out_dir / name for kind, name in data["sidecars"].items()},
            chapters=tuple(Chapter(**c) for c in data["chapters"]),
            cover=out_dir / data["cover"],
            first_built=dt.date.fromisoformat(data["first_built"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a missing or damaged record only costs a render


def save_record(out_dir: Path, record: EpisodeRecord) -> None:
    data: dict[str, Any] = {
        "slug": record.slug,
        "inputs": record.inputs,
        "files": [
            {
                "name": f.path.name,
                "mime_type": f.mime_type,
                "duration_ms": f.duration_ms,
                "size_bytes": f.size_bytes,
            }
            for f in record.files
        ],
        "sidecars": {kind: path.name for kind, path in sorted(record.sidecars.items())},
        "chapters": [asdict(c) for c in record.chapters],
        "cover": record.cover.name,
        "first_built": record.first_built.isoformat(),
    }
    path = record_path(out_dir, record.slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
