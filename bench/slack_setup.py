"""What bench/slack.py runs against: a loaded PostgreSQL database and its server processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from domain import identities, users
from domain.context import DomainContext
from domain.permissions import SYSTEM
from persistence.db import Database
from persistence.migrate import upgrade
from slack_stand_in.identity import TEAM_ID

ROOT = Path(__file__).resolve().parent.parent
MEMBER = "UBENCHMEMBER"
MANAGER = "UBENCHMANAGER"
INSTRUMENTS = 12
USE_POOL_EVERY = 50  # every 50th part has plenty of stock for `/farlab use <pn> 1`
USE_POOL_STOCK = 50_000
# Settings the servers must not inherit from the shell that runs the benchmark.
_SCRUBBED = ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL")

_PARTS_SQL = """
INSERT INTO parts (part_number, name, description, category, manufacturer, unit_of_measure,
    location, quantity_in_stock, minimum_stock_level, is_critical, is_active, created_at)
SELECT
    (ARRAY['FIL','VAC','CON','ELE','GAS','FIT','OPT','TUB','DET','PMP'])[1 + g.i % 10]
        || '-' || lpad(g.i::text, 7, '0'),
    (ARRAY['Stainless','Brass','Copper','Viton','PTFE','Quartz','Ceramic','Nickel'])
        [1 + (g.i / 10) % 8] || ' '
        || (ARRAY['filament','gasket','capsule','fuse','regulator','union','mirror','tubing',
                  'multiplier','seal kit'])[1 + g.i % 10]
        || ' ' || (1 + g.i % 40) || ' mm',
    CASE WHEN g.i % 3 = 0 THEN 'Spare kept for maintenance.' END,
    (ARRAY['Filaments','Vacuum','Consumables','Electronics','Gas supply','Fittings','Optics',
           'Tubing','Detectors','Pumps'])[1 + g.i % 10],
    (ARRAY['Thermo Fisher','Agilent','Swagelok','Pfeiffer'])[1 + g.i % 4],
    'pcs',
    'Cabinet ' || (1 + g.i % 40) || ', shelf ' || (1 + g.i % 7),
    CASE WHEN g.i % :every = 0 THEN :pool_stock ELSE 20 + g.i % 200 END,
    CASE WHEN g.i % :every = 0 THEN 0 ELSE g.i % 10 END,
    g.i % 20 = 3,
    true,
    now() - make_interval(days => g.i % 900)
FROM generate_series(1, :n) AS g(i)
"""
_INSTRUMENTS_SQL = """
INSERT INTO instruments (name, model, manufacturer, serial_number, location, status,
    is_active, created_at)
SELECT 'Instrument ' || lpad(g.i::text, 2, '0'), 'Model ' || g.i, 'Thermo Fisher',
    'SN-' || lpad(g.i::text, 6, '0'), 'Lab ' || g.i, 'operational', true, now()
FROM generate_series(1, :n) AS g(i)
"""
# Every 10th part is needed by one instrument, every 20th by two: part cards list them.
_LINKS_SQL = """
INSERT INTO instrument_parts (instrument_id, part_id, quantity_required, is_critical,
    is_active, created_at)
SELECT 1 + (p.id + l.j) % :instruments, p.id, 1 + p.id % 3, l.j = 0 AND p.is_critical, true,
    now()
