"""CPU accounting for bench/slack.py: the server's own CPU, and the machine's other work.

A benchmark on a shared machine is only as good as the quiet around it. For each cell this
measures, from /proc, the CPU time the server process used and the share of the machine
that went to processes that are not the benchmark's (its own process and children, both
servers, and the PostgreSQL backends connected to its database).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) process ``pid`` used so far; 0 if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, summed over its CPUs."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    user, nice, system, idle, iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq + steal
    return busy / _TICK, (busy + idle + iowait) / _TICK


def own_cpu() -> float:
    """This process and its finished children (wrk, the Python generator)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@dataclass
class Sample:
    machine_busy: float
    machine_total: float
    ours: float
    server: float


class CpuMeter:
    """Snapshots before and after a cell; ``pids()`` names the benchmark's live processes
    (servers, database backends), ``server_pid`` the server under load."""

    def __init__(self, pids: Callable[[], Iterable[int]]) -> None:
        self._pids = pids

    def sample(self, server_pid: int) -> Sample:
        busy, total = machine_cpu()
        ours = own_cpu() + sum(process_cpu(pid) for pid in set(self._pids()))
        return Sample(busy, total, ours, process_cpu(server_pid))

    @staticmethod
    def others_percent(before: Sample, after: Sample) -> float:
        """Share of the machine's CPU used by other work between the two samples."""
        total = after.machine_total - before.machine_total
        if total <= 0:
            return 0.0
        busy = after.machine_busy - before.machine_busy
        others = max(0.0, busy - (after.ours - before.ours))
        return 100 * others / total
