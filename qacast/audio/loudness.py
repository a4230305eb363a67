"""Loudness: measure (ITU-R BS.1770-4), level-match voices, build the mastering filter.

Mastering is static: measure the programme's integrated loudness once, apply
one gain, and catch the peaks with a limiter. A static gain keeps the voices'
dynamics as the engine made them (ffmpeg's ``loudnorm`` fell back to dynamic
mode on TTS speech).

Measurement streams over raw PCM in chunks so a three-hour programme costs a
few megabytes, not its whole length in floats.
"""

from __future__ import annotations

import functools
import math
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# Loudness targets are show settings, parsed and checked with the others;
# re-exported here for the callers that think of them as loudness.
from qacast.config import DBTP_RANGE as DBTP_RANGE
from qacast.config import LOUDNESS_PRESETS as LOUDNESS_PRESETS
from qacast.config import LUFS_RANGE as LUFS_RANGE
from qacast.config import LoudnessTarget as LoudnessTarget
from qacast.config import parse_loudness_target as parse_loudness_target
from qacast.errors import EngineError

# numpy is imported where it is used: importing the render pipeline (as a
# build with nothing to render does) should not cost numpy's start-up.
if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]


# --- BS.1770-4 measurement ----------------------------------------------------

_BLOCK_HOPS = 4  # a 400 ms gating block is four 100 ms hops (75 % overlap)
_HOPS_PER_SECOND = 10
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_LOUDNESS_OFFSET = -0.691  # BS.1770: makes a 997 Hz 0 dBFS sine read -3.01 LUFS
_CHUNK_FRAMES = 1 << 18  # about 12 s at 22.05 kHz; bounds memory whatever the length
_S16_FULL_SCALE = 32768.0