FROM parts AS p CROSS JOIN (VALUES (0), (1)) AS l(j)
WHERE p.id % 10 = 0 AND (l.j = 0 OR p.id % 20 = 0)
"""
_LEDGER_SQL = """
INSERT INTO stock_movements (part_id, delta, quantity_after, reason, source, created_at)
SELECT id, quantity_in_stock, quantity_in_stock, 'Initial stock', 'import', created_at
FROM parts
"""


def _server(url: str) -> URL:
    parsed = make_url(url)
    return parsed.set(database="postgres")


def _admin_execute(url: str, statement: str) -> None:
    engine = create_engine(_server(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def recreate_database(url: str, name: str) -> str:
    """Drop and create database ``name`` on the server of ``url``; returns its URL."""
    _admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_execute(url, f'CREATE DATABASE "{name}"')
    return _server(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, name: str) -> None:
    _admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_lab(db_url: str, parts: int, secret_key: str) -> None:
    """Migrate, then load ``parts`` parts, instruments, links, a ledger row per part, two
    linked Slack accounts (a member and a manager); VACUUM (ANALYZE) and CHECKPOINT."""
    db = Database.from_url(db_url)
    try:
        upgrade(db.engine)
        with db.engine.begin() as conn:
            conn.execute(text(_INSTRUMENTS_SQL), {"n": INSTRUMENTS})
            conn.execute(
                text(_PARTS_SQL),
                {"n": parts, "every": USE_POOL_EVERY, "pool_stock": USE_POOL_STOCK},
            )
            conn.execute(text(_LINKS_SQL), {"instruments": INSTRUMENTS})
            conn.execute(text(_LEDGER_SQL))
        ctx = DomainContext(db=db, secret_key=secret_key, bcrypt_rounds=4)
        for slack_user, role in ((MEMBER, "member"), (MANAGER, "manager")):
            user = users.create_user(
                ctx,
                actor=SYSTEM,
                username=f"bench-{role}",
                email=f"bench-{role}@example.com",
                first_name="Bench",
                last_name=role.title(),
                password=None,
                role=role,
            )
            identities.link_identity(
                ctx, actor=SYSTEM, team_id=TEAM_ID, slack_user_id=slack_user, user_id=user.id
            )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
            conn.execute(text("CHECKPOINT"))  # the load's writes reach the disk now, not later
    finally:
        db.dispose()


def sample_part_numbers(db_url: str, count: int, *, use_pool: bool, seed: int = 7) -> list[str]:
    """``count`` part numbers picked at random (from the well-stocked pool if ``use_pool``)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT setseed(:s)"), {"s": seed / 100})
            rows = conn.execute(
                text(
                    "SELECT part_number FROM parts WHERE NOT :pool OR id % :every = 0 "
                    "ORDER BY random() LIMIT :n"
                ),
                {"n": count, "pool": use_pool, "every": USE_POOL_EVERY},
            ).scalars()
            return list(rows)
    finally:
        engine.dispose()


def backend_pids(db_url: str) -> Callable[[], list[int]]:
    """A function listing the PostgreSQL backends connected to the database of ``db_url``."""
    engine = create_engine(db_url, poolclass=NullPool)

    def pids() -> list[int]:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            )
            return [int(pid) for pid in rows.scalars()]

    return pids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    """One server in its own process (with ``workers`` worker processes below it when
    above 1), its output in ``log_path``."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    log: IO[bytes]
    workers: int = 1

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start-up:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)  # nothing to wait on but the port: poll it
        raise RuntimeError(f"{self.name} did not answer /healthz in {timeout:.0f} s")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self, grace: float = 15.0) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


def _start(
    name: str, args: list[str], env: dict[str, str], workdir: Path, workers: int
) -> ServerProcess:
    port = free_port()
    log_path = workdir / f"{name}.log"
    log = log_path.open("wb")
    # Run outside the repository so a developer's .env is not read; import from it.
    full_env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    full_env.update(env, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
        [sys.executable, *args, "--port", str(port)],
        cwd=workdir,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return ServerProcess(name, process, port, log_path, log, workers)


def _named(name: str, workers: int) -> str:
    return name if workers == 1 else f"{name}-x{workers}"


def start_ours(
    workdir: Path,
    *,
    db_url: str,
    api_url: str,
    signing_secret: str,
    secret_key: str,
    workers: int = 1,
) -> ServerProcess:
    """``python -m bot serve --workers N``: FarLab's own HTTP server, Slack at /slack/events."""
    env = {
        "DATABASE_URL": db_url,
        "SECRET_KEY": secret_key,
        "SLACK_BOT_TOKEN": "xoxb-bench-farlab",
        "SLACK_SIGNING_SECRET": signing_secret,
        "SLACK_API_URL": api_url,
        "LOG_LEVEL": "WARNING",
    }
    args = ["-m", "bot", "serve", "--workers", str(workers)]
    return _start(_named("ours", workers), args, env, workdir, workers)


def start_bare(
    workdir: Path, *, api_url: str, signing_secret: str, workers: int = 1
) -> ServerProcess:
    """bench/bare_bolt_app.py: AsyncApp that only acks, ``workers`` uvicorn processes."""
    env = {"SLACK_SIGNING_SECRET": signing_secret}
    args = ["-m", "bench.bare_bolt_app", "--api-url", api_url, "--workers", str(workers)]
    return _start(_named("bare", workers), args, env, workdir, workers)
