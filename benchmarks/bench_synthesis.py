"""Speech synthesis: one fresh process per utterance vs an earlier commit's design.

Both contenders synthesize every utterance of the sample (no cache) through
their own ``SynthesisPool``, each from its own copy of the source (the
baseline exported from git), alternating, median of N. Two figures:

- synthesis alone: ``pool.synthesize(all the sample's utterances)``, timed
  inside the process after the pool and its forkserver are up (an untimed
  warm-up of two utterances first), reported as utterances per second;
- the whole cold render: ``qacast render SAMPLE --no-cache``, wall seconds;
- the price of isolation alone, in CPU seconds (less sensitive to a busy
  machine than wall time): the sample's utterances said one after another by
  one process forked from the template, against one fork each (this tree only).

    python bench_synthesis.py [--baseline REV] [--runs N] [-j JOBS ...]

The default baseline is e9d7be4, the last commit that said several utterances
per process (six per chunk).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import REPO

SAMPLE = REPO / "scripts" / "mvp-interview.txt"
PRESET = REPO / "voices" / "default.toml"
TIMED = """
import sys, time
from pathlib import Path
from qacast.script.read import read_episode
from qacast.script import utterances
from qacast.voices.pool import SynthesisPool, SynthesisRequest
from qacast.voices.presets import cast, load_preset

episode, voice_ids = read_episode(Path(sys.argv[1]))
casting = cast(episode, load_preset(Path(sys.argv[2])), voice_ids)
requests = [SynthesisRequest(u.speech, casting.voices[u.speaker_id]) for u in utterances(episode)]
with SynthesisPool(int(sys.argv[3])) as pool:
    list(pool.synthesize(requests[:2]))
    start = time.perf_counter()
    done = sum(1 for _ in pool.synthesize(requests))
    print(done, time.perf_counter() - start)
"""


ISOLATION_CPU = """
import gc, os, pickle, resource, statistics, sys
from pathlib import Path
from qacast.script.read import read_episode
from qacast.script import utterances
from qacast.voices.presets import cast, load_preset

episode, voice_ids = read_episode(Path(sys.argv[1]))
casting = cast(episode, load_preset(Path(sys.argv[2])), voice_ids)
said = [(u.speech, casting.voices[u.speaker_id]) for u in utterances(episode)]
from qacast.voices.engines import preload  # the template: initialised, never synthesized

engine = preload.engine("pyttsx3")
gc.freeze()


def one_process():
    pid = os.fork()
    if pid == 0:
        for text, voice in said:
            engine.synthesize(text, voice)
        os._exit(0)
    os.waitpid(pid, 0)


def one_fork_each():
    for text, voice in said:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            with os.fdopen(write_fd, "wb") as out:
                pickle.dump(engine.synthesize(text, voice), out)
            os._exit(0)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            pickle.loads(pipe.read())
        os.waitpid(pid, 0)


def cpu_s():
    usage = [resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


times = {one_process: [], one_fork_each: []}
for _ in range(int(sys.argv[3])):
    for way in times:
        start = cpu_s()
        way()
        times[way].append(cpu_s() - start)
print(len(said), *(statistics.median(values) for values in times.values()))
"""


def export(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "qacast"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def synthesis_rate(tree: Path, jobs: int) -> float:
    """Utterances per second, run with ``tree`` first on sys.path (``-c`` puts the cwd there)."""
    out = subprocess.run(
        [sys.executable, "-c", TIMED, str(SAMPLE), str(PRESET), str(jobs)],
        cwd=tree, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    return int(out[0]) / float(out[1])


def render_seconds(tree: Path, jobs: int, out_dir: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "qacast.cli", "render", str(SAMPLE), "-o", str(out_dir),
         "--no-cache", "-q", "-j", str(jobs)],
        cwd=tree, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def isolation_cpu(runs: int) -> str:
    out = subprocess.run(
        [sys.executable, "-c", ISOLATION_CPU, str(SAMPLE), str(PRESET), str(runs)],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    count, together, apart = int(out[0]), float(out[1]), float(out[2])
    return (
        f"isolation: {count} utterances in one process {together:.3f} CPU s, one fork each "
        f"{apart:.3f} CPU s: {(apart - together) / count * 1000:.1f} ms of CPU per utterance"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", default="e9d7be4")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-j", "--jobs", type=int, action="append")
    parser.add_argument("--isolation-only", action="store_true")
    args = parser.parse_args()
    print(isolation_cpu(args.runs), flush=True)
    if args.isolation_only:
        return
    with tempfile.TemporaryDirectory() as tmp:
        trees = {f"baseline {args.baseline}": export(args.baseline, Path(tmp)), "now": REPO}
        for jobs in args.jobs or [1, 2]:
            rates: dict[str, list[float]] = {name: [] for name in trees}
            renders: dict[str, list[float]] = {name: [] for name in trees}
            for run in range(args.runs + 1):  # the first round is a warm-up
                for name, tree in trees.items():
                    rate = synthesis_rate(tree, jobs)
                    seconds = render_seconds(tree, jobs, Path(tmp) / "out")
                    if run:
                        rates[name].append(rate)
                        renders[name].append(seconds)
            for name in trees:
                print(
                    f"-j {jobs}  {name:>18}: {statistics.median(rates[name]):6.1f} utterances/s, "
                    f"cold render {statistics.median(renders[name]):.2f} s "
                    f"(median of {args.runs})"
                )


if __name__ == "__main__":
    main()
