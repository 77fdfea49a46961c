"""The write probe behind the health checks."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from persistence.db import Database
from persistence.errors import DatabaseUnusable

# Driver messages that mean "cannot be written" rather than "cannot be reached".
_UNWRITABLE = ("readonly database", "read-only", "disk i/o error", "database or disk is full")
_READ_ONLY_SQL_TRANSACTION = "25006"


def probe_writes(db: Database) -> None:
    """Return when a write would succeed. Raises ``DatabaseUnavailable`` when the database
    (or its file) cannot be opened, and ``DatabaseUnusable`` for any other database error."""
    try:
        db.check_writable()
    except SQLAlchemyError as exc:
        detail = str(exc.orig if isinstance(exc, DBAPIError) else exc).strip()
        first = detail.splitlines()[0] if detail else type(exc).__name__
        unwritable = getattr(
            getattr(exc, "orig", None), "pgcode", None
        ) == _READ_ONLY_SQL_TRANSACTION or any(marker in detail.lower() for marker in _UNWRITABLE)
        raise DatabaseUnusable(first, unwritable=unwritable) from exc