def k_weighting_sos(sample_rate_hz: int) -> FloatArray:
    """BS.1770 K-weighting (high shelf, then high pass) as second-order sections.

    The standard gives coefficients for 48 kHz only; these are the analogue
    parameters that reproduce them exactly, re-derived for any rate with the
    bilinear transform (the same construction as libebur128 and ffmpeg's
    ebur128 filter, so our numbers agree with the one that checks the output).
    """
    import numpy as np

    rate = float(sample_rate_hz)
    # Stage 1: high shelf, +4 dB above ~1.7 kHz (the head's acoustic effect).
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf = [
        (vh + vb * k / q + k * k) / a0,
        2.0 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
        1.0,
        2.0 * (k * k - 1.0) / a0,
        (1.0 - k / q + k * k) / a0,
    ]
    # Stage 2: high pass at ~38 Hz (RLB weighting).
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1.0 + k / q + k * k
    high_pass = [1.0, -2.0, 1.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    return np.array([shelf, high_pass], dtype=np.float64)


_IMPULSE_FLOOR = 1e-10  # the K-weighting impulse response is cut where it stays below this
_IMPULSE_BLOCK = 1024


@functools.cache
def k_weighting_impulse(sample_rate_hz: int) -> FloatArray:
    """The K-weighting filter's impulse response, run until it has died away.

    Filtering is done as FFT convolution with this response (numpy only):
    scipy's IIR filter would cost a second of import time in every command,
    for a response that is below -200 dB after a few thousand samples.
    """
    import numpy as np

    sections = k_weighting_sos(sample_rate_hz)
    state = [[0.0, 0.0] for _ in sections]  # direct form II transposed, per section
    response: list[float] = []
    impulse = 1.0
    while True:
        block = []
        for _ in range(_IMPULSE_BLOCK):
            x, impulse = impulse, 0.0
            for (b0, b1, b2, _a0, a1, a2), z in zip(sections, state, strict=True):
                y = b0 * x + z[0]
                z[0] = b1 * x - a1 * y + z[1]
                z[1] = b2 * x - a2 * y
                x = y
            block.append(x)
        response += block
        if max(abs(v) for v in block) < _IMPULSE_FLOOR:
            return np.array(response, dtype=np.float64)


class LoudnessMeter:
    """Streaming BS.1770-4 integrated loudness for one mono channel.

    Feed samples in any chunk sizes; the K-weighting filter state carries
    across chunks, so the result equals filtering the whole signal at once.
    Only one float per 100 ms hop is kept (0.9 MB for three hours).
    """

    def __init__(self, sample_rate_hz: int) -> None:
        import numpy as np

        if sample_rate_hz <= 0:
            raise ValueError(f"sample rate must be positive, got {sample_rate_hz}")
        self.sample_rate_hz = sample_rate_hz
        self._impulse = k_weighting_impulse(sample_rate_hz)
        # The last len(impulse) - 1 input samples: what the next chunk's
        # filter output still depends on (overlap-save).
        self._history = np.zeros(self._impulse.size - 1, dtype=np.float64)
        self._impulse_spectra: dict[int, npt.NDArray[np.complex128]] = {}
        self._position = 0  # samples fed so far
        self._hop_sums: list[float] = []  # sum of squares of each finished hop
        self._open_sum = 0.0  # sum of squares since the last hop boundary

    def _hop_start(self, hop: int) -> int:
        # Integer arithmetic: rates like 11025 Hz give hops of 1102 or 1103 samples.
        return hop * self.sample_rate_hz // _HOPS_PER_SECOND

    def feed(self, samples: FloatArray) -> None:
        """Add mono samples scaled to +-1.0 full scale."""
        import numpy as np

        if samples.size == 0:
            return
        weighted = self._filter(samples)
        cumulative = np.concatenate(([0.0], np.cumsum(np.square(weighted))))
        start, end = self._position, self._position + samples.size
        cut = 0  # index into this chunk where the open hop began
        hop = len(self._hop_sums) + 1
        while self._hop_start(hop) <= end:
            boundary = self._hop_start(hop) - start
            self._hop_sums.append(self._open_sum + float(cumulative[boundary] - cumulative[cut]))
            self._open_sum = 0.0
            cut = boundary
            hop += 1
        self._open_sum += float(cumulative[-1] - cumulative[cut])
        self._position = end

    def _filter(self, samples: FloatArray) -> FloatArray:
        """Overlap-save FFT convolution, all frames of the chunk in one batch."""
        import numpy as np

        taps = self._impulse.size
        size = 1 << max(14, (4 * taps).bit_length())  # FFT length: a few times the response
        step = size - (taps - 1)  # new output samples per frame
        frames = -(-samples.size // step)
        extended = np.concatenate((self._history, samples, np.zeros(frames * step - samples.size)))
        windows = np.lib.stride_tricks.sliding_window_view(extended, size)[::step]
        if size not in self._impulse_spectra:
            self._impulse_spectra[size] = np.fft.rfft(self._impulse, size)
        filtered = np.fft.irfft(np.fft.rfft(windows, axis=1) * self._impulse_spectra[size], size)
        self._history = np.concatenate((self._history, samples))[-(taps - 1) :]
        return np.asarray(filtered[:, taps - 1 :].reshape(-1)[: samples.size], dtype=np.float64)

    def feed_pcm_s16le(self, pcm: bytes) -> None:
        import numpy as np

        if len(pcm) % 2:
            raise ValueError("s16le PCM must have an even number of bytes")
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / _S16_FULL_SCALE
        self.feed(samples)

    def block_mean_squares(self) -> FloatArray:
        """Mean square of each complete 400 ms block, 100 ms apart.

        Shorter than one block: the whole signal as one block, so a one-word
        answer ("Yes.") still gets a loudness. The standard leaves this undefined.
        """
        import numpy as np

        hops = np.array(self._hop_sums, dtype=np.float64)
        count = hops.size - _BLOCK_HOPS + 1
        if count <= 0:
            if self._position == 0:
                return np.zeros(0, dtype=np.float64)
            total = float(hops.sum()) + self._open_sum
            return np.array([total / self._position], dtype=np.float64)
        window = np.convolve(hops, np.ones(_BLOCK_HOPS), mode="valid")
        lengths = np.array(
            [self._hop_start(j + _BLOCK_HOPS) - self._hop_start(j) for j in range(count)],
            dtype=np.float64,
        )
        return np.asarray(window / lengths, dtype=np.float64)

    def integrated_lufs(self) -> float:
        """Gated integrated loudness; ``-math.inf`` when nothing passes the -70 LUFS gate."""
        return gated_loudness(self.block_mean_squares())


def _lufs(mean_square: float) -> float:
    return _LOUDNESS_OFFSET + 10.0 * math.log10(mean_square) if mean_square > 0 else -math.inf


def gated_loudness(block_mean_squares: FloatArray) -> float:
    """BS.1770-4 two-stage gating over block mean squares; ``-math.inf`` for silence."""
    import numpy as np

    with np.errstate(divide="ignore"):
        block_lufs = _LOUDNESS_OFFSET + 10.0 * np.log10(block_mean_squares)
    above_absolute = block_mean_squares[block_lufs > _ABSOLUTE_GATE_LUFS]
    if above_absolute.size == 0:
        return -math.inf
    relative_gate = _lufs(float(above_absolute.mean())) + _RELATIVE_GATE_LU
    gated = block_mean_squares[(block_lufs > _ABSOLUTE_GATE_LUFS) & (block_lufs > relative_gate)]
    return _lufs(float(gated.mean()))


def integrated_loudness_lufs(pcm_path: Path, sample_rate_hz: int) -> float:
    """Integrated loudness of a raw s16le mono file, read in bounded chunks.

    Returns ``-math.inf`` for silence (nothing above the -70 LUFS gate).
    """
    meter = LoudnessMeter(sample_rate_hz)
    with pcm_path.open("rb") as handle:
        while chunk := handle.read(_CHUNK_FRAMES * 2):
            meter.feed_pcm_s16le(chunk)
    return meter.integrated_lufs()


def loudness_of_pcm(pcm: bytes | Iterable[bytes], sample_rate_hz: int) -> float:
    """Integrated loudness of s16le mono PCM, or of clips measured as one signal.

    Pass all of one speaker's clips (an iterable of byte strings) to measure
    the voice without concatenating them in memory. Clips shorter than 400 ms
    in total are measured as one block; silence gives ``-math.inf``.
    """
    meter = LoudnessMeter(sample_rate_hz)
    pending: list[bytes] = []
    pending_bytes = 0
    for clip in [pcm] if isinstance(pcm, bytes | bytearray) else pcm:
        # Sentences are fed in batches of about _CHUNK_FRAMES: one FFT batch
        # per sentence would cost more than the filtering itself.
        pending.append(bytes(clip))
        pending_bytes += len(clip)
        if pending_bytes >= _CHUNK_FRAMES * 2:
            meter.feed_pcm_s16le(b"".join(pending))
            pending, pending_bytes = [], 0
    if pending:
        meter.feed_pcm_s16le(b"".join(pending))
    return meter.integrated_lufs()


# --- gain ---------------------------------------------------------------------


def apply_gain_s16le(pcm: bytes, gain_db: float) -> bytes:
    """Scale s16le PCM by ``gain_db``, rounding to nearest and clipping at full scale."""
    import numpy as np

    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    scaled = np.rint(samples * 10.0 ** (gain_db / 20.0))
    clipped: npt.NDArray[np.int16] = np.clip(scaled, -32768, 32767).astype("<i2")
    return clipped.tobytes()


# --- the mastering filter -----------------------------------------------------

# alimiter holds *sample* peaks at its limit, so it runs at 4x the output rate
# where sample peaks are within a fraction of a dB of true peaks (BS.1770
# measures true peak the same way). At the output rate it let true peaks of
# the 96 kbps MP3 through up to 0.8 dB above the limit; oversampled, 0.1 dB.
LIMITER_OVERSAMPLING = 4


def limiter_rate_hz(output_rate_hz: int, bandwidth_hz: int | None = None) -> int:
    """The rate the limiter runs at: 4x oversampled, of the signal that is there.

    Speech synthesized at 22.05 kHz has nothing above 11 kHz, so 88.2 kHz gives
    the limiter the same 8 samples per cycle of the highest frequency as 176.4
    kHz would on full-band audio, for 40 % less CPU (measured: the encoded
    true peaks did not move).
    """
    nyquist_hz = (
        output_rate_hz // 2 if bandwidth_hz is None else min(bandwidth_hz, output_rate_hz // 2)
    )
    return max(output_rate_hz, 2 * nyquist_hz * LIMITER_OVERSAMPLING)


# Measured on espeak-ng speech and speech-like test signals through MP3
# (64-128 kbps), AAC 96 kbps and Opus 64 kbps: with the limit 0.5 dB under
# the target, the encoded true peak stayed at least 0.2 dB under target.
LIMITER_MARGIN_DB = 0.5
# AAC's coding noise adds more: on the sample interview at 64 kbps its true
# peak came out 0.4 dB higher after a change that only moved which sentences
# reach the limiter (-1.3 dBTP, then -0.9 against a -1.0 ceiling). A wider
# margin for it, by ffmpeg codec name; pass as ChainOutput(margin_db=...).
CODEC_LIMITER_MARGIN_DB: dict[str, float] = {"aac": 1.0}
# 5 ms look-ahead catches plosives without audible pumping on speech; a
# 50 ms release recovers between syllables.
LIMITER_ATTACK_MS = 5.0
LIMITER_RELEASE_MS = 50.0
# Two identical channels measure 3.01 LU louder than one (BS.1770 sums the
# channels' power), so a stereo file needs that much less gain.
DUAL_MONO_GAIN_DB = 10.0 * math.log10(2.0)
# Level an encoder takes away, by ffmpeg codec name, at podcast bitrates
# (64-128 kbps; libmp3lame loses 0.3 dB at 192 and 0.1 at 320 kbps). Measured
# with ebur128 on the decoded files; pass as ChainOutput(makeup_db=...).
ENCODER_LEVEL_LOSS_DB: dict[str, float] = {
    "libmp3lame": 0.45,
    "aac": 0.1,
    "libopus": 0.1,
}
# soxr at 28 bits: images and passband ripple far below audibility.
_SOXR = "resampler=soxr:precision=28"


def master_gain_db(
    measured_lufs: float, target: LoudnessTarget, *, output_channels: int = 1
) -> float:
    """The static gain that brings a mono programme to the target in the output layout."""
    if not math.isfinite(measured_lufs):
        raise ValueError("cannot master silence: the measured loudness is not finite")
    if output_channels not in (1, 2):
        raise ValueError(f"output_channels must be 1 or 2, got {output_channels}")
    layout_db = DUAL_MONO_GAIN_DB if output_channels == 2 else 0.0
    return target.integrated_lufs - measured_lufs - layout_db


@dataclass(frozen=True)
class ChainOutput:
    """What a mastering chain is made for: the output's rate and channels, and
    the allowances of the encoder that follows the chain."""

    rate_hz: int
    channels: int = 1  # 2: exact dual mono
    # Level the encoder is known to take away, given back up front
    # (ENCODER_LEVEL_LOSS_DB), and how far under the target's true peak the
    # limiter holds (CODEC_LIMITER_MARGIN_DB).
    makeup_db: float = 0.0
    margin_db: float = LIMITER_MARGIN_DB


def master_filter(
    measured_lufs: float,
    target: LoudnessTarget,
    output: ChainOutput,
    bandwidth_hz: int | None = None,
) -> str:
    """The whole ffmpeg ``-af`` chain for a mono programme: gain, resample, limit, layout.

    ``measured_lufs`` is the programme's integrated loudness (mono, as from
    ``integrated_loudness_lufs``). Order matters:

    1. ``volume`` in double precision first, so peaks pushed above full scale
       survive until the limiter instead of clipping in 16-bit.
    2. Resample to 4x the output rate and limit there: true peak is a property
       of the output signal, and limiting before the final resample would let
       the resampler rebuild overshoots between limited samples.
       ``latency=1`` removes the look-ahead delay so timeline times stay
       exact; ``level=disabled`` stops alimiter re-normalising its output.
    3. Resample to the output rate (soxr).
    4. For stereo, copy the channel with ``pan`` (exact dual mono). ffmpeg's
       own ``-ac 2`` upmix lowers each side 3 dB, which would throw both the
       loudness and the peak arithmetic off; the gain already accounts for
       the +3.01 LU of two channels.

    ``output.makeup_db`` adds gain the limiter or encoder is known to take away,
    e.g. ``ENCODER_LEVEL_LOSS_DB["libmp3lame"]``: CBR MP3 decodes 0.45 dB
    quieter than its input. Heavy limiting also lowers integrated loudness
    (about 1 LU when raw espeak speech is pushed to -16 LUFS in mono). The robust way is to
    encode, measure the file (``measure_file_loudness``), and if it is off
    target re-encode once with ``makeup_db = target - measured``.
    """
    channels = output.channels
    gain_db = master_gain_db(measured_lufs, target, output_channels=channels) + output.makeup_db
    limit = 10.0 ** ((target.true_peak_dbtp - output.margin_db) / 20.0)
    filters = [
        f"volume={gain_db:.2f}dB:precision=double",
        f"aresample={limiter_rate_hz(output.rate_hz, bandwidth_hz)}:{_SOXR}",
        (
            f"alimiter=limit={limit:.6f}:attack={LIMITER_ATTACK_MS:g}"
            f":release={LIMITER_RELEASE_MS:g}:level=disabled:latency=1"
        ),
        f"aresample={output.rate_hz}:{_SOXR}",
    ]
    if channels == 2:
        filters.append("pan=stereo|c0=c0|c1=c0")
    return ",".join(filters)


# --- checking an encoded file -------------------------------------------------


@dataclass(frozen=True)
class FileLoudness:
    integrated_lufs: float  # -70.0 or lower for silence (ffmpeg's floor)
    true_peak_dbtp: float  # -inf for digital silence


_SUMMARY_LUFS = re.compile(r"I:\s+(-?[\d.]+|-?inf)\s+LUFS")
_SUMMARY_PEAK = re.compile(r"Peak:\s+(-?[\d.]+|-?inf)\s+dBFS")


def parse_ebur128_summary(stderr: str) -> FileLoudness:
    """Read integrated loudness and true peak from ffmpeg's ``ebur128`` summary."""
    start = stderr.rfind("Summary:")
    summary = stderr[start:] if start >= 0 else ""
    lufs = _SUMMARY_LUFS.search(summary)
    peak = _SUMMARY_PEAK.search(summary)
    if lufs is None or peak is None:
        raise ValueError("no ebur128 summary with integrated loudness and true peak")
    return FileLoudness(float(lufs.group(1)), float(peak.group(1)))


def measure_file_loudness(path: Path, *, ffmpeg_exe: str | None = None) -> FileLoudness:
    """Decode ``path`` with ffmpeg and measure it as players will hear it.

    Uses ffmpeg's ``ebur128=peak=true`` (true peak at 4x oversampling, the
    meter directories use). ``ffmpeg_exe`` defaults to imageio-ffmpeg's binary.
    """
    exe = ffmpeg_exe or _imageio_ffmpeg_exe()
    command = [exe, "-hide_banner", "-nostats", "-i", str(path)]
    command += ["-af", "ebur128=peak=true", "-f", "null", "-"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as err:
        raise EngineError(f"cannot run ffmpeg ({exe}): {err.strerror or err}") from err
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise EngineError(f"ffmpeg could not measure {path}: {last}")
    try:
        return parse_ebur128_summary(done.stderr)
    except ValueError as err:
        raise EngineError(f"ffmpeg could not measure {path}: {err}") from err


def _imageio_ffmpeg_exe() -> str:
    import imageio_ffmpeg  # deferred: resolving the binary touches the file system

    return str(imageio_ffmpeg.get_ffmpeg_exe())
