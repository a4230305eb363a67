"""Side-by-side timing: run contenders alternately in one session, report medians.

The machine is shared and noisy, so only ratios measured in the same run mean
anything; alternating the contenders spreads any slow patch over all of them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QACAST = [sys.executable, "-m", "qacast.cli"]
# An installed package has its bytecode cached; a shell that sets
# PYTHONDONTWRITEBYTECODE (this machine does) would make every run compile
# qacast's modules again, about 0.3 s that no user pays.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Contender:
    name: str
    command: Callable[[Path], Sequence[Sequence[str]]]  # work dir -> shell-free commands
    prepare: Callable[[Path], None] = lambda work: None  # untimed, before each run


def run_once(contender: Contender, work: Path) -> float:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    contender.prepare(work)
    start = time.perf_counter()
    for command in contender.command(work):
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
        )
    return time.perf_counter() - start


def compare(contenders: Sequence[Contender], runs: int, work_root: Path) -> dict[str, float]:
    """Median wall seconds per contender, runs interleaved."""
    times: dict[str, list[float]] = {c.name: [] for c in contenders}
    for contender in contenders:  # one untimed warm-up each: page cache, imports
        run_once(contender, work_root / contender.name)
    for _ in range(runs):
        for contender in contenders:
            times[contender.name].append(run_once(contender, work_root / contender.name))
    return {name: statistics.median(values) for name, values in times.items()}


def require_extra(extra: str, *modules: str) -> None:
    """Exit with one line naming the extra to install when any of its modules is missing."""
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit(
            f"{Path(sys.argv[0]).name} needs qacast's {extra} extra ({', '.join(missing)} "
            f"missing): pip install 'qacast[{extra}]', or in this repo: "
            f'make sync EXTRAS="dev {extra}"'
        )


def ensure_debian_package(binary: str, package: str) -> str:
    """The baselines may use Debian tools the product itself never needs."""
    found = shutil.which(binary)
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True)
    found = shutil.which(binary)
    if not found:
        raise SystemExit(f"{binary} is needed for the baseline: apt-get install {package}")
    return found
