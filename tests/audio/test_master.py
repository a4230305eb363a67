"""Loudness: the sample's MP3 measured by another FFmpeg build, not by qacast.

ffmpeg's ``ebur128=peak=true`` (Debian's, or PyAV's: readback.py) is the meter
directories use: integrated loudness per BS.1770 and true peak at 4x
oversampling. The speakers are compared by cutting each one's cue spans (times
from the timeline) out of the decoded MP3 and measuring each speaker's
concatenation the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from readback import TOLERANCE_MS, decode_s16, ebur128, probed_duration_ms

from conftest import SAMPLE

TARGET_LUFS = -19.0
LOUDNESS_TOLERANCE_LU = 1.0
MAX_TRUE_PEAK_DBTP = -1.0
MAX_SPEAKER_SPREAD_LU = 1.0
ALL_LOSSY = "mp3,m4a,opus"


def test_sample_mp3_is_at_target_loudness_under_the_true_peak_ceiling(
    render_script: Callable[..., Any],
) -> None:
    rendered, _ = render_script(SAMPLE)
    measured = ebur128(rendered.files[0].path)
    assert abs(measured.integrated_lufs - TARGET_LUFS) <= LOUDNESS_TOLERANCE_LU, measured
    assert measured.true_peak_dbtp <= MAX_TRUE_PEAK_DBTP, measured


def test_interviewer_and_interviewee_are_within_one_lu(
    render_script: Callable[..., Any],
) -> None:
    rendered, _ = render_script(SAMPLE)
    rate_hz = 44100
    audio = decode_s16(rendered.files[0].path, rate_hz)
    spans: dict[str, list[np.ndarray]] = {}
    for cue in rendered.timeline.cues:
        start, end = cue.start_ms * rate_hz // 1000, -(-cue.end_ms * rate_hz // 1000)
        spans.setdefault(cue.speaker_id, []).append(audio[start:end])
    roles = {s.id: s.role for s in rendered.episode.speakers}
    by_role = {
        roles[speaker]: ebur128(np.concatenate(pieces).tobytes(), rate_hz).integrated_lufs
        for speaker, pieces in spans.items()
    }
    assert {"interviewer", "interviewee"} <= set(by_role), by_role
    spread = max(by_role.values()) - min(by_role.values())
    assert spread <= MAX_SPEAKER_SPREAD_LU, by_role


def test_every_format_lasts_the_timeline_within_50_ms(
    render_script: Callable[..., Any],
) -> None:
    rendered, _ = render_script(SAMPLE, ALL_LOSSY)
    timeline_ms = rendered.timeline.duration_ms
    probed = {f.path.suffix: probed_duration_ms(f.path) for f in rendered.files}
    assert sorted(probed) == [".m4a", ".mp3", ".opus"]
    for suffix, duration_ms in probed.items():
        assert abs(duration_ms - timeline_ms) <= TOLERANCE_MS, (suffix, duration_ms, timeline_ms)
    assert max(probed.values()) - min(probed.values()) <= TOLERANCE_MS, probed
    # The feed announces the timeline's duration for every file.
    assert {f.duration_ms for f in rendered.files} == {timeline_ms}


@pytest.mark.parametrize(
    "suffix",
    [
        ".mp3",
        ".m4a",
        ".opus",
    ],
)
def test_every_format_is_at_target_under_the_ceiling(
    render_script: Callable[..., Any], suffix: str
) -> None:
    rendered, _ = render_script(SAMPLE, ALL_LOSSY)
    (path,) = [f.path for f in rendered.files if f.path.suffix == suffix]
    measured = ebur128(path)
    assert abs(measured.integrated_lufs - TARGET_LUFS) <= LOUDNESS_TOLERANCE_LU, measured
    assert measured.true_peak_dbtp <= MAX_TRUE_PEAK_DBTP, measured
