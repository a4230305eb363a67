"""Every output format: encoded by qacast, read back by tools that did not write it.

ffprobe's answers (Debian's 5.1, or PyAV where it is missing: readback.py)
check codec, rate, duration and chapters; mutagen reads the tags. The
programme is a few seconds of tones built here, so the whole module runs in a
couple of seconds without speech synthesis.
"""
# mypy: disallow-untyped-calls=False
# (mutagen's readers are unannotated.)

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from mutagen.flac import FLAC, Picture
from mutagen.id3 import ID3, PictureType
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus
from mutagen.wave import WAVE
from PIL import Image

from qacast.audio.encode import (
    encode,
    encode_settings,
    ffmetadata_chapters,
    ffmetadata_escape,
    length_multiple_frames,
)
from qacast.audio.ffmpeg import ffmpeg_exe
from qacast.audio.tags import TAGGERS, write_tags
from qacast.errors import AssetError, ConfigError, EngineError
from qacast.formats import FORMATS
from qacast.models import Chapter, EncodeSettings, EpisodeTags, Programme, Timeline

from conftest import decode_to_float, ffprobe_json

INPUT_RATE_HZ = 22050
TOLERANCE_MS = 50
ALL_FORMATS = tuple(FORMATS)
EXPECTED_STREAM = {  # format -> (ffprobe codec_name, output rate)
    "mp3": ("mp3", 44100),
    "m4a": ("aac", 44100),
    "opus": ("opus", 48000),
    "wav": ("pcm_s16le", 44100),
    "flac": ("flac", 44100),
}
TAGS = EpisodeTags(
    title="Zoë on tones — part 1",
    artist="Ada Host",
    album="Test Show",
    track=7,
    date="2024-05-01",
    comment="Three tones; one = two # three.",
)
TRANSCRIPT = "ADA: Why tones?\nZOË: Because they are cheap to make."
# Titles with every character ffmetadata must escape (= ; # \) and a non-ASCII one.
CHAPTER_TITLES = ("Intro = ; # \\ start", "Zoë's answer", "Outro")
TONES_HZ = (440.0, 660.0, 880.0)


