"""The printed report of bench/slack.py: the table, the ratios, and the targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.slack_round_trips import TARGETS as ROUND_TRIP_TARGETS

if TYPE_CHECKING:
    from bench.slack import Cell, SlowRun
    from bench.slack_round_trips import Trips

# Our commands' throughput at least this share of the bare app's at c=8 and c=16, by the
# number of worker processes both run with.
TARGET_RATIO = {1: 0.15, 2: 0.25}
RATIO_CONCURRENCY = (8, 16)
TARGET_P99_MS = 100.0  # at concurrency 16
ACK_FLOOR_MS = 10.0  # Bolt's ack polling interval with process_before_response=False
SLOW_TARGET_MS = 300.0  # "nothing near Slack's 3 s" (it gives up then): a tenth of it


def _is_bare(cell: Cell) -> bool:
    return cell.setup.startswith("bare")


def _group(workers: int) -> str:
    return "one process" if workers == 1 else f"{workers} worker processes each"


COLUMNS = (
    f"{'setup':<18} {'c':>3} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'probe p99':>10}"
    f" {'cpu/req':>8} {'others':>7} {'errors':>7}"
)


def row(cell: Cell) -> str:
    r = cell.result
    detail = f"non-200 {r.non_200}, bad answer {r.bad_answers}, socket {r.socket_errors}"
    return (
        f"{cell.setup:<18} {r.concurrency:>3} {r.rps:>8,.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f}"
        f" {cell.probe_p99_ms:>10.2f} {cell.server_cpu_ms:>8.2f} {cell.others_pct:>6.0f}%"
        f" {r.errors:>7}"
        f"  {detail if r.errors else ''}"
    ).rstrip()


def _mark(met: bool) -> str:
    return "[met] " if met else "[MISS]"


def _find(cells: list[Cell], setup: str, concurrency: int) -> Cell:
    return next(c for c in cells if c.setup == setup and c.result.concurrency == concurrency)


def _bare_of(cells: list[Cell], cell: Cell) -> Cell:
    """The bare app's cell at ``cell``'s concurrency with as many worker processes."""
    return next(
        c
        for c in cells
        if _is_bare(c)
        and c.workers == cell.workers
        and c.result.concurrency == cell.result.concurrency
    )


def ratios(cells: list[Cell]) -> dict[tuple[str, int], float]:
    """Our req/s over the bare app's, at the same concurrency and worker processes."""
    out = {}
    for cell in cells:
        if _is_bare(cell):
            continue
        bare = _bare_of(cells, cell).result.rps
        out[(cell.setup, cell.result.concurrency)] = cell.result.rps / bare if bare else 0.0
    return out


def _round_trip_lines(trips: dict[str, Trips]) -> list[str]:
    lines = []
    for text, seen in trips.items():
        command = text.split()[0]
        target = ROUND_TRIP_TARGETS[command]
        lines.append(
            f"{_mark(seen.count <= target)} round trips to PostgreSQL for `/farlab {text}` at"
            f" most {target}: {seen.count} ({seen.summary()})"
        )
    return lines


def _ratio_lines(cells: list[Cell]) -> list[str]:
    share = ratios(cells)
    workers = {c.setup: c.workers for c in cells}
    lines = []
    for count, target in TARGET_RATIO.items():
        mine = {
            (setup, c): v
            for (setup, c), v in share.items()
            if workers[setup] == count and c in RATIO_CONCURRENCY
        }
        if not mine:
            continue
        (low_setup, low_c), low = min(mine.items(), key=lambda item: item[1])
        at = " and ".join(f"c={c}" for c in RATIO_CONCURRENCY)
        lines.append(
            f"{_mark(low >= target)} throughput at least {target}x the bare app's, "
            f"{_group(count)}, at {at}: lowest {low:.2f}x ({low_setup}, c={low_c})"
        )
    return lines


