"""One unit of work per interaction: one session, one transaction, committed once.

A Slack request, a REST call or a job step opens a unit; every service it calls joins that
unit instead of opening a transaction of its own, so an interaction costs one BEGIN and one
COMMIT however many services it uses. A block that joins and fails after writing marks the
whole unit to be rolled back: nothing of the interaction is half-written. Work that must wait
for the commit (a Slack message about a change) is queued with ``after_commit`` and runs
only once the change is durable; a unit rolled back drops it.

The unit also counts the statements that change data (``watch_writes``), so the caller can
tell a read-only interaction from one that changed something.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

log = logging.getLogger("farlab.persistence")

AfterCommit = Callable[[], object]


class UnitOfWork:
    """The open unit: its session, and what the interaction did in it."""

    def __init__(self, owner: object, session: Session) -> None:
        self.owner = owner
        self.session = session
        self.rollback_only = False
        self.dropped_connection = False
        self.writes = 0
        self._after_commit: list[AfterCommit] = []

    @property
    def wrote(self) -> bool:
        """Whether a statement that changes data ran (or is waiting to be flushed)."""
        return self.writes > 0 or _pending(self.session)

    @property
    def deferred_work(self) -> tuple[AfterCommit, ...]:
        return tuple(self._after_commit)

    def after_commit(self, work: AfterCommit) -> None:
        """Run ``work`` once this unit has committed (never if it rolls back)."""
        self._after_commit.append(work)

    def discard_after_commit(self) -> None:
        self._after_commit.clear()

    def fail(self) -> None:
        """Roll the whole unit back at its end, whatever happens after."""
        self.rollback_only = True


_current: ContextVar[UnitOfWork | None] = ContextVar("farlab_unit_of_work", default=None)


def current_unit(owner: object | None = None) -> UnitOfWork | None:
    """The unit open in this context (for ``owner`` only, when given)."""
    unit = _current.get()
    if unit is None or (owner is not None and unit.owner is not owner):
        return None
    return unit


def _pending(session: Session) -> bool:
    return bool(session.new or session.dirty or session.deleted)


@contextmanager
def unit_of_work(
    owner: object, sessions: Callable[[], Session], *, join: bool = True
) -> Iterator[UnitOfWork]:
    """Join the unit open for ``owner`` in this context, or open one (``join=False``: always
    open a unit of its own, for a record that must outlive the interaction's rollback)."""
    unit = _current.get()
    if join and unit is not None and unit.owner is owner:
        yield from _joined(unit)
        return
    unit = open_unit(owner, sessions)
    try:
        with entered(unit):
            yield unit
    except BaseException as exc:
        _note_drop(unit, exc)
        finish(unit, commit=False)
        raise
    finish(unit, commit=True)


def open_unit(owner: object, sessions: Callable[[], Session]) -> UnitOfWork:
    """A new unit, not yet the context's (``entered``); it connects at its first statement."""
    session = sessions()
    session.begin()
    return UnitOfWork(owner, session)


@contextmanager
def entered(unit: UnitOfWork) -> Iterator[UnitOfWork]:
    """Make ``unit`` the one services join in this context, for the block."""
    token = _current.set(unit)
    try:
        yield unit
    finally:
        _current.reset(token)


def finish(unit: UnitOfWork, *, commit: bool) -> bool:
    """Commit the unit (unless asked not to or marked to roll back), or roll it back; then
    close it and, once committed, run its after-commit work. True when it committed."""
    session = unit.session
    try:
        if commit and not unit.rollback_only:
            session.commit()
            committed = True
        else:
            session.rollback()
            committed = False
    finally:
        session.close()
    if committed:
        _run_after_commit(unit)
    return committed


def _joined(unit: UnitOfWork) -> Iterator[UnitOfWork]:
    writes_before = unit.writes
    try:
        yield unit
        # Constraint errors surface here, inside the service that caused them.
        unit.session.flush()
    except BaseException as exc:
        _note_drop(unit, exc)
        if _from_database(exc):
            # The transaction is spoiled: start a fresh one that the unit will roll back,
            # so the interaction can still read (to show the problem) but never commit.
            unit.fail()
            unit.session.rollback()
            unit.session.begin()
        elif unit.writes != writes_before or _pending(unit.session):
            unit.fail()
        raise


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        yield cause
        cause = cause.__cause__ or cause.__context__


def _from_database(exc: BaseException) -> bool:
    """Whether the database refused a statement on the way to ``exc`` (the transaction is
    then spoiled, even when a service turned the error into one of its own)."""
    return any(isinstance(cause, DBAPIError) for cause in _causes(exc))


def _note_drop(unit: UnitOfWork, exc: BaseException) -> None:
    if any(
        isinstance(cause, DBAPIError) and cause.connection_invalidated for cause in _causes(exc)
    ):
        unit.dropped_connection = True


def _run_after_commit(unit: UnitOfWork) -> None:
    """Run the queued work in order. The change is committed already: a piece of work that
    fails is logged with its traceback and the others still run (the interaction's answer
    stands; what failed was, say, handing a Slack call to its thread pool)."""
    for work in unit.deferred_work:
        try:
            work()
        except Exception:  # logged, never silent: see above
            log.exception("work queued after a commit failed")


_WRITE = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|MERGE)\b|^\s*WITH\b.*\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b",
    re.IGNORECASE | re.DOTALL,
)


def watch_writes(engine: Engine) -> None:
    """Count every statement that changes data in the open unit of work."""

    @event.listens_for(engine, "before_cursor_execute")
    def _count(
        _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        unit = _current.get()
        if unit is None:
            return
        compiled = getattr(context, "compiled", None)
        flags = compiled is not None and (
            compiled.isinsert or compiled.isupdate or compiled.isdelete
        )
        if flags or _WRITE.match(statement):
            unit.writes += 1
