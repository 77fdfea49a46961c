"""The questions asked about instruments, their status history and the parts they need.

Each function takes the session of the caller's transaction and plain values, and answers
with rows or plain values; the rules (who may, what is valid) are the domain's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from persistence.models import Instrument, InstrumentPart, InstrumentStatusChange, Part, User


def instrument_by_id(session: Session, instrument_id: int) -> Instrument | None:
    return session.get(Instrument, instrument_id)


def instrument_name_taken(session: Session, name: str, *, except_id: int | None = None) -> bool:
    """Whether another instrument (not ``except_id``) has this name in any case."""
    stmt = select(Instrument.id).where(func.lower(Instrument.name) == name.lower())
    if except_id is not None:
        stmt = stmt.where(Instrument.id != except_id)
    return session.scalar(stmt) is not None


def instrument_prefix_matches(
    session: Session, names: Sequence[str], *, limit: int = 10
) -> list[tuple[Instrument | None, list[Instrument]]]:
    """For each of ``names`` (plain text, not a pattern), in one statement: the instrument
    with exactly that name in any case (active or not), and up to ``limit`` active
    instruments whose name starts with it in any case, by name."""
    if not names:
        return []
    branches = []
    for index, name in enumerate(names):
        lowered = name.lower()
        branches.append(
            select(
                literal(index).label("ref"), literal(False).label("by_prefix"), *_columns()
            ).where(func.lower(Instrument.name) == lowered)
        )
        pattern = _escape_like(lowered) + "%"
        starts = (
            select(literal(index).label("ref"), literal(True).label("by_prefix"), *_columns())
            .where(func.lower(Instrument.name).like(pattern, escape="\\"), Instrument.is_active)
            .order_by(Instrument.name)
            .limit(limit)
            .subquery()
        )
        branches.append(select(*starts.c))
    found = union_all(*branches).subquery()
    row = aliased(Instrument, found, adapt_on_names=True)
    exact: list[Instrument | None] = [None for _ in names]
    starting: list[list[Instrument]] = [[] for _ in names]
    for ref, by_prefix, instrument in session.execute(
        select(found.c.ref, found.c.by_prefix, row).order_by(found.c.ref, row.name)
    ).all():
        if by_prefix:
            starting[ref].append(instrument)
        else:
            exact[ref] = instrument
    return list(zip(exact, starting, strict=True))


def _columns() -> list[Any]:
    return list(Instrument.__table__.columns)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def instruments_listed(
    session: Session, *, active_only: bool, status: str | None, offset: int, limit: int
) -> Sequence[Instrument]:
    """Instruments by name, active ones only or all, of one status if given."""
    stmt = select(Instrument)
    if active_only:
        stmt = stmt.where(Instrument.is_active)
    if status is not None:
        stmt = stmt.where(Instrument.status == status)
    stmt = stmt.order_by(Instrument.name).offset(offset).limit(limit)
    return session.scalars(stmt).all()


def add_instrument(session: Session, **fields: Any) -> Instrument:
    """A new instrument (flushed: it has its id)."""
    row = Instrument(**fields)
    session.add(row)
    session.flush()
    return row


def delete_instrument(session: Session, instrument: Instrument) -> None:
    """Delete the instrument; its links and status history go with it (ON DELETE CASCADE)."""
    session.delete(instrument)


def record_status_change(
    session: Session,
    *,
    instrument_id: int,
    old_status: str,
    new_status: str,
    note: str | None,
    changed_by_id: int | None,
    now: datetime,
) -> None:
    session.add(
        InstrumentStatusChange(
            instrument_id=instrument_id,
            old_status=old_status,
            new_status=new_status,
            note=note,
            changed_by_id=changed_by_id,
            changed_at=now,
        )
    )


def status_changes_of(
    session: Session, instrument_id: int, *, limit: int
) -> Sequence[tuple[InstrumentStatusChange, str | None]]:
    """The instrument's status changes, newest first, each with the username of who made
    it (None: FarLab itself, or an account deleted since)."""
    rows = session.execute(
        select(InstrumentStatusChange, User.username)
        .outerjoin(User, User.id == InstrumentStatusChange.changed_by_id)
        .where(InstrumentStatusChange.instrument_id == instrument_id)
        .order_by(InstrumentStatusChange.changed_at.desc(), InstrumentStatusChange.id.desc())
        .limit(limit)
    ).all()
    return [(change, username) for change, username in rows]


def parts_needed_by(session: Session, instrument_id: int) -> Sequence[tuple[InstrumentPart, Part]]:
    """The instrument's active links with their parts, critical first, then by number."""
    rows = session.execute(
        select(InstrumentPart, Part)
        .join(Part, Part.id == InstrumentPart.part_id)
        .where(InstrumentPart.instrument_id == instrument_id, InstrumentPart.is_active)
        .order_by(InstrumentPart.is_critical.desc(), Part.part_number)
    ).all()
    return [(link, part) for link, part in rows]


def parts_needed_by_each(
    session: Session, instrument_ids: Sequence[int]
) -> Sequence[tuple[InstrumentPart, Instrument, Part]]:
    """The active links of the given instruments with their instrument and part, critical
    first, then by part number. One query."""
    rows = session.execute(
        select(InstrumentPart, Instrument, Part)
        .join(Instrument, Instrument.id == InstrumentPart.instrument_id)
        .join(Part, Part.id == InstrumentPart.part_id)
        .where(InstrumentPart.instrument_id.in_(list(instrument_ids)), InstrumentPart.is_active)
        .order_by(InstrumentPart.is_critical.desc(), Part.part_number)
    ).all()
    return [(link, instrument, part) for link, instrument, part in rows]
