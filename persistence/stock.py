"""Atomic stock statements: the quantity moves in one conditional UPDATE ... RETURNING."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from persistence.models import Part


def apply_delta(session: Session, *, part_id: int, delta: int, now: datetime) -> Part | None:
    """Add ``delta`` unless the result would be negative; ``None`` when nothing changed."""
    return session.scalars(
        update(Part)
        .where(Part.id == part_id, Part.quantity_in_stock + delta >= 0)
        .values(quantity_in_stock=Part.quantity_in_stock + delta, updated_at=now)
        .returning(Part)
        .execution_options(synchronize_session=False, populate_existing=True)
    ).one_or_none()


def lock_part(session: Session, part_id: int) -> Part | None:
    """The part row, locked for the rest of the transaction (a stocktake sets it absolutely)."""
    return session.scalars(
        select(Part)
        .where(Part.id == part_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
