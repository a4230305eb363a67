"""Programme PCM -> an encoded audio file, resampled once with soxr.

Every format is written by the imageio-ffmpeg binary (never a system ffmpeg)
with bit-exact flags, so the same programme gives the same bytes.
What each format is, and how ffmpeg writes it, is its record in
``qacast.formats``. Tags, cover and most chapters are added afterwards by
``qacast.audio.tags``; only the chapters of a format whose record says so are
written here (M4A's: mutagen cannot write them).
"""

from __future__ import annotations

import math
from pathlib import Path

from qacast.audio.ffmpeg import run_ffmpeg, run_ffmpeg_pipeline
from qacast.errors import ConfigError
from qacast.formats import FORMATS, AudioFormat
from qacast.models import EncodeSettings, Programme, Timeline


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
    limiter); without one the programme is only resampled. A format whose
    record says so (M4A) gets the timeline's chapters here; the others get
    them from the tagger.

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
    chain = chain or f"aresample={settings.sample_rate_hz}:resampler=soxr"
    producer = _mastering_args(programme, settings, chain)
    # Lossless formats always take the pipe: their cheap encoders leave little
    # to share, and the float-to-16-bit step must happen in the same place for
    # the bytes to match (measured: FLAC differed otherwise).
    single = processes == 1 and not spec.lossless
    inputs = ["-f", "f32le", *_output_layout(settings), "-i", "pipe:0"]
    filtering: list[str] = []
    if single:
        inputs = producer[: producer.index("-af")]
        filtering = ["-af", f"{chain},aformat=sample_fmts=flt", *_output_layout(settings)]
    chapters_file = dest.with_name(f"{dest.name}.ffmetadata")
    try:
        encoder = [
            *_with_chapters(inputs, spec, programme.timeline, chapters_file), *filtering,
            *_codec_args(spec, settings, programme.timeline.sample_rate_hz), *BITEXACT_ARGS,
            *spec.muxer_args, "-f", spec.muxer, "-y", str(dest),
        ]  # fmt: skip
        if single:
            run_ffmpeg(encoder, what=f"encoding {settings.format}")
        else:
            run_ffmpeg_pipeline(producer, encoder, what=f"encoding {settings.format}")
    finally:
        chapters_file.unlink(missing_ok=True)


def _output_layout(settings: EncodeSettings) -> list[str]:
    return ["-ar", str(settings.sample_rate_hz), "-ac", str(settings.channels)]


def _mastering_args(programme: Programme, settings: EncodeSettings, chain: str) -> list[str]:
    """The ffmpeg that masters the raw programme into float samples at the output's
    rate and layout: float, so the limiter's output is not re-quantized."""
    return [
        "-f", "s16le", "-ar", str(programme.timeline.sample_rate_hz), "-ac", "1",
        "-i", str(programme.pcm_path), "-af", chain, *_output_layout(settings),
        "-f", "f32le", "-",
    ]  # fmt: skip


def _codec_args(spec: AudioFormat, settings: EncodeSettings, programme_rate_hz: int) -> list[str]:
    codec = list(codec_args(settings))
    if spec.cutoff_at_nyquist:  # the programme has nothing above its own Nyquist
        codec += ["-cutoff", str(programme_rate_hz // 2)]
    return codec


def _with_chapters(
    inputs: list[str], spec: AudioFormat, timeline: Timeline, chapters_file: Path
) -> list[str]:
    """The encoder's inputs and mapping: the raw PCM has no metadata, and -1 keeps
    it that way whatever ffmpeg adds; a format that takes its chapters from
    ffmpeg reads them from an ffmetadata file written here."""
    if not (spec.ffmpeg_chapters and timeline.chapters):
        return [*inputs, "-map", "0:a", "-map_metadata", "-1", "-map_chapters", "-1"]
    chapters_file.write_text(ffmetadata_chapters(timeline), encoding="utf-8")
    # -map_metadata -1 would also drop the chapter titles.
    return [*inputs, "-f", "ffmetadata", "-i", str(chapters_file),
            "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]  # fmt: skip


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
