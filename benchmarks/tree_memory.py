"""Peak memory of a whole process tree: a command and every process it starts.

    python tree_memory.py [--interval-ms 10] [--json] -- CMD ARG...

`/usr/bin/time -f %M` reports the largest single process only; a render is a
tree (synthesis workers, the children they fork, ffmpeg encoders), so this
samples the tree every few milliseconds and keeps:

- the peak of the RSS summed over the tree (the headline: what the memory
  target is stated in);
- the peak of the PSS summed over the tree. Forked children share their
  parent's pages copy-on-write, and RSS counts a shared page once in every
  process that maps it; PSS splits it between them, so the PSS sum is what the
  tree really occupies. Read it next to the RSS sum, which over-counts;
- the largest single process: its own VmHWM, which the kernel keeps, so the
  peak between two samples is not missed for a process still alive at a sample;
- the tree at the samples of the two peaks, process by process, to show what
  holds the memory.

A child that shares its parent's address space (started with vfork(), not yet
exec'd) is counted once, with its parent.

Processes that live less than one sampling interval can be missed; the sums
are sampled, not exact. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import psutil

MB = 1024 * 1024
PR_SET_CHILD_SUBREAPER = 36  # from <linux/prctl.h>
KCMP_VM = 1  # from <linux/kcmp.h>: do two processes share one address space?
SYS_KCMP = {"x86_64": 312, "aarch64": 272}  # the syscall's number, per architecture
LINGER_S = 5.0  # how long orphans of the command are still followed after it exits
_LIBC = ctypes.CDLL(None, use_errno=True)


@dataclass(frozen=True)
class ProcessMemory:
    pid: int
    command: str  # the head of its command line
    rss_bytes: int
    pss_bytes: int
    hwm_bytes: int  # its own peak RSS so far (VmHWM), kept by the kernel


@dataclass(frozen=True)
class TreeMemory:
    command: tuple[str, ...]
    returncode: int
    wall_s: float
    samples: int
    processes_seen: int
    peak_rss_sum_bytes: int
    peak_pss_sum_bytes: int
    largest_process: ProcessMemory  # the highest VmHWM of any process seen
    at_peak: tuple[ProcessMemory, ...]  # the tree at the sample of the peak RSS sum
    at_pss_peak: tuple[ProcessMemory, ...]  # and at the peak PSS sum, often another moment


Snapshot = tuple[ProcessMemory, ...]


def _children(pid: int) -> list[int]:
    """Direct children of a process, from every one of its threads."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    found: list[int] = []
    for task in tasks:
        # A child belongs to the thread that started it (ffmpeg is started from
        # worker threads), so every thread's list is read.
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _tree(roots: Sequence[int]) -> list[int]:
    """Every process under ``roots``, less those that share their parent's memory."""
    # /proc/PID/task/TID/children reads only our tree; psutil's children()
    # scans every process on the machine, several times slower per sample.
    todo, seen = [(pid, 0) for pid in roots], []
    while todo:
        pid, parent = todo.pop()
        if not (parent and _same_memory(pid, parent)):
            seen.append(pid)
        todo += [(child, pid) for child in _children(pid)]
    return seen


def _same_memory(pid: int, other: int) -> bool:
    # subprocess starts ffmpeg with vfork(): until it execs, the child runs in
    # its parent's address space and /proc shows it with all of its parent's
    # memory, so a sample in that window would count the parent twice.
    number = SYS_KCMP.get(platform.machine())
    if number is None:
        return False
    return bool(_LIBC.syscall(number, pid, other, KCMP_VM, 0, 0) == 0)


def _hwm_bytes(pid: int) -> int:
    # psutil does not expose VmHWM.
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0  # kernel threads and zombies have none


def _describe(process: psutil.Process) -> str:
    words = process.cmdline() or [process.name()]
    # Paths by their last part, so that the program and its arguments fit.
    head = " ".join(Path(w).name if w.startswith("/") else w for w in words)
    return " ".join(head.split())[:70]


def _read(pid: int) -> ProcessMemory | None:
    try:
        process = psutil.Process(pid)
        memory = process.memory_full_info()  # rss, and pss from smaps_rollup
        hwm = _hwm_bytes(pid)
        if not hwm or not memory.rss:
            # Exiting (its memory is being freed) or between exec's two images:
            # the figures read are half old, half new, and would be counted twice.
            return None
        # Read every time, not cached by pid: a process that execs changes its command.
        command = _describe(process)
    except (psutil.Error, OSError):
        return None  # exited (or a zombie) between listing and reading
    return ProcessMemory(pid, command, memory.rss, memory.pss, hwm)


