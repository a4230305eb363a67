"""Every audio format qacast writes, one record each: all that is known of it.

Encoding (``audio/encode.py``), tagging (``audio/tags.py``), the show's
settings (``config.py``), the site's download links (``publish/site.py``),
``qacast check`` (``publish/check.py``) and Apple's list of playable
enclosures (``apple.py``) all read these records and nothing else, so a new
format is one row in ``FORMATS`` (and, when no existing tagger can tag its
container, a tagger for it in ``audio/tags.py``).

Only plain values live here: this module imports nothing of qacast's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class AudioFormat:
    name: str  # what --format and qacast.toml's ``formats`` say: "mp3"
    extension: str  # the file's suffix without the dot: "mp3"
    mime_type: str  # what a feed enclosure announces for it
    label: str  # what the site's download link says: "MP3"
    # Whether Apple Podcasts plays it as an episode's enclosure; a format it
    # does not play can only be an alternate enclosure for Apple's listeners.
    apple_plays: bool
    # How tags, chapters and the cover are carried in the file: a key of
    # qacast.audio.tags.TAGGERS ("id3", "mp4", "vorbis-opus"...).
    tags: str
    # --- how the imageio-ffmpeg binary encodes it ---
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
    # Whether the encoder must be told the programme's Nyquist frequency as
    # its cutoff (it would otherwise spend bits, and overshoot, above it).
    cutoff_at_nyquist: bool = False
    # Other types that name the same kind of file (from other producers):
    # ``qacast check`` accepts them for this suffix, the site labels them.
    other_mime_types: tuple[str, ...] = ()
    # What a web server answers for the file, when not ``mime_type``.
    http_type: str = ""
    # A regular expression the file's first bytes match (``qacast check``
    # tells WAV bytes in a ".mp3" by it); b"": none is known, any bytes pass.
    magic: bytes = b""

    @property
    def suffix(self) -> str:
        return f".{self.extension}"

    @property
    def mime_types(self) -> tuple[str, ...]:
        """Every type a file of this format may be announced as, qacast's own first."""
        return (self.mime_type, *self.other_mime_types)

    @property
    def served_type(self) -> str:
        """The Content-Type ``qacast serve`` gives the file."""
        return self.http_type or self.mime_type

    @property
    def lossless(self) -> bool:
        return self.default_bitrate_kbps is None

    @property
    def codec(self) -> str:
        """ffmpeg's encoder name, e.g. "libmp3lame"."""
        return self.codec_args[self.codec_args.index("-c:a") + 1]


# A data table: one record per format.
FORMATS: dict[str, AudioFormat] = {
    # CBR MP3: seeking to a chapter in VBR lands seconds off in long files.
    # No ID3 from ffmpeg (-id3v2_version 0): the tagger writes ID3v2.3 with
    # chapters afterwards.
    "mp3": AudioFormat(
        "mp3", "mp3", "audio/mpeg", "MP3", apple_plays=True, tags="id3",
        muxer="mp3", codec_args=("-c:a", "libmp3lame", "-b:a", "{kbps}k"),
        default_bitrate_kbps=96, frame_samples=1152, muxer_args=("-id3v2_version", "0"),
        # No bit reservoir: a frame would otherwise keep data in the ones before.
        splice_args=("-reservoir", "0"),
        # An ID3 tag, or straight away an MPEG audio frame's 11 sync bits.
        magic=rb"ID3|\xff[\xe0-\xff]",
    ),
    # audio/x-m4a: the enclosure type Apple lists; the web server still
    # answers audio/mp4 for the file itself. faststart puts the moov atom
    # first, so players start before the download ends. mutagen cannot write
    # MP4 chapters: ffmpeg writes them.
    "m4a": AudioFormat(
        "m4a", "m4a", "audio/x-m4a", "M4A", apple_plays=True, tags="mp4",
        muxer="mp4", codec_args=("-c:a", "aac", "-b:a", "{kbps}k"), default_bitrate_kbps=64,
        muxer_args=("-movflags", "+faststart"), ffmpeg_chapters=True,
        # Told nothing, ffmpeg's AAC encoder spends bits up to 20 kHz on a
        # programme with nothing above its own Nyquist, and overshoots the
        # limiter by up to 2 dB (measured +0.1 dBTP; -1.3 with the cutoff).
        cutoff_at_nyquist=True,
        other_mime_types=("audio/mp4",), http_type="audio/mp4",
        magic=rb"....ftyp",  # the ISO media file's first box
    ),
    # libopus runs at 48 kHz only (it would resample again, without soxr).
    "opus": AudioFormat(
        "opus", "opus", "audio/ogg", "Opus", apple_plays=False, tags="vorbis-opus",
        muxer="ogg", codec_args=("-c:a", "libopus", "-b:a", "{kbps}k"), default_bitrate_kbps=48,
        sample_rates_hz=(48000,), other_mime_types=("audio/opus",),
        magic=rb"OggS.{24}OpusHead",  # an Ogg page whose first packet opens an Opus stream
    ),
    "wav": AudioFormat(
        "wav", "wav", "audio/wav", "WAV", apple_plays=False, tags="id3-riff",
        muxer="wav", codec_args=("-c:a", "pcm_s16le"), default_bitrate_kbps=None,
        other_mime_types=("audio/x-wav",), magic=rb"RIFF....WAVE",
    ),
    "flac": AudioFormat(
        "flac", "flac", "audio/flac", "FLAC", apple_plays=False, tags="vorbis-flac",
        muxer="flac", codec_args=("-c:a", "flac"), default_bitrate_kbps=None,
        other_mime_types=("audio/x-flac",), magic=rb"fLaC",
    ),
}  # fmt: skip

# What a show that names no formats is encoded to: the one every app plays.
DEFAULT_FORMAT = "mp3"

# Audio files qacast never writes that a feed made elsewhere may enclose:
# ``qacast check`` reads any built show, so it knows their types too.
OTHER_AUDIO_TYPES: dict[str, tuple[str, ...]] = {
    ".ogg": ("audio/ogg",),
}


def format_of_suffix(suffix: str) -> AudioFormat | None:
    """The format whose files end in ``suffix`` (".mp3", any case); None for none."""
    wanted = suffix.lower()
    return next((spec for spec in FORMATS.values() if spec.suffix == wanted), None)


def holds_format(head: bytes, spec: AudioFormat) -> bool:
    """Whether a file whose first bytes are ``head`` is of ``spec``'s kind (by its magic)."""
    return re.match(spec.magic, head, re.DOTALL) is not None


def format_of_bytes(head: bytes) -> AudioFormat | None:
    """The format whose magic the first bytes ``head`` match; None for none."""
    return next((s for s in FORMATS.values() if s.magic and holds_format(head, s)), None)


def types_of_suffix(suffix: str) -> tuple[str, ...]:
    """The MIME types a file ending in ``suffix`` may be announced as; () when unknown."""
    spec = format_of_suffix(suffix)
    return spec.mime_types if spec else OTHER_AUDIO_TYPES.get(suffix.lower(), ())


def served_type_of_suffix(suffix: str) -> str | None:
    """The Content-Type a web server gives an audio file ending in ``suffix``; None
    when it is no audio file these records know."""
    spec = format_of_suffix(suffix)
    if spec is not None:
        return spec.served_type
    other = OTHER_AUDIO_TYPES.get(suffix.lower())
    return other[0] if other else None


def label_of_type(mime_type: str) -> str | None:
    """The download label of a file announced as ``mime_type``; None when no format has it."""
    return next((spec.label for spec in FORMATS.values() if mime_type in spec.mime_types), None)
