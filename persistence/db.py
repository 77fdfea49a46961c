"""Engine and sessions for PostgreSQL and the embedded SQLite default."""

from __future__ import annotations

import os
import select as _select
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from persistence.sqlite_file import DatabaseUnavailable, SqliteFile
from persistence.unit_of_work import (
    UnitOfWork,
    current_unit,
    entered,
    finish,
    open_unit,
    unit_of_work,
    watch_writes,
)

__all__ = [
    "Database",
    "DatabaseUnavailable",
    "Session",
    "UnitOfWork",
    "current_unit",
    "make_engine",
]

# A pooled PostgreSQL connection is replaced after this long, before servers, proxies or
# firewalls drop it as idle; a connection dropped sooner is found at checkout without a
# round trip (``_refuse_closed_by_server``) or, failing that, its interaction is retried once.
POOL_RECYCLE_SECONDS = 1800


def _configure_sqlite(engine: Engine, file: SqliteFile | None) -> None:
    """Foreign keys on, WAL, a busy timeout, and BEGIN IMMEDIATE for every transaction.

    pysqlite's own transaction handling is turned off so that each transaction takes the
    write lock at its start; two writers then queue on the busy timeout instead of failing
    with "database is locked" half-way through. For a database file, every connection and
    every transaction first checks that the file is still the one opened and can be
    written (see ``persistence.sqlite_file``).
    """

    if file is not None:

        @event.listens_for(engine, "do_connect")
        def _before_connect(*_args: Any) -> None:
            file.before_connect()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
        if file is not None:
            file.after_connect()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if file is not None:
            file.check()
        conn.exec_driver_sql("BEGIN IMMEDIATE")


_FILES: weakref.WeakKeyDictionary[Engine, SqliteFile] = weakref.WeakKeyDictionary()


def _database_file(url: URL) -> SqliteFile | None:
    """The file of an SQLite URL (None for an in-memory or URI-named database)."""
    name = url.database
    if not name or name == ":memory:" or url.query.get("uri") or name.startswith("file:"):
        return None
    return SqliteFile(os.path.abspath(name))


def _refuse_closed_by_server(engine: Engine) -> None:
    """At checkout, a connection the server has closed (a restart, an idle timeout: the
    socket is readable, at EOF or holding the server's goodbye) is replaced. It costs a
    ``select()`` on the socket, not a round trip like a pre-ping's ``SELECT 1``."""

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        if getattr(dbapi_conn, "closed", 0):
            raise DisconnectionError("the connection is closed")
        try:
            readable, _, _ = _select.select([dbapi_conn.fileno()], [], [], 0)
        except (OSError, ValueError) as exc:
            raise DisconnectionError("the connection's socket is gone") from exc
        if readable:  # an idle connection has nothing to read unless the server left
            raise DisconnectionError("the server closed the connection")


def make_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> Engine:
    """An engine for ``url``. Statement parameters (password hashes among them) are kept
    out of SQLAlchemy's log lines and out of the text of its errors (``hide_parameters``)."""
    engine = _engine_for(url, echo=echo, pool_size=pool_size)
    watch_writes(engine)
    return engine


def _engine_for(url: str, *, echo: bool, pool_size: int) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 30},
        )
        file = _database_file(parsed)
        if file is not None:
            _FILES[engine] = file
        _configure_sqlite(engine, file)
        return engine
    engine = create_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_recycle=POOL_RECYCLE_SECONDS,
        pool_size=pool_size,
        max_overflow=pool_size,
    )
    _refuse_closed_by_server(engine)
    return engine


# A real write that changes nothing: the schema version row, set to itself.
_WRITE_PROBE = text("UPDATE alembic_version SET version_num = version_num")


class Database:
    """One engine and its session factory; the handle every service is given."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(
            engine, expire_on_commit=False, autoflush=True, autobegin=False
        )

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit(self, *, join: bool = True) -> Iterator[UnitOfWork]:
        """The unit of work open on this database in this context, or a new one committed
        at its end (``persistence.unit_of_work``)."""
        with unit_of_work(self, self._sessions, join=join) as unit:
            yield unit

    @contextmanager
    def session(self) -> Iterator[Session]:
        """The open unit's session, or one transaction of its own: committed on success,
        else rolled back."""
        with self.unit() as unit:
            yield unit.session

    def current_unit(self) -> UnitOfWork | None:
        return current_unit(self)

    def open_unit(self) -> UnitOfWork:
        """A unit to be entered (``entered``) and finished (``finish``) by a caller that
        cannot hold it in one ``with`` block (an ASGI middleware: the commit happens on
        another thread than the one the request was started on)."""
        return open_unit(self, self._sessions)

    entered = staticmethod(entered)
    finish = staticmethod(finish)

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def check_available(self) -> None:
        """Connect once; ``DatabaseUnavailable`` when that cannot be done.

        A SQLite file may be created, but not in a folder that does not exist.
        """
        url = self.engine.url
        shown = url.render_as_string(hide_password=True)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            folder = Path(str(url.database)).expanduser().absolute().parent
            if not folder.is_dir():
                raise DatabaseUnavailable(
                    f"cannot open the database {shown}: the folder {folder} does not exist"
                )
        try:
            self.ping()
        except DBAPIError as exc:
            reason = " ".join(str(exc.orig).split()) or type(exc.orig).__name__
            raise DatabaseUnavailable(f"cannot open the database {shown}: {reason}") from None

    def check_writable(self) -> None:
        """Raise ``DatabaseUnavailable`` (or the driver's error) unless a write would succeed.

        SQLite: the file checks run as every transaction begins, then a write of the schema
        version row (unchanged) is committed, so the file is really written. PostgreSQL:
        the same write, rolled back, which a server in recovery or a read-only database
        refuses.
        """
        file = _FILES.get(self.engine)
        if file is not None:
            file.check()
        with self.engine.connect() as conn:
            conn.execute(_WRITE_PROBE)
            if self.dialect == "sqlite":
                conn.commit()
            else:
                conn.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
