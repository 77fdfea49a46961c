"""Set-based low-stock questions: one statement each, never a loop over parts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, literal, not_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from domain.vocabulary import (
    UNIT_FOR_ONE,
    UNIT_FOR_SEVERAL,
    AlertKind,
    AlertSeverity,
    AlertStatus,
)
from persistence.models import Alert, Part
from persistence.types import UTCDateTime

RESOLVED_NOTE = "Stock is above the minimum again."


def is_low(part: type[Part] = Part) -> ColumnElement[bool]:
    """The low-stock rule; it matches the partial index ``ix_parts_low_stock``."""
    return and_(
        part.is_active,
        part.minimum_stock_level > 0,
        part.quantity_in_stock <= part.minimum_stock_level,
    )


def is_out_of_stock(part: type[Part] = Part) -> ColumnElement[bool]:
    """Matches the partial index ``ix_parts_out_of_stock``."""
    return and_(part.is_active, part.quantity_in_stock == 0)


def unit_after(quantity: Any, unit: Any) -> ColumnElement[str]:
    """The unit as it reads after ``quantity`` (``domain.vocabulary.unit_for`` in SQL)."""
    return case(
        (quantity == 1, case(UNIT_FOR_ONE, value=unit, else_=unit)),
        else_=case(UNIT_FOR_SEVERAL, value=unit, else_=unit),
    )


def _unresolved_low_stock_alert(part_id: Any) -> ColumnElement[bool]:
    return exists().where(
        Alert.part_id == part_id,
        Alert.kind == AlertKind.LOW_STOCK,
        Alert.status != AlertStatus.RESOLVED,
    )


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Alert)


def open_low_stock_alerts(session: Session, *, now: datetime, part_id: int | None = None) -> int:
    """Open a low_stock alert for every low part without one (or just ``part_id``).

    The unique partial index on unresolved low_stock alerts makes concurrent runs safe:
    a conflicting row is skipped, never duplicated.
    """
    message = (
        "Low stock: "
        + Part.part_number
        + " "
        + Part.name
        + ": "
        + cast(Part.quantity_in_stock, String)
        + " "
        + unit_after(Part.quantity_in_stock, Part.unit_of_measure)
        + " left, minimum "
        + cast(Part.minimum_stock_level, String)
        + "."
    )
    severity = case(
        (Part.quantity_in_stock == 0, AlertSeverity.CRITICAL.value),
        (Part.is_critical, AlertSeverity.CRITICAL.value),
        else_=AlertSeverity.WARNING.value,
    )
    source = select(
        literal(AlertKind.LOW_STOCK.value),
        Part.id,
        message,
        severity,
        literal(AlertStatus.OPEN.value),
        Part.quantity_in_stock,
        Part.minimum_stock_level,
        literal(now, UTCDateTime()),
        literal(0),
    ).where(is_low(), not_(_unresolved_low_stock_alert(Part.id)))
    if part_id is not None:
        source = source.where(Part.id == part_id)
    stmt = (
        _insert(session)
        .from_select(
            [
                "kind",
                "part_id",
                "message",
                "severity",
                "status",
                "current_stock",
                "threshold_stock",
                "created_at",
                "delivery_attempts",
            ],
            source,
        )
        .on_conflict_do_nothing()
    )
    result: CursorResult[Any] = session.execute(stmt)  # type: ignore[assignment]
    return result.rowcount or 0


def resolve_stale_low_stock_alerts(
    session: Session,
    *,
    now: datetime,
    part_id: int | None = None,
    resolved_by_id: int | None = None,
) -> int:
    """Resolve unresolved low_stock alerts whose part is no longer low (or just ``part_id``)."""
    still_low = exists().where(Part.id == Alert.part_id, is_low())
    stmt = (
        update(Alert)
        .where(
            Alert.kind == AlertKind.LOW_STOCK, Alert.status != AlertStatus.RESOLVED, not_(still_low)
        )
        .values(
            status=AlertStatus.RESOLVED,
            resolved_at=now,
            resolved_by_id=resolved_by_id,
            resolution_note=RESOLVED_NOTE,
        )
        .execution_options(synchronize_session=False)
    )
    if part_id is not None:
        stmt = stmt.where(Alert.part_id == part_id)
    result: CursorResult[Any] = session.execute(stmt)  # type: ignore[assignment]
    return result.rowcount or 0
