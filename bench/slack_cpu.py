"""CPU accounting for bench/slack.py: the server's own CPU, and the machine's other work.

A benchmark on a shared machine is only as good as the quiet around it. For each cell this
measures, from /proc, the CPU time the server used (its process and its live descendants:
the worker processes of a server run with several) and the share of the machine that went
to processes that are not the benchmark's (its own process and children, the servers with
their workers, and the PostgreSQL backends connected to its database).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int | str) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first); None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) process ``pid`` used so far; 0 if it is gone."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children() -> dict[int, list[int]]:
    """Every live process's children, by the ppid field of /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat_fields(entry.name)) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree(pids: Iterable[int]) -> set[int]:
    """``pids`` and their live descendants (children, theirs, ...)."""
    children = _children()
    found = set(pids)
    todo = list(found)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def tree_cpu(pid: int) -> float:
    """Seconds of CPU process ``pid`` and its live descendants used so far."""
    return sum(process_cpu(p) for p in tree([pid]))


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
    (servers, database backends; their descendants count too), ``server_pid`` the server
    under load (with its worker processes)."""

    def __init__(self, pids: Callable[[], Iterable[int]]) -> None:
        self._pids = pids

    def sample(self, server_pid: int) -> Sample:
        busy, total = machine_cpu()
        ours = own_cpu() + sum(process_cpu(pid) for pid in tree(self._pids()))
        return Sample(busy, total, ours, tree_cpu(server_pid))

    @staticmethod
    def others_percent(before: Sample, after: Sample) -> float:
        """Share of the machine's CPU used by other work between the two samples."""
        total = after.machine_total - before.machine_total
        if total <= 0:
            return 0.0
        busy = after.machine_busy - before.machine_busy
        others = max(0.0, busy - (after.ours - before.ours))
        return 100 * others / total
