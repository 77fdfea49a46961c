"""Slack benchmark: signed ``/farlab`` commands through the real ``serve`` HTTP server.

With 100,000 parts in PostgreSQL it first counts the round trips to PostgreSQL of one
``/farlab part <pn>`` and one ``/farlab use <pn> 1`` (bench/slack_round_trips.py). Then it
loads ``python -m bot serve`` (the sync Bolt app in the thread pool,
``process_before_response=True``) with those commands at concurrency 1, 8 and 16, and in the
same run the same load against a bare Bolt app that only acks (bench/bare_bolt_app.py); both
in one process and, as a second group, with two uvicorn worker processes each. Then once
more against the one-process server with the Slack stand-in answering slowly, to show the
answer to Slack does not wait for the Web API. It prints figures and which targets were
met; it asserts nothing. See bench/README.md.

    .venv/bin/python -m bench.slack [--quick] [--url URL] [--keep] [--generator wrk|python]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import slack_bolt.version
import uvicorn

from bench import slack_report, slack_round_trips
from bench.slack_cpu import CpuMeter
from bench.slack_load import (
    Check,
    LoadResult,
    LoopProbe,
    run_python,
    run_wrk,
    signed_request,
    wrk_path,
    wrk_version,
)
from bench.slack_requests import command_body, web_api_mix
from bench.slack_setup import (
    MEMBER,
    ServerProcess,
    backend_pids,
    drop_database,
    load_lab,
    recreate_database,
    sample_part_numbers,
    start_bare,
    start_ours,
)
from slack_stand_in import SlackStandIn

DEFAULT_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/"
DATABASE = "farlab_bench_slack"
SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"  # local only
SECRET_KEY = "bench-secret-key-that-is-long-enough-0123456789"  # local only
CONCURRENCY = (1, 8, 16)
WORKERS = 2  # the second group's worker processes, for ours and the bare app alike
POOL = 2000  # part numbers sampled for the requests
# Signed requests per cell, each different (its own trigger id): FarLab answers a copy of a
# request it has handled from the stored answer, so a cycled pool would measure replays.
UNIQUE_REQUESTS = 20_000
SLOW_POOL_PER_SECOND = 700  # the slow-Slack run's pool: more than it can send
SLOW_SECONDS = 2.0  # how slowly the stand-in answers in the slow-Slack run
BUSY_LOAD = 1.0  # a 1-minute load average above this before the cells: not an idle machine
SLOW_METHODS = ("views.open", "chat.postMessage", "response_url")
# What an error answer looks like: the error handler's ephemeral, the please-link message,
# and the empty JSON object a failed button press is acknowledged with.
ERROR_MARKERS = ('"text": ":warning:', '"text": ":no_entry:', '"text": "Link your Slack')
BUTTON_ERROR = "{}"

Runner = Callable[[ServerProcess, list[bytes], int, float, Check], LoadResult]


@dataclass
class Options:
    url: str
    parts: int
    seconds: int
    keep: bool
    generator: str


@dataclass
class Cell:
    setup: str
    result: LoadResult
    probe_p99_ms: float
    server_cpu_ms: float  # the server's CPU time (its workers' too) per answered request
    others_pct: float  # share of the machine's CPU that other work took during the cell
    workers: int = 1  # the server's worker processes: cells compare within one count


def sign_all(server: ServerProcess, bodies: list[str]) -> list[bytes]:
    host = f"127.0.0.1:{server.port}"
    return [signed_request(host, "/slack/events", SIGNING_SECRET, body) for body in bodies]


def _unique_commands(template: str, part_numbers: list[str], response_url: str) -> list[str]:
    """``UNIQUE_REQUESTS`` command bodies over the part numbers, no two alike."""
    return [
        command_body(
            MEMBER,
            template.format(part_numbers[i % len(part_numbers)]),
            response_url,
            f"{i}.1.bench",
        )
        for i in range(UNIQUE_REQUESTS)
    ]


def choose_runner(name: str) -> tuple[str, Runner]:
    if name == "wrk" or (name == "auto" and wrk_path() is not None):
        label = f"{wrk_version()}, 1 thread, Lua script, keep-alive connections"

        def wrk(
            server: ServerProcess, pool: list[bytes], c: int, s: float, ch: Check
        ) -> LoadResult:
            return run_wrk(f"{server.url}/slack/events", pool, c, max(1, round(s)), ch)

        return label, wrk
    label = "Python asyncio generator (wrk not found), 1 process, keep-alive connections"

    def python(server: ServerProcess, pool: list[bytes], c: int, s: float, ch: Check) -> LoadResult:
        return run_python(server.port, pool, c, s, ch)

    return label, python


@dataclass
class Bench:
    """What every cell needs: the generator, the CPU meter."""

    run: Runner
    meter: CpuMeter


def measure(
    bench: Bench, setup: str, server: ServerProcess, bodies: list[str], c: int, s: float, ch: Check
) -> Cell:
    pool = sign_all(server, bodies)  # signed now: timestamps are fresh for this cell
    before = bench.meter.sample(server.process.pid)
    with LoopProbe(server.port) as probe:
        result = bench.run(server, pool, c, s, ch)
    after = bench.meter.sample(server.process.pid)
    cpu_ms = (after.server - before.server) * 1000 / max(1, result.requests)
    others = CpuMeter.others_percent(before, after)
    cell = Cell(setup, result, probe.p99_ms, cpu_ms, others, server.workers)
    if setup.startswith("ours") and result.requests > len(pool):
        print(
            f"  warning: {setup} sent {result.requests} requests from a pool of {len(pool)}:"
            " the copies were answered as replays",
            file=sys.stderr,
            flush=True,
        )
    print(f"  {slack_report.row(cell)}", file=sys.stderr, flush=True)
    return cell


@dataclass
class SlowRun:
    fast: Cell  # the same mix with the stand-in answering at once: the control
    cell: Cell
    during: int  # Web API calls answered while the stand-in was slow
    outcomes: dict[str, Counter[str]]  # every call made, by method and answer
    drained_s: float  # when the last one came, after the stand-in was fast again


def slow_slack(
    bench: Bench, ours: ServerProcess, stand_in: SlackStandIn, opts: Options, parts: int
) -> SlowRun:
    """The Web API mix at c=16 against ours, first with the stand-in answering at once, then
    with every views.open, chat.postMessage and response_url answer taking SLOW_SECONDS."""
    rng = random.Random(11)
    count = max(POOL, SLOW_POOL_PER_SECOND * opts.seconds)  # each request used about once
    # The pool's trigger ids are issued before the run, not as each click is sent: their
    # 3 s lifetime would measure the pool's age, not the app. How far the Web API work
    # fell behind is reported instead.
    stand_in.workspace.directory.trigger_ttl = None
    check = Check(must_not=(*ERROR_MARKERS, BUTTON_ERROR))
    bodies = web_api_mix(stand_in, count, parts, rng)
    fast = measure(bench, "ours, Slack fast", ours, bodies, 16, opts.seconds, check)
    bodies = web_api_mix(stand_in, count, parts, rng)
    wait_for_quiet(stand_in, len(stand_in.calls()) + 1, quiet_s=1.0)
    stand_in.clear()
    for method in SLOW_METHODS:
        stand_in.slow(method, SLOW_SECONDS)
    cell = measure(bench, "ours, Slack slow", ours, bodies, 16, opts.seconds, check)
    during = len(stand_in.calls())
    stand_in.clear_faults()
    drained = wait_for_quiet(stand_in, cell.result.requests)
    outcomes: dict[str, Counter[str]] = {}
    for call in stand_in.calls():
        code = "ok" if call.response.get("ok") else str(call.response.get("error", call.status))
        outcomes.setdefault(call.method, Counter())[code] += 1
    return SlowRun(fast, cell, during, outcomes, drained)


def wait_for_quiet(stand_in: SlackStandIn, expected: int, quiet_s: float = 3.0) -> float:
    """Seconds until the deferred Web API work drained (``expected`` calls arrived, or none
    for ``quiet_s``), now that the stand-in answers fast again; polled with a deadline."""
    started = time.monotonic()
    seen, last_change = -1, started
    while time.monotonic() - started < 120:
        count = len(stand_in.calls())
        if count != seen:
            seen, last_change = count, time.monotonic()
        if count >= expected or time.monotonic() - last_change > quiet_s:
            break
        time.sleep(0.1)
    return last_change - started


def run(opts: Options) -> int:
    generator, runner = choose_runner(opts.generator)
    db_url = recreate_database(opts.url, DATABASE)
    started = time.perf_counter()
    try:
        load_lab(db_url, opts.parts, SECRET_KEY)
        load_s = time.perf_counter() - started
        part_numbers = sample_part_numbers(db_url, POOL, use_pool=False)
        use_numbers = sample_part_numbers(db_url, POOL, use_pool=True)
        with tempfile.TemporaryDirectory(prefix="farlab-bench-slack-") as tmp:
            return _measure_all(
                opts, generator, runner, db_url, load_s, part_numbers, use_numbers, Path(tmp)
            )
    finally:
        if not opts.keep:
            drop_database(opts.url, DATABASE)


def _measure_all(
    opts: Options,
    generator: str,
    runner: Runner,
    db_url: str,
    load_s: float,
    part_numbers: list[str],
    use_numbers: list[str],
    workdir: Path,
) -> int:
    stand_in = SlackStandIn().start()
    servers: list[ServerProcess] = []
    try:
        api = stand_in.base_url
        # One command of each, in this process, before any server runs: the statements sent.
        trips = slack_round_trips.measure(
            db_url,
            api,
            SIGNING_SECRET,
            SECRET_KEY,
            [f"part {part_numbers[0]}", f"use {use_numbers[0]} 1"],
        )
        for workers in (1, WORKERS):
            servers.append(
                start_ours(
                    workdir,
                    db_url=db_url,
                    api_url=api,
                    signing_secret=SIGNING_SECRET,
                    secret_key=SECRET_KEY,
                    workers=workers,
                )
            )
            servers.append(
                start_bare(workdir, api_url=api, signing_secret=SIGNING_SECRET, workers=workers)
            )
        ours, bare, ours_x2, bare_x2 = servers
        for server in servers:
            server.wait_healthy()
        database = backend_pids(db_url)
        bench = Bench(runner, CpuMeter(lambda: [*(s.process.pid for s in servers), *database()]))
        unused = f"{stand_in.url}/response/bench-unused"
        part = _unique_commands("part {}", part_numbers, unused)
        use = _unique_commands("use {} 1", use_numbers, unused)
        part_check = Check(must="*Last movements*", must_not=ERROR_MARKERS)
        use_check = Check(must='"text": "Took 1 ', must_not=ERROR_MARKERS)
        plans = [
            ("bare ack", bare, part, Check(must_not=ERROR_MARKERS)),
            ("ours part <pn>", ours, part, part_check),
            ("ours use <pn> 1", ours, use, use_check),
            (f"bare ack x{WORKERS}", bare_x2, part, Check(must_not=ERROR_MARKERS)),
            (f"ours part x{WORKERS}", ours_x2, part, part_check),
            (f"ours use x{WORKERS}", ours_x2, use, use_check),
        ]
        print(f"warming up, then {len(plans) * len(CONCURRENCY) + 2} cells", file=sys.stderr)
        load_before = os.getloadavg()[0]
        for server in servers:  # first requests: auth.test, connection pools, imports
            runner(server, sign_all(server, part), 8 * server.workers, 1, Check())
        cells = [  # interleaved, so a change in the machine's other work hits all alike
            measure(bench, setup, server, bodies, c, opts.seconds, check)
            for c in CONCURRENCY
            for setup, server, bodies, check in plans
        ]
        cells.sort(key=lambda cell: [p[0] for p in plans].index(cell.setup))
        slow = slow_slack(bench, ours, stand_in, opts, opts.parts)
        load_after = os.getloadavg()[0]
        failures = sum(
            server.log_text().count("Slack call after the answer failed")
            for server in (ours, ours_x2)
        )
    finally:
        for server in servers:
            server.stop()
        stand_in.stop()
    header = {
        "parts": f"{opts.parts:,} parts in PostgreSQL ({DATABASE}), loaded in {load_s:.1f} s",
        "generator": f"{generator}; {opts.seconds} s per cell",
        "machine": (
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"slack-bolt {slack_bolt.version.__version__}, uvicorn {uvicorn.__version__}; "
            f"load average {load_before:.1f} before the cells, {load_after:.1f} after"
        ),
    }
    if load_before > BUSY_LOAD:
        header["note"] = "other work was running on this machine: figures are low and noisy"
    print(slack_report.report(header, cells, slow, trips, failures, SLOW_SECONDS, opts.seconds))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="the PostgreSQL server")
    parser.add_argument("--quick", action="store_true", help="2 s cells, 10,000 parts")
    parser.add_argument("--parts", type=int, help="parts to load (100,000; --quick 10,000)")
    parser.add_argument("--seconds", type=int, help="seconds per cell (10; --quick 2)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args(argv)
    opts = Options(
        url=args.url,
        parts=args.parts or (10_000 if args.quick else 100_000),
        seconds=args.seconds or (2 if args.quick else 10),
        keep=args.keep,
        generator=args.generator,
    )
    return run(opts)


if __name__ == "__main__":
    sys.exit(main())
