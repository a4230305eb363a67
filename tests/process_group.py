"""The processes of a killed build's group, for tests that start the next
build only once none of them runs any more."""

from __future__ import annotations

import time
from pathlib import Path


def live_members(group: int) -> list[int]:
    """The processes of a process group that have not died. A killed one
    that its parent has not reaped yet (a zombie) runs no more: not counted.
    Reads Linux's /proc; elsewhere, none."""
    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (name) state ppid pgrp ...: the name may hold spaces and parentheses.
            state, _, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError):
            continue  # ended while the listing was read
        if int(pgrp) == group and state not in ("Z", "X"):
            live.append(int(stat.parent.name))
    return live


def wait_until_gone(group: int) -> None:
    """Return once no process of ``group`` runs (each got its signal already)."""
    while live_members(group):
        time.sleep(0.002)  # how often to look, not how long to wait
