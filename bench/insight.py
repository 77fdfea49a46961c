"""Insight benchmark on PostgreSQL: the forecast scan, one part's usage, and its chart.

On 1,000,000 parts with about 20,000,000 ledger rows over two years (``bench.insight_data``,
built once into ``farlab_bench_insight`` and reused while it is there), with the clock set
to when the ledger was written, it times:

- ``forecasting.refresh_forecasts`` over every part, as the scheduler's ``forecast_scan``
  calls it: the first run (from no stored forecasts: every forecast alert opened) and a
  second, steady one;
- ``consumption.part_usage`` (12 weeks by week, as ``/farlab usage <part>`` asks it) for
  random parts, a third from each usage class (weekly, monthly, rare);
- ``charts.render_part_chart`` of those answers (PNG bytes).

It prints figures and the load average; it asserts nothing. See bench/README.md.

    .venv/bin/python -m bench.insight [--url URL] [--rebuild] [--parts 300] [--drop]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import text

from bench.domain import DEFAULT_URL, _admin, _pct, drop_database, recreate_database
from bench.insight_data import build, built_at
from domain import consumption, forecasting, users
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor, Role
from persistence.db import Database

DATABASE = "farlab_bench_insight"
PARTS = 1_000_000
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
TARGET_SCAN_S = 10.0
TARGET_USAGE_P99_MS = 50.0
TARGET_CHART_MS = 300.0
# The usage classes of ``bench.insight_data``, by the same hash of the part's id.
CLASS_SQL = """
SELECT id FROM (
    SELECT id, mod(hashint8(id::bigint * 16 + 1)::bigint + 2147483648, 100) AS c FROM parts
) AS x WHERE c >= :low AND c < :high ORDER BY hashint4(id + :seed) LIMIT :n
"""
CLASSES = {"weekly": (0, 5), "monthly": (5, 30), "rare": (30, 100)}


def _say(line: str = "") -> None:
    print(line, flush=True)


def _ms(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _verdict(value: float, target: float) -> str:
    return "met" if value < target else "MISSED"


def open_database(url: str, *, rebuild: bool) -> tuple[Database, datetime]:
    """The benchmark's database, built unless a complete one is there."""
    with _admin(url) as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": DATABASE}
        ).scalar()
    if exists and not rebuild:
        db = Database.from_url(_database_url(url))
        clock = built_at(db)
        if clock is not None:
            _say(f"reusing {DATABASE} (built for {clock:%Y-%m-%d %H:%M} UTC)")
            return db, clock
        db.dispose()
    _say(f"building {DATABASE}: {PARTS:,} parts, about 20,000,000 ledger rows (minutes)")
    db = Database.from_url(recreate_database(url, DATABASE))
    build(db, PARTS)
    clock = built_at(db)
    assert clock is not None
    return db, clock


def _database_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=DATABASE).render_as_string(hide_password=False)


def _member(ctx: DomainContext) -> Actor:
    with ctx.db.engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM users WHERE username = 'bench.member'")).scalar()
    if found is None:
        found = users.create_user(
            ctx, actor=SYSTEM, username="bench.member", email="bench.member@farlab.example",
            first_name="Bench", last_name="Member", password=None,
        ).id  # fmt: skip
    return Actor(user_id=found, username="bench.member", role=Role.MEMBER)


def sample_parts(db: Database, per_class: int, seed: int) -> dict[str, list[int]]:
    with db.engine.connect() as conn:
        return {
            name: list(
                conn.execute(
                    text(CLASS_SQL), {"low": low, "high": high, "seed": seed, "n": per_class}
                ).scalars()
            )
            for name, (low, high) in CLASSES.items()
        }


def forget_forecasts(db: Database) -> None:
    """Back to the database as built: no stored forecasts, no forecast alerts (so the first
    scan of every run opens them)."""
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM alerts WHERE kind = 'forecast'"))
        conn.execute(text("DELETE FROM part_forecasts"))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) alerts, part_forecasts"))


