"""Read rendered files back with tools that did not write them.

Two readers, the same answers: Debian's ffmpeg/ffprobe when they are installed
(CI installs them), otherwise PyAV, whose wheel bundles its own FFmpeg
libraries. Neither is the imageio-ffmpeg binary that wrote the files, so a bug
in how qacast drives its encoder cannot hide itself. Every test asks through
``probe``/``decode_s16``/``ebur128`` and gets the same shapes from either reader:
``probe`` answers in ffprobe's JSON layout, built from the same libavformat
fields ffprobe prints. ``QACAST_TEST_READER=pyav`` forces PyAV where ffprobe is
installed too.

The sidecar parsers here are written from the formats' specs, not from
``qacast.publish.sidecars``, so a bug there cannot hide itself either.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

TOLERANCE_MS = 50  # durations across formats and chapter ends vs the probed length


def system_tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        pytest.fail(f"{name} is missing: install Debian's ffmpeg, or unset QACAST_TEST_READER")
    return exe


@dataclass(frozen=True)
class Ebur128:
    integrated_lufs: float
    true_peak_dbtp: float


def ebur128(source: Path | bytes, rate_hz: int = 44100) -> Ebur128:
    """Measure a file, or raw s16le mono PCM at ``rate_hz``, with ``ebur128=peak=true``.

    Both readers run FFmpeg's own ebur128 filter, the meter directories use.
    """
    return READER.ebur128(source, rate_hz)


def decode_s16(path: Path, rate_hz: int = 44100) -> npt.NDArray[np.int16]:
    """Decode the first audio stream to s16 mono at ``rate_hz``."""
    return READER.decode_s16(path, rate_hz)


def probe(path: Path, *args: str) -> dict[str, Any]:
    """ffprobe's JSON for ``args`` (-show_format, -show_streams, -show_chapters,
    -show_packets, -select_streams a), from ffprobe or from PyAV."""
    return READER.probe(path, args)


def probed_duration_ms(path: Path) -> float:
    return float(probe(path, "-show_format")["format"]["duration"]) * 1000


@dataclass(frozen=True)
class ProbedChapter:
    title: str
    start_ms: float
    end_ms: float


def probed_chapters(path: Path) -> list[ProbedChapter]:
    chapters = probe(path, "-show_chapters")["chapters"]
    return [
        ProbedChapter(
            c.get("tags", {}).get("title", ""),
            float(c["start_time"]) * 1000,
            float(c["end_time"]) * 1000,
        )
        for c in chapters
    ]


# --- Debian's programs ------------------------------------------------------------


def _cli_probe(path: Path, args: tuple[str, ...]) -> dict[str, Any]:
    out = subprocess.run(
        [system_tool("ffprobe"), "-v", "error", "-of", "json", *args, str(path)],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    result: dict[str, Any] = json.loads(out)
    return result


_SUMMARY_I = re.compile(r"I:\s+(-?[\d.]+|-?inf)\s+LUFS")
_SUMMARY_PEAK = re.compile(r"Peak:\s+(-?[\d.]+|-?inf)\s+dBFS")


def _cli_ebur128(source: Path | bytes, rate_hz: int) -> Ebur128:
    if isinstance(source, Path):
        inputs, stdin = ["-i", str(source), "-map", "0:a"], None
    else:
        inputs, stdin = ["-f", "s16le", "-ar", str(rate_hz), "-ac", "1", "-i", "-"], source
    done = subprocess.run(
        [system_tool("ffmpeg"), "-hide_banner", "-nostats", *inputs,
         "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
        input=stdin, capture_output=True, check=True,
    )  # fmt: skip
    stderr = done.stderr.decode("utf-8", "replace")
    summary = stderr[stderr.rfind("Summary:") :]
    lufs, peak = _SUMMARY_I.search(summary), _SUMMARY_PEAK.search(summary)
    assert lufs and peak, stderr[-2000:]
    return Ebur128(float(lufs.group(1)), float(peak.group(1)))


def _cli_decode_s16(path: Path, rate_hz: int) -> npt.NDArray[np.int16]:
    raw = subprocess.run(
        [system_tool("ffmpeg"), "-v", "error", "-i", str(path), "-map", "0:a",
         "-f", "s16le", "-ac", "1", "-ar", str(rate_hz), "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype="<i2")


# --- PyAV: the same libavformat/libavcodec/libavfilter, from a PyPI wheel ---------

# ffprobe options the PyAV reader answers; anything else is a test asking for
# something new, which must be added here rather than silently ignored.
_SECTIONS = {
    "-show_format": "format",
    "-show_streams": "streams",
    "-show_chapters": "chapters",
    "-show_packets": "packets",
}


def _seconds(value: int | None, time_base: Fraction | None) -> str | None:
    """A timestamp as ffprobe prints it: seconds with six decimals."""
    if value is None or time_base is None:
        return None
    return f"{float(value * time_base):.6f}"


def _without_none(fields: dict[str, Any]) -> dict[str, Any]:
    """ffprobe leaves out what a file does not have, and empty tag lists."""
    return {key: value for key, value in fields.items() if value is not None and value != {}}


def _stream_json(stream: Any) -> dict[str, Any]:
    import av

    context = stream.codec_context  # None for a data stream (an M4A chapter track)
    audio = stream.type == "audio"
    return _without_none(
        {
            "index": stream.index,
            "codec_name": context.codec.canonical_name if context else None,
            "codec_type": stream.type,
            "sample_fmt": context.format.name if audio else None,
            "sample_rate": str(context.sample_rate) if audio else None,
            "channels": context.channels if audio else None,
            "channel_layout": context.layout.name if audio else None,
            "time_base": str(stream.time_base),
            "start_time": _seconds(stream.start_time, stream.time_base),
            "duration": _seconds(stream.duration, stream.time_base),
            "bit_rate": str(context.bit_rate) if context and context.bit_rate else None,
            "disposition": {
                name: int(bool(stream.disposition & flag))
                for name, flag in av.stream.Disposition.__members__.items()
            },
            "tags": dict(stream.metadata),
        }
    )


def _packet_json(packet: Any) -> dict[str, Any]:
    flags = ("K" if packet.is_keyframe else "_") + ("D" if packet.is_discard else "_")
    return _without_none(
        {
            "codec_type": packet.stream.type,
            "stream_index": packet.stream.index,
            "pts": packet.pts,
            "pts_time": _seconds(packet.pts, packet.time_base),
            "dts": packet.dts,
            "dts_time": _seconds(packet.dts, packet.time_base),
            "duration": packet.duration,
            "duration_time": _seconds(packet.duration, packet.time_base),
            "size": str(packet.size),
            "pos": str(packet.pos) if packet.pos is not None and packet.pos >= 0 else None,
            "flags": flags + ("C" if packet.is_corrupt else "_"),
        }
    )


def _chapter_json(chapter: Any) -> dict[str, Any]:
    time_base = Fraction(chapter["time_base"])
    return _without_none(
        {
            "id": chapter["id"],
            "time_base": f"{time_base.numerator}/{time_base.denominator}",
            "start": chapter["start"],
            "start_time": _seconds(chapter["start"], time_base),
            "end": chapter["end"],
            "end_time": _seconds(chapter["end"], time_base),
            "tags": dict(chapter["metadata"]),
        }
    )


def _pyav_probe(path: Path, args: tuple[str, ...]) -> dict[str, Any]:
    import av

    sections: list[str] = []
    audio_only = False
    rest = iter(args)
    for arg in rest:
        if arg in _SECTIONS:
            sections.append(_SECTIONS[arg])
        elif arg == "-select_streams" and next(rest, None) == "a":
            audio_only = True
        else:
            raise NotImplementedError(
                f"the PyAV reader does not answer ffprobe's {arg!r} yet: add it to readback.py"
            )
    result: dict[str, Any] = {}
    with av.open(str(path)) as container:
        streams = [s for s in container.streams if s.type == "audio" or not audio_only]
        if "packets" in sections:
            # The demuxer ends with an empty flush packet that ffprobe does not list.
            packets = container.demux(*streams)
            result["packets"] = [_packet_json(p) for p in packets if p.size]
        if "streams" in sections:
            result["streams"] = [_stream_json(s) for s in streams]
        if "chapters" in sections:
            result["chapters"] = [_chapter_json(c) for c in container.chapters()]
        if "format" in sections:
            result["format"] = _without_none(
                {
                    "filename": str(path),
                    "nb_streams": len(container.streams),
                    "format_name": container.format.name,
                    "start_time": _seconds(container.start_time, Fraction(1, av.time_base)),
                    "duration": _seconds(container.duration, Fraction(1, av.time_base)),
                    "size": str(path.stat().st_size),
                    "bit_rate": str(container.bit_rate) if container.bit_rate else None,
                    "tags": dict(container.metadata),
                }
            )
    return result


def _drain(graph: Any) -> Iterator[Any]:
    """Every frame the filter graph has ready now (or, after the end, at all)."""
    import av

    while True:
        try:
            yield graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return


def _pyav_frames(path: Path) -> tuple[Any, Iterator[Any]]:
    """The first audio stream's template and its decoded frames (-map 0:a), ending
    where the container says the stream ends, as the ffmpeg program does: an M4A
    edit list cuts the encoder's padding off the last AAC frame."""
    import av

    container = av.open(str(path))
    stream = container.streams.audio[0]
    end_s: Fraction | None = None
    if stream.duration is not None and stream.time_base is not None:
        end_s = ((stream.start_time or 0) + stream.duration) * stream.time_base

    def frames() -> Iterator[Any]:
        with container:
            for frame in container.decode(stream):
                kept = frame.samples
                if end_s is not None and frame.pts is not None and frame.time_base is not None:
                    kept = round((end_s - frame.pts * frame.time_base) * frame.sample_rate)
                if kept >= frame.samples:
                    yield frame
                elif kept > 0:
                    yield _first_samples(frame, kept)

    return stream, frames()


