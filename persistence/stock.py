"""The stock ledger and the statements that move a part's quantity.

This module is the only writer of the ledger (``stock_movements``):
``tests/persistence/test_ledger_writer.py`` fails if any other code creates its rows.
``record_movement`` writes the row of a change its caller made; ``move_by_number`` makes a
take or restock of a part named by its number and writes its row, in one statement on
PostgreSQL (an UPDATE ... RETURNING and the INSERT in one WITH), the fast path of
``/farlab use``. A take or restock moves the quantity in one conditional UPDATE, so it never
goes below zero however many run at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, bindparam, func, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from domain.vocabulary import MovementKind
from persistence.models import Instrument, Part, StockMovement, User
from persistence.types import UTCDateTime


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
    kind: str,
    instrument_id: int | None = None,
) -> StockMovement:
    """Write one ledger row: the part's quantity changed by ``change`` to ``quantity_after``
    (flushed: it has its id); ``kind`` says what the change was (``MovementKind``)."""
    movement = StockMovement(
        kind=kind,
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


def record_movements(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write many ledger rows at once (an import's counts): each a dict of ``part_id``,
    ``delta``, ``quantity_after``, ``reason``, ``actor_id``, ``source``, ``kind``,
    ``created_at``;
    one multi-row INSERT per thousand."""
    for start in range(0, len(rows), 1000):
        session.execute(insert(StockMovement), list(rows[start : start + 1000]))


def _move_by_number_statement() -> Any:
    """UPDATE ... RETURNING the part, INSERT its ledger row from it, SELECT both: one
    statement, built once (building and keying it costs more CPU than running it)."""
    delta = bindparam("by", type_=Integer)
    moved = (
        update(Part)
        .where(
            func.lower(Part.part_number) == bindparam("number"),
            Part.quantity_in_stock + delta >= 0,
        )
        .values(quantity_in_stock=Part.quantity_in_stock + delta, updated_at=bindparam("moved_at"))
        .returning(*Part.__table__.c)
        .cte("moved")
    )
    row = {
        "part_id": moved.c.id,
        "delta": delta,
        "quantity_after": moved.c.quantity_in_stock,
        "reason": bindparam("why", type_=String),
        "actor_id": bindparam("who", type_=Integer),
        "source": bindparam("source_of", type_=String),
        "kind": bindparam("kind_of", type_=String),
        "instrument_id": bindparam("for_instrument", type_=Integer),
        "created_at": bindparam("moved_at", type_=UTCDateTime()),
    }
    ledger = (
        insert(StockMovement)
        .from_select(list(row), select(*row.values()))
        .returning(StockMovement.id)
        .cte("ledger")
    )
    part_row = aliased(Part, moved)
    return select(part_row, ledger.c.id).select_from(moved).join(ledger, literal(True))


_MOVE_BY_NUMBER = _move_by_number_statement()


def move_by_number(
    session: Session,
    *,
    number: str,
    delta: int,
    source: str,
    reason: str | None,
    actor_id: int | None,
    now: datetime,
    instrument_id: int | None = None,
) -> tuple[Part, StockMovement] | None:
    """Add ``delta`` to the part with this number (any case) and write its ledger row (a
    take or a restock);
    None, with nothing written, when no part has that number or the result would be
    negative (the caller then finds out which, by the slow path)."""
    if session.get_bind().dialect.name != "postgresql":
        found = session.scalars(
            select(Part.id).where(func.lower(Part.part_number) == number.lower())
        ).one_or_none()
        part = None if found is None else apply_delta(session, part_id=found, delta=delta, now=now)
        if part is None:
            return None
        movement = record_movement(
            session,
            part_id=part.id,
            change=delta,
            quantity_after=part.quantity_in_stock,
            source=source,
            reason=reason,
            actor_id=actor_id,
            now=now,
            kind=_take_or_restock(delta),
            instrument_id=instrument_id,
        )
        return part, movement
    params = {
        "number": number.lower(),
        "by": delta,
        "moved_at": now,
        "why": reason,
        "who": actor_id,
        "source_of": source,
        "kind_of": _take_or_restock(delta),
        "for_instrument": instrument_id,
    }
    result = session.execute(
        _MOVE_BY_NUMBER, params, execution_options={"populate_existing": True}
    ).one_or_none()
    if result is None:
        return None
    part, movement_id = result
    movement = StockMovement(
        id=movement_id,
        part_id=part.id,
        delta=delta,
        quantity_after=part.quantity_in_stock,
        reason=reason,
        actor_id=actor_id,
        source=source,
        kind=_take_or_restock(delta),
        instrument_id=instrument_id,
        created_at=now,
    )
    return part, movement


def _take_or_restock(delta: int) -> str:
    return (MovementKind.TAKE if delta < 0 else MovementKind.RESTOCK).value


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
