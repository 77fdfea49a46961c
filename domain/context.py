"""What every service is given: the database and the few settings the rules depend on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from domain.errors import Conflict, InvalidInput, Unavailable
from persistence.db import Database, DatabaseUnavailable
from persistence.errors import describe_integrity_error, unavailable_reason

log = logging.getLogger("farlab.domain")


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DomainContext:
    db: Database
    secret_key: str
    bcrypt_rounds: int = 12
    access_token_minutes: int = 30
    link_token_minutes: int = 10
    invite_token_hours: int = 72
    # Sign-in throttling (domain/sign_in_throttle.py): this many tries within the window
    # lock one (username, client address) pair; the much higher name ceiling, counted from
    # every address, locks the username for everyone.
    login_max_failures: int = 5
    login_name_max_failures: int = 50
    login_window_minutes: int = 15
    lockout_minutes: int = 15
    clock: Callable[[], datetime] = field(default=_utcnow)

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work; a constraint violation becomes a readable ``Conflict``, and a
        database that cannot be reached or written becomes ``Unavailable``."""
        try:
            with database_errors(), self.db.session() as session:
                yield session
        except IntegrityError as exc:
            raise _conflict_from(exc) from exc


@contextmanager
def database_errors() -> Iterator[None]:
    """A database that cannot be reached or written, or whose file has gone, becomes
    ``Unavailable`` (logged once, as one line); other errors pass unchanged."""
    try:
        yield
    except DatabaseUnavailable as exc:
        log.warning("the database cannot be used: %s", exc.reason)
        raise Unavailable(exc.reason) from exc
    except DBAPIError as exc:
        reason = unavailable_reason(exc)
        if reason is None:
            raise
        log.warning("the database cannot be used: %s", reason)
        raise Unavailable(reason) from exc


def _conflict_from(exc: IntegrityError) -> Conflict | InvalidInput:
    violation = describe_integrity_error(exc)
    field_name = violation.field or "value"
    if violation.kind == "unique":
        return Conflict(f"That {field_name.replace('_', ' ')} is already taken.", field=field_name)
    if violation.kind == "foreign_key":
        return Conflict("It refers to something that no longer exists.", field=violation.field)
    if violation.kind == "not_null":
        return InvalidInput.field(field_name, f"{field_name.replace('_', ' ')} is required.")
    if violation.kind == "check":
        return InvalidInput.field(
            field_name, f"{field_name.replace('_', ' ')} has a value that is not allowed."
        )
    return Conflict("The change conflicts with existing data.")
