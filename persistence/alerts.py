"""Alerts with the part and instrument they are about: found, locked, listed and counted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, case, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from persistence import low_stock
from persistence.models import Alert, Instrument, Part


def _alerts_with_subjects() -> Select[tuple[Alert, Part, Instrument]]:
    return (
        select(Alert, Part, Instrument)
        .outerjoin(Part, Part.id == Alert.part_id)
        .outerjoin(Instrument, Instrument.id == Alert.instrument_id)
    )


def alert_with_subjects(session: Session, alert_id: int) -> Row[Any] | None:
    """(alert, part or None, instrument or None) for the alert, if it exists."""
    return session.execute(_alerts_with_subjects().where(Alert.id == alert_id)).one_or_none()


def lock_alert(session: Session, alert_id: int) -> Alert | None:
    """The alert row, locked for the rest of the transaction."""
    return session.get(Alert, alert_id, with_for_update=True)


def alerts_matching(
    session: Session,
    *,
    status: str | None,
    active_only: bool,
    kinds: Sequence[str],
    part_id: int | None,
    instrument_id: int | None,
    offset: int,
    limit: int,
    severities: Sequence[str] = (),
) -> list[Row[Any]]:
    """(alert, part, instrument) rows, newest first; ``active_only``: not resolved; of any
    of ``kinds`` and ``severities`` when given (empty: any)."""
    stmt = _alerts_with_subjects()
    if status:
        stmt = stmt.where(Alert.status == status)
    if active_only:
        stmt = stmt.where(Alert.status != "resolved")
    if kinds:
        stmt = stmt.where(Alert.kind.in_(list(kinds)))
    if severities:
        stmt = stmt.where(Alert.severity.in_(list(severities)))
    if part_id is not None:
        stmt = stmt.where(Alert.part_id == part_id)
    if instrument_id is not None:
        stmt = stmt.where(Alert.instrument_id == instrument_id)
    stmt = stmt.order_by(Alert.created_at.desc(), Alert.id.desc()).offset(offset).limit(limit)
    return list(session.execute(stmt).all())


def part_for_alert(session: Session, part_id: int) -> Part | None:
    """The part an alert is to be raised about."""
    return session.get(Part, part_id)


def instrument_exists(session: Session, instrument_id: int) -> bool:
    return session.get(Instrument, instrument_id) is not None


def add_alert(session: Session, alert: Alert) -> Alert:
    """Insert the alert now (its id is then known)."""
    session.add(alert)
    session.flush()
    return alert


def delete_alert(session: Session, alert: Alert) -> None:
    session.delete(alert)
    session.flush()


def alert_counts(session: Session) -> tuple[int, int, int, int]:
    """(all, open, acknowledged, resolved) alerts, in one statement."""
    total, opened, acknowledged, resolved = session.execute(
        select(
            func.count(),
            func.count(case((Alert.status == "open", 1))),
            func.count(case((Alert.status == "acknowledged", 1))),
            func.count(case((Alert.status == "resolved", 1))),
        ).select_from(Alert)
    ).one()
    return total, opened, acknowledged, resolved


def low_part_counts(session: Session) -> tuple[int, int, int]:
    """(low, critical and low but not out, out of stock) active parts.

    Three small counts, each answered from a partial index on PostgreSQL.
    """

    def count(*where: ColumnElement[bool] | InstrumentedAttribute[bool]) -> int:
        return session.scalar(select(func.count()).select_from(Part).where(*where)) or 0

    return (
        count(low_stock.is_low()),
        count(low_stock.is_low(), Part.is_critical, Part.quantity_in_stock > 0),
        count(low_stock.is_out_of_stock()),
    )


def show_again(session: Session, part_id: int) -> None:
    """The part's posted low-stock alert message no longer shows what it should (what is on
    order changed): the next delivery run updates it in place."""
    session.execute(
        update(Alert)
        .where(
            Alert.part_id == part_id,
            Alert.kind == "low_stock",
            Alert.status != "resolved",
            Alert.message_ts.is_not(None),
        )
        .values(shown_status=None)
        .execution_options(synchronize_session=False)
    )
