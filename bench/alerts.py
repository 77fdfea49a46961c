"""Alert benchmark on PostgreSQL: the low-stock scan, delivery to Slack, queries per run.

For each size it makes a fresh database, loads the parts on the server (generate_series;
1 in ``--low-every`` parts is low), routes their categories to ``--channels`` channels,
and then measures:

- one scan (``evaluate_low_stock``): time and statements, first (opens every alert) and
  steady (nothing to do);
- deliveries per minute: the ``alert_delivery`` job, run back to back for ``--seconds``
  against the Slack stand-in limited to one message per second per channel;
- statements per delivery run, and one run with digests (``FARLAB_ALERT_BURST`` 10).

Statements are counted with a ``before_cursor_execute`` listener on the engine. It prints
figures and asserts nothing; the databases it makes are dropped (``--keep`` keeps them).

    .venv/bin/python -m bench.alerts [--url URL] [--parts 100000 1000000] [--seconds 60]
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

from bot.alert_messenger import SlackAlertMessenger, outbox_client
from domain import alerts
from domain.context import DomainContext
from domain.permissions import SYSTEM
from farlab.wiring import build_client
from persistence.db import Database
from persistence.migrate import upgrade
from scheduler.jobs import AlertJobs, AlertSchedule
from scheduler.runner import FarLabScheduler
from slack_stand_in import SlackStandIn

DEFAULT_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
INSTRUMENTS = 300
# Statements per message posted: the claim, the attempt recorded before the post, and the
# outcome after it.
PER_POST = 3

PARTS_SQL = """
INSERT INTO parts (part_number, name, category, unit_of_measure, location,
    quantity_in_stock, minimum_stock_level, is_critical, is_active, created_at)
SELECT 'P-' || lpad(g.i::text, 8, '0'), 'Part ' || g.i,
    'Category ' || ((g.i / :low_every) % :channels),
    'pcs', 'Cabinet ' || (1 + g.i % 40),
    CASE WHEN g.i % :low_every = 0 THEN g.i % 5 ELSE 50 + g.i % 50 END,
    5, g.i % 20 = 0, true, now()
FROM generate_series(1, :n) AS g(i)
"""
INSTRUMENTS_SQL = """
INSERT INTO instruments (name, model, status, is_active, created_at)
SELECT 'Instrument ' || g.i, 'Model ' || (g.i % 40), 'operational', true, now()
FROM generate_series(1, :n) AS g(i)
"""
LINKS_SQL = """
INSERT INTO instrument_parts (instrument_id, part_id, quantity_required, is_critical,
    is_active, created_at)
SELECT 1 + p.id % :instruments, p.id, 1, p.id % 10 = 0, true, now()
FROM parts AS p WHERE p.id % 5 = 0
"""
ROUTES_SQL = """
INSERT INTO alert_routes (kind, key, channel_id, created_at)
SELECT 'category', 'Category ' || g.i, 'CBENCH' || lpad(g.i::text, 2, '0'), now()
FROM generate_series(0, :channels - 1) AS g(i)
"""
REDELIVER_SQL = """
UPDATE alerts SET delivered_at = NULL, channel_id = NULL, message_ts = NULL, digest_ts = NULL,
    next_attempt_at = NULL, last_error = NULL, shown_status = NULL, last_notified_at = NULL,
    post_started_at = NULL, lookup_failures = 0
WHERE status <> 'resolved'
"""
SECONDARY_INDEXES_SQL = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index AS x
JOIN pg_class AS i ON i.oid = x.indexrelid
JOIN pg_class AS t ON t.oid = x.indrelid
WHERE t.relname IN ('parts', 'instrument_parts')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.oid)
"""


@dataclass
class Figures:
    parts: int
    low: int = 0
    load_s: float = 0.0
    scan_first_s: float = 0.0
    scan_first_statements: int = 0
    scan_first: str = ""
    scan_steady_s: float = 0.0
    scan_steady_statements: int = 0
    delivered: int = 0
    delivery_s: float = 0.0
    delivery_runs: list[tuple[int, int]] = field(default_factory=list)  # (posted, statements)
    rejected_429: int = 0
    digest_s: float = 0.0
    digest_statements: int = 0
    digest_result: str = ""

    @property
    def per_minute(self) -> float:
        return self.delivered / self.delivery_s * 60 if self.delivery_s else 0.0


