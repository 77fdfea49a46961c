"""One run of a job at a time: a PostgreSQL advisory lock, or a process-local lock on SQLite.

PostgreSQL: a session-level ``pg_try_advisory_lock`` with a key per job name, held on a
connection of its own for the whole run; any process against the same database sees it.
SQLite: a ``threading.Lock`` per database and job name. That covers the one process that
normally serves an SQLite file; several processes on one SQLite file still never post an
alert twice, because each claim runs in a ``BEGIN IMMEDIATE`` transaction that re-checks it.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

_LOCAL: dict[tuple[str, str], threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()


def advisory_key(name: str) -> int:
    """A stable 32-bit key for a job name (the same in every process)."""
    return zlib.crc32(f"farlab:{name}".encode())


@contextmanager
def try_lock(engine: Engine, name: str) -> Iterator[bool]:
    """Yields True when this run holds the lock for ``name``, False when another run does."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, advisory_key(name)) as held:
            yield held
        return
    with _LOCAL_GUARD:
        lock = _LOCAL.setdefault((engine.url.render_as_string(), name), threading.Lock())
    held = lock.acquire(blocking=False)
    try:
        yield held
    finally:
        if held:
            lock.release()


@contextmanager
def _advisory(engine: Engine, key: int) -> Iterator[bool]:
    with engine.connect() as conn:
        held = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        conn.commit()  # the lock belongs to the session; keep no transaction open meanwhile
        try:
            yield held
        finally:
            if held:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                conn.commit()
