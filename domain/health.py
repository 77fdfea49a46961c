"""Is the database usable: reachable, the file that was opened, and writable?"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from domain.context import DomainContext
from persistence.db import DatabaseUnavailable

log = logging.getLogger("farlab.domain")

# Driver messages that mean "cannot be written" rather than "cannot be reached".
_UNWRITABLE = ("readonly database", "read-only", "disk i/o error", "database or disk is full")


def database_problem(ctx: DomainContext) -> str | None:
    """None when the database can be read and written, else a short reason to show."""
    try:
        ctx.db.check_writable()
    except DatabaseUnavailable as exc:
        log.warning("health check: %s", exc.reason)
        return exc.reason
    except SQLAlchemyError as exc:
        detail = str(exc.orig if isinstance(exc, DBAPIError) else exc).strip()
        first = detail.splitlines()[0] if detail else type(exc).__name__
        log.warning("health check: the database cannot be used: %s", first)
        if getattr(getattr(exc, "orig", None), "pgcode", None) == "25006" or any(
            marker in detail.lower() for marker in _UNWRITABLE
        ):
            return "the database cannot be written"
        return "the database cannot be reached"
    return None