def targets(cells: list[Cell], slow_run: SlowRun, trips: dict[str, Trips]) -> list[str]:
    slow, fast = slow_run.cell, slow_run.fast
    ours = list(dict.fromkeys(c.setup for c in cells if not _is_bare(c)))
    everyone = list(dict.fromkeys(c.setup for c in cells))
    lines = [*_round_trip_lines(trips), *_ratio_lines(cells)]
    for setup in ours:
        p99 = _find(cells, setup, 16).result.p99_ms
        lines.append(
            f"{_mark(p99 < TARGET_P99_MS)} p99 under {TARGET_P99_MS:.0f} ms at c=16, {setup}:"
            f" {p99:.1f} ms"
        )
    fastest = {s: _find(cells, s, 1).result.min_ms for s in everyone}
    lines.append(
        f"{_mark(all(v < ACK_FLOOR_MS for v in fastest.values()))} no {ACK_FLOOR_MS:.0f} ms ack"
        " floor (fastest answer at c=1 below it): "
        + ", ".join(f"{s} {v:.2f} ms" for s, v in fastest.items())
    )
    probe = {s: _find(cells, s, 16) for s in ours}
    blocked = [s for s, c in probe.items() if c.probe_p99_ms >= c.result.p50_ms]
    lines.append(
        f"{_mark(not blocked)} event loop not blocked at c=16 (a request answered on the loop "
        "waits less than a command's p50): "
        + ", ".join(
            f"{s} probe p99 {c.probe_p99_ms:.1f} ms vs p50 {c.result.p50_ms:.1f} ms"
            for s, c in probe.items()
        )
    )
    lines.append(
        f"{_mark(slow.result.p99_ms < SLOW_TARGET_MS)} nothing near Slack's 3 s with Slack slow:"
        f" p99 {slow.result.p99_ms:.1f} ms at c=16 (target under {SLOW_TARGET_MS:.0f} ms, a"
        f" tenth of the limit; {fast.result.p99_ms:.1f} ms for the same mix with Slack fast)"
    )
    errors = sum(c.result.errors for c in [*cells, fast, slow])
    lines.append(f"{_mark(errors == 0)} every answer a real one: {errors} errors in all cells")
    return lines


def _ratio_tables(cells: list[Cell]) -> list[str]:
    share = ratios(cells)
    lines = []
    for count in sorted({c.workers for c in cells}):
        bare = next(c.setup for c in cells if _is_bare(c) and c.workers == count)
        lines += [
            "",
            f"ours / {bare} (req/s), {_group(count)}",
            f"{'':<20} " + "  ".join(f"c={c:<5}" for c in (1, 8, 16)),
        ]
        for setup in dict.fromkeys(
            c.setup for c in cells if not _is_bare(c) and c.workers == count
        ):
            values = "  ".join(f"{share[(setup, c)]:<7.2f}" for c in (1, 8, 16))
            lines.append(f"{setup:<20} {values}")
    return lines


def report(
    header: dict[str, str],
    cells: list[Cell],
    slow_run: SlowRun,
    trips: dict[str, Trips],
    deferred_failures: int,
    slow_seconds: float,
    cell_seconds: float,
) -> str:
    slow, outcomes = slow_run.cell, slow_run.outcomes
    made = sum(sum(counts.values()) for counts in outcomes.values())
    lines = ["", "FarLab Slack benchmark"]
    lines += [f"  {name}: {value}" for name, value in header.items()]
    lines += [
        "  ours: python -m bot serve (sync Bolt App, process_before_response=True, thread pool,"
        " uvicorn 1 worker); x2: serve --workers 2",
        "  bare: AsyncApp(process_before_response=True) + FastAPI async adapter, uvicorn 1"
        " worker, listener only acks; x2: 2 uvicorn workers",
        "  probe p99: GET of a path each server answers on its event loop (404), every 20 ms"
        " during the cell",
        "  cpu/req: CPU time (ms) of the server's processes (its workers too) per answered request",
        "  others: share of the machine's CPU taken by processes not in the benchmark",
        "",
        COLUMNS,
        *(row(c) for c in cells),
        *_ratio_tables(cells),
    ]
    lines += [
        "",
        "Web API mix: `/farlab part add` (views.open), View part in a message (response_url)"
        " and in App Home (chat.postMessage), a third each; first with the stand-in answering"
        f" at once, then with those three answering after {slow_seconds:.1f} s",
        COLUMNS,
        row(slow_run.fast),
        row(slow),
        f"  Web API calls made after the answers: {made} for {slow.result.requests} answered"
        f" requests; {slow_run.during} of them while the stand-in was slow"
        f" ({slow_run.during / cell_seconds:.1f} a second), the rest queued and made once it"
        f" answered fast again, the last {slow_run.drained_s:.1f} s after the load stopped",
    ]
    for method, counts in sorted(outcomes.items()):
        detail = ", ".join(f"{code} {n}" for code, n in counts.most_common())
        lines.append(f"    {method:<18} {sum(counts.values()):>6}  ({detail})")
    lines.append(f"  deferred calls that failed (logged by the server): {deferred_failures}")
    lines += ["", "Targets", *(f"  {line}" for line in targets(cells, slow_run, trips)), ""]
    return "\n".join(lines)
