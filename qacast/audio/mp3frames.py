"""What qacast needs to know about MPEG-1 Layer III frames to splice them.

MP3 frames can be cut apart and joined again when the encoder kept no bit
reservoir (each frame then carries all its own data): that is what lets an
edited episode re-encode only the spans it touched (``audio/spans.py``).
"""

from __future__ import annotations

from pathlib import Path

from qacast.errors import EngineError

FRAME_SAMPLES = 1152  # MPEG-1 Layer III
# ffmpeg's libmp3lame reports LAME's 576 samples of delay plus the 529 every
# decoder adds: frame n of an encode decodes to input samples
# [1152 n - 1105, 1152 (n + 1) - 1105). Measured, and tested in test_spans.py.
ENCODER_DELAY_SAMPLES = 576
DECODER_DELAY_SAMPLES = 529

# MPEG-1 Layer III header fields (ISO 11172-3, 2.4.2.3).
BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
SAMPLE_RATES_HZ = (44100, 48000, 32000)
MPEG1_LAYER3 = 0b11111010  # second header byte without the CRC bit: MPEG-1, Layer III

# The Info (Xing) frame ffmpeg writes first, and the LAME tag inside it
# (offsets from the "Info" tag as in ffmpeg's mp3enc.c): the gapless fields
# say how many samples of the decoded stream are encoder delay and padding.
INFO_GAPLESS_OFFSET = 141  # 24 bits: delay << 12 | padding
INFO_TAG_CRC_OFFSET = 154  # CRC-16 of the frame's first 190 bytes (this field zeroed)
INFO_TAG_CRC_SPAN = 190
INFO_TAG_READ_SLACK = 16  # stereo frames keep the tag 15 bytes further in than mono ones


def frame_length_bytes(header: bytes) -> int:
    """The length of the frame starting with ``header`` (4 bytes)."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0b11111110 != MPEG1_LAYER3:
        raise EngineError("the MP3 encoder wrote a frame qacast cannot splice")
    bitrate_index, rate_index = header[2] >> 4, (header[2] >> 2) & 0b11
    if not 0 < bitrate_index < len(BITRATES_KBPS) or rate_index >= len(SAMPLE_RATES_HZ):
        raise EngineError("the MP3 encoder wrote a frame with a free or bad bitrate")
    padding = (header[2] >> 1) & 1
    return 144_000 * BITRATES_KBPS[bitrate_index] // SAMPLE_RATES_HZ[rate_index] + padding


def split_frames(stream: bytes) -> list[bytes]:
    """A raw MP3 stream (no ID3, no Info frame) cut into its frames."""
    frames, position = [], 0
    while position < len(stream):
        length = frame_length_bytes(stream[position : position + 4])
        frames.append(stream[position : position + length])
        position += length
    if position != len(stream):
        raise EngineError("the MP3 encoder's last frame is truncated")
    return frames


def _crc16(data: bytes) -> int:
    # CRC-16/ARC (reflected 0x8005, start 0), the LAME tag's checksum.
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def set_gapless_info(path: Path, delay_samples: int, padding_samples: int) -> None:
    """Write encoder delay and padding into the LAME tag of ``path``'s Info frame.

    ffmpeg copying spliced frames into a file cannot know them and writes 0,
    so gapless players (and ffmpeg itself) would play 576 samples late.
    """
    if not (0 <= delay_samples < 4096 and 0 <= padding_samples < 4096):
        raise EngineError(f"MP3 delay/padding out of range: {delay_samples}/{padding_samples}")
    with path.open("r+b") as file:
        # The checksum covers 190 bytes; in a stereo frame it is stored right after them.
        frame = bytearray(file.read(INFO_TAG_CRC_SPAN + INFO_TAG_READ_SLACK))
        tag = frame.find(b"Info", 0, INFO_TAG_CRC_SPAN)
        crc_at = tag + INFO_TAG_CRC_OFFSET
        if tag < 0 or crc_at + 2 > len(frame):
            raise EngineError(f"{path.name} has no Info frame to record its length in")
        gapless = tag + INFO_GAPLESS_OFFSET
        frame[gapless : gapless + 3] = ((delay_samples << 12) | padding_samples).to_bytes(3, "big")
        frame[crc_at : crc_at + 2] = b"\0\0"
        frame[crc_at : crc_at + 2] = _crc16(bytes(frame[:INFO_TAG_CRC_SPAN])).to_bytes(2, "big")
        file.seek(0)
        file.write(frame)
