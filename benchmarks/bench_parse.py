"""`qacast parse` of a 100 kB transcript vs `python -c pass`: CPU seconds.

The transcript is the sample's interview repeated until it is 100 kB (labels,
lists, bullets and furniture included), written to a temporary folder. Both
commands run alternately, one untimed warm-up each; the figure is the median
CPU time (user + system) of each child process, and the difference is what
parsing costs beyond starting Python.

    python bench_parse.py [--runs N] [--kb SIZE]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "scripts" / "mvp-interview.txt"


def big_transcript(size_bytes: int) -> str:
    """The sample's title and intro once, then its questions and answers until ``size_bytes``."""
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("SI:")
    end = text.index("Tomorrow Nestor")
    head, body, tail = text[:start], text[start:end], text[end:]
    parts = [head]
    while sum(len(p.encode("utf-8")) for p in parts) < size_bytes:
        parts.append(body)
    parts.append(tail)
    return "".join(parts)


def cpu_seconds(command: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--kb", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        script = Path(work) / "big-interview.txt"
        script.write_text(big_transcript(args.kb * 1000), encoding="utf-8")
        contenders = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "qacast parse": [sys.executable, "-m", "qacast.cli", "parse", str(script)],
        }
        for command in contenders.values():
            cpu_seconds(command)  # warm-up: page cache, .pyc files
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(args.runs):
            for name, command in contenders.items():
                times[name].append(cpu_seconds(command))
        medians = {name: statistics.median(values) for name, values in times.items()}
        size_kb = script.stat().st_size / 1000
    print(f"transcript: {size_kb:.0f} kB, {args.runs} runs, median CPU seconds")
    for name, value in medians.items():
        print(f"  {name:<16} {value:.3f} s")
    extra = medians["qacast parse"] - medians["python -c pass"]
    print(f"  parse beyond interpreter start: {extra:.3f} s (target < 0.5 s)")


if __name__ == "__main__":
    main()
