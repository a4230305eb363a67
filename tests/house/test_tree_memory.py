"""benchmarks/tree_memory.py counts every process of a tree, and PSS splits shared pages.

The processes hold their memory until the sampler has seen it (a release file
written from the sampler's callback), so nothing here depends on timing.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from locations import REPO_DIR

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

MB = 1024 * 1024
TOOL = REPO_DIR / "benchmarks" / "tree_memory.py"


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tree_memory", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["tree_memory"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tree_memory = load_tool()

# Each process fills `mb` MB of its own, says so with a ready file, and holds it
# until the release file exists.
HOLD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    def hold(mb, name):
        block = bytearray(os.urandom(1024)) * (mb * 1024)  # written, so resident
        Path(sys.argv[1], name).write_text("ready")
        while not Path(sys.argv[1], "release").exists():
            time.sleep(0.005)
        return block
""")

CHILD_AND_GRANDCHILD = HOLD + textwrap.dedent("""
    import subprocess
    if len(sys.argv) > 2:
        hold(40, "grandchild")
    else:
        grandchild = subprocess.Popen([sys.executable, __file__, sys.argv[1], "grandchild"])
        hold(60, "child")
        grandchild.wait()
""")

FORKED = HOLD + textwrap.dedent("""
    block = bytearray(os.urandom(1024)) * (80 * 1024)  # before the fork: shared
    pid = os.fork()
    hold(0, "child" if pid == 0 else "parent")
    if pid:
        os.waitpid(pid, 0)
""")


def run_until_seen(tmp_path: Path, program: str, ready: tuple[str, ...]) -> Any:
    script = tmp_path / "program.py"
    script.write_text(program)
    was_ready = [False]

    def on_sample(snapshot: object) -> None:
        # Release only on the sample after the one that found every process
        # ready: that later sample started after each had filled its memory.
        if was_ready[0]:
            (tmp_path / "release").write_text("")
        was_ready[0] = all((tmp_path / name).exists() for name in ready)

    return tree_memory.measure(
        [sys.executable, str(script), str(tmp_path)], interval_s=0.001, on_sample=on_sample
    )


def test_the_sum_counts_the_child_and_the_grandchild(tmp_path: Path) -> None:
    result = run_until_seen(tmp_path, CHILD_AND_GRANDCHILD, ("child", "grandchild"))
    assert result.returncode == 0
    assert result.peak_rss_sum_bytes >= 100 * MB  # 60 + 40 MB, plus two interpreters
    # The largest process alone is the child, with its 60 MB, not the total.
    assert 60 * MB <= result.largest_process.hwm_bytes < 100 * MB
    assert "program.py" in result.largest_process.command
    at_peak = sorted(m.rss_bytes // MB for m in result.at_peak)
    assert len(at_peak) == 2 and at_peak[0] >= 40 and at_peak[1] >= 60
    assert "RSS summed over the tree" in tree_memory.report(result)


def test_pss_counts_pages_shared_by_a_fork_once(tmp_path: Path) -> None:
    result = run_until_seen(tmp_path, FORKED, ("parent", "child"))
    assert result.returncode == 0
    # Both processes map the same 80 MB: RSS counts it twice, PSS once.
    assert result.peak_rss_sum_bytes >= 160 * MB
    assert 80 * MB <= result.peak_pss_sum_bytes < 120 * MB


def test_the_exit_code_is_the_commands(tmp_path: Path) -> None:
    result = tree_memory.measure([sys.executable, "-c", "raise SystemExit(3)"])
    # Not how many samples were taken: on a busy machine the command may end
    # before the sampler first looks.
    assert result.returncode == 3


@pytest.mark.skipif(platform.machine() not in tree_memory.SYS_KCMP, reason="kcmp number unknown")
def test_a_child_with_its_own_memory_is_told_from_one_sharing_it() -> None:
    # A vfork()ed child shares its parent's address space until it execs; it
    # must be counted once. A forked one has its own, however alike.
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)  # fmt: skip
    try:
        assert tree_memory._same_memory(os.getpid(), os.getpid())
        assert not tree_memory._same_memory(child.pid, os.getpid())
    finally:
        child.communicate(b"")
