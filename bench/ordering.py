"""Ordering benchmark on PostgreSQL: the shopping list, and what the on-order figures cost
search.

It loads the parts as ``bench.domain`` does (1% of them low: 10,000 of 1,000,000), adds
suppliers, a preferred offer for most parts and requests under way for some low parts,
then times:

- ``shopping_list`` (every low part with no request, grouped by preferred supplier, with
  quantities and costs), as ``/farlab shopping-list`` calls it (the first 8 lines of each
  group as objects, every part counted and costed);
- ``search_parts`` as ``/farlab parts <query>`` calls it, with the on-order figures of the
  page's parts (one query a page, ``ordering.with_on_order``) and without them (that step
  replaced by one that returns the page as it is: the search as it was before ordering),
  the same queries interleaved, so both see the same machine.

It prints figures; it asserts nothing. See bench/README.md.

    .venv/bin/python -m bench.ordering [--url URL] [--parts 1000000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from typing import Any

from sqlalchemy import text

from bench.domain import (
    DEFAULT_URL,
    Figures,
    _pct,
    drop_database,
    load,
    recreate_database,
    sample_part_numbers,
    search_queries,
)
from domain import ordering, parts, shopping_list, users
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor, Role
from persistence.db import Database
from persistence.migrate import upgrade

DATABASE = "farlab_bench_ordering"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
SUPPLIERS = 40
TARGET_SHOPPING_P99_MS = 200.0
TARGET_SEARCH_SLOWDOWN = 1.20

SUPPLIERS_SQL = f"""
INSERT INTO suppliers (name, website, is_active, created_at)
SELECT 'Supplier ' || lpad(g.i::text, 3, '0'), 'https://supplier' || g.i || '.example', true,
    now()
FROM generate_series(1, {SUPPLIERS}) AS g(i)
"""  # noqa: S608 - only numbers from this module are put into the text
# Two parts in three have a preferred offer; every fifth of those a second, not preferred.
OFFERS_SQL = f"""
INSERT INTO supplier_offers (part_id, supplier_id, supplier_part_number, unit_price_minor,
    currency, pack_size, minimum_order, lead_time_days, is_preferred, created_at)
SELECT p.id, 1 + (abs(hashint4(p.id)) + o.j) % {SUPPLIERS}, 'SP-' || p.id || '-' || o.j,
    CASE WHEN p.id % 11 = 0 THEN NULL ELSE 100 + (p.id * 37) % 50000 END,
    CASE WHEN p.id % 13 = 0 THEN 'USD' ELSE 'EUR' END,
    (ARRAY[1, 1, 5, 10, 25])[1 + p.id % 5], 1 + p.id % 3, 3 + p.id % 40, o.j = 0, now()
FROM parts AS p CROSS JOIN (VALUES (0), (1)) AS o(j)
WHERE p.id % 3 <> 0 AND (o.j = 0 OR p.id % 5 = 0)
"""  # noqa: S608 - only numbers from this module are put into the text
# A request under way for one low part in five: requested, approved or ordered.
REQUESTS_SQL = """
INSERT INTO purchase_requests (part_id, state, quantity, urgency, created_at, supplier_id,
    pack_size, quantity_received, version, shown_version, post_attempt, post_failures,
    dm_failures, expected_on)
SELECT p.id, (ARRAY['requested', 'approved', 'ordered'])[1 + (p.id / 100) % 3], 10, 'normal',
    now(), NULL, 1, 0, 1, 1, 0, 0, 0, current_date + 7
FROM parts AS p
WHERE p.is_active AND p.minimum_stock_level > 0
  AND p.quantity_in_stock <= p.minimum_stock_level AND (p.id / 100) % 5 = 0
