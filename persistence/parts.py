"""The questions asked about parts and their links to instruments, and the writes of both.

Each function takes the session of the caller's transaction and plain values, and answers
with rows or plain values; the rules (who may, what is valid) are the domain's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from persistence import low_stock
from persistence.models import Instrument, InstrumentPart, Part
from persistence.search_text import WordMatch

# Searches check this many parts in catalogue order first; a query that many of them
# match is answered from them without looking any further.
SEARCH_HEAD_ROWS = 10_000
# Past those, at most this many matches are collected to be sorted; beyond that the
# answer is read in order up to a bound the collected ones give.
SEARCH_COLLECT_MAX = 10_000


def part_by_id(session: Session, part_id: int) -> Part | None:
    return session.get(Part, part_id)


def part_by_number(session: Session, number: str, *, active_only: bool = False) -> Part | None:
    """The part with this number in any case (numbers are unique in any case)."""
    stmt = select(Part).where(func.lower(Part.part_number) == number.lower())
    if active_only:
        stmt = stmt.where(Part.is_active)
    return session.scalars(stmt).one_or_none()


def part_number_taken(session: Session, number: str, *, except_id: int | None = None) -> bool:
    """Whether another part (not ``except_id``) has this number in any case."""
    stmt = select(Part.id).where(func.lower(Part.part_number) == number.lower())
    if except_id is not None:
        stmt = stmt.where(Part.id != except_id)
    return session.scalar(stmt) is not None


def active_parts_named(session: Session, name: str, *, limit: int) -> Sequence[Part]:
    """Active parts whose name is ``name`` in any case."""
    return session.scalars(
        select(Part).where(func.lower(Part.name) == name.lower(), Part.is_active).limit(limit)
    ).all()


def active_parts_like(session: Session, pattern: str, *, limit: int) -> Sequence[Part]:
    """Active parts whose lower-case name or number matches the LIKE ``pattern`` (escaped
    with a backslash), in part-number order."""
    return session.scalars(
        select(Part)
        .where(
            Part.is_active,
            or_(
                func.lower(Part.name).like(pattern, escape="\\"),
                func.lower(Part.part_number).like(pattern, escape="\\"),
            ),
        )
        .order_by(func.lower(Part.part_number))
        .limit(limit)
    ).all()


def parts_listed(
    session: Session,
    *,
    active_only: bool,
    category: str | None,
    instrument_id: int | None,
    low_only: bool,
    offset: int,
    limit: int,
) -> Sequence[Part]:
    """Parts in part-number order: of a category (any case), used by an instrument (an
    active link), low on stock, as asked (``None`` asks nothing of the category)."""
    stmt = select(Part)
    if active_only:
        stmt = stmt.where(Part.is_active)
    if category is not None:
        stmt = stmt.where(func.lower(Part.category) == category.lower())
    if instrument_id is not None:
        stmt = stmt.where(
            select(InstrumentPart.id)
            .where(
                InstrumentPart.part_id == Part.id,
                InstrumentPart.instrument_id == instrument_id,
                InstrumentPart.is_active,
            )
            .exists()
        )
    if low_only:
        stmt = stmt.where(low_stock.is_low())
    stmt = stmt.order_by(func.lower(Part.part_number)).offset(offset).limit(limit)
    return session.scalars(stmt).all()


def part_ids_matching(
    session: Session, words: Sequence[WordMatch], *, exclude: int | None, need: int
) -> list[int]:
    """Ids of the first ``need`` active parts (but ``exclude``) whose search key matches
    every word, in catalogue order (by id, the order they were added).

    The answer is exact; how it is found is chosen for large catalogues, each step bounded:

    1. the first ``SEARCH_HEAD_ROWS`` active parts are read in id order and checked:
       enough when the matches are common and spread out;
    2. else the matches after them are collected, at most ``SEARCH_COLLECT_MAX + 1`` in
       any order (on PostgreSQL by the trigram index ``ix_parts_search_trgm``) and sorted:
       exact when that many did not fill up;
    3. else the answer is read in id order, up to the ``need``-th smallest id collected
       (the first ``need`` matches cannot lie beyond it).
    """
    hit = and_(*(Part.search_text.like(w.pattern, escape="\\") for w in words))
    wanted = [Part.is_active] if exclude is None else [Part.is_active, Part.id != exclude]
    head = (
        select(Part.id, Part.search_text)
        .where(*wanted)
        .order_by(Part.id)
        .limit(SEARCH_HEAD_ROWS)
        .subquery()
    )
    head_hit = and_(*(head.c.search_text.like(w.pattern, escape="\\") for w in words))
    found = list(session.scalars(select(head.c.id).where(head_hit).order_by(head.c.id).limit(need)))
    if len(found) >= need:
        return found
    after = session.scalar(select(func.max(head.c.id)))
    if after is None:  # no active part at all
        return found
    more = [*wanted, hit, Part.id > after]
    collected = sorted(session.scalars(select(Part.id).where(*more).limit(SEARCH_COLLECT_MAX + 1)))
    still = need - len(found)
    if len(collected) <= SEARCH_COLLECT_MAX:
        return found + collected[:still]
    in_order = select(Part.id).where(*more).order_by(Part.id).limit(still)
    if still <= len(collected):
        in_order = in_order.where(Part.id <= collected[still - 1])
    return found + list(session.scalars(in_order))


def parts_by_ids(session: Session, ids: Sequence[int]) -> list[Part]:
    """The parts with these ids, in the order given (ids not found are left out)."""
    if not ids:
        return []
    rows = {part.id: part for part in session.scalars(select(Part).where(Part.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def add_part(session: Session, **fields: Any) -> Part:
    """A new part (flushed: it has its id)."""
    part = Part(**fields)
    session.add(part)
    session.flush()
    return part


def delete_part(session: Session, part: Part) -> None:
    """Delete the part; its links, ledger and alerts go with it (ON DELETE CASCADE)."""
    session.delete(part)


def link_between(session: Session, instrument_id: int, part_id: int) -> InstrumentPart | None:
    """The link of the part to the instrument, active or not (there is at most one)."""
    return session.scalars(
        select(InstrumentPart).where(
            InstrumentPart.instrument_id == instrument_id, InstrumentPart.part_id == part_id
        )
    ).one_or_none()


def link_by_id(session: Session, link_id: int) -> InstrumentPart | None:
    return session.get(InstrumentPart, link_id)


def add_link(session: Session, *, instrument_id: int, part_id: int) -> InstrumentPart:
    """A new link of the part to the instrument (added to the session, not yet flushed)."""
    link = InstrumentPart(instrument_id=instrument_id, part_id=part_id)
    session.add(link)
    return link


def delete_link(session: Session, link: InstrumentPart) -> None:
    session.delete(link)


def active_uses_of_part(
    session: Session, part_id: int
) -> Sequence[tuple[InstrumentPart, Instrument]]:
    """The part's active links with their instruments, critical first, then by name."""
    rows = session.execute(
        select(InstrumentPart, Instrument)
        .join(Instrument, Instrument.id == InstrumentPart.instrument_id)
        .where(InstrumentPart.part_id == part_id, InstrumentPart.is_active)
        .order_by(InstrumentPart.is_critical.desc(), Instrument.name)
    ).all()
    return [(link, instrument) for link, instrument in rows]


def active_use_columns_of_parts(session: Session, part_ids: Sequence[int]) -> Sequence[Any]:
    """The active links of the given parts as plain columns (no ORM objects): link id,
    part id, quantity required, critical, active, instrument id, name, model, location and
    status; critical links first, then by instrument name. One query."""
    return session.execute(
        select(
            InstrumentPart.id,
            InstrumentPart.part_id,
            InstrumentPart.quantity_required,
            InstrumentPart.is_critical,
            InstrumentPart.is_active,
            Instrument.id,
            Instrument.name,
            Instrument.model,
            Instrument.location,
            Instrument.status,
        )
        .join(Instrument, Instrument.id == InstrumentPart.instrument_id)
        .where(InstrumentPart.part_id.in_(list(part_ids)), InstrumentPart.is_active)
        .order_by(InstrumentPart.is_critical.desc(), Instrument.name, Instrument.id)
    ).all()
