"""Programme PCM -> an encoded audio file, resampled once with soxr.

Every format is written by the imageio-ffmpeg binary (never a system ffmpeg)
with bit-exact flags, so the same programme gives the same bytes.
Tags, cover and most chapters are added afterwards by ``qacast.audio.tags``;
only M4A chapters are written here, because mutagen cannot write them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from qacast.audio.ffmpeg import run_ffmpeg, run_ffmpeg_pipeline
from qacast.errors import ConfigError
from qacast.models import EncodeSettings, Programme, Timeline


@dataclass(frozen=True)
class Format:
    extension: str
    mime_type: str  # what a feed enclosure announces
    muxer: str
    codec_args: tuple[str, ...]  # "{kbps}" is replaced by the bitrate
    default_bitrate_kbps: int | None  # None: lossless, no bitrate to choose
    sample_rates_hz: tuple[int, ...] = (44100, 48000)  # the first is the default output rate
    frame_samples: int = 1  # samples per codec frame at the output rate
    muxer_args: tuple[str, ...] = ()
    ffmpeg_chapters: bool = False  # chapters written by ffmpeg from an ffmetadata file
    # Encoder arguments that make frames independent, so the format can be
    # encoded in cached spans and spliced (audio/spans.py); None: it cannot.
    splice_args: tuple[str, ...] | None = None

    @property
    def lossless(self) -> bool:
        return self.default_bitrate_kbps is None

    @property
    def codec(self) -> str:
        """ffmpeg's encoder name, e.g. "libmp3lame"."""
        return self.codec_args[self.codec_args.index("-c:a") + 1]


