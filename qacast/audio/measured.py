"""Loudness measurements kept beside the encoded spans, by what was measured.

An edited answer changes a sentence or two and one span; a rebuild should not
run the K-weighting filter over the whole episode again. A sentence's
loudness is kept by its clip's key, a span's BS.1770 blocks by a hash of its
samples: each is a pure function of its key, so a cached measurement is the
very number a fresh one gives, and a render reads the same whatever the
cache held.

A span is measured on its own, its 400 ms blocks starting at its first
sample. Spans are cut in the middle of pauses, with at least three codec
frames of silence either side, so no block is lost at a cut and the filter
enters each span at rest: the programme's gated loudness over all the spans'
blocks is BS.1770's over the whole programme, give or take the phase of the
block grid (measured: under 0.001 LU on the sample and on a 3-span Otter export).
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING

from qacast.audio.loudness import LoudnessMeter, gated_loudness
from qacast.store import ChecksummedStore

if TYPE_CHECKING:  # numpy is imported where used, as in audio/loudness.py
    from qacast.audio.loudness import FloatArray

MEASURE_FOLDER = "measured"  # inside the span store's folder
MEASURE_SUFFIX = ".measure"
MEASURE_VERSION = 1  # bump when the measurement changes


def measurement_store(spans: ChecksummedStore) -> ChecksummedStore:
    """Measurements kept in a folder of the span store; a build records their use the same way."""
    store = spans.sub_store(MEASURE_FOLDER, suffix=MEASURE_SUFFIX, redo="measuring it again")
    return replace(store, used=spans.used)


def _key(kind: str, material: bytes) -> str:
    return hashlib.sha256(f"{kind}:{MEASURE_VERSION}:".encode() + material).hexdigest()


# Fed to the meter this many bytes at a time (3 s at 22.05 kHz): a 45 s span
# fed whole costs some 45 MB of float copies and FFT windows at once.
FEED_BYTES = 1 << 17


def _blocks(pcm: bytes, rate_hz: int) -> FloatArray:
    meter = LoudnessMeter(rate_hz)
    for start in range(0, len(pcm), FEED_BYTES):
        meter.feed_pcm_s16le(pcm[start : start + FEED_BYTES])
    return meter.block_mean_squares()


class Measurements:
    """Block mean squares of sentences and spans, measured once and kept in ``store``.

    Sentences may be measured from any thread (the one that receives them from
    the speech workers does it as they arrive). Spans are measured in order on
    a thread of this object's own, off the assembler's path; the programme's
    loudness waits for them.
    """

    def __init__(self, spans: ChecksummedStore) -> None:
        self.span_store = spans  # the spans whose measurements these are
        self._store = measurement_store(spans)
        self._clips: dict[str, float] = {}  # clip key -> loudness, measured this render
        self._spans: list[Future[FloatArray]] = []
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="measure")

    def _measured(self, key: str, pcm: bytes, rate_hz: int) -> FloatArray:
        entry = self._store.get_entry(key)
        if entry is not None and len(entry[1]) == 8 * entry[0]:
            import numpy as np

            return np.frombuffer(entry[1], dtype="<f8")
        blocks = _blocks(pcm, rate_hz)
        self._store.put_entry(key, blocks.size, blocks.astype("<f8").tobytes())
        return blocks

    def clip_lufs(self, clip_key: str, pcm: bytes, rate_hz: int) -> float:
        """The integrated loudness of one synthesized sentence (``-inf`` for silence)."""
        if clip_key not in self._clips:
            key = _key(f"clip:{rate_hz}", clip_key.encode())
            self._clips[clip_key] = gated_loudness(self._measured(key, pcm, rate_hz))
        return self._clips[clip_key]

    def add_span(self, pcm: bytes, rate_hz: int) -> None:
        """Count a span of the programme; it is measured in the background."""
        key = _key("span", rate_hz.to_bytes(4, "little") + pcm)
        self._spans.append(self._thread.submit(self._measured, key, pcm, rate_hz))

    def programme_lufs(self) -> float:
        """The gated loudness of every span added, as one programme."""
        import numpy as np

        blocks = [span.result() for span in self._spans]
        return gated_loudness(np.concatenate(blocks) if blocks else np.zeros(0))

    def close(self) -> None:
        self._thread.shutdown(wait=True, cancel_futures=True)
