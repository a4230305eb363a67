"""What mastering and the extra outputs add to a cold MP3 render of the sample.

(a) the bare spine, ``bare_spine.py``: parse -> synthesize (cold) -> assemble ->
    encode (plain resample) -> ID3 tags, MP3 only, through the library.
(b) ``qacast render SAMPLE --no-cache``: the same plus voice levelling,
    loudness measurement, the mastering chain (gain, 4x-oversampled true-peak
    limiter), sidecars, cover and transcript. MP3 only (the show's default).

Both use the same number of speech workers. Target: (b - a) / a <= 0.25.
``--profile`` runs (b) once in-process under cProfile and prints where it goes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from harness import QACAST, REPO, Contender, compare

SAMPLE = REPO / "scripts" / "mvp-interview.txt"
BARE_SPINE = Path(__file__).resolve().parent / "bare_spine.py"
FULL_OPTIONS = ("--no-cache", "-q", "--format", "mp3", "-j")


def contenders(jobs: int) -> list[Contender]:
    return [
        Contender(
            "bare spine (a)",
            lambda w: [[sys.executable, str(BARE_SPINE), str(SAMPLE), str(w), "-j", str(jobs)]],
        ),
        Contender(
            "qacast render (b)",
            lambda w: [[*QACAST, "render", str(SAMPLE), "-o", str(w), *FULL_OPTIONS, str(jobs)]],
        ),
    ]


def profile(jobs: int) -> None:
    import cProfile
    import pstats

    from qacast.cli import main as cli_main

    with tempfile.TemporaryDirectory() as tmp:
        args = ["render", str(SAMPLE), "-o", tmp, *FULL_OPTIONS, str(jobs)]
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            cli_main(args, standalone_mode=False)
        finally:
            profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"qacast/(?!cli)", 25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.profile:
        profile(args.jobs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        medians = compare(contenders(args.jobs), args.runs, Path(tmp))
    bare, full = medians.values()
    for name, seconds in medians.items():
        print(f"{name:24} {seconds:6.2f} s")
    print(
        f"added by mastering and extras: (b - a) / a = {(full - bare) / bare:.2f} (target <= 0.25)"
    )


if __name__ == "__main__":
    main()
