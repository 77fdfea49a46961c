"""Databases that can no longer be written, for the health and 503 tests.

SQLite: the database file and its -wal/-shm files are deleted under the open engine (the
connections keep the deleted files open, so SQLite itself notices nothing). PostgreSQL: the
database is made read-only for new sessions (as a standby would be), and the pool is
emptied so the next connection is one of those.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from persistence.db import Database
from tests.conftest import PG_ADMIN_URL


@contextmanager
def unwritable(db: Database) -> Iterator[str]:
    """Make ``db`` unwritable for the duration; yields the reason the health check gives."""
    if db.dialect == "sqlite":
        path = db.engine.url.database
        assert path is not None
        for name in (path, f"{path}-wal", f"{path}-shm"):
            if os.path.exists(name):
                os.remove(name)
        yield "the database file is gone"
        return
    name = db.engine.url.database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"ALTER DATABASE {name} SET default_transaction_read_only = on"))
        db.engine.dispose()
        yield "the database cannot be written"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"ALTER DATABASE {name} RESET default_transaction_read_only"))
        admin.dispose()
        db.engine.dispose()


@contextmanager
def unwritable_for_a_while(db: Database) -> Iterator[None]:
    """Like ``unwritable``, but the same database comes back afterwards (the SQLite files
    are moved away and back, so the path names the opened file again)."""
    if db.dialect != "sqlite":
        with unwritable(db):
            yield
        return
    path = db.engine.url.database
    assert path is not None
    moved = [name for name in (path, f"{path}-wal", f"{path}-shm") if os.path.exists(name)]
    for name in moved:
        os.rename(name, f"{name}.away")
    try:
        yield
    finally:
        for name in moved:
            os.rename(f"{name}.away", name)
