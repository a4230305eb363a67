"""Tags, chapters and cover for every output format, written with mutagen.

``write_tags`` is the one entry point; a format's record (``qacast.formats``)
names how its files carry tags, and ``TAGGERS`` the tagger for each way.
Every format gets the same values from ``EpisodeTags``.

MP3 (and WAV) carry ID3v2.3 because Windows players ignore v2.4 and ffmpeg
drops v2.4 chapters whose sub-frames reach 128 bytes (long titles, images).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TRCK,
    USLT,
    CTOCFlags,
    PictureType,
)
from mutagen.wave import _WaveID3  # the ID3 that saves into a RIFF chunk; no public name

from qacast.audio.tags_mp4 import write_mp4
from qacast.audio.tags_vorbis import write_flac, write_opus
from qacast.errors import AssetError, EngineError, QacastError
from qacast.formats import FORMATS
from qacast.models import Chapter, EpisodeTags

# EpisodeTags field -> ID3 text frame. One line per tag, one place to look.
ID3_TEXT_FRAMES: dict[str, Callable[..., Any]] = {
    "title": TIT2,
    "artist": TPE1,
    "album": TALB,
    "genre": TCON,
    "track": TRCK,
    "date": TDRC,  # mutagen writes it as TYER/TDAT in v2.3
    "language": TLAN,  # ISO 639-2, "fra"
}
# Fixed padding: mutagen otherwise sizes it from the file's history, so bytes
# would differ between rebuilds.
PADDING_BYTES = 1024
CTOC_MAX_CHILDREN = 255  # the entry count is a single byte
TEXT_ENCODING = 1  # UTF-16 with BOM: the Unicode encoding v2.3 readers understand
LANGUAGE = "eng"


class ChapteredID3(ID3):
    """ID3 that writes CHAP frames in time order.

    mutagen sorts frames by size and ffmpeg-based readers list chapters in file
    order, so the CHAP frames are put back in time order in the slots they were
    given. Other frames keep mutagen's order.
    """

    def _write(self, config: Any) -> bytearray:
        data = bytes(super()._write(config))
        frames = list(_split_frames(data, syncsafe=config.v2_version == 4))
        chap_slots = [i for i, frame in enumerate(frames) if frame[:4] == b"CHAP"]
        in_time_order = sorted((frames[i] for i in chap_slots), key=_chap_start_ms)
        for slot, frame in zip(chap_slots, in_time_order, strict=True):
            frames[slot] = frame
        return bytearray(b"".join(frames))


def _split_frames(data: bytes, *, syncsafe: bool) -> Iterator[bytes]:
    offset = 0
    while offset + 10 <= len(data):
        raw = data[offset + 4 : offset + 8]
        if syncsafe:
            size = (raw[0] << 21) | (raw[1] << 14) | (raw[2] << 7) | raw[3]
        else:
            size = int.from_bytes(raw, "big")
        yield data[offset : offset + 10 + size]
        offset += 10 + size
    if offset < len(data):
        yield data[offset:]


def _chap_start_ms(frame: bytes) -> int:
    body = frame[10:]
    after_id = body.index(b"\0") + 1  # the element id is a NUL-terminated string
    return int.from_bytes(body[after_id : after_id + 4], "big")


def build_id3(
    tags: EpisodeTags,
    chapters: Sequence[Chapter] = (),
    cover: tuple[bytes, str] | None = None,
    transcript: str = "",
) -> ID3:
    id3 = ChapteredID3()
    for field_name, frame in ID3_TEXT_FRAMES.items():
        value = getattr(tags, field_name)
        if value not in (None, ""):
            id3.add(frame(encoding=TEXT_ENCODING, text=[str(value)]))
    if tags.comment:
        id3.add(COMM(encoding=TEXT_ENCODING, lang=LANGUAGE, desc="", text=[tags.comment]))
    if transcript:
        id3.add(USLT(encoding=TEXT_ENCODING, lang=LANGUAGE, desc="", text=transcript))
    if cover:
        data, mime = cover
        id3.add(APIC(encoding=0, mime=mime, type=PictureType.COVER_FRONT, desc="", data=data))
    if chapters:
        ids = [f"chp{i}" for i in range(len(chapters))]
        for element_id, chapter in zip(ids, chapters, strict=True):
            id3.add(
                CHAP(
                    element_id=element_id,
                    start_time=chapter.start_ms,
                    end_time=chapter.end_ms,
                    sub_frames=[TIT2(encoding=TEXT_ENCODING, text=[chapter.title])],
                )
            )
        # mutagen orders frames by size, so CHAPs land out of time order; the
        # CTOC lists them in order for players. A CTOC counts its
        # children in one byte: past 255 chapters (a three-hour oral history),
        # the top-level CTOC lists parts, each part a CTOC of up to 255.
        parts = [ids[i : i + CTOC_MAX_CHILDREN] for i in range(0, len(ids), CTOC_MAX_CHILDREN)]
        if len(parts) > 1:
            for number, part in enumerate(parts, start=1):
                id3.add(_ctoc(f"toc{number}", CTOCFlags.ORDERED, part, f"Part {number}"))
            ids = [f"toc{number}" for number in range(1, len(parts) + 1)]
        id3.add(_ctoc("toc", CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, ids, "Chapters"))
    id3.update_to_v23()
    return id3


def _ctoc(element_id: str, flags: int, children: list[str], title: str) -> CTOC:
    return CTOC(
        element_id=element_id,
        flags=flags,
        child_element_ids=children,
        sub_frames=[TIT2(encoding=TEXT_ENCODING, text=[title])],
    )


def write_id3(path: Path, id3: ID3) -> None:
    try:
        id3.save(str(path), v2_version=3, v1=0, padding=lambda _info: PADDING_BYTES)
    except Exception as exc:  # mutagen raises its own error types and OSError
        raise EngineError(f"cannot tag {path.name}: {exc}") from exc


class ChapteredWaveID3(ChapteredID3, _WaveID3):
    """The same ID3, saved as the "id3 " chunk of a RIFF/WAVE file."""


def write_mp3(
    path: Path,
    tags: EpisodeTags,
    chapters: Sequence[Chapter],
    cover: tuple[bytes, str] | None = None,
    transcript: str = "",
) -> None:
    write_id3(path, build_id3(tags, chapters, cover, transcript))


def write_wav(
    path: Path,
    tags: EpisodeTags,
    chapters: Sequence[Chapter],
    cover: tuple[bytes, str] | None = None,
    transcript: str = "",
) -> None:
    wave_id3 = ChapteredWaveID3()
    for frame in build_id3(tags, chapters, cover, transcript).values():
        wave_id3.add(frame)
    wave_id3.save(str(path), v2_version=3, padding=lambda _info: PADDING_BYTES)


# (path, tags, chapters, cover as (bytes, MIME type), transcript); each tagger
# replaces whatever tags the file had.
Tagger = Callable[[Path, EpisodeTags, Sequence[Chapter], tuple[bytes, str] | None, str], None]

# How a file carries its tags (a format record's ``tags``, qacast.formats) -> its tagger.
TAGGERS: dict[str, Tagger] = {
    "id3": write_mp3,  # ID3v2.3: text frames, COMM, USLT, APIC, CHAP + CTOC
    "mp4": write_mp4,  # iTunes atoms, ©lyr, covr; chapters come from encode()
    "vorbis-opus": write_opus,  # Vorbis comments, CHAPTERnnn, METADATA_BLOCK_PICTURE
    "vorbis-flac": write_flac,  # Vorbis comments, CHAPTERnnn, PICTURE block
    "id3-riff": write_wav,  # an "id3 " chunk with the MP3's frames
}
# What every format can embed (Apple's artwork rule, and MP4's covr types).
COVER_MIME_TYPES = ("image/jpeg", "image/png")


def write_tags(
    path: Path,
    format_name: str,
    tags: EpisodeTags,
    chapters: Sequence[Chapter],
    cover: tuple[bytes, str] | None = None,
    transcript: str = "",
) -> None:
    """Tag an encoded file in place: the same values, chapters and cover in any format.

    ``cover`` is (image bytes, MIME type); ``transcript`` goes where the format
    has a lyrics field (USLT, ©lyr, LYRICS).
    """
    spec = FORMATS.get(format_name)
    if spec is None:
        raise EngineError(f"no tagger for format '{format_name}' (known: {', '.join(FORMATS)})")
    tagger = TAGGERS[spec.tags]
    if cover and cover[1] not in COVER_MIME_TYPES:
        raise AssetError(f"cover must be JPEG or PNG to embed, not {cover[1]}")
    try:
        tagger(path, tags, chapters, cover, transcript)
    except QacastError:
        raise
    except (MutagenError, OSError) as exc:
        raise EngineError(f"cannot tag {path.name}: {exc}") from exc