def _become_subreaper() -> None:
    """Orphans of the command (a forkserver outliving its parent) become ours, not init's."""
    _LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _adopted(root: int, known: set[int]) -> list[int]:
    """Processes of the tree that outlived their parent and were handed to us."""
    mine = [pid for pid in _children(os.getpid()) if pid != root and pid in known]
    for pid in mine:  # reap the adopted ones that have exited, or they stay zombies
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    return mine


def measure(
    command: Sequence[str],
    *,
    interval_s: float = 0.01,
    stdout: int | IO[Any] | None = None,
    stderr: int | IO[Any] | None = None,
    env: Mapping[str, str] | None = None,
    on_sample: Callable[[Snapshot], None] | None = None,
) -> TreeMemory:
    """Run ``command`` to its end, sampling the memory of it and all its descendants."""
    _become_subreaper()
    started = time.perf_counter()
    child = subprocess.Popen(list(command), stdout=stdout, stderr=stderr, env=env)
    known: set[int] = set()
    peak_rss, peak_pss, samples = 0, 0, 0
    at_peak: Snapshot = ()
    at_pss_peak: Snapshot = ()
    largest = ProcessMemory(child.pid, "", 0, 0, 0)
    exited_at: float | None = None
    while True:
        if exited_at is None and child.poll() is not None:
            exited_at = time.perf_counter()
        roots = ([child.pid] if exited_at is None else []) + _adopted(child.pid, known)
        if exited_at is not None and (not roots or time.perf_counter() - exited_at > LINGER_S):
            break
        snapshot = tuple(m for pid in _tree(roots) if (m := _read(pid)) is not None)
        samples += 1
        known.update(m.pid for m in snapshot)
        rss, pss = sum(m.rss_bytes for m in snapshot), sum(m.pss_bytes for m in snapshot)
        if rss > peak_rss:
            peak_rss, at_peak = rss, snapshot
        if pss > peak_pss:
            peak_pss, at_pss_peak = pss, snapshot
        largest = max([largest, *snapshot], key=lambda m: m.hwm_bytes)
        if on_sample is not None:
            on_sample(snapshot)
        time.sleep(interval_s)
    return TreeMemory(
        command=tuple(command),
        returncode=child.returncode,  # set: the loop ends only after it exits
        wall_s=(exited_at or time.perf_counter()) - started,
        samples=samples,
        processes_seen=len(known),
        peak_rss_sum_bytes=peak_rss,
        peak_pss_sum_bytes=peak_pss,
        largest_process=largest,
        at_peak=at_peak,
        at_pss_peak=at_pss_peak,
    )


def report(result: TreeMemory) -> str:
    largest = result.largest_process
    lines = [
        f"peak RSS summed over the tree  {result.peak_rss_sum_bytes / MB:7.1f} MB",
        f"peak PSS summed over the tree  {result.peak_pss_sum_bytes / MB:7.1f} MB"
        "  (shared pages counted once)",
        f"largest single process (HWM)   {largest.hwm_bytes / MB:7.1f} MB  "
        f"pid {largest.pid} {largest.command}",
        f"{result.samples} samples over {result.wall_s:.1f} s, "
        f"{result.processes_seen} processes seen, exit code {result.returncode}",
    ]
    for title, snapshot in (("RSS", result.at_peak), ("PSS", result.at_pss_peak)):
        lines += [
            f"the tree at the peak {title} sum:",
            f"  {'pid':>7} {'RSS MB':>7} {'PSS MB':>7} {'HWM MB':>7}  command",
        ]
        for m in sorted(snapshot, key=lambda m: -m.rss_bytes):
            lines.append(
                f"  {m.pid:7} {m.rss_bytes / MB:7.1f} {m.pss_bytes / MB:7.1f} "
                f"{m.hwm_bytes / MB:7.1f}  {m.command}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--interval-ms", type=float, default=10.0, help="sampling period")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD ARG...")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given: python tree_memory.py -- CMD ARG...")
    result = measure(command, interval_s=args.interval_ms / 1000)
    # On stderr, so the command's own stdout stays clean.
    print(json.dumps(asdict(result), indent=2) if args.json else report(result), file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