def _programme(directory: Path, titles: tuple[str, ...] = CHAPTER_TITLES) -> Programme:
    """About 3 s of tones, one per chapter, padded the way the pipeline pads."""
    settings = tuple(encode_settings(name) for name in ALL_FORMATS)
    multiple = length_multiple_frames(settings, INPUT_RATE_HZ)
    part_frames = INPUT_RATE_HZ  # one second per chapter
    frame_count = -(-part_frames * len(titles) // multiple) * multiple
    t = np.arange(frame_count) / INPUT_RATE_HZ
    tone = np.array(TONES_HZ)[np.minimum(np.arange(frame_count) // part_frames, len(titles) - 1)]
    pcm = (0.3 * np.sin(2 * np.pi * tone * t) * 32767).astype("<i2")
    pcm_path = directory / "programme.pcm"
    pcm_path.write_bytes(pcm.tobytes())
    duration_ms = round(frame_count * 1000 / INPUT_RATE_HZ)
    starts = [i * 1000 for i in range(len(titles))]
    ends = [*starts[1:], duration_ms]
    chapters = tuple(Chapter(title, s, e) for title, s, e in zip(titles, starts, ends, strict=True))
    timeline = Timeline((), (), chapters, duration_ms, INPUT_RATE_HZ, frame_count)
    return Programme(timeline, pcm_path)


def _cover() -> tuple[bytes, str]:
    buf = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 40, 30)).save(buf, "PNG")
    return buf.getvalue(), "image/png"


def _encode_and_tag(programme: Programme, name: str, dest: Path, cover: Any) -> Path:
    encode(programme, encode_settings(name), dest)
    write_tags(dest, name, TAGS, programme.timeline.chapters, cover, TRANSCRIPT)
    return dest


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each format encoded and tagged twice, in two directories."""
    work = tmp_path_factory.mktemp("formats")
    programme = _programme(work)
    cover = _cover()
    files: dict[str, tuple[Path, Path]] = {}
    for name in ALL_FORMATS:
        first, second = (work / run for run in ("a", "b"))
        first.mkdir(exist_ok=True)
        second.mkdir(exist_ok=True)
        ext = FORMATS[name].extension
        files[name] = (
            _encode_and_tag(programme, name, first / f"episode.{ext}", cover),
            _encode_and_tag(programme, name, second / f"episode.{ext}", cover),
        )
    return {"programme": programme, "cover": cover, "files": files}


def _audio_stream(path: Path) -> dict[str, Any]:
    probe = ffprobe_json(path, "-show_streams", "-select_streams", "a")
    streams: list[dict[str, Any]] = probe["streams"]
    assert len(streams) == 1
    return streams[0]


# --- the audio ----------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_codec_rate_and_decoded_audio(made: dict[str, Any], name: str) -> None:
    path = made["files"][name][0]
    stream = _audio_stream(path)
    codec, rate_hz = EXPECTED_STREAM[name]
    assert stream["codec_name"] == codec
    assert int(stream["sample_rate"]) == rate_hz
    assert int(stream["channels"]) == 1

    audio = decode_to_float(path, INPUT_RATE_HZ)
    rms = float(np.sqrt(np.mean(audio**2)))
    assert abs(rms - 0.3 / np.sqrt(2)) < 0.02, rms  # the tones, not silence or noise
    # The middle chapter is the 660 Hz tone: chapters and audio agree in time.
    second = audio[int(1.2 * INPUT_RATE_HZ) : int(1.8 * INPUT_RATE_HZ)]
    spectrum = np.abs(np.fft.rfft(second))
    peak_hz = np.fft.rfftfreq(len(second), 1 / INPUT_RATE_HZ)[int(np.argmax(spectrum))]
    assert abs(peak_hz - TONES_HZ[1]) < 5


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_duration_equals_the_timeline(made: dict[str, Any], name: str) -> None:
    path = made["files"][name][0]
    timeline_ms = made["programme"].timeline.duration_ms
    # ffprobe honours the M4A edit list (AAC priming) and the Opus end trim;
    # for Opus, ffprobe 5.1 still counts the 6.5 ms pre-skip.
    probed_ms = float(ffprobe_json(path, "-show_format")["format"]["duration"]) * 1000
    assert abs(probed_ms - timeline_ms) <= TOLERANCE_MS, probed_ms
    # mutagen too (it ignores the M4A edit list: +1024 priming, padding to a frame).
    info = READERS[name](path).info
    assert abs(info.length * 1000 - timeline_ms) <= TOLERANCE_MS, info.length


def test_encoding_twice_gives_the_same_bytes(made: dict[str, Any]) -> None:
    digests = {
        name: tuple(hashlib.sha256(p.read_bytes()).hexdigest() for p in paths)
        for name, paths in made["files"].items()
    }
    assert set(digests) == set(ALL_FORMATS)
    for name, (first, second) in digests.items():
        assert first == second, name


def test_m4a_has_no_creation_time_and_moov_first(made: dict[str, Any]) -> None:
    path = made["files"]["m4a"][0]
    data = path.read_bytes()
    boxes = _top_level_boxes(data)
    assert boxes.index("moov") < boxes.index("mdat"), boxes  # -movflags +faststart
    mvhd = data.index(b"mvhd")
    creation, modification = data[mvhd + 8 : mvhd + 12], data[mvhd + 12 : mvhd + 16]
    assert creation == modification == b"\0\0\0\0"
    tags = ffprobe_json(path, "-show_format")["format"].get("tags", {})
    assert "creation_time" not in tags
    assert "encoder" not in tags


def _top_level_boxes(data: bytes) -> list[str]:
    names, offset = [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        names.append(data[offset + 4 : offset + 8].decode("latin-1"))
        offset += size
    return names


# --- tags -------------------------------------------------------------------------


def _id3_fields(id3: ID3) -> dict[str, str]:
    return {
        "title": str(id3["TIT2"]),
        "artist": str(id3["TPE1"]),
        "album": str(id3["TALB"]),
        "genre": str(id3["TCON"]),
        "track": str(id3["TRCK"]),
        "date": str(id3["TDRC"]),
        "comment": id3.getall("COMM")[0].text[0],
        "transcript": id3.getall("USLT")[0].text,
    }


def _mp4_fields(path: Path) -> dict[str, str]:
    tags = MP4(path).tags
    assert tags is not None
    return {
        "title": tags["\xa9nam"][0],
        "artist": tags["\xa9ART"][0],
        "album": tags["\xa9alb"][0],
        "genre": tags["\xa9gen"][0],
        "track": str(tags["trkn"][0][0]),
        "date": tags["\xa9day"][0],
        "comment": tags["\xa9cmt"][0],
        "transcript": tags["\xa9lyr"][0],
    }


def _vorbis_fields(comments: Any) -> dict[str, str]:
    names = {"title": "title", "artist": "artist", "album": "album", "genre": "genre"}
    names |= {"track": "tracknumber", "date": "date", "comment": "comment"}
    fields = {field: comments[key][0] for field, key in names.items()}
    return fields | {"transcript": comments["lyrics"][0]}


def _wav_id3(path: Path) -> ID3:
    tags = WAVE(path).tags
    assert tags is not None
    return tags


READ_FIELDS: dict[str, Callable[[Path], dict[str, str]]] = {
    "mp3": lambda path: _id3_fields(ID3(path)),
    "wav": lambda path: _id3_fields(_wav_id3(path)),
    "m4a": _mp4_fields,
    "opus": lambda path: _vorbis_fields(OggOpus(path).tags),
    "flac": lambda path: _vorbis_fields(FLAC(path).tags),
}
# Format -> mutagen's reader for the whole file (stream info and tags).
READERS: dict[str, Callable[[Path], Any]] = {
    "mp3": MP3,
    "wav": WAVE,
    "m4a": MP4,
    "opus": OggOpus,
    "flac": FLAC,
}


def test_every_format_has_a_tagger() -> None:
    # Each format's record names how its files carry tags; every way has a tagger.
    assert {spec.tags for spec in FORMATS.values()} == set(TAGGERS)


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_same_tag_values_everywhere(made: dict[str, Any], name: str) -> None:
    expected = {
        "title": TAGS.title,
        "artist": TAGS.artist,
        "album": TAGS.album,
        "genre": "Podcast",
        "track": "7",
        "date": TAGS.date,
        "comment": TAGS.comment,
        "transcript": TRANSCRIPT,
    }
    path = made["files"][name][0]
    assert READ_FIELDS[name](path) == expected

    # ffprobe maps each format's own names to the same generic keys.
    probe = ffprobe_json(path, "-show_format", "-show_streams", "-select_streams", "a")
    found = {
        key.lower(): value
        for tags in (probe["format"].get("tags", {}), probe["streams"][0].get("tags", {}))
        for key, value in tags.items()
    }
    for key in ("title", "artist", "album", "genre", "comment"):
        assert found[key] == expected[key], key
    assert "encoder" not in found  # ffmpeg's own comment was replaced, not kept


def test_mp3_is_id3v23_with_ctoc_in_time_order(made: dict[str, Any]) -> None:
    id3 = ID3(made["files"]["mp3"][0])
    assert id3.version == (2, 3, 0)
    (toc,) = id3.getall("CTOC")
    starts = {chap.element_id: chap.start_time for chap in id3.getall("CHAP")}
    assert [starts[child] for child in toc.child_element_ids] == [0, 1000, 2000]
    assert not id3.getall("TDRC") or str(id3["TDRC"]) == TAGS.date  # no tagging timestamps
    assert not id3.getall("TDTG")


# --- chapters ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_chapters_read_back_by_ffprobe(made: dict[str, Any], name: str) -> None:
    timeline = made["programme"].timeline
    probe = ffprobe_json(made["files"][name][0], "-show_chapters")
    found = [(round(float(c["start_time"]) * 1000), c["tags"]["title"]) for c in probe["chapters"]]
    assert found == [(c.start_ms, c.title) for c in timeline.chapters]
    last_end_ms = float(probe["chapters"][-1]["end_time"]) * 1000
    # CHAPTERnnn comments have no end: ffprobe ends the last chapter at the
    # stream's duration, which for Opus includes the 6.5 ms pre-skip.
    tolerance_ms = TOLERANCE_MS if name == "opus" else 1
    assert abs(last_end_ms - timeline.duration_ms) < tolerance_ms


@pytest.mark.parametrize("name", ["opus", "flac"])
def test_vorbis_chapter_comments(made: dict[str, Any], name: str) -> None:
    comments = READERS[name](made["files"][name][0]).tags
    assert comments["CHAPTER001"] == ["00:00:00.000"]
    assert comments["CHAPTER002"] == ["00:00:01.000"]
    assert comments["CHAPTER003"] == ["00:00:02.000"]
    assert [comments[f"CHAPTER00{i}NAME"][0] for i in (1, 2, 3)] == list(CHAPTER_TITLES)


def test_m4a_nero_chapters_read_by_mutagen(made: dict[str, Any]) -> None:
    chapters = MP4(made["files"]["m4a"][0]).chapters
    assert chapters is not None
    assert [(round(c.start * 1000), c.title) for c in chapters] == [
        (i * 1000, title) for i, title in enumerate(CHAPTER_TITLES)
    ]


def test_ffmetadata_escapes_special_characters() -> None:
    assert ffmetadata_escape("a=b;c#d\\e\nf") == "a\\=b\\;c\\#d\\\\e\\\nf"
    timeline = Timeline((), (), (Chapter("x", 0, 1001),), 1001, 22050, 22073)
    text = ffmetadata_chapters(timeline)
    assert text.startswith(";FFMETADATA1\n")
    assert "TIMEBASE=1/22050\nSTART=0\nEND=22073\n" in text  # ends with the audio


def test_m4a_tagger_refuses_a_file_without_its_chapters(tmp_path: Path) -> None:
    programme = _programme(tmp_path, titles=("Only",))
    bare = dataclasses.replace(
        programme, timeline=dataclasses.replace(programme.timeline, chapters=())
    )
    dest = tmp_path / "bare.m4a"
    encode(bare, encode_settings("m4a"), dest)
    with pytest.raises(EngineError, match="chapters"):
        write_tags(dest, "m4a", TAGS, programme.timeline.chapters)


# --- cover ------------------------------------------------------------------------


def _cover_picture(name: str, path: Path) -> tuple[int, str, bytes]:
    """(picture type, MIME type, image bytes) as each format stores it."""
    if name in ("mp3", "wav"):
        id3 = ID3(path) if name == "mp3" else _wav_id3(path)
        (apic,) = id3.getall("APIC")
        return int(apic.type), apic.mime, apic.data
    if name == "m4a":
        tags = MP4(path).tags
        assert tags is not None
        (covr,) = tags["covr"]
        mime = {MP4Cover.FORMAT_PNG: "image/png", MP4Cover.FORMAT_JPEG: "image/jpeg"}
        return PictureType.COVER_FRONT, mime[covr.imageformat], bytes(covr)
    if name == "opus":
        comments = OggOpus(path).tags
        assert comments is not None
        (encoded,) = comments["METADATA_BLOCK_PICTURE"]
        picture = Picture(base64.b64decode(encoded))
    else:
        (picture,) = FLAC(path).pictures
    assert (picture.width, picture.height, picture.depth) == (48, 32, 24)
    return int(picture.type), picture.mime, picture.data


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_cover_read_back(made: dict[str, Any], name: str) -> None:
    data, mime = made["cover"]
    assert _cover_picture(name, made["files"][name][0]) == (PictureType.COVER_FRONT, mime, data)


def test_cover_must_be_jpeg_or_png(tmp_path: Path) -> None:
    with pytest.raises(AssetError, match="JPEG or PNG"):
        write_tags(tmp_path / "x.mp3", "mp3", TAGS, (), (b"GIF89a", "image/gif"))


# --- settings ---------------------------------------------------------------------


def test_settings_carry_each_format_s_rate_and_bitrate() -> None:
    assert encode_settings("opus").sample_rate_hz == 48000
    assert encode_settings("m4a") == EncodeSettings("m4a", 64, 44100)
    # One --bitrate serves every format of a render; lossless ones have none.
    assert encode_settings("flac", 128).bitrate_kbps == 0
    assert encode_settings("wav").bitrate_kbps == 0
    with pytest.raises(ConfigError, match="unknown format"):
        encode_settings("aiff")


def test_opus_refuses_a_rate_libopus_cannot_take(tmp_path: Path) -> None:
    programme = _programme(tmp_path)
    with pytest.raises(ConfigError, match="48000"):
        encode(programme, EncodeSettings("opus", 48, 44100), tmp_path / "x.opus")


def test_more_chapters_than_one_ctoc_can_count(tmp_path: Path) -> None:
    """A three-hour oral history has hundreds of questions; a CTOC counts 255."""
    from mutagen.id3 import ID3

    from qacast.audio.tags import build_id3, write_id3
    from qacast.models import Chapter, EpisodeTags

    chapters = [Chapter(f"Question {n}", n * 1000, (n + 1) * 1000) for n in range(600)]
    path = tmp_path / "long.mp3"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono",
         "-t", "600", "-c:a", "libmp3lame", "-b:a", "32k", str(path)],
        check=True,
    )  # fmt: skip
    write_id3(path, build_id3(EpisodeTags("Long", "Host", "Show"), chapters))
    tags = ID3(path)
    top = next(t for t in tags.getall("CTOC") if t.flags & 1)
    parts = [tags[f"CTOC:{child}"] for child in top.child_element_ids]
    children = [c for part in parts for c in part.child_element_ids]
    assert [len(part.child_element_ids) for part in parts] == [255, 255, 90]
    assert [tags[f"CHAP:{c}"].start_time for c in children] == [n * 1000 for n in range(600)]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_one_process_or_two_give_the_same_bytes(tmp_path: Path, name: str) -> None:
    """-j 1 encodes in one ffmpeg, -j 2 pipes mastering into the encoder."""
    from qacast.audio.loudness import LoudnessTarget
    from qacast.audio.master import master_chain

    programme = _programme(tmp_path)
    settings = encode_settings(name)
    chain = master_chain(-20.0, LoudnessTarget(), settings, INPUT_RATE_HZ)
    outputs = []
    for processes in (1, 2):
        dest = tmp_path / f"p{processes}.{FORMATS[name].extension}"
        encode(programme, settings, dest, chain, processes=processes)
        outputs.append(dest.read_bytes())
    assert outputs[0] == outputs[1]
