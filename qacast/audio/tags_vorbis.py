"""Vorbis comments, chapters and cover for Opus (Ogg) and FLAC files, with mutagen.

Chapters follow Xiph's chapter extension (``CHAPTER001=00:01:02.345``,
``CHAPTER001NAME=title``), written by mutagen because ffmpeg 5.1 wrote them
up to 1 s late. The cover is a FLAC picture block (type 3, front cover): a
real block in FLAC, base64 ``METADATA_BLOCK_PICTURE`` in Opus.
"""
# mypy: disallow-untyped-calls=False
# (mutagen's methods are unannotated; only the tagging modules call them.)

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path

from mutagen.flac import FLAC, Picture, VCFLACDict
from mutagen.id3 import PictureType
from mutagen.oggopus import OggOpus, OggOpusVComment
from PIL import Image

from qacast.errors import EngineError
from qacast.models import Chapter, EpisodeTags

# EpisodeTags field -> Vorbis comment field (names as in the Vorbis I spec and
# what players read: TRACKNUMBER, COMMENT, LYRICS).
VORBIS_FIELDS: dict[str, str] = {
    "title": "TITLE",
    "artist": "ARTIST",
    "album": "ALBUM",
    "genre": "GENRE",
    "track": "TRACKNUMBER",
    "date": "DATE",
    "comment": "COMMENT",
    "language": "LANGUAGE",  # ISO 639-2, as MusicBrainz Picard writes it
}
TRANSCRIPT_FIELD = "LYRICS"
COVER_FIELD = "METADATA_BLOCK_PICTURE"
# Fixed padding: mutagen otherwise sizes it from the file's history, so bytes
# would differ between rebuilds.
PADDING_BYTES = 1024


def vorbis_comments(
    tags: EpisodeTags, chapters: Sequence[Chapter], transcript: str = ""
) -> list[tuple[str, str]]:
    """The comments in the order they are written: fields, chapters, transcript."""
    comments = []
    for field_name, key in VORBIS_FIELDS.items():
        value = getattr(tags, field_name)
        if value not in (None, ""):
            comments.append((key, str(value)))
    for number, chapter in enumerate(chapters, start=1):
        comments.append((f"CHAPTER{number:03d}", chapter_time(chapter.start_ms)))
        comments.append((f"CHAPTER{number:03d}NAME", chapter.title))
    if transcript:
        comments.append((TRANSCRIPT_FIELD, transcript))
    return comments


def chapter_time(ms: int) -> str:
    """HH:MM:SS.mmm, the chapter extension's time format."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def flac_picture(cover: tuple[bytes, str]) -> Picture:
    """A front-cover picture block with the image's real size and depth."""
    data, mime = cover
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        depth_bits = 8 * len(image.getbands())
    picture = Picture()
    picture.type = PictureType.COVER_FRONT
    picture.mime = mime
    picture.desc = ""
    picture.width = width
    picture.height = height
    picture.depth = depth_bits
    picture.data = data
    return picture


def write_opus(
    path: Path,
    tags: EpisodeTags,
    chapters: Sequence[Chapter],
    cover: tuple[bytes, str] | None = None,
    transcript: str = "",
) -> None:
    audio = OggOpus(path)
    comments = _emptied_comments(audio, path)  # ffmpeg's own "encoder" comment goes too
    comments.extend(vorbis_comments(tags, chapters, transcript))
    if cover:
        picture = base64.b64encode(flac_picture(cover).write()).decode("ascii")
        comments.append((COVER_FIELD, picture))
    audio.save(padding=lambda _info: PADDING_BYTES)


def write_flac(
    path: Path,
    tags: EpisodeTags,
    chapters: Sequence[Chapter],
    cover: tuple[bytes, str] | None = None,
    transcript: str = "",
) -> None:
    audio = FLAC(path)
    _emptied_comments(audio, path).extend(vorbis_comments(tags, chapters, transcript))
    audio.clear_pictures()
    if cover:
        audio.add_picture(flac_picture(cover))
    audio.save(padding=lambda _info: PADDING_BYTES)


def _emptied_comments(audio: OggOpus | FLAC, path: Path) -> OggOpusVComment | VCFLACDict:
    if audio.tags is None:
        audio.add_tags()
    comments = audio.tags
    if not isinstance(comments, OggOpusVComment | VCFLACDict):
        raise EngineError(f"cannot tag {path.name}: no Vorbis comment block")
    comments.clear()
    return comments
