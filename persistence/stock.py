"""The stock ledger and the statements that move a part's quantity.

``record_movement`` is the only writer of the ledger (``stock_movements``):
``tests/persistence/test_ledger_writer.py`` fails if any other code creates its rows.
A take or restock moves the quantity in one conditional UPDATE ... RETURNING.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from persistence.models import Instrument, Part, StockMovement, User


def record_movement(
    session: Session,
    *,
    part_id: int,
    change: int,
    quantity_after: int,
    source: str,
    reason: str | None,
    actor_id: int | None,
    now: datetime,
    instrument_id: int | None = None,
) -> StockMovement:
    """Write one ledger row: the part's quantity changed by ``change`` to ``quantity_after``
    (flushed: it has its id)."""
    movement = StockMovement(
        part_id=part_id,
        delta=change,
        quantity_after=quantity_after,
        reason=reason,
        actor_id=actor_id,
        source=source,
        instrument_id=instrument_id,
        created_at=now,
    )
    session.add(movement)
    session.flush()
    return movement


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


def movements_of_part(
    session: Session, part_id: int, *, offset: int, limit: int
) -> Sequence[tuple[StockMovement, str | None, str | None]]:
    """The part's ledger rows, newest first, each with its actor's username and its
    instrument's name (``None`` when there is none)."""
    rows = session.execute(
        select(StockMovement, User.username, Instrument.name)
        .outerjoin(User, User.id == StockMovement.actor_id)
        .outerjoin(Instrument, Instrument.id == StockMovement.instrument_id)
        .where(StockMovement.part_id == part_id)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [(movement, username, name) for movement, username, name in rows]