class StatementCounter:
    """Counts the statements an engine sends (each executemany counts once)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1

    @contextmanager
    def measure(self) -> Iterator[Callable[[], int]]:
        start = self.count
        yield lambda: self.count - start


# --- database -------------------------------------------------------------------------------


def _server(url: str) -> URL:
    parsed = make_url(url)
    return parsed.set(database=parsed.database or "postgres")


def _admin(url: str, statement: str) -> None:
    engine = create_engine(_server(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def recreate_database(url: str, name: str) -> str:
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{name}"')
    return _server(url).set(database=name).render_as_string(hide_password=False)


def load(db: Database, n: int, *, low_every: int, channels: int) -> float:
    """Instruments, ``n`` parts, links and routes, loaded with secondary indexes dropped."""
    started = time.perf_counter()
    with db.engine.begin() as conn:
        indexes = conn.execute(text(SECONDARY_INDEXES_SQL)).all()
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
        conn.execute(text(INSTRUMENTS_SQL), {"n": INSTRUMENTS})
        conn.execute(text(PARTS_SQL), {"n": n, "low_every": low_every, "channels": channels})
        conn.execute(text(LINKS_SQL), {"instruments": INSTRUMENTS})
        conn.execute(text(ROUTES_SQL), {"channels": channels})
        conn.execute(text("SET maintenance_work_mem = '512MB'"))
        for _, definition in indexes:
            conn.execute(text(definition))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
    return time.perf_counter() - started


# --- measurements ---------------------------------------------------------------------------


def bench_scan(ctx: DomainContext, counter: StatementCounter, figures: Figures) -> None:
    with counter.measure() as counted:
        started = time.perf_counter()
        first = alerts.evaluate_low_stock(ctx, actor=SYSTEM)
        figures.scan_first_s = time.perf_counter() - started
    figures.scan_first_statements = counted()
    figures.scan_first = f"opened {first.opened}, resolved {first.resolved}"
    figures.low = first.opened
    with counter.measure() as counted:
        started = time.perf_counter()
        alerts.evaluate_low_stock(ctx, actor=SYSTEM)
        figures.scan_steady_s = time.perf_counter() - started
    figures.scan_steady_statements = counted()


def _scheduler(ctx: DomainContext, stand_in: SlackStandIn, schedule: AlertSchedule) -> Any:
    client = build_client("xoxb-farlab-bench", base_url=stand_in.base_url)
    jobs = AlertJobs(ctx, SlackAlertMessenger(outbox_client(client)), schedule)
    return FarLabScheduler(ctx, jobs)


def _accepted(stand_in: SlackStandIn) -> int:
    return sum(1 for c in stand_in.calls("chat.postMessage") if c.status == 200)


def bench_delivery(
    ctx: DomainContext,
    counter: StatementCounter,
    figures: Figures,
    *,
    seconds: float,
) -> None:
    """The delivery job back to back for ``seconds``, one post per second per channel."""
    with SlackStandIn() as stand_in:
        stand_in.rate_limit_per_channel(1.0)
        # Every alert individually: no digests in this part of the measurement.
        individual = _scheduler(ctx, stand_in, AlertSchedule(burst=1_000_000))
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            before = _accepted(stand_in)
            with counter.measure() as counted:
                individual.run("alert_delivery")
            posted = _accepted(stand_in) - before
            figures.delivery_runs.append((posted, counted()))
            if not posted:
                break
        figures.delivery_s = time.perf_counter() - started
        figures.delivered = _accepted(stand_in)
        calls = stand_in.calls("chat.postMessage")
        figures.rejected_429 = sum(1 for c in calls if c.status == 429)
        # All of them again, with the default burst: one digest per channel per run.
        with ctx.db.engine.begin() as conn:
            conn.execute(text(REDELIVER_SQL))
        time.sleep(1.1)  # the stand-in's per-channel limit remembers the last posts
        digests = _scheduler(ctx, stand_in, replace(AlertSchedule(), burst=10))
        with counter.measure() as counted:
            started = time.perf_counter()
            figures.digest_result = digests.run("alert_delivery").detail
            figures.digest_s = time.perf_counter() - started
        figures.digest_statements = counted()


def run_size(url: str, n: int, args: argparse.Namespace) -> Figures:
    name = f"farlab_bench_alerts_{n}"
    figures = Figures(parts=n)
    db_url = recreate_database(url, name)
    db = Database.from_url(db_url)
    try:
        upgrade(db.engine)
        figures.load_s = load(db, n, low_every=args.low_every, channels=args.channels)
        ctx = DomainContext(db=db, secret_key=SECRET)
        counter = StatementCounter(db.engine)
        bench_scan(ctx, counter, figures)
        bench_delivery(ctx, counter, figures, seconds=args.seconds)
    finally:
        db.dispose()
        if not args.keep:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return figures


# --- reporting ------------------------------------------------------------------------------


def report(f: Figures) -> None:
    print(f"{f.parts:,} parts, {f.low:,} low (loaded in {f.load_s:.1f} s)")
    print(
        f"  scan, first:  {f.scan_first_s * 1000:8.1f} ms, {f.scan_first_statements} "
        f"statements ({f.scan_first})"
    )
    print(
        f"  scan, steady: {f.scan_steady_s * 1000:8.1f} ms, {f.scan_steady_statements} "
        "statements (nothing to open or resolve)"
    )
    print(
        f"  delivery: {f.delivered:,} messages in {f.delivery_s:.1f} s = "
        f"{f.per_minute:,.0f} per minute over {len(f.delivery_runs)} runs "
        f"({f.rejected_429} refused with 429 by the 1/s/channel limit)"
    )
    for posted, statements in f.delivery_runs:
        fixed = statements - PER_POST * posted
        print(
            f"    run: {posted:>5} posted, {statements:>6} statements = {fixed} "
            f"+ {PER_POST} per post"
        )
    print(
        f"  digest run: {f.digest_result} in {f.digest_s:.1f} s, {f.digest_statements} statements"
    )


def summary(results: list[Figures]) -> None:
    print()
    print(f"{'parts':>10} {'low':>7} {'scan ms':>8} {'scan stmts':>10} {'msgs/min':>9} "
          f"{'stmts/run (fixed)':>18} {'digest stmts':>12}")  # fmt: skip
    for f in results:
        fixed = sorted({s - PER_POST * p for p, s in f.delivery_runs})
        print(
            f"{f.parts:>10,} {f.low:>7,} {f.scan_first_s * 1000:>8.1f} "
            f"{f.scan_first_statements:>10} {f.per_minute:>9,.0f} "
            f"{'/'.join(map(str, fixed)):>18} {f.digest_statements:>12}"
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="PostgreSQL server (any database)")
    parser.add_argument("--parts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--low-every", type=int, default=100, help="1 in N parts is low")
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="delivery measurement")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # each refused post logs a warning otherwise
    results = []
    for n in args.parts:
        figures = run_size(args.url, n, args)
        report(figures)
        results.append(figures)
    summary(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