"""


def _say(line: str = "") -> None:
    print(line, flush=True)


def _ms(call: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def seed_ordering(db: Database) -> dict[str, int]:
    with db.engine.begin() as conn:
        conn.execute(text(SUPPLIERS_SQL))
        conn.execute(text(OFFERS_SQL))
        conn.execute(text(REQUESTS_SQL))

        counts = {
            name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()  # noqa: S608
            for name in ("suppliers", "supplier_offers", "purchase_requests")
        }
    # As autovacuum leaves a table between bursts of writes: its visibility map set, so the
    # shopping list's index-only scans need not visit the heap.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) suppliers, supplier_offers, purchase_requests"))
    return counts


def bench_shopping(ctx: DomainContext, actor: Actor, runs: int) -> tuple[list[float], Any]:
    for _ in range(3):  # warm
        shopping_list.shopping_list(ctx, actor=actor, lines_per_group=8)
    timings, found = [], None
    for _ in range(runs):
        ms, found = _ms(lambda: shopping_list.shopping_list(ctx, actor=actor, lines_per_group=8))
        timings.append(ms)
    return timings, found


def _without_on_order(_session: Any, views: Any) -> tuple[Any, ...]:
    return tuple(views)


def bench_search(
    ctx: DomainContext, actor: Actor, queries: list[tuple[str, str]]
) -> tuple[list[float], list[float]]:
    """Milliseconds per search without and with the on-order step, interleaved."""
    with_step = ordering.with_on_order
    for _, query in queries[:20]:
        parts.search_parts(ctx, actor=actor, query=query)
    plain, with_on_order = [], []
    try:
        for _, query in queries:
            parts.ordering.with_on_order = _without_on_order  # type: ignore[assignment]
            ms, _ = _ms(lambda q=query: parts.search_parts(ctx, actor=actor, query=q))
            plain.append(ms)
            parts.ordering.with_on_order = with_step  # type: ignore[assignment]
            ms, _ = _ms(lambda q=query: parts.search_parts(ctx, actor=actor, query=q))
            with_on_order.append(ms)
    finally:
        parts.ordering.with_on_order = with_step  # type: ignore[assignment]
    return plain, with_on_order


def run(url: str, n: int, args: argparse.Namespace) -> None:
    _say(f"\n{n:,} parts")
    db = Database.from_url(recreate_database(url, DATABASE))
    try:
        upgrade(db.engine)
        figures = Figures(parts=n)
        load(db, n, figures)
        counts = seed_ordering(db)
        _say(f"  load {figures.load_s:.1f} s; {counts}")
        ctx = DomainContext(db=db, secret_key=SECRET, bcrypt_rounds=4)
        member = users.create_user(
            ctx, actor=SYSTEM, username="bench.member", email="bench.member@farlab.example",
            first_name="Bench", last_name="Member", password=None,
        )  # fmt: skip
        actor = Actor(user_id=member.id, username=member.username, role=Role.MEMBER)
        loads = [os.getloadavg()[0]]
        timings, found = bench_shopping(ctx, actor, args.runs)
        loads.append(os.getloadavg()[0])
        rng = random.Random(args.seed + n)
        queries = search_queries(n, sample_part_numbers(ctx, n, rng), rng, args.searches)
        plain, with_on_order = bench_search(ctx, actor, queries)
        loads.append(os.getloadavg()[0])
    finally:
        db.dispose()
    groups = len(found.groups) if found else 0
    lines = found.parts if found else 0
    _say(f"  load average during the runs: {', '.join(f'{x:.2f}' for x in loads)}")
    _say(f"  shopping_list: {lines:,} parts in {groups} groups, {len(timings)} runs: "
         f"p50 {_pct(timings, 50):.1f} ms, p99 {_pct(timings, 99):.1f} ms, "
         f"max {max(timings):.1f} ms (target p99 < {TARGET_SHOPPING_P99_MS:.0f} ms: "
         f"{'met' if _pct(timings, 99) < TARGET_SHOPPING_P99_MS else 'MISSED'})")  # fmt: skip
    ratio_p50 = _pct(with_on_order, 50) / _pct(plain, 50)
    ratio_p99 = _pct(with_on_order, 99) / _pct(plain, 99)
    _say(f"  search, {len(plain)} queries: without on-order p50 {_pct(plain, 50):.1f} ms "
         f"p99 {_pct(plain, 99):.1f} ms; with on-order p50 {_pct(with_on_order, 50):.1f} ms "
         f"p99 {_pct(with_on_order, 99):.1f} ms; ratio p50 {ratio_p50:.2f}, p99 {ratio_p99:.2f} "
         f"(target at most {TARGET_SEARCH_SLOWDOWN:.2f}: "
         f"{'met' if max(ratio_p50, ratio_p99) <= TARGET_SEARCH_SLOWDOWN else 'MISSED'})"
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ordering", description=__doc__)
    parser.add_argument("--url", default=os.environ.get("FARLAB_BENCH_POSTGRES_URL", DEFAULT_URL))
    parser.add_argument("--parts", type=int, nargs="+", default=[1_000_000], metavar="N")
    parser.add_argument("--runs", type=int, default=100, help="shopping_list calls")
    parser.add_argument("--searches", type=int, default=60, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=253)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        for n in args.parts:
            run(args.url, n, args)
    finally:
        if not args.keep:
            drop_database(args.url, DATABASE)
    _say(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