def _first_samples(frame: Any, count: int) -> Any:
    import av

    samples = frame.to_ndarray()
    if frame.format.is_planar:  # (channels, samples), else (1, samples x channels)
        samples = samples[:, :count]
    else:
        samples = samples[:, : count * len(frame.layout.channels)]
    cut = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples), format=frame.format.name, layout=frame.layout.name
    )
    cut.sample_rate, cut.pts, cut.time_base = frame.sample_rate, frame.pts, frame.time_base
    return cut


def _pyav_decode_s16(path: Path, rate_hz: int) -> npt.NDArray[np.int16]:
    import av

    _, frames = _pyav_frames(path)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate_hz)
    chunks = [  # a last None flushes the resampler
        out.to_ndarray().reshape(-1)
        for frame in itertools.chain(frames, [None])
        for out in resampler.resample(frame)
    ]
    return np.concatenate(chunks).astype("<i2") if chunks else np.zeros(0, dtype="<i2")


def _pcm_frames(pcm: bytes, rate_hz: int) -> Iterator[Any]:
    """Raw s16le mono PCM as PyAV frames, 100 ms each."""
    import av

    samples = np.frombuffer(pcm, dtype="<i2")
    step = rate_hz // 10
    for start in range(0, len(samples), step):
        frame = av.AudioFrame.from_ndarray(
            samples[start : start + step].reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = rate_hz
        frame.pts = start
        frame.time_base = Fraction(1, rate_hz)
        yield frame


def _pyav_ebur128(source: Path | bytes, rate_hz: int) -> Ebur128:
    """FFmpeg's ebur128 filter through PyAV; ``metadata=1`` hands its readings to
    each frame instead of the log: the running integrated loudness (the last one
    is the summary's) and the true peak, as a linear amplitude."""
    import av

    graph = av.filter.Graph()
    if isinstance(source, Path):
        template, frames = _pyav_frames(source)
        head = graph.add_abuffer(template=template)
    else:
        frames = _pcm_frames(source, rate_hz)
        head = graph.add_abuffer(
            format="s16", layout="mono", sample_rate=rate_hz, time_base=Fraction(1, rate_hz)
        )
    meter = graph.add("ebur128", "peak=true:metadata=1")
    head.link_to(meter)
    meter.link_to(graph.add("abuffersink"))
    graph.configure()
    integrated_lufs, peak = float("-inf"), 0.0
    for frame in itertools.chain(frames, [None]):  # None: the end, the meter's last block
        graph.push(frame)
        for measured in _drain(graph):
            readings = measured.metadata
            integrated_lufs = float(readings.get("lavfi.r128.I", integrated_lufs))
            peak = max(peak, float(readings.get("lavfi.r128.true_peak", 0.0)))
    peak_dbtp = 20 * float(np.log10(peak)) if peak > 0 else float("-inf")
    # The programs' summary prints one decimal: the same precision from both readers.
    return Ebur128(round(integrated_lufs, 1), round(peak_dbtp, 1))


# --- which reader -----------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """One way to read files back; every reader answers in the same shapes."""

    name: str
    programs: tuple[str, ...]  # what must be on PATH
    probe: Callable[[Path, tuple[str, ...]], dict[str, Any]]
    decode_s16: Callable[[Path, int], npt.NDArray[np.int16]]
    ebur128: Callable[[Path | bytes, int], Ebur128]

    def available(self) -> bool:
        return all(shutil.which(program) for program in self.programs)


READERS = {
    "ffprobe": Reader("ffprobe", ("ffprobe", "ffmpeg"), _cli_probe, _cli_decode_s16, _cli_ebur128),
    "pyav": Reader("pyav", (), _pyav_probe, _pyav_decode_s16, _pyav_ebur128),
}


def _choose_reader() -> Reader:
    """Debian's programs where installed, else PyAV; QACAST_TEST_READER=pyav forces PyAV."""
    forced = os.environ.get("QACAST_TEST_READER", "")
    if forced and forced not in READERS:
        raise RuntimeError(f"QACAST_TEST_READER={forced!r}: use one of {sorted(READERS)}")
    if forced:
        return READERS[forced]
    return READERS["ffprobe" if READERS["ffprobe"].available() else "pyav"]


READER = _choose_reader()


def reader_description() -> str:
    """One line for pytest's header: which reader checks the outputs on this machine."""
    if READER.name == "ffprobe":
        return f"readback: Debian's ffprobe/ffmpeg ({shutil.which('ffprobe')})"
    import av

    libs = ".".join(map(str, av.library_versions["libavformat"]))
    return f"readback: PyAV {av.__version__} (libavformat {libs}); no system ffprobe/ffmpeg"


# --- sidecars, parsed from the specs ---------------------------------------------


@dataclass(frozen=True)
class Caption:
    start_ms: int
    end_ms: int
    speaker: str
    text: str  # lines joined with spaces, entities decoded


_VTT_TIME = r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME} --> {_VTT_TIME}(?: .*)?$")
_SRT_TIMING = re.compile(r"^(\d{2,}):(\d{2}):(\d{2}),(\d{3}) --> (\d{2,}):(\d{2}):(\d{2}),(\d{3})$")
_VOICE = re.compile(r"^<v ([^>]+)>(.*)$")


