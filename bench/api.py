"""REST API benchmark: the parts endpoints of ``python -m bot serve`` on a large catalogue.

It loads PostgreSQL with bench/domain.py's catalogue at a tenth of the size and at the full
size, and at each measures what one request at a time gets from the paged list and search
endpoints (rows, bytes, latency), to show whether they grow with the table. At the full
size it then loads the server at concurrency 8: the parts of a big and of a small
instrument, search, and stock moves. It prints figures and which targets were met; it
asserts nothing. See bench/README.md.

    .venv/bin/python -m bench.api [--quick] [--url URL] [--keep] [--generator wrk|python]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench.api_setup import (
    DATABASE,
    Call,
    Lab,
    Sample,
    postgres_version,
    prepare,
    sample,
    sign_in,
    start_server,
)
from bench.domain import drop_database
from bench.domain import search_queries as catalogue_queries
from bench.slack_cpu import CpuMeter
from bench.slack_load import Check, LoadResult, run_python, run_wrk, wrk_path, wrk_version
from bench.slack_setup import ServerProcess, backend_pids

DEFAULT_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/"
CONCURRENCY = 8
POOL = 2000  # requests per cell, cycled
SEARCH_KINDS = ("exact number", "number fragment", "name words")
TARGET_SEARCH_P99_MS = 100.0
# A figure grows when, from a tenth of the parts to all of them, the bytes per answer grow
# by more than a fifth, or the p50 by more than half and more than 5 ms (noise on small ones).
# Answers with more rows at the full size are not judged: more parts matched, up to the page.
GROWS_SIZE, GROWS_P50, GROWS_P50_MS, MORE_ROWS = 1.2, 1.5, 5.0, 1.1


def say(line: str = "") -> None:
    print(line, flush=True)


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


# --- requests -------------------------------------------------------------------------------


def instrument_parts(instrument: int, limit: int | None = None) -> Call:
    query = f"&limit={limit}" if limit else ""
    return Call("GET", f"/api/parts/?instrument_id={instrument}{query}")


def search(query: str) -> Call:
    return Call("GET", f"/api/parts/search/?q={quote(query)}")


def searches(lab: Lab, seed: int, per_kind: int) -> dict[str, list[Call]]:
    """bench/domain.py's query mix, the kinds people type into the web UI's search box."""
    queries = catalogue_queries(lab.parts, lab.numbers, random.Random(seed), per_kind)
    return {kind: [search(q) for k, q in queries if k == kind] for kind in SEARCH_KINDS}


def stock_moves(lab: Lab, seed: int) -> list[Call]:
    """±1 on random well-stocked parts: a pool cycled a few times cannot empty one."""
    rng = random.Random(seed)
    return [
        Call(
            "POST",
            f"/api/parts/{part_id}/stock",
            json.dumps({"quantity_change": rng.choice((-1, 1)), "reason": "bench"}).encode(),
        )
        for part_id in lab.stocked
    ]


# --- the two phases -------------------------------------------------------------------------


def paged_calls(lab: Lab, seed: int, quick: bool) -> dict[str, list[Call]]:
    """The list and search endpoints, each as the requests sampled one at a time."""
    repeat = 5 if quick else 15
    found = searches(lab, seed, 15 if quick else 40)
    return {
        "GET /api/parts/ (all)": [Call("GET", "/api/parts/")] * repeat,
        "  ?instrument_id= big": [instrument_parts(lab.big)] * repeat,
        "  ?instrument_id= small": [instrument_parts(lab.small)] * 30,
        "  ?instrument_id= big &limit=50": [instrument_parts(lab.big, 50)] * 30,
        "GET /api/alerts/low-stock (1% low)": [Call("GET", "/api/alerts/low-stock")] * repeat,
        **{f"GET /api/parts/search/ {kind}": calls for kind, calls in found.items()},
    }


def measure_paging(lab: Lab, server: ServerProcess, token: str, quick: bool) -> dict[str, Sample]:
    return {
        label: sample(server.port, token, calls)
        for label, calls in paged_calls(lab, seed=11, quick=quick).items()
    }


@dataclass(frozen=True)
class Cell:
    result: LoadResult
    size: float  # mean bytes per answer, from the warm-up
    cpu_ms: float  # the server's CPU time per answered request
    others: float  # percent of the machine's CPU that went to other work during the cell
    load: str


def measure_throughput(
    lab: Lab, server: ServerProcess, token: str, seconds: int, generator: str, db_url: str
) -> dict[str, Cell]:
    found = searches(lab, seed=29, per_kind=POOL // len(SEARCH_KINDS) + 1)
    mix = [call for trio in zip(*found.values(), strict=False) for call in trio]
    plan = {
        "GET /api/parts/?instrument_id= big": [instrument_parts(lab.big)],
        "GET /api/parts/?instrument_id= small": [instrument_parts(lab.small)],
        "GET /api/parts/search/?q= (mix)": mix[:POOL],
        "POST /api/parts/{id}/stock ±1": stock_moves(lab, seed=31),
    }
    backends = backend_pids(db_url)
    meter = CpuMeter(lambda: [server.process.pid, *backends()])
    cells = {}
    for label, calls in plan.items():
        warm = sample(server.port, token, calls[:50] if len(calls) > 1 else calls * 10)
        pool = [call.raw(server.port, token) for call in calls]
        load, before = load_average(), meter.sample(server.process.pid)
        if generator == "wrk":
            result = run_wrk(server.url, pool, CONCURRENCY, seconds, Check())
        else:
            result = run_python(server.port, pool, CONCURRENCY, seconds, Check())
        after = meter.sample(server.process.pid)
        cpu_ms = (after.server - before.server) * 1000 / max(1, result.requests)
        cells[label] = Cell(result, warm.size, cpu_ms, CpuMeter.others_percent(before, after), load)
        if warm.errors:
            say(f"  warm-up of {label}: {warm.errors} non-2xx answers")
    return cells


# --- the report -----------------------------------------------------------------------------


def report_paging(
    small: tuple[int, dict[str, Sample]], full: tuple[int, dict[str, Sample]]
) -> bool:
    """The paging table; whether the instrument lists and search kept their size and time."""
    (n0, before), (n1, after) = small, full
    say(f"\nPaged answers, one request at a time: {n0:,} parts | {n1:,} parts | ratio")
    columns = f"{'rows':>6}{'KB':>7}{'p50 ms':>8}{'p99 ms':>8}"
    say(f"{'endpoint':<38}{columns} |{columns} |{'KB':>6}{'p50':>6}  grows?     errors")
    steady = True
    for label, a in before.items():
        b = after[label]
        size_x, p50_x = b.size / max(a.size, 1.0), b.p50_ms / max(a.p50_ms, 0.01)
        slower = p50_x > GROWS_P50 and b.p50_ms - a.p50_ms > GROWS_P50_MS
        if b.rows > a.rows * MORE_ROWS:
            verdict = "more rows"  # more of the table matched; the page caps them
        elif size_x > GROWS_SIZE or slower:
            verdict = "YES"
            steady = steady and "instrument_id" not in label and "search" not in label
        else:
            verdict = "no"
        say(f"{label:<38}{_figures(a)} |{_figures(b)} |{size_x:>6.2f}{p50_x:>6.2f}  "
            f"{verdict:<9}  {a.errors + b.errors}")  # fmt: skip
    return steady


def _figures(s: Sample) -> str:
    return f"{s.rows:>6.0f}{s.size / 1024:>7.1f}{s.p50_ms:>8.1f}{s.p99_ms:>8.1f}"


def report_throughput(n: int, cells: dict[str, Cell], generator: str, seconds: int) -> float:
    """The throughput table; the search cell's p99."""
    say(f"\nConcurrency {CONCURRENCY} at {n:,} parts, {seconds} s each, load by {generator}")
    say(f"{'endpoint':<38}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}"
        f"{'bytes/answer':>13}{'cpu ms/req':>11}{'other work':>11}  load avg before")  # fmt: skip
    for label, cell in cells.items():
        r = cell.result
        figures = f"{r.rps:>7.0f}{r.p50_ms:>8.1f}{r.p99_ms:>8.1f}{r.errors:>7}{cell.size:>13,.0f}"
        say(f"{label:<38}{figures}{cell.cpu_ms:>11.1f}{cell.others:>10.0f}%  {cell.load}")
    return next(c.result.p99_ms for label, c in cells.items() if "search" in label)


