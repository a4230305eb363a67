"""Issues 2 and 13: a cold render of the sample vs the bare espeak-ng + ffmpeg pipeline.

Baseline: `espeak-ng -f SAMPLE -w x.wav && ffmpeg -i x.wav -ar 44100 -ac 1 -b:a 96k x.mp3`
with the same ffmpeg binary qacast uses (imageio-ffmpeg's). Contender:
`qacast render SAMPLE --no-cache` (cold: nothing synthesized before).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from qacast.audio.ffmpeg import ffmpeg_exe

from harness import QACAST, REPO, Contender, compare, ensure_debian_package

SAMPLE = REPO / "scripts" / "mvp-interview.txt"


def contenders(jobs: int | None = None) -> list[Contender]:
    espeak = ensure_debian_package("espeak-ng", "espeak-ng")
    ffmpeg = ffmpeg_exe()
    jobs_args = ["-j", str(jobs)] if jobs else []
    return [
        Contender(
            "baseline: espeak-ng + ffmpeg",
            lambda w: [
                [espeak, "-f", str(SAMPLE), "-w", str(w / "x.wav")],
                [
                    ffmpeg,
                    "-y",
                    "-i",
                    str(w / "x.wav"),
                    "-ar",
                    "44100",
                    "-ac",
                    "1",
                    "-b:a",
                    "96k",
                    str(w / "x.mp3"),
                ],
            ],
        ),
        Contender(
            "qacast render (cold)",
            lambda w: [
                [*QACAST, "render", str(SAMPLE), "-o", str(w), "--no-cache", "-q", *jobs_args]
            ],
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        medians = compare(contenders(), args.runs, Path(tmp))
    base, ours = medians.values()
    for name, seconds in medians.items():
        print(f"{name:32} {seconds:6.2f} s")
    print(f"ratio qacast / baseline: {ours / base:.2f} (target <= 1.1)")


if __name__ == "__main__":
    main()