def _ms(h: str, m: str, s: str, f: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f)


def parse_vtt(text: str) -> list[Caption]:
    assert text.startswith("WEBVTT"), text[:40]
    blocks = [b for b in re.split(r"\n{2,}", text.strip()) if b]
    assert blocks[0].splitlines()[0] == "WEBVTT"
    captions = []
    for block in blocks[1:]:
        lines = block.splitlines()
        if not _VTT_TIMING.match(lines[0]):  # an optional cue identifier line
            lines = lines[1:]
        timing = _VTT_TIMING.match(lines[0])
        assert timing, block
        voice = _VOICE.match(lines[1])
        assert voice, f"no <v Speaker> voice tag: {block}"
        body = " ".join([voice.group(2), *lines[2:]]).strip()
        assert "<" not in body and "-->" not in body, body
        captions.append(
            Caption(
                _ms(*timing.groups()[:4]),
                _ms(*timing.groups()[4:]),
                html.unescape(voice.group(1)),
                html.unescape(body),
            )
        )
    return captions


def parse_srt(text: str) -> list[Caption]:
    captions = []
    for number, block in enumerate(re.split(r"\n{2,}", text.strip()), start=1):
        lines = block.splitlines()
        assert lines[0] == str(number), block
        timing = _SRT_TIMING.match(lines[1])
        assert timing, block
        speaker, sep, first = lines[2].partition(": ")
        assert sep, block
        captions.append(
            Caption(
                _ms(*timing.groups()[:4]),
                _ms(*timing.groups()[4:]),
                speaker,
                " ".join([first, *lines[3:]]).strip(),
            )
        )
    return captions