def length_multiple_frames(formats: tuple[EncodeSettings, ...], input_rate_hz: int) -> int:
    """Programme lengths (frames at ``input_rate_hz``) that fill whole codec frames.

    MP3 readers (mutagen, ffprobe) report whole frames and ignore ffmpeg's
    delay/padding tag: a programme that fills its last frame exactly is
    reported 1152 samples (26 ms) long instead of up to 2303 (52 ms). The
    other formats carry their exact length (M4A edit list, Ogg granule
    position, FLAC/WAV sample counts) and need no padding.
    """
    multiple = 1
    for settings in formats:
        per_frame = FORMATS[settings.format].frame_samples * input_rate_hz
        if per_frame % settings.sample_rate_hz == 0:
            multiple = math.lcm(multiple, per_frame // settings.sample_rate_hz)
    return multiple


FORMATS: dict[str, Format] = {
    # CBR MP3: seeking to a chapter in VBR lands seconds off in long files.
    # No ID3 from ffmpeg: the tagger writes ID3v2.3 with chapters afterwards.
    "mp3": Format(
        "mp3", "audio/mpeg", "mp3", ("-c:a", "libmp3lame", "-b:a", "{kbps}k"), 96,
        frame_samples=1152, muxer_args=("-id3v2_version", "0"),
        # No bit reservoir: a frame would otherwise keep data in the ones before.
        splice_args=("-reservoir", "0"),
    ),
    # audio/x-m4a: the enclosure type Apple lists; the web
    # server still answers audio/mp4 for the file itself. faststart puts the
    # moov atom first, so players start before the download ends.
    "m4a": Format(
        "m4a", "audio/x-m4a", "mp4", ("-c:a", "aac", "-b:a", "{kbps}k"), 64,
        muxer_args=("-movflags", "+faststart"), ffmpeg_chapters=True,
    ),
    # libopus runs at 48 kHz only (it would resample again, without soxr).
    "opus": Format(
        "opus", "audio/ogg", "ogg", ("-c:a", "libopus", "-b:a", "{kbps}k"), 48,
        sample_rates_hz=(48000,),
    ),
    "wav": Format("wav", "audio/wav", "wav", ("-c:a", "pcm_s16le"), None),
    "flac": Format("flac", "audio/flac", "flac", ("-c:a", "flac"), None),
}  # fmt: skip

# Same input, same bytes: no encoder version strings, no creation time in the
# MP4 header, a fixed Ogg serial number instead of a random one.
BITEXACT_ARGS = ("-fflags", "+bitexact", "-flags:a", "+bitexact")


def encode_settings(
    format_name: str, bitrate_kbps: int | None = None, channels: int = 1
) -> EncodeSettings:
    """Settings for one format; a bitrate applies to the lossy formats only."""
    spec = FORMATS.get(format_name)
    if spec is None:
        raise ConfigError(f"unknown format '{format_name}' (known: {', '.join(FORMATS)})")
    rate_hz = spec.sample_rates_hz[0]
    if spec.default_bitrate_kbps is None:
        # One --bitrate serves every format of a render; WAV and FLAC have none.
        return EncodeSettings(format_name, 0, rate_hz, channels)
    bitrate = bitrate_kbps or spec.default_bitrate_kbps
    if not 32 <= bitrate <= 320:
        raise ConfigError(f"bitrate must be 32-320 kbps, got {bitrate}")
    return EncodeSettings(format_name, bitrate, rate_hz, channels)


def codec_args(settings: EncodeSettings) -> tuple[str, ...]:
    """The ffmpeg encoder arguments of ``settings``, bitrate filled in."""
    kbps = str(settings.bitrate_kbps)
    return tuple(arg.replace("{kbps}", kbps) for arg in FORMATS[settings.format].codec_args)


def encode(
    programme: Programme,
    settings: EncodeSettings,
    dest: Path,
    chain: str = "",
    processes: int = 2,
) -> None:
    """Encode to ``dest`` (a file, never a pipe: the Xing/LAME header then holds
    the exact length, which players read). ``chain`` is the whole ffmpeg filter chain
    from the programme's rate to the output's (mastering: gain, soxr resampling,
    limiter); without one the programme is only resampled. M4A gets the
    timeline's chapters here; the other formats get them from the tagger.

    With ``processes`` > 1 the filtering and the encoding run as two piped
    ffmpeg processes, each on its own core; with 1 they share one process
    (``-j 1`` means one core). The bytes are the same either way: both paths
    hand the encoder the same 32-bit float samples."""
    spec = FORMATS[settings.format]
    if settings.sample_rate_hz not in spec.sample_rates_hz:
        rates = " or ".join(str(rate) for rate in spec.sample_rates_hz)
        raise ConfigError(
            f"{settings.format} is encoded at {rates} Hz, not {settings.sample_rate_hz}"
        )
    timeline = programme.timeline
    chain = chain or f"aresample={settings.sample_rate_hz}:resampler=soxr"
    codec = list(codec_args(settings))
    if spec.codec == "aac":
        # Told nothing, ffmpeg's AAC encoder spends bits up to 20 kHz on a
        # programme with nothing above its own Nyquist, and overshoots the
        # limiter by up to 2 dB (measured +0.1 dBTP; -1.3 with the cutoff).
        codec += ["-cutoff", str(timeline.sample_rate_hz // 2)]
    rate, channels = str(settings.sample_rate_hz), str(settings.channels)
    # Mastering runs in one ffmpeg, encoding in another, side by side; float
    # samples between them, so the limiter's output is not re-quantized.
    producer = [
        "-f", "s16le", "-ar", str(timeline.sample_rate_hz), "-ac", "1",
        "-i", str(programme.pcm_path), "-af", chain, "-ar", rate, "-ac", channels,
        "-f", "f32le", "-",
    ]  # fmt: skip
    inputs = ["-f", "f32le", "-ar", rate, "-ac", channels, "-i", "pipe:0"]
    filtering: list[str] = []
    # Lossless formats always take the pipe: their cheap encoders leave little
    # to share, and the float-to-16-bit step must happen in the same place for
    # the bytes to match (measured: FLAC differed otherwise).
    single = processes == 1 and not spec.lossless
    if single:
        inputs = producer[: producer.index("-af")]
        filtering = ["-af", f"{chain},aformat=sample_fmts=flt", "-ar", rate, "-ac", channels]
    # The raw PCM has no metadata; -1 keeps it that way whatever ffmpeg adds.
    mapping = ["-map", "0:a", "-map_metadata", "-1", "-map_chapters", "-1"]
    chapters_file = dest.with_name(f"{dest.name}.ffmetadata")
    if spec.ffmpeg_chapters and timeline.chapters:
        chapters_file.write_text(ffmetadata_chapters(timeline), encoding="utf-8")
        inputs += ["-f", "ffmetadata", "-i", str(chapters_file)]
        # -map_metadata -1 would also drop the chapter titles.
        mapping = ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
    encoder = [
        *inputs, *mapping, *filtering, *codec, *BITEXACT_ARGS, *spec.muxer_args,
        "-f", spec.muxer, "-y", str(dest),
    ]  # fmt: skip
    try:
        if single:
            run_ffmpeg(encoder, what=f"encoding {settings.format}")
        else:
            run_ffmpeg_pipeline(producer, encoder, what=f"encoding {settings.format}")
    finally:
        chapters_file.unlink(missing_ok=True)


def ffmetadata_chapters(timeline: Timeline) -> str:
    """The timeline's chapters as an ffmetadata file, timed in programme frames.

    Frames rather than milliseconds so the last chapter ends exactly where the
    audio does, not up to half a millisecond after it.
    """
    rate_hz = timeline.sample_rate_hz

    def frame(ms: int) -> int:
        return min(timeline.frame_count, round(ms * rate_hz / 1000))

    lines = [";FFMETADATA1"]
    for chapter in timeline.chapters:
        end = (
            timeline.frame_count
            if chapter.end_ms >= timeline.duration_ms
            else frame(chapter.end_ms)
        )
        lines += [
            "[CHAPTER]",
            f"TIMEBASE=1/{rate_hz}",
            f"START={frame(chapter.start_ms)}",
            f"END={end}",
            f"title={ffmetadata_escape(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


# ffmetadata's special characters; each is written with a backslash before it.
_FFMETADATA_SPECIAL = "\\=;#\n"


def ffmetadata_escape(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(f"\\{char}" if char in _FFMETADATA_SPECIAL else char for char in value)
