"""Where a cold render's time goes: an ASCII timeline of its critical path.

Runs `qacast render SCRIPT --no-cache` in this process with the pipeline's
stages wrapped in time.perf_counter() spans (nothing in qacast changes), then
prints one row per stage, '#' where it was running. The synthesis row is the
time the assembler waited for the next clip, and marks each clip's arrival
with '|'; the encode row is the span encoders (two at most with -j 2), its
seconds their sum. Overlap is two rows with '#' in the same column.

    ../.venv/bin/python profile_render.py [SCRIPT] [--width 72]
"""

from __future__ import annotations

import argparse
import functools
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from harness import REPO

START = time.perf_counter()
SPANS: list[tuple[str, float, float]] = []  # (row, start s, end s) since START
ARRIVALS: list[float] = []
LOCK = threading.Lock()


def timed(row: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter() - START
        try:
            return function(*args, **kwargs)
        finally:
            with LOCK:
                SPANS.append((row, began, time.perf_counter() - START))

    return wrapper


def arrived() -> None:
    with LOCK:
        ARRIVALS.append(time.perf_counter() - START)


def instrument() -> None:
    import qacast.audio.assemble
    import qacast.audio.mastering
    import qacast.pipeline
    from qacast.audio import measured, spans

    # Typed as Any: the stages are patched where the pipeline looks them up.
    pipeline: Any = qacast.pipeline
    assemble: Any = qacast.audio.assemble
    mastering: Any = qacast.audio.mastering
    measurements: Any = measured.Measurements
    span_module: Any = spans
    real_synthesize = pipeline.synthesize_in_order

    def synthesize(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter() - START
        for clip in real_synthesize(*args, **kwargs):
            arrived()
            with LOCK:  # the time the clip took to arrive, waited for by the assembler
                SPANS.append(("synthesis (waited)", began, time.perf_counter() - START))
            yield clip
            began = time.perf_counter() - START

    pipeline.synthesize_in_order = synthesize
    stages = {
        "read_episode": "parse",
        "write_tags": "tags",
        "write_sidecars": "sidecars",
        "generate_cover": "cover",
    }
    for name, row in stages.items():
        setattr(pipeline, name, timed(row, getattr(pipeline, name)))
    mastering.level_clip = timed("level sentences", mastering.level_clip)
    assemble.mix_music = timed("mix music", assemble.mix_music)
    measurements.clip_lufs = timed("measure sentences", measurements.clip_lufs)
    measurements.add_span = timed("measure spans", measurements.add_span)
    span_module.run_ffmpeg_bytes = timed("master+encode span", span_module.run_ffmpeg_bytes)
    span_module.run_ffmpeg = timed("join spans", span_module.run_ffmpeg)


def draw(total_s: float, width: int) -> list[str]:
    rows: dict[str, list[str]] = {}
    for row, began, ended in sorted(SPANS, key=lambda s: s[1]):
        cells = rows.setdefault(row, [" "] * width)
        first = int(began / total_s * (width - 1))
        last = max(first, int(ended / total_s * (width - 1)))
        for col in range(first, last + 1):
            cells[col] = "#"
    synthesis = rows.setdefault("synthesis (waited)", [" "] * width)
    for at in ARRIVALS:
        synthesis[int(at / total_s * (width - 1))] = "|"
    lines = [f"{'':20} 0 s{'':{width - 8}}{total_s:4.1f} s"]
    for row, cells in rows.items():
        busy = sum(e - b for r, b, e in SPANS if r == row)
        lines.append(f"{row:20} {''.join(cells)} {busy:5.2f} s")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("script", nargs="?", default=str(REPO / "scripts" / "mvp-interview.txt"))
    parser.add_argument("--width", type=int, default=72)
    parser.add_argument("--voices", default=None, help="a cast preset (name or .toml path)")
    args = parser.parse_args()
    voices = ["--voices", args.voices] if args.voices else []
    global START
    from qacast.cli import main as cli

    instrument()
    with tempfile.TemporaryDirectory() as out:
        START = time.perf_counter()
        try:
            cli(["render", args.script, "-o", out, "--no-cache", "-q", *voices],
                standalone_mode=False)  # fmt: skip
        finally:
            total_s = time.perf_counter() - START
    for line in draw(total_s, args.width):
        print(line)
    print(f"{len(ARRIVALS)} clips arrived; wall {total_s:.2f} s (imports excluded)")


if __name__ == "__main__":
    main()
