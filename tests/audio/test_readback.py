"""The two readers of readback.py agree: PyAV answers as Debian's ffprobe/ffmpeg do.

On a machine without Debian's programs every readback goes through PyAV, so
PyAV's answers must be the ones ffprobe would give. Where both are installed
(CI), the sample rendered in three formats is read by both and compared:
durations, chapters, tags, streams, packets, decoded samples and loudness.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from readback import READERS

from conftest import SAMPLE

if not READERS["ffprobe"].available():
    pytest.skip(
        "Debian's ffprobe/ffmpeg are missing: these tests compare the PyAV reader with them "
        "(CI's .ci/run installs them)",
        allow_module_level=True,
    )

# Debian's FFmpeg 5.1 and PyAV's newer libraries differ by at most one audio
# frame: 5.1 counts the MP3's LAME info frame (26 ms) in its duration, and
# decodes the M4A's last AAC frame whole, padding included (up to 23 ms).
DURATION_TOLERANCE_MS = 30
LOUDNESS_STEP = 0.1 + 1e-9  # the programs print one decimal: one step apart at most
CLI, PYAV = READERS["ffprobe"], READERS["pyav"]


@pytest.fixture(scope="module")
def files(render_script: Callable[..., Any]) -> list[Path]:
    rendered, _ = render_script(SAMPLE, "mp3,m4a,opus")
    return [file.path for file in rendered.files]


def test_durations_streams_and_tags_agree(files: list[Path]) -> None:
    args = ("-show_format", "-show_streams", "-select_streams", "a")
    for path in files:
        cli, pyav = CLI.probe(path, args), PYAV.probe(path, args)
        cli_ms = float(cli["format"]["duration"]) * 1000
        pyav_ms = float(pyav["format"]["duration"]) * 1000
        assert abs(cli_ms - pyav_ms) <= DURATION_TOLERANCE_MS, (path.name, cli_ms, pyav_ms)
        assert cli["format"].get("tags") == pyav["format"].get("tags"), path.name
        for ours, theirs in zip(cli["streams"], pyav["streams"], strict=True):
            for key in ("codec_name", "codec_type", "sample_rate", "channels"):
                assert ours.get(key) == theirs.get(key), (path.name, key)
            # FFmpeg 5.1 also lists the M4A handler's vendor_id, which newer ones drop.
            ours_tags = {k: v for k, v in ours.get("tags", {}).items() if k != "vendor_id"}
            assert ours_tags == theirs.get("tags", {}), path.name


def test_chapters_agree(files: list[Path]) -> None:
    for path in files:
        cli = CLI.probe(path, ("-show_chapters",))["chapters"]
        pyav = PYAV.probe(path, ("-show_chapters",))["chapters"]
        assert [c.get("tags") for c in cli] == [c.get("tags") for c in pyav], path.name
        assert [c["start_time"] for c in cli] == [c["start_time"] for c in pyav], path.name
        for ours, theirs in zip(cli, pyav, strict=True):
            end_ms = (float(ours["end_time"]) - float(theirs["end_time"])) * 1000
            assert abs(end_ms) <= DURATION_TOLERANCE_MS, path.name


def test_mp3_packets_agree(files: list[Path]) -> None:
    mp3 = next(path for path in files if path.suffix == ".mp3")
    args = ("-show_packets", "-select_streams", "a")
    sizes = [[p["size"] for p in reader.probe(mp3, args)["packets"]] for reader in (CLI, PYAV)]
    assert sizes[0] == sizes[1]


@pytest.mark.parametrize("rate_hz", [44100, 22050])
def test_decoded_samples_agree(files: list[Path], rate_hz: int) -> None:
    for path in files:
        cli = CLI.decode_s16(path, rate_hz).astype(np.int32)
        pyav = PYAV.decode_s16(path, rate_hz).astype(np.int32)
        # The same samples, from the same start; only the M4A's padding differs.
        assert abs(len(cli) - len(pyav)) <= rate_hz * DURATION_TOLERANCE_MS // 1000, path.name
        common = min(len(cli), len(pyav))
        assert np.max(np.abs(cli[:common] - pyav[:common])) <= 2, path.name


def test_loudness_agrees(files: list[Path]) -> None:
    for path in files:
        cli, pyav = CLI.ebur128(path, 44100), PYAV.ebur128(path, 44100)
        assert abs(cli.integrated_lufs - pyav.integrated_lufs) <= LOUDNESS_STEP, (
            path.name,
            cli,
            pyav,
        )
        assert abs(cli.true_peak_dbtp - pyav.true_peak_dbtp) <= LOUDNESS_STEP, (
            path.name,
            cli,
            pyav,
        )
    pcm = PYAV.decode_s16(files[0], 44100).tobytes()
    cli, pyav = CLI.ebur128(pcm, 44100), PYAV.ebur128(pcm, 44100)
    assert abs(cli.integrated_lufs - pyav.integrated_lufs) <= LOUDNESS_STEP, (cli, pyav)
    assert abs(cli.true_peak_dbtp - pyav.true_peak_dbtp) <= LOUDNESS_STEP, (cli, pyav)
