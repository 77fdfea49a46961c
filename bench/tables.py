"""Import and export benchmark on PostgreSQL: a 100,000-part file with links into an empty
database and into a full one (1% of the rows changed), and an export of 1,000,000 parts.

Each measurement runs in a process of its own, so its peak resident memory is its own.
It prints figures; it asserts nothing. See bench/README.md.

    .venv/bin/python -m bench.tables [--url URL] [--rows 100000] [--export-parts 1000000]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import time

from bench.domain import (
    DEFAULT_URL,
    INSTRUMENTS_SQL,
    SECRET,
    Figures,
    _catalogue_arrays,
    drop_database,
    load,
    recreate_database,
)
from domain import exports, imports
from domain.context import DomainContext
from domain.permissions import SYSTEM
from persistence.db import Database
from persistence.migrate import upgrade

DATABASE = "farlab_bench_tables"
TARGET_IMPORT_S = 30.0  # preview plus commit of 100,000 rows
TARGET_EXPORT_S = 30.0  # 1,000,000 parts
TARGET_EXPORT_RSS_MB = 200.0


def _say(line: str) -> None:
    print(line, flush=True)


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parts_file(
    rows: int, instruments: list[str], *, changed_every: int = 0, seed: int = 7
) -> bytes:
    """A parts CSV of ``rows`` rows; every 5th part is used by two instruments; with
    ``changed_every``, every such row has another quantity (a count to record)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["part_number", "name", "category", "location", "quantity_in_stock",
         "minimum_stock_level", "instruments"]
    )  # fmt: skip
    for i in range(rows):
        quantity = 10 + i % 40
        if changed_every and i % changed_every == 0:
            quantity += 1
        uses = ""
        if i % 5 == 0:
            first, second = rng.sample(instruments, 2)
            uses = f"{first}; {second}:2"
        writer.writerow(
            [f"IMP-{i:07d}", f"Imported part {i}", f"Category {i % 12}", f"Cabinet {i % 40}",
             quantity, 5, uses]
        )  # fmt: skip
    return out.getvalue().encode()


def _context(url: str) -> DomainContext:
    return DomainContext(db=Database.from_url(url), secret_key=SECRET, bcrypt_rounds=4)


def measure_import(url: str, rows: int) -> None:
    """Into the empty database, then the same file with 1% changed (a child process)."""
    ctx = _context(url)
    with ctx.db.engine.connect() as conn:
        names = [row[0] for row in conn.exec_driver_sql("SELECT name FROM instruments")]
    for label, data in (
        ("empty database", parts_file(rows, names)),
        ("full database, 1% changed", parts_file(rows, names, changed_every=100)),
    ):
        started = time.perf_counter()
        preview = imports.preview_import(
            ctx, actor=SYSTEM, kind="parts", data=data, file_name="bench.csv"
        )
        previewed = time.perf_counter() - started
        started = time.perf_counter()
        report = imports.import_file(
            ctx, actor=SYSTEM, kind="parts", data=data, file_name="bench.csv"
        )
        applied = time.perf_counter() - started
        if not report.applied:
            raise SystemExit(f"the import was refused: {report.errors[:3]}")
        total = previewed + applied
        _say(
            f"import {rows:,} rows into the {label}: preview {previewed:.1f} s + import "
            f"{applied:.1f} s = {total:.1f} s (created {len(preview.created):,}, changed "
            f"{len(preview.changed):,}, unchanged {preview.unchanged:,}; peak RSS "
            f"{_maxrss_mb():.0f} MB; load {os.getloadavg()[0]:.2f}); target < "
            f"{TARGET_IMPORT_S:.0f} s: {'met' if total < TARGET_IMPORT_S else 'MISSED'}"
        )
    ctx.db.dispose()


def measure_export(url: str) -> None:
    ctx = _context(url)
    started = time.perf_counter()
    export = exports.export_table(ctx, actor=SYSTEM, kind="parts", fmt="csv")
    with export.content:
        size = export.content.seek(0, io.SEEK_END)
    seconds = time.perf_counter() - started
    rss = _maxrss_mb()
    ok = seconds < TARGET_EXPORT_S and rss < TARGET_EXPORT_RSS_MB
    _say(
        f"export {export.rows:,} parts as CSV: {seconds:.1f} s, {size / 1e6:.0f} MB, peak RSS "
        f"{rss:.0f} MB (load {os.getloadavg()[0]:.2f}); target < {TARGET_EXPORT_S:.0f} s and "
        f"< {TARGET_EXPORT_RSS_MB:.0f} MB: {'met' if ok else 'MISSED'}"
    )
    ctx.db.dispose()


def _child(*args: str) -> None:
    command = [sys.executable, "-m", "bench.tables", *args]
    subprocess.run(command, check=True)  # noqa: S603 - this module, with its own arguments


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tables", description=__doc__)
    parser.add_argument("--url", default=os.environ.get("FARLAB_BENCH_POSTGRES_URL", DEFAULT_URL))
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the imported file")
    parser.add_argument("--export-parts", type=int, default=1_000_000)
    parser.add_argument("--child", choices=["import", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--child-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "import":
        measure_import(args.child_url, args.rows)
        return 0
    if args.child == "export":
        measure_export(args.child_url)
        return 0
    _say(f"load average at the start: {os.getloadavg()}")
    try:
        url = recreate_database(args.url, DATABASE)
        db = Database.from_url(url)
        upgrade(db.engine)
        with db.engine.begin() as conn:
            conn.exec_driver_sql(INSTRUMENTS_SQL, _catalogue_arrays())
        db.dispose()
        _child("--child", "import", "--child-url", url, "--rows", str(args.rows))
        url = recreate_database(args.url, DATABASE)
        db = Database.from_url(url)
        upgrade(db.engine)
        started = time.perf_counter()
        load(db, args.export_parts, Figures(parts=args.export_parts))
        _say(f"loaded {args.export_parts:,} parts in {time.perf_counter() - started:.0f} s")
        db.dispose()
        _child("--child", "export", "--child-url", url)
    finally:
        drop_database(args.url, DATABASE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
