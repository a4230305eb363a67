"""The render spine end to end on the sample, read back with mutagen and ffprobe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from qacast.script import parse_script, read_script

from conftest import SAMPLE, decode_to_float, ffprobe_json

TOLERANCE_MS = 50


def test_duration_rate_and_cbr_read_back(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE)
    mp3_file = rendered.files[0]
    timeline_ms = rendered.timeline.duration_ms

    info = MP3(mp3_file.path).info
    assert abs(info.length * 1000 - timeline_ms) <= TOLERANCE_MS
    assert info.sample_rate == 44100
    assert info.channels == 1
    assert info.bitrate_mode == BitrateMode.CBR

    probe = ffprobe_json(mp3_file.path, "-show_format", "-show_streams")
    stream = probe["streams"][0]
    assert stream["codec_name"] == "mp3"
    assert int(stream["sample_rate"]) == 44100
    assert abs(float(probe["format"]["duration"]) * 1000 - timeline_ms) <= TOLERANCE_MS
    assert mp3_file.size_bytes == mp3_file.path.stat().st_size
    assert mp3_file.duration_ms == timeline_ms


def test_every_frame_has_the_constant_bit_rate(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE)
    packets = ffprobe_json(rendered.files[0].path, "-show_packets", "-select_streams", "a")
    sizes = {int(p["size"]) for p in packets["packets"]}
    # 96 kbps at 44.1 kHz: 313.47 bytes a frame, so 313 or 314 with the padding bit.
    assert sizes <= {313, 314}, sizes


def test_tags_equal_what_was_written(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE)
    path = rendered.files[0].path
    tags = ID3(path)
    assert tags.version == (2, 3, 0)
    assert str(tags["TIT2"]) == "Microsoft Most Valuable Professional Program (MVP) History, Goals"
    assert str(tags["TPE1"]) == "Stephen Ibaraki"
    assert str(tags["TALB"]) == "Test Show"
    assert str(tags["TCON"]) == "Podcast"
    assert tags.getall("COMM")[0].text[0]

    probe_tags = ffprobe_json(path, "-show_format")["format"]["tags"]
    assert probe_tags["title"] == str(tags["TIT2"])
    assert probe_tags["artist"] == "Stephen Ibaraki"
    assert probe_tags["album"] == "Test Show"
    assert probe_tags["genre"] == "Podcast"


def test_timeline_speaker_order_equals_the_parse(render_script: Callable[..., Any]) -> None:
    rendered, _ = render_script(SAMPLE)
    episode = parse_script(read_script(SAMPLE), source_name=SAMPLE.name)
    assert [span.speaker_id for span in rendered.timeline.turns] == [
        turn.speaker_id for turn in episode.turns
    ]
    assert [span.kind for span in rendered.timeline.turns] == [t.kind for t in episode.turns]
    starts = [cue.start_ms for cue in rendered.timeline.cues]
    assert starts == sorted(starts)
    assert all(cue.end_ms > cue.start_ms for cue in rendered.timeline.cues)


def _mean_pitch_hz(samples: np.ndarray, rate_hz: int) -> float:
    """Mean f0 over voiced 40 ms frames, by autocorrelation (60-400 Hz)."""
    frame = int(0.04 * rate_hz)
    lags = np.arange(rate_hz // 400, rate_hz // 60)
    pitches = []
    for start in range(0, len(samples) - frame, frame):
        chunk = samples[start : start + frame]
        chunk = chunk - chunk.mean()
        energy = float(np.dot(chunk, chunk))
        if energy < 1e-3:
            continue
        corr = np.array([np.dot(chunk[:-lag], chunk[lag:]) for lag in lags])
        best = int(np.argmax(corr))
        if corr[best] / energy > 0.5:  # clearly voiced
            pitches.append(rate_hz / lags[best])
    return float(np.mean(pitches))


def test_interviewer_and_interviewee_pitch_differ_by_a_quarter(
    render_script: Callable[..., Any],
) -> None:
    rendered, _ = render_script(SAMPLE)
    rate_hz = 22050
    audio = decode_to_float(rendered.files[0].path, rate_hz)
    by_speaker: dict[str, list[np.ndarray]] = {}
    for cue in rendered.timeline.cues[:40]:
        piece = audio[cue.start_ms * rate_hz // 1000 : cue.end_ms * rate_hz // 1000]
        by_speaker.setdefault(cue.speaker_id, []).append(piece)
    si = _mean_pitch_hz(np.concatenate(by_speaker["SI"]), rate_hz)
    njp = _mean_pitch_hz(np.concatenate(by_speaker["NJP"]), rate_hz)
    low, high = sorted((si, njp))
    assert high >= 1.25 * low, (si, njp)
