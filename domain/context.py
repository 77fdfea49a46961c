"""What every service is given: the database and the few settings the rules depend on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from domain.errors import Conflict, InvalidInput, Unavailable
from domain.observation import NOT_OBSERVED, Observer
from persistence.db import Database, DatabaseUnavailable, Session, UnitOfWork
from persistence.errors import ConstraintViolated, ConstraintViolation, translated_errors

__all__ = ["DomainContext", "Session", "UnitOfWork", "database_errors"]

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
    # Ordering: a reorder cannot be approved by the person who requested it (four eyes),
    # and the currency prices are given in when none is named.
    four_eyes: bool = False
    currency: str = "EUR"
    # Forecasts: the lead time of a part whose preferred offer gives none, and the days
    # added to it before a forecast alert opens (``domain.forecasting``).
    default_lead_time_days: int = 14
    forecast_margin_days: int = 7
    clock: Callable[[], datetime] = field(default=_utcnow)
    observer: Observer = NOT_OBSERVED

    def report_stock_moved(self, source: str, count: int = 1) -> None:
        """Tell the observer about ``count`` movements once the open unit commits (none
        are counted when it rolls back)."""
        if count and not self.after_commit(lambda: self.observer.stock_moved(source, count)):
            self.observer.stock_moved(source, count)

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """The interaction's unit of work, joined when one is open (else one of its own); a
        constraint violation becomes a readable ``Conflict``, and a database that cannot be
        reached or written becomes ``Unavailable``."""
        with database_errors(), self.db.session() as session:
            yield session

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """Open the unit of work of one interaction (a Slack request, a REST call, a job
        step): every service called inside joins it, and it commits once at the end."""
        with database_errors(), self.db.unit() as unit:
            yield unit

    @contextmanager
    def own_transaction(self) -> Iterator[Session]:
        """A transaction of its own, committed at its end even when the interaction around
        it is rolled back (a failed sign-in is counted although the sign-in fails)."""
        with database_errors(), self.db.unit(join=False) as unit:
            yield unit.session

    def open_unit(self) -> UnitOfWork:
        """A unit of work for an interaction that cannot hold it in one ``with`` block:
        ``entered(unit)`` around the work, then ``finish_unit``."""
        return self.db.open_unit()

    def entered(self, unit: UnitOfWork) -> AbstractContextManager[UnitOfWork]:
        return self.db.entered(unit)

    def finish_unit(self, unit: UnitOfWork, *, commit: bool) -> bool:
        """Commit (or roll back) and close ``unit``; ``Unavailable`` or ``Conflict`` when the
        database refuses the commit. True when it committed."""
        with database_errors():
            return self.db.finish(unit, commit=commit)

    def roll_back_interaction(self) -> None:
        """The interaction failed: nothing it wrote is kept, nothing queued after it runs."""
        unit = self.db.current_unit()
        if unit is not None:
            unit.fail()
            unit.discard_after_commit()

    def after_commit(self, work: Callable[[], object]) -> bool:
        """Queue ``work`` to run once the open unit commits; False when no unit is open
        (the caller then runs it now)."""
        unit = self.db.current_unit()
        if unit is None:
            return False
        unit.after_commit(work)
        return True


@contextmanager
def database_errors() -> Iterator[None]:
    """A database that cannot be reached or written, or whose file has gone, becomes
    ``Unavailable`` (logged once, as one line); a constraint violation, a ``Conflict``;
    other errors pass unchanged."""
    try:
        with translated_errors():
            yield
    except DatabaseUnavailable as exc:
        log.warning("the database cannot be used: %s", exc.reason)
        raise Unavailable(exc.reason) from exc
    except ConstraintViolated as exc:
        raise _conflict_from(exc.violation) from exc


def _conflict_from(violation: ConstraintViolation) -> Conflict | InvalidInput:
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
