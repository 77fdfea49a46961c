"""Alembic environment: the engine comes from ``persistence.migrate`` (never from a file)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from persistence.models import POSTGRES_ONLY_INDEXES, Base

config = context.config


def include_object(
    obj: Any,  # noqa: ARG001 - Alembic calls include_object with all five
    name: str | None,
    type_: str,
    reflected: bool,  # noqa: ARG001
    compare_to: Any,  # noqa: ARG001
) -> bool:
    return not (type_ == "index" and name in POSTGRES_ONLY_INDEXES)


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    """Switch SQLite's foreign keys for this connection, before any transaction begins.

    Migrations run with them off, as SQLite's own recipe for rebuilding a table asks:
    dropping the old table would otherwise delete (or null) every row that refers to it.
    A migration that rebuilds tables checks them itself (``PRAGMA foreign_key_check``).
    The pragma does nothing inside a transaction, so it goes to the driver's connection
    directly, which is in autocommit mode until SQLAlchemy begins one.
    """
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        f"PRAGMA foreign_keys={'ON' if on else 'OFF'}"
    )


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, False)
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            include_object=include_object,
            compare_type=True,
            render_as_batch=sqlite,
            transaction_per_migration=True,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            if sqlite:  # the connection goes back to the pool as every other one is
                connection.rollback()
                _sqlite_foreign_keys(connection, True)


run_migrations_online()
