"""Read rendered files back with tools that did not write them.

Debian's ffmpeg/ffprobe (5.1, installed by .ci/run) measure and decode; the
sidecar parsers here are written from the formats' specs, not from
``qacast.publish.sidecars``, so a bug there cannot hide itself.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

TOLERANCE_MS = 50  # durations across formats and chapter ends vs the probed length


def system_tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        pytest.fail(f"{name} is missing: .ci/run installs Debian's ffmpeg for the tests")
    return exe


@dataclass(frozen=True)
class Ebur128:
    integrated_lufs: float
    true_peak_dbtp: float


_SUMMARY_I = re.compile(r"I:\s+(-?[\d.]+|-?inf)\s+LUFS")
_SUMMARY_PEAK = re.compile(r"Peak:\s+(-?[\d.]+|-?inf)\s+dBFS")


def ebur128(source: Path | bytes, rate_hz: int = 44100) -> Ebur128:
    """Measure a file, or raw s16le mono PCM at ``rate_hz``, with ``ebur128=peak=true``."""
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


def decode_s16(path: Path, rate_hz: int = 44100) -> npt.NDArray[np.int16]:
    """Decode the first audio stream to s16 mono at ``rate_hz`` with Debian's ffmpeg."""
    raw = subprocess.run(
        [system_tool("ffmpeg"), "-v", "error", "-i", str(path), "-map", "0:a",
         "-f", "s16le", "-ac", "1", "-ar", str(rate_hz), "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype="<i2")


def probe(path: Path, *args: str) -> dict[str, object]:
    out = subprocess.run(
        [system_tool("ffprobe"), "-v", "error", "-of", "json", *args, str(path)],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    result: dict[str, object] = json.loads(out)
    return result


def probed_duration_ms(path: Path) -> float:
    fmt = probe(path, "-show_format")["format"]
    assert isinstance(fmt, dict)
    return float(fmt["duration"]) * 1000


@dataclass(frozen=True)
class ProbedChapter:
    title: str
    start_ms: float
    end_ms: float


def probed_chapters(path: Path) -> list[ProbedChapter]:
    chapters = probe(path, "-show_chapters")["chapters"]
    assert isinstance(chapters, list)
    return [
        ProbedChapter(
            c.get("tags", {}).get("title", ""),
            float(c["start_time"]) * 1000,
            float(c["end_time"]) * 1000,
        )
        for c in chapters
    ]


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
