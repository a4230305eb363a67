"""Programme PCM -> an encoded audio file, resampled once with soxr."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from qacast.audio.ffmpeg import run_ffmpeg
from qacast.errors import ConfigError
from qacast.models import EncodeSettings, Programme


@dataclass(frozen=True)
class Format:
    extension: str
    mime_type: str
    muxer: str
    codec_args: tuple[str, ...]  # "{kbps}" is replaced by the bitrate
    default_bitrate_kbps: int
    frame_samples: int = 1  # samples per codec frame at the output rate


def length_multiple_frames(formats: tuple[EncodeSettings, ...], input_rate_hz: int) -> int:
    """Programme lengths (frames at ``input_rate_hz``) that fill whole codec frames.

    MP3 readers (mutagen, ffprobe) report whole frames and ignore ffmpeg's
    delay/padding tag: a programme that fills its last frame exactly is
    reported 1152 samples (26 ms) long instead of up to 2303 (52 ms).
    """
    multiple = 1
    for settings in formats:
        per_frame = FORMATS[settings.format].frame_samples * input_rate_hz
        if per_frame % settings.sample_rate_hz == 0:
            multiple = math.lcm(multiple, per_frame // settings.sample_rate_hz)
    return multiple


# CBR MP3: seeking to a chapter in VBR lands seconds off in long files (PITFALLS 15).
FORMATS: dict[str, Format] = {
    "mp3": Format("mp3", "audio/mpeg", "mp3", ("-c:a", "libmp3lame", "-b:a", "{kbps}k"), 96, 1152),
}

# Same input, same bytes: no encoder version strings, no source metadata (PITFALLS 23).
BITEXACT_ARGS = ("-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1")


def encode_settings(format_name: str, bitrate_kbps: int | None = None) -> EncodeSettings:
    spec = FORMATS.get(format_name)
    if spec is None:
        raise ConfigError(f"unknown format '{format_name}' (known: {', '.join(FORMATS)})")
    bitrate = bitrate_kbps or spec.default_bitrate_kbps
    if not 32 <= bitrate <= 320:
        raise ConfigError(f"bitrate must be 32-320 kbps, got {bitrate}")
    return EncodeSettings(format=format_name, bitrate_kbps=bitrate)


def encode(programme: Programme, settings: EncodeSettings, dest: Path, filters: str = "") -> None:
    """Encode to ``dest`` (a file, never a pipe: the Xing/LAME header then holds
    the exact length, PITFALLS 15). ``filters`` run after resampling."""
    spec = FORMATS[settings.format]
    rate_in = programme.timeline.sample_rate_hz
    chain = f"aresample={settings.sample_rate_hz}:resampler=soxr"
    if filters:
        chain = f"{chain},{filters}"
    codec = [arg.replace("{kbps}", str(settings.bitrate_kbps)) for arg in spec.codec_args]
    run_ffmpeg(
        [
            "-f", "s16le", "-ar", str(rate_in), "-ac", "1", "-i", str(programme.pcm_path),
            "-af", chain, "-ar", str(settings.sample_rate_hz), "-ac", str(settings.channels),
            *codec, *BITEXACT_ARGS, "-id3v2_version", "0", "-f", spec.muxer, "-y", str(dest),
        ],
        what=f"encoding {settings.format}",
    )  # fmt: skip
