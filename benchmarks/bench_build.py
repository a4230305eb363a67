"""Builds at any size.

    no-change   rebuild of a 200-episode show with nothing changed (target <= 0.5 s);
                --baseline-src DIR adds another checkout's qacast, side by side
    edit        one answer edited in one episode vs the cold render of it (<= 0.35x)
    parallel    20-episode cold build, -j 2 vs -j 1 (>= 1.85x faster)
    long        a 3-hour episode vs a 4-minute one: peak memory of the whole process
                tree, RSS summed (target <= 150 MB), PSS summed and the largest
                process; wall time (target <= 45x, i.e. linear growth)

Each compares contenders timed side by side in one run (harness.compare).
Shows are generated from varied Q&A so that no two sentences repeat.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from harness import QACAST, Contender, compare
from tree_memory import MB, TreeMemory, measure
from tree_memory import report as report_tree

QUESTIONS = [
    "What got you started on {topic}?",
    "How has {topic} changed since you began?",
    "What do people misunderstand about {topic}?",
    "Which mistake in {topic} taught you the most?",
    "Where is {topic} going in the next ten years?",
    "What would you tell someone new to {topic}?",
]
ANSWERS = [
    "I came to {topic} by accident, through a friend who needed help with a project.",
    "Most of what I know about {topic} I learned by getting it wrong the first time.",
    "The tools for {topic} are better now, but the hard part is still the people.",
    "In {topic}, the small habits matter more than any single big decision.",
    "I think {topic} will look very different, and mostly for the better.",
    "Start small with {topic}, finish what you start, and write down what you learn.",
]
TOPICS = [
    "radio repair", "bridge design", "beekeeping", "typesetting", "bookbinding",
    "weather forecasting", "bicycle building", "cartography", "cheese making",
    "organ tuning", "glass blowing", "clock making", "sail making", "map printing",
    "tile laying", "stone carving", "letterpress", "violin making", "boat building",
    "kite flying", "pottery", "woodturning", "rope making", "lens grinding",
]  # fmt: skip


def script_text(number: int, exchanges: int, seed: int) -> str:
    rng = random.Random(seed)
    lines = [f"Conversation {number}: on the craft", ""]
    for turn in range(exchanges):
        topic = rng.choice(TOPICS)
        # The turn and episode numbers make every sentence unique, as in real
        # interviews, so the cache cannot hide repeated work.
        question = rng.choice(QUESTIONS).format(topic=topic)
        answer = rng.choice(ANSWERS).format(topic=topic)
        lines += [f"SI: Question {turn + 1} for guest {number}. {question}", ""]
        lines += [f"NJP: {answer} That was true in year {1990 + turn + number}.", ""]
    return "\n".join(lines)


def make_show(root: Path, episodes: int, exchanges: int) -> Path:
    subprocess.run([*QACAST, "init", str(root), "-q"], check=True)
    for path in (root / "scripts").iterdir():
        path.unlink()
    for n in range(1, episodes + 1):
        text = script_text(n, exchanges, seed=n)
        (root / "scripts" / f"{n:03d}-talk.txt").write_text(text, encoding="utf-8")
    return root


def no_change(work: Path, runs: int, baseline_src: Path | None = None) -> None:
    show = make_show(work / "show", episodes=200, exchanges=2)
    subprocess.run([*QACAST, "build", str(show), "-q", "-j", "2"], check=True)
    # An installed qacast has its bytecode compiled; a machine that sets
    # PYTHONDONTWRITEBYTECODE would time compiling 170 modules on every run.
    cached = ["env", "-u", "PYTHONDONTWRITEBYTECODE"]
    contenders = [
        Contender("python startup (floor)", lambda w: [[*QACAST[:1], "-c", "pass"]]),
        Contender("qacast build, nothing changed",
                  lambda w: [[*cached, *QACAST, "build", str(show), "-q"]]),
    ]  # fmt: skip
    if baseline_src is not None:
        # The same show built by another checkout (git archive REV qacast | tar -x -C DIR).
        other = work / "show-baseline"
        shutil.copytree(show, other)
        command = [*cached, f"PYTHONPATH={baseline_src}", *QACAST, "build", str(other), "-q"]
        subprocess.run(command, check=True)
        contenders.insert(1, Contender(f"baseline {baseline_src.name}", lambda w: [command]))
    medians = compare(contenders, runs, work / "runs")
    seconds = medians["qacast build, nothing changed"]
    report(medians, "no-change rebuild of 200 episodes, seconds (target <= 0.5 s)", seconds)
    for name, cpu in cpu_seconds(contenders, runs, work / "runs").items():
        print(f"{name:40} {cpu:7.2f} s CPU (user + system)")


def cpu_seconds(contenders: list[Contender], runs: int, work: Path) -> dict[str, float]:
    """Median CPU seconds of each contender's commands and their children, runs
    interleaved: on a machine shared with other work, wall time also measures
    the queue for a core; CPU time is what a quiet machine's wall time approaches
    for a single-threaded command."""
    times: dict[str, list[float]] = {c.name: [] for c in contenders}
    for _ in range(runs):
        for contender in contenders:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            for command in contender.command(work):
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            times[contender.name].append(used)
    return {name: statistics.median(values) for name, values in times.items()}


def edit(work: Path, runs: int) -> None:
    show = make_show(work / "show", episodes=1, exchanges=12)
    script = next((show / "scripts").iterdir())
    original = script.read_text(encoding="utf-8")
    cache = work / "cache"
    subprocess.run([*QACAST, "build", str(show), "-q", "--cache-dir", str(cache)], check=True)
    flip = [0]

    def edited(w: Path) -> None:
        flip[0] += 1  # a different edit each run, so each run has one new sentence
        text = original.replace("That was true", f"That was true (edit {flip[0]})", 1)
        script.write_text(text, encoding="utf-8")

    def cold(w: Path) -> None:
        script.write_text(original, encoding="utf-8")

    medians = compare(
        [
            Contender("cold render of the episode",
                      lambda w: [[*QACAST, "render", str(script), "-o", str(w),
                                  "--no-cache", "-q"]],
                      prepare=cold),
            Contender("rebuild after one edited answer",
                      lambda w: [[*QACAST, "build", str(show), "-q", "--cache-dir", str(cache)]],
                      prepare=edited),
        ],
        runs,
        work / "runs",
    )  # fmt: skip
    report(medians, "one edited answer vs cold render (target <= 0.35)")


def parallel(work: Path, runs: int) -> None:
    show = make_show(work / "show", episodes=20, exchanges=12)  # minutes each, as real ones

    def clean(w: Path) -> None:
        shutil.rmtree(show / "out", ignore_errors=True)

    medians = compare(
        [
            Contender("20 episodes cold, -j 1",
                      lambda w: [[*QACAST, "build", str(show), "-q", "--no-cache", "-j", "1"]],
                      prepare=clean),
            Contender("20 episodes cold, -j 2",
                      lambda w: [[*QACAST, "build", str(show), "-q", "--no-cache", "-j", "2"]],
                      prepare=clean),
        ],
        runs,
        work / "runs",
    )  # fmt: skip
    (one, two) = medians.values()
    report(medians, "speed-up of -j 2 over -j 1 (target >= 1.85)", one / two)


def long_episode(work: Path, runs: int) -> None:
    # About 4 minutes and just over 3 hours of speech, from the same generator;
    # the long one also with its language set, so that it is not detected (the
    # detector's models are the largest thing the render process holds).
    scripts = {"short": (1, 14, ""), "long": (2, 660, ""), "long-en": (2, 660, "en")}
    rows: dict[str, tuple[TreeMemory, float]] = {}
    for name, (seed, exchanges, language) in scripts.items():
        script = work / f"{name}.txt"
        front_matter = f"---\nlanguage: {language}\n---\n" if language else ""
        script.write_text(front_matter + script_text(seed, exchanges, seed=seed), encoding="utf-8")
        out = work / f"out-{name}"
        # -j 2 pinned: the tree holds one synthesis worker per job, so the figure
        # would otherwise change with the machine's core count.
        command = [*QACAST, "render", str(script), "-o", str(out), "--no-cache", "-q", "-j", "2"]
        result = measure(command)
        if result.returncode != 0:
            raise SystemExit(f"render of the {name} episode failed ({result.returncode})")
        from mutagen.mp3 import MP3

        rows[name] = (result, float(MP3(out / f"{name}.mp3").info.length))
    print(f"{'':7} {'audio':>9} {'wall':>8} {'tree RSS':>9} {'tree PSS':>9} {'largest':>8}  "
          "(peaks, MB; tree = every process, summed)")  # fmt: skip
    for name, (result, audio_s) in rows.items():
        print(f"{name:7} {audio_s / 60:5.1f} min {result.wall_s:6.1f} s "
              f"{result.peak_rss_sum_bytes / MB:9.1f} {result.peak_pss_sum_bytes / MB:9.1f} "
              f"{result.largest_process.hwm_bytes / MB:8.1f}")  # fmt: skip
    (short, short_s), (long, long_s) = rows["short"], rows["long"]
    print(
        f"wall-time ratio {long.wall_s / short.wall_s:.1f}x for {long_s / short_s:.0f}x the audio"
    )
    for name in ("long", "long-en"):
        peak_mb = rows[name][0].peak_rss_sum_bytes / MB
        verdict = "met" if peak_mb <= 150 else "missed"
        print(f"peak RSS of the {name} render's whole tree {peak_mb:.0f} MB "
              f"(target <= 150 MB in total: {verdict})")  # fmt: skip
    for name, (result, _) in rows.items():
        print(f"-- {name}\n{report_tree(result)}")


def report(medians: dict[str, float], what: str, ratio: float | None = None) -> None:
    for name, seconds in medians.items():
        print(f"{name:40} {seconds:7.2f} s")
    values = list(medians.values())
    ratio = ratio if ratio is not None else values[-1] / values[0]
    print(f"{what}: {ratio:.2f}")


BENCHES = {"no-change": no_change, "edit": edit, "parallel": parallel, "long": long_episode}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("bench", choices=[*BENCHES, "all"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-src", type=Path, help="a folder holding another qacast/")
    args = parser.parse_args()
    for name, bench in BENCHES.items():
        if args.bench in (name, "all"):
            with tempfile.TemporaryDirectory() as tmp:
                print(f"== {name}")
                if name == "no-change":
                    no_change(Path(tmp), args.runs, args.baseline_src)
                else:
                    bench(Path(tmp), args.runs)


if __name__ == "__main__":
    main()
