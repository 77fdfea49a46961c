"""The insight benchmark's database: 1,000,000 parts and about 20,000,000 ledger rows over
two years, made once on the server (``INSERT ... SELECT`` over ``generate_series``) and
kept in its own database (``farlab_bench_insight``) for later runs.

The parts, instruments and links are ``bench.domain``'s (1% of the parts low), except
that nearly all parts are older than the ledger's two years (one in fifty is younger, some
only days old: too little history). Suppliers and preferred offers (lead times 3-42 days)
are ``bench.ordering``'s. Each part belongs to a usage class by a hash of its id:

- 5% used every few days: 150-229 movements over the two years (about 9.5 million rows);
- 25% used about monthly: 15-44 movements (about 7.5 million);
- 70% used rarely: 0-7 movements (about 2.5 million);

plus one "Initial stock" row per part at the start of its history. A part's movements are
spread evenly over its history with jitter; every K-th is a restock back to the top of
its cycle, every 53rd of the others a stocktake that found some missing, the rest takes
of 1-3 (a third of them for an instrument). The stock after each row follows from the
rows before it and ends at the part's ``quantity_in_stock``. Rows are inserted in time
order (ids and pages follow ``created_at``, as a real ledger's do).
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import text

from bench.domain import (
    INSTRUMENTS_SQL,
    LINKS_SQL,
    SECONDARY_INDEXES_SQL,
    _build_indexes,
    _catalogue_arrays,
    _parts_sql,
)
from bench.ordering import OFFERS_SQL, SUPPLIERS_SQL
from persistence.db import Database
from persistence.migrate import upgrade

MARKER = "bench_insight_built"
PART_AGE = "now() - make_interval(days => (mod(s.r, 1500))::int)"
# Nearly all parts are older than the ledger; one in fifty was created since, some in the
# last weeks.
OLDER_PART_AGE = (
    "now() - make_interval(days => (CASE WHEN mod(s.r, 50) = 0 THEN mod(s.r, 700) "
    "ELSE 731 + mod(s.r, 800) END)::int)"
)


def _h(expr: str, salt: int, modulo: int) -> str:
    return f"mod(hashint8(({expr})::bigint * 16 + {salt})::bigint + 2147483648, {modulo})"


# Each part's shape: its history's start and length in seconds, movements n, restock
# cycle k, take size sz, and the offset that makes its last row the cycle's lowest
# point (its current stock), so the stock never goes below it.
SHAPES = f"""
SELECT y.*, extract(epoch FROM now() - y.start_at) AS span,
    mod(y.k - 1 - mod(y.n, y.k), y.k) AS off, y.q + (y.k - 1) * y.sz AS top
FROM (
    SELECT x.id, x.q, greatest(x.created_at, now() - interval '730 days') AS start_at,
        CASE WHEN x.c < 5 THEN 150 + {_h("x.id", 2, 80)}
             WHEN x.c < 30 THEN 15 + {_h("x.id", 2, 30)}
             ELSE {_h("x.id", 2, 8)} END AS n,
        CASE WHEN x.c < 5 THEN 10 + {_h("x.id", 3, 15)}
             WHEN x.c < 30 THEN 6 + {_h("x.id", 3, 6)}
             ELSE 4 END AS k,
        1 + {_h("x.id", 4, 3)} AS sz
    FROM (SELECT id, quantity_in_stock AS q, created_at, {_h("id", 1, 100)} AS c
          FROM parts) AS x
) AS y
"""  # noqa: S608 - only numbers from this module are put into the text

LEDGER_SQL = f"""
INSERT INTO stock_movements (part_id, delta, quantity_after, reason, actor_id, source,
    instrument_id, created_at, kind)
SELECT e.id,
    CASE WHEN e.j = 0 THEN e.after WHEN e.pos = 0 THEN (e.k - 1) * e.sz ELSE -e.sz END,
    e.after,
    CASE WHEN e.j = 0 THEN 'Initial stock' WHEN e.pos = 0 THEN 'Delivery'
         WHEN mod(e.j, 53) = 0 THEN 'Stock count' END,
    NULL,
    CASE WHEN e.j = 0 THEN 'import' WHEN mod(e.j, 4) = 0 OR e.pos = 0 THEN 'api'
         ELSE 'slack' END,
    CASE WHEN e.j > 0 AND e.pos > 0 AND mod(e.j, 53) <> 0 AND mod(e.j, 3) = 0
         THEN 1 + mod(e.id, 300) END,
    e.at,
    CASE WHEN e.j = 0 THEN 'set' WHEN e.pos = 0 THEN 'restock'
         WHEN mod(e.j, 53) = 0 THEN 'count' ELSE 'take' END
FROM (
    SELECT s.id, s.k, s.sz, g.j, mod(g.j + s.off, s.k) AS pos,
        s.top - mod(g.j + s.off, s.k) * s.sz AS after,
        CASE WHEN g.j = 0 THEN s.start_at
             ELSE s.start_at + make_interval(secs => s.span
                 * (g.j - 1 + (1 + {_h("s.id * 997 + g.j", 5, 999)}) / 1000.0) / s.n) END AS at
    FROM ({SHAPES}) AS s
    CROSS JOIN LATERAL generate_series(0, s.n) AS g(j)
    WHERE s.n > 0 OR s.q > 0
) AS e
ORDER BY e.at
"""  # noqa: S608 - only numbers from this module are put into the text


def _say(line: str) -> None:
    print(line, flush=True)


def built_at(db: Database) -> datetime | None:
    """When the database was built (the benchmark's clock), or None if it is not complete."""
    with db.engine.connect() as conn:
        if conn.execute(text("SELECT to_regclass(:t)"), {"t": MARKER}).scalar() is None:
            return None
        return conn.execute(text(f"SELECT built_at FROM {MARKER}")).scalar_one()  # noqa: S608


def build(db: Database, n: int) -> None:
    """Make the schema and load everything (minutes: the ledger is most of it)."""
    upgrade(db.engine)
    parts_sql = _parts_sql(n)
    if PART_AGE not in parts_sql:
        raise RuntimeError("bench.domain's parts statement changed: update PART_AGE")
    conn = db.engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute("SET work_mem = '2GB'")
        cur.execute("SET synchronous_commit = off")
        cur.execute(SECONDARY_INDEXES_SQL)
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        arrays = _catalogue_arrays()
        started = time.perf_counter()
        cur.execute(INSTRUMENTS_SQL, arrays)
        cur.execute(parts_sql.replace(PART_AGE, OLDER_PART_AGE), arrays)
        cur.execute(LINKS_SQL)
        cur.execute(SUPPLIERS_SQL)
        cur.execute(OFFERS_SQL)
        conn.commit()
        _say(f"  parts, links, offers: {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        cur.execute(LEDGER_SQL)
        rows = cur.rowcount
        cur.execute("SELECT now()")  # the ledger's "now": the benchmark's clock
        clock = cur.fetchone()[0]
        conn.commit()
        _say(f"  ledger: {rows:,} rows in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        _build_indexes(db, [definition for _, definition in indexes])
        _say(f"  indexes: {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        conn.set_isolation_level(0)  # VACUUM runs outside a transaction
        cur.execute("VACUUM (ANALYZE)")
        cur.execute("CHECKPOINT")
        cur.execute(f"CREATE TABLE {MARKER} (built_at timestamptz NOT NULL)")
        cur.execute(f"INSERT INTO {MARKER} VALUES (%s)", (clock,))  # noqa: S608
        _say(f"  vacuum and analyze: {time.perf_counter() - started:.0f} s")
    finally:
        conn.close()
