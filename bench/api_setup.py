"""What bench/api.py runs against: a loaded PostgreSQL database, the server, a token; and
how it samples answers one request at a time."""

from __future__ import annotations

import http.client
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

from bench.domain import Figures, load, recreate_database, sample_part_numbers
from bench.slack_load import percentile
from bench.slack_setup import ServerProcess, free_port
from domain import users
from domain.context import DomainContext
from domain.permissions import SYSTEM
from persistence.db import Database
from persistence.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "farlab_bench_api"
SECRET_KEY = "bench-secret-key-that-is-long-enough-0123456789"  # local only
MANAGER, PASSWORD = "bench.manager", "Bench-Manager-2718"  # local only
BIG_LINKS, SMALL_LINKS = 2000, 20  # parts linked to the big and to the small instrument
STOCKED = 2000  # well-stocked parts picked for stock moves
KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")

INSTRUMENT_SQL = """
WITH instrument AS (
    INSERT INTO instruments (name, model, manufacturer, serial_number, location, status,
        maintenance_interval_days, is_active, created_at)
    VALUES (:name, :model, 'Thermo Fisher', :serial, 'Lab 1', 'operational', 180, true, now())
    RETURNING id),
linked AS (
    INSERT INTO instrument_parts (instrument_id, part_id, quantity_required, is_critical,
        is_active, created_at)
    SELECT instrument.id, s.id, 1 + s.id % 3, s.id % 7 = 0, true, now()
    FROM instrument, (SELECT id FROM parts WHERE is_active
                      ORDER BY hashint4(id + :salt) LIMIT :links) AS s)
SELECT id FROM instrument
"""
LINKED_SQL = "SELECT count(*) FROM instrument_parts WHERE instrument_id = :i"
STOCKED_SQL = """
SELECT id FROM parts WHERE is_active AND quantity_in_stock >= 20 ORDER BY random() LIMIT :n
"""


@dataclass(frozen=True)
class Call:
    """One request of the run, sent with the manager's bearer token."""

    method: str
    path: str
    body: bytes = b""

    def raw(self, port: int, token: str) -> bytes:
        head = [f"{self.method} {self.path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
        head.append(f"Authorization: Bearer {token}")
        if self.body:
            head += ["Content-Type: application/json", f"Content-Length: {len(self.body)}"]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + self.body


@dataclass(frozen=True)
class Lab:
    parts: int
    load_s: float
    big: int  # instrument ids
    small: int
    links: tuple[int, int]  # active parts linked to each
    numbers: list[str]  # part numbers picked at random
    stocked: list[int]  # active parts with at least 20 in stock


@dataclass(frozen=True)
class Sample:
    """Requests sent one at a time: mean rows and bytes per answer, latency, non-2xx."""

    rows: float
    size: float
    p50_ms: float
    p99_ms: float
    errors: int


def prepare(url: str, n: int, seed: int) -> tuple[str, Lab]:
    """A fresh database with ``n`` parts (bench/domain.py's loader), a big and a small
    instrument, and the manager account; its URL and what the run needs from it."""
    db_url = recreate_database(url, DATABASE)
    db = Database.from_url(db_url)
    try:
        started = time.perf_counter()
        upgrade(db.engine)
        load(db, n, Figures(parts=n))
        ids = []
        with db.engine.begin() as conn:
            for i, (model, wanted) in enumerate((("MAT 253", BIG_LINKS), ("Kiel IV", SMALL_LINKS))):
                row = {
                    "name": f"Bench {model}",
                    "model": model,
                    "serial": f"B{i}",
                    "links": wanted,
                    "salt": i,
                }
                ids.append(conn.execute(text(INSTRUMENT_SQL), row).scalar_one())
        ctx = DomainContext(db=db, secret_key=SECRET_KEY, bcrypt_rounds=4)
        users.create_user(
            ctx,
            actor=SYSTEM,
            username=MANAGER,
            email="bench.manager@farlab.example",
            first_name="Bench",
            last_name="Manager",
            password=PASSWORD,
            role="manager",
        )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE instruments, instrument_parts, users"))
            conn.execute(text("SELECT setseed(:s)"), {"s": seed / 1000})
            stocked = list(conn.execute(text(STOCKED_SQL), {"n": STOCKED}).scalars())
            links = tuple(conn.execute(text(LINKED_SQL), {"i": i}).scalar_one() for i in ids)
        numbers = sample_part_numbers(ctx, n, random.Random(seed + n))
        load_s = time.perf_counter() - started
    finally:
        db.dispose()
    return db_url, Lab(n, load_s, ids[0], ids[1], (links[0], links[1]), numbers, stocked)


def start_server(workdir: Path, db_url: str) -> ServerProcess:
    """``python -m bot serve --no-scheduler`` with no Slack settings: the API only. It runs
    in a bare environment outside the repository, so no .env or shell setting leaks in."""
    port = free_port()
    log_path = workdir / f"serve-{port}.log"
    log = log_path.open("wb")
    env = {k: v for k, v in os.environ.items() if k in KEPT_ENV}
    env.update(
        DATABASE_URL=db_url, SECRET_KEY=SECRET_KEY, LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT)
    )
    command = [sys.executable, "-m", "bot", "serve", "--no-scheduler", "--port", str(port)]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    server = ServerProcess("serve", process, port, log_path, log)
    server.wait_healthy()
    return server


def sign_in(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        form = urlencode({"username": MANAGER, "password": PASSWORD})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        conn.request("POST", "/api/token", body=form, headers=headers)
        answer = conn.getresponse()
        body = answer.read()
        if answer.status != 200:
            raise RuntimeError(f"POST /api/token answered {answer.status}: {body[:200]!r}")
        token: str = json.loads(body)["access_token"]
        return token
    finally:
        conn.close()


def sample(port: int, token: str, calls: list[Call]) -> Sample:
    """Send ``calls`` one at a time on one keep-alive connection, after one untimed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, rows, sizes, errors = [], [], [], 0
    try:
        _send(conn, token, calls[0])
        for call in calls:
            began = time.perf_counter()
            status, body = _send(conn, token, call)
            latencies.append(time.perf_counter() - began)
            if not 200 <= status < 300:
                errors += 1
                continue
            parsed = json.loads(body)
            rows.append(len(parsed) if isinstance(parsed, list) else 1)
            sizes.append(len(body))
    finally:
        conn.close()
    p50, p99 = (percentile(latencies, q) * 1000 for q in (50, 99))
    return Sample(_mean(rows), _mean(sizes), p50, p99, errors)


def _send(conn: http.client.HTTPConnection, token: str, call: Call) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"}
    if call.body:
        headers["Content-Type"] = "application/json"
    conn.request(call.method, call.path, body=call.body or None, headers=headers)
    answer = conn.getresponse()
    return answer.status, answer.read()


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def postgres_version(db_url: str) -> str:
    db = Database.from_url(db_url)
    try:
        with db.engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar_one()).split()[0]
    finally:
        db.dispose()
