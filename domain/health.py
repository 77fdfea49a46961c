"""Is the database usable: reachable, the file that was opened, and writable?"""

from __future__ import annotations

import logging

from domain.context import DomainContext
from persistence.db import DatabaseUnavailable
from persistence.errors import DatabaseUnusable
from persistence.health import probe_writes

log = logging.getLogger("farlab.domain")


def database_problem(ctx: DomainContext) -> str | None:
    """None when the database can be read and written, else a short reason to show."""
    try:
        probe_writes(ctx.db)
    except DatabaseUnavailable as exc:
        log.warning("health check: %s", exc.reason)
        return exc.reason
    except DatabaseUnusable as exc:
        log.warning("health check: the database cannot be used: %s", exc.detail)
        if exc.unwritable:
            return "the database cannot be written"
        return "the database cannot be reached"
    return None