# --- main -----------------------------------------------------------------------------------


def run_size(
    args: argparse.Namespace, n: int, workdir: Path, *, throughput: bool
) -> tuple[dict[str, Sample], dict[str, Cell]]:
    db_url, lab = prepare(args.url, n, args.seed)
    say(f"{n:,} parts: loaded in {lab.load_s:.1f} s (PostgreSQL {postgres_version(db_url)}); "
        f"big instrument {lab.links[0]:,} linked parts, small {lab.links[1]}; "
        f"load average {load_average()}")  # fmt: skip
    server = start_server(workdir, db_url)
    try:
        token = sign_in(server.port)
        paging = measure_paging(lab, server, token, args.quick)
        cells = (
            measure_throughput(lab, server, token, args.seconds, args.generator, db_url)
            if throughput
            else {}
        )
    finally:
        server.stop()
    return paging, cells


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__)
    parser.add_argument("--url", default=DEFAULT_URL, help="PostgreSQL server (user, trust)")
    parser.add_argument("--quick", action="store_true", help="10,000 parts, 2 s per endpoint")
    parser.add_argument("--parts", type=int, help="parts at full size (100,000; --quick 10,000)")
    parser.add_argument("--seconds", type=int, help="per endpoint (10; --quick 2)")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--seed", type=int, default=253)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DATABASE}")
    args = parser.parse_args(argv)
    args.parts = args.parts or (10_000 if args.quick else 100_000)
    args.seconds = args.seconds or (2 if args.quick else 10)
    if args.generator == "auto":
        args.generator = "wrk" if wrk_path() else "python"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    runner = wrk_version() if args.generator == "wrk" else "Python asyncio (one process)"
    say("FarLab REST API: python -m bot serve --no-scheduler, one uvicorn process, no Slack")
    say(f"load generator: {runner}, {CONCURRENCY} keep-alive connections; {os.cpu_count()} "
        f"cores; load average (1/5/15 min) {load_average()}")  # fmt: skip
    tenth = max(1_000, args.parts // 10)
    try:
        with tempfile.TemporaryDirectory(prefix="farlab-bench-api-") as tmp:
            before, _ = run_size(args, tenth, Path(tmp), throughput=False)
            after, cells = run_size(args, args.parts, Path(tmp), throughput=True)
    finally:
        if not args.keep:
            drop_database(args.url, DATABASE)
    steady = report_paging((tenth, before), (args.parts, after))
    p99 = report_throughput(args.parts, cells, args.generator, args.seconds)
    errors = sum(c.result.errors for c in cells.values())
    errors += sum(s.errors for s in (*before.values(), *after.values()))
    say(f"\ntarget: search p99 < {TARGET_SEARCH_P99_MS:.0f} ms at concurrency {CONCURRENCY}: "
        f"{p99:.1f} ms: {'met' if p99 < TARGET_SEARCH_P99_MS else 'MISSED'}")  # fmt: skip
    say(f"target: instrument lists and search do not grow (size x{GROWS_SIZE}, p50 x{GROWS_P50}) "
        f"from {tenth:,} to {args.parts:,} parts: {'met' if steady else 'MISSED'}")  # fmt: skip
    say(f"every answer 2xx: {'yes' if errors == 0 else f'NO, {errors} errors'}")
    say(f"load average at the end {load_average()}; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
