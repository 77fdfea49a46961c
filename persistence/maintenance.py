"""Maintenance alerts: due reminders (set-based) and the out-of-service alert of an instrument.

Each instrument has at most one unresolved alert per topic (the unique partial index
``uq_alerts_unresolved_topic``); inserts that would add a second one are skipped.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, String, case, cast, exists, literal, not_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from domain.vocabulary import AlertKind, AlertSeverity, AlertStatus
from persistence.models import Alert, Instrument
from persistence.types import UTCDateTime

_COLUMNS = [
    "kind",
    "instrument_id",
    "message",
    "severity",
    "status",
    "created_at",
    "delivery_attempts",
    "topic",
]


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Alert)


def _open_topic(instrument_id: Any, topic: str) -> Any:
    return exists().where(
        Alert.instrument_id == instrument_id,
        Alert.topic == topic,
        Alert.status != AlertStatus.RESOLVED,
    )


def open_due_reminders(
    session: Session,
    *,
    topic: str,
    label: str,
    due_column: str,
    today: date,
    horizon: date,
    now: datetime,
) -> int:
    """One alert per active instrument whose date in ``due_column`` (an ``Instrument``
    column) is at most ``horizon`` and that has no unresolved alert of this topic; overdue
    ones are critical. One statement."""
    due = getattr(Instrument, due_column)
    source = select(
        literal(AlertKind.MAINTENANCE.value),
        Instrument.id,
        literal(f"{label} due on ") + cast(due, String) + literal("."),
        case(
            (due < literal(today, Date()), AlertSeverity.CRITICAL.value),
            else_=AlertSeverity.WARNING.value,
        ),
        literal(AlertStatus.OPEN.value),
        literal(now, UTCDateTime()),
        literal(0),
        literal(topic),
    ).where(
        Instrument.is_active,
        due.is_not(None),
        due <= literal(horizon, Date()),
        not_(_open_topic(Instrument.id, topic)),
    )
    stmt = _insert(session).from_select(_COLUMNS, source).on_conflict_do_nothing()
    result: CursorResult[Any] = session.execute(stmt)  # type: ignore[assignment]
    return result.rowcount or 0


def alert_for_update(session: Session, alert_id: int) -> Alert | None:
    """The alert, locked for the rest of the transaction."""
    return session.get(Alert, alert_id, with_for_update=True)


def instrument_for_update(session: Session, instrument_id: int) -> Instrument | None:
    """The instrument, locked for the rest of the transaction."""
    return session.get(Instrument, instrument_id, with_for_update=True)


def open_topic_alert(
    session: Session,
    *,
    instrument_id: int,
    topic: str,
    message: str,
    severity: str,
    actor_id: int | None,
    now: datetime,
) -> bool:
    """Open an alert of ``topic`` about the instrument unless an unresolved one exists."""
    stmt = (
        _insert(session)
        .values(
            kind=AlertKind.MAINTENANCE,
            instrument_id=instrument_id,
            message=message,
            severity=severity,
            status=AlertStatus.OPEN,
            created_at=now,
            created_by_id=actor_id,
            delivery_attempts=0,
            topic=topic,
        )
        .on_conflict_do_nothing()
    )
    result: CursorResult[Any] = session.execute(stmt)  # type: ignore[assignment]
    return bool(result.rowcount)


def resolve_topic_alerts(
    session: Session,
    *,
    instrument_id: int,
    topic: str,
    now: datetime,
    resolved_by_id: int | None,
    note: str,
) -> int:
    stmt = (
        update(Alert)
        .where(
            Alert.instrument_id == instrument_id,
            Alert.topic == topic,
            Alert.status != AlertStatus.RESOLVED,
        )
        .values(
            status=AlertStatus.RESOLVED,
            resolved_at=now,
            resolved_by_id=resolved_by_id,
            resolution_note=note,
        )
        .execution_options(synchronize_session=False)
    )
    result: CursorResult[Any] = session.execute(stmt)  # type: ignore[assignment]
    return result.rowcount or 0