def bench_scan(ctx: DomainContext) -> None:
    forget_forecasts(ctx.db)
    for run in ("first", "second"):
        _say(f"  load average before the {run} scan: {_load()}")
        ms, done = _ms(lambda: forecasting.refresh_forecasts(ctx, actor=SYSTEM))
        _say(
            f"  forecast scan ({run} run): {ms / 1000:.2f} s: forecasts {done.forecasts}, "
            f"too little history {done.too_little_history}, opened {done.opened}, "
            f"resolved {done.resolved} (target < {TARGET_SCAN_S:.0f} s: "
            f"{_verdict(ms / 1000, TARGET_SCAN_S)})"
        )


def bench_usage(ctx: DomainContext, actor: Actor, sample: dict[str, list[int]]) -> list[Any]:
    """Milliseconds of ``part_usage`` per class and overall; the answers, for the charts."""
    for part_id in sample["weekly"][:10]:  # warm
        consumption.part_usage(ctx, actor=actor, part_id=part_id)
    answers, every = [], []
    _say(f"  load average before the usage answers: {_load()}")
    for name, ids in sample.items():
        timings = []
        for part_id in ids:
            ms, usage = _ms(lambda p=part_id: consumption.part_usage(ctx, actor=actor, part_id=p))
            timings.append(ms)
            answers.append(usage)
        every += timings
        _say(f"  part_usage, {name} parts ({len(ids)}): p50 {_pct(timings, 50):.1f} ms, "
             f"p99 {_pct(timings, 99):.1f} ms, max {max(timings):.1f} ms")  # fmt: skip
    p99 = _pct(every, 99)
    _say(f"  part_usage, all {len(every)}: p50 {_pct(every, 50):.1f} ms, p99 {p99:.1f} ms "
         f"(target p99 < {TARGET_USAGE_P99_MS:.0f} ms: "
         f"{_verdict(p99, TARGET_USAGE_P99_MS)})")  # fmt: skip
    return answers


def bench_charts(answers: list[Any], count: int) -> None:
    try:
        from charts.usage_chart import render_part_chart  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        _say("  render_part_chart: the charts package is not here yet; not measured")
        return
    render_part_chart(answers[0])  # warm: fonts and the first figure
    _say(f"  load average before the charts: {_load()}")
    timings, size = [], 0
    for usage in answers[:: max(1, len(answers) // count)][:count]:
        ms, png = _ms(lambda u=usage: render_part_chart(u))
        timings.append(ms)
        size = max(size, len(png))
    p99 = _pct(timings, 99)
    _say(f"  render_part_chart, {len(timings)} charts: p50 {_pct(timings, 50):.1f} ms, "
         f"p99 {p99:.1f} ms, largest {size / 1024:.0f} KiB (target < {TARGET_CHART_MS:.0f} "
         f"ms: {_verdict(p99, TARGET_CHART_MS)})")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.insight", description=__doc__)
    parser.add_argument("--url", default=os.environ.get("FARLAB_BENCH_POSTGRES_URL", DEFAULT_URL))
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--parts", type=int, default=300, help="parts whose usage is timed")
    parser.add_argument("--charts", type=int, default=100, help="charts rendered")
    parser.add_argument("--seed", type=int, default=253)
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    db, clock = open_database(args.url, rebuild=args.rebuild)
    try:
        ctx = DomainContext(db=db, secret_key=SECRET, bcrypt_rounds=4, clock=lambda: clock)
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM stock_movements")).scalar_one()
        _say(f"{PARTS:,} parts, {rows:,} ledger rows; load average {_load()}")
        bench_scan(ctx)
        salt = random.Random(args.seed).randint(1, 10**6)
        sample = sample_parts(db, args.parts // len(CLASSES), salt)
        answers = bench_usage(ctx, _member(ctx), sample)
        bench_charts(answers, args.charts)
        _say(f"  load average at the end: {_load()}")
    finally:
        db.dispose()
        if args.drop:
            drop_database(args.url, DATABASE)
    _say(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
