"""iTunes-style MP4 atoms and cover for M4A files, with mutagen.

mutagen cannot write MP4 chapters, so ``qacast.audio.encode`` writes them with
ffmpeg (a QuickTime chapter track and a Nero ``chpl`` atom); this
tagger only checks they are there.
"""
# mypy: disallow-untyped-calls=False
# (mutagen's methods are unannotated; only the tagging modules call them.)

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm, MP4Tags

from qacast.errors import EngineError
from qacast.models import Chapter, EpisodeTags

# EpisodeTags field -> MP4 atom; "track" is the trkn pair, below.
MP4_TEXT_ATOMS: dict[str, str] = {
    "title": "\xa9nam",
    "artist": "\xa9ART",
    "album": "\xa9alb",
    "genre": "\xa9gen",
    "date": "\xa9day",
    "comment": "\xa9cmt",
}
TRACK_ATOM = "trkn"  # (track, total); 0 is "total unknown"
TRANSCRIPT_ATOM = "\xa9lyr"
LANGUAGE_ATOM = "----:com.apple.iTunes:LANGUAGE"
COVER_ATOM = "covr"
COVER_FORMATS: dict[str, int] = {
    "image/jpeg": MP4Cover.FORMAT_JPEG,
    "image/png": MP4Cover.FORMAT_PNG,
}
# Fixed padding ("free" atom): mutagen otherwise sizes it from the file's history.
PADDING_BYTES = 1024


def write_mp4(
    path: Path,
    tags: EpisodeTags,
    chapters: Sequence[Chapter],
    cover: tuple[bytes, str] | None = None,
    transcript: str = "",
) -> None:
    audio = MP4(path)
    found = len(audio.chapters or ())
    if found != len(chapters):
        raise EngineError(
            f"{path.name} has {found} chapters, expected {len(chapters)}: "
            "M4A chapters are written by encode(), from the same timeline"
        )
    if audio.tags is None:
        audio.add_tags()
    atoms = audio.tags
    if not isinstance(atoms, MP4Tags):
        raise EngineError(f"cannot tag {path.name}: no MP4 metadata")
    atoms.clear()
    for field_name, atom in MP4_TEXT_ATOMS.items():
        value = getattr(tags, field_name)
        if value:
            atoms[atom] = [value]
    if tags.language:  # no standard atom: the freeform one iTunes-style taggers use
        atoms[LANGUAGE_ATOM] = [MP4FreeForm(tags.language.encode("utf-8"))]
    if tags.track is not None:
        atoms[TRACK_ATOM] = [(tags.track, 0)]
    if transcript:
        atoms[TRANSCRIPT_ATOM] = [transcript]
    if cover:
        data, mime = cover
        atoms[COVER_ATOM] = [MP4Cover(data, imageformat=COVER_FORMATS[mime])]
    audio.save(padding=lambda _info: PADDING_BYTES)
