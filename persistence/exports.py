"""The rows of FarLab's export files, read a thousand at a time (constant memory at any
size): plain column tuples, never ORM objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from persistence.models import Alert, Instrument, InstrumentPart, Part, StockMovement, User

BATCH = 1000


def _stream(session: Session, stmt: Select[Any]) -> Iterator[tuple[Any, ...]]:
    result = session.execute(stmt.execution_options(yield_per=BATCH))
    for row in result:
        yield tuple(row)


def part_rows(session: Session) -> Iterator[tuple[Any, ...]]:
    """(id, number, name, description, category, manufacturer, unit, location, stock,
    minimum, critical, active), by id."""
    return _stream(
        session,
        select(
            Part.id,
            Part.part_number,
            Part.name,
            Part.description,
            Part.category,
            Part.manufacturer,
            Part.unit_of_measure,
            Part.location,
            Part.quantity_in_stock,
            Part.minimum_stock_level,
            Part.is_critical,
            Part.is_active,
        ).order_by(Part.id),
    )


def active_uses_by_part(session: Session) -> Iterator[tuple[Any, ...]]:
    """(part id, instrument name, quantity needed) of every active link, by part id."""
    stmt = (
        select(InstrumentPart.part_id, Instrument.name, InstrumentPart.quantity_required)
        .join(Instrument, Instrument.id == InstrumentPart.instrument_id)
        .where(InstrumentPart.is_active)
        .order_by(InstrumentPart.part_id, Instrument.name)
    )
    return _stream(session, stmt)


def instrument_rows(session: Session) -> Iterator[tuple[Any, ...]]:
    return _stream(
        session,
        select(
            Instrument.name,
            Instrument.model,
            Instrument.manufacturer,
            Instrument.serial_number,
            Instrument.location,
            Instrument.description,
            Instrument.status,
            Instrument.next_maintenance_due,
            Instrument.next_calibration_due,
            Instrument.maintenance_interval_days,
            Instrument.calibration_interval_days,
            Instrument.is_active,
        ).order_by(Instrument.id),
    )


def link_rows(session: Session) -> Iterator[tuple[Any, ...]]:
    """(instrument name, part number, quantity needed, critical) of the active links."""
    return _stream(
        session,
        select(
            Instrument.name,
            Part.part_number,
            InstrumentPart.quantity_required,
            InstrumentPart.is_critical,
        )
        .join(Instrument, Instrument.id == InstrumentPart.instrument_id)
        .join(Part, Part.id == InstrumentPart.part_id)
        .where(InstrumentPart.is_active)
        .order_by(Instrument.name, Part.part_number),
    )


def movement_rows(session: Session) -> Iterator[tuple[Any, ...]]:
    """The ledger, oldest first: when, part number, name, change, after, source, reason,
    who (username), for which instrument."""
    return _stream(
        session,
        select(
            StockMovement.created_at,
            Part.part_number,
            Part.name,
            StockMovement.delta,
            StockMovement.quantity_after,
            StockMovement.source,
            StockMovement.reason,
            User.username,
            Instrument.name,
        )
        .join(Part, Part.id == StockMovement.part_id)
        .outerjoin(User, User.id == StockMovement.actor_id)
        .outerjoin(Instrument, Instrument.id == StockMovement.instrument_id)
        .order_by(StockMovement.id),
    )


def alert_rows(session: Session) -> Iterator[tuple[Any, ...]]:
    """Every alert, oldest first, with its part number and instrument name."""
    creator = aliased(User)
    return _stream(
        session,
        select(
            Alert.id,
            Alert.created_at,
            Alert.kind,
            Alert.severity,
            Alert.status,
            Part.part_number,
            Instrument.name,
            Alert.message,
            creator.username,
            Alert.acknowledged_at,
            Alert.resolved_at,
            Alert.resolution_note,
        )
        .outerjoin(Part, Part.id == Alert.part_id)
        .outerjoin(Instrument, Instrument.id == Alert.instrument_id)
        .outerjoin(creator, creator.id == Alert.created_by_id)
        .order_by(Alert.id),
    )
