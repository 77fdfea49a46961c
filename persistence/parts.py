"""The questions asked about parts and their links to instruments, and the writes of both.

Each function takes the session of the caller's transaction and plain values, and answers
with rows or plain values; the rules (who may, what is valid) are the domain's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from persistence import low_stock
from persistence.models import Instrument, InstrumentPart, Part

# Searches look at this many parts in part-number order first; a query that many parts
# match is answered from them without looking any further.
SEARCH_HEAD_ROWS = 2000
# At most this many distinct categories are read to match a query against categories.
SEARCH_MAX_CATEGORIES = 500


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


def parts_matching(
    session: Session, pattern: str, *, exclude: int | None, offset: int, limit: int
) -> list[Part]:
    """Active parts (but ``exclude``) whose number, name or category matches the LIKE
    ``pattern`` in lower case, in part-number order, from ``offset``.

    How they are found is chosen for large catalogues: see ``_candidate_ids``.
    """
    candidates = _candidate_ids(session, pattern, need=offset + limit, exclude=exclude)
    return list(
        session.scalars(
            select(Part)
            .where(Part.id.in_(candidates))
            .order_by(func.lower(Part.part_number))
            .offset(offset)
            .limit(limit)
        ).all()
    )


def _candidate_ids(session: Session, pattern: str, *, need: int, exclude: int | None) -> list[int]:
    """Ids of active parts matching ``pattern`` that include the first ``need`` of them in
    part-number order (the caller orders them; every comparison is the database's).

    Walking the part-number index until enough rows match is quick when many parts match
    evenly, and very slow when the matches sit together far down the order (a category's
    parts share a number prefix), so the walk is capped at ``SEARCH_HEAD_ROWS`` rows. Past
    that, category matches are read per matching category from ``ix_parts_category_number``
    (already in order), and number and name matches are collected by the trigram indexes
    (on PostgreSQL) and sorted, which costs what the number of those matches costs; when
    the categories gave ``need`` parts, only matches before the last of them are collected.
    """
    key = func.lower(Part.part_number)
    number, name, category = (
        func.lower(column).like(pattern, escape="\\")
        for column in (Part.part_number, Part.name, Part.category)
    )
    wanted = [Part.is_active] if exclude is None else [Part.is_active, Part.id != exclude]
    head = (
        select(Part.id, key.label("key"), or_(number, name, category).label("hit"))
        .where(*wanted)
        .order_by(key)
        .limit(SEARCH_HEAD_ROWS)
        .subquery()
    )
    found = list(
        session.scalars(select(head.c.id).where(head.c.hit).order_by(head.c.key).limit(need))
    )
    if len(found) >= need:
        return found
    categories = _categories_like(session, pattern)
    found = []
    before = []  # the part-number bound the category matches give, if they gave ``need``
    if categories:
        per_category = [
            select(Part.id, key.label("key"))
            .where(*wanted, func.lower(Part.category) == value)
            .order_by(key)
            .limit(need)
            .subquery()
            for value in categories
        ]
        merged = union_all(*(select(s.c.id, s.c.key) for s in per_category)).subquery()
        in_order = session.execute(
            select(merged.c.id, merged.c.key).order_by(merged.c.key).limit(need)
        ).all()
        found = [part_id for part_id, _ in in_order]
        if len(in_order) >= need:
            before = [key <= in_order[-1].key]
    text_match = or_(number, name) if categories is not None else or_(number, name, category)
    # OFFSET 0 keeps the planner from walking the part-number index for these rows.
    by_text = (
        select(Part.id, key.label("key")).where(*wanted, text_match, *before).offset(0).subquery()
    )
    found += session.scalars(select(by_text.c.id).order_by(by_text.c.key).limit(need)).all()
    return found


def _categories_like(session: Session, pattern: str) -> list[str] | None:
    """Distinct lower-case categories of active parts matching ``pattern``, found by
    stepping through ``ix_parts_category_number`` one category at a time; ``None`` when
    there are more than ``SEARCH_MAX_CATEGORIES`` categories to step through."""
    category = func.lower(Part.category)
    steps = select(func.min(category).label("value"), literal(1).label("step")).where(
        Part.is_active
    )
    seen = steps.cte("seen", recursive=True)
    following = (
        select(func.min(category)).where(category > seen.c.value, Part.is_active).scalar_subquery()
    )
    seen = seen.union_all(
        select(following, seen.c.step + 1).where(
            seen.c.value.is_not(None), seen.c.step <= SEARCH_MAX_CATEGORIES
        )
    )
    rows = session.execute(
        select(seen.c.value, seen.c.step).where(
            or_(seen.c.value.like(pattern, escape="\\"), seen.c.step > SEARCH_MAX_CATEGORIES)
        )
    ).all()
    if any(step > SEARCH_MAX_CATEGORIES and value is not None for value, step in rows):
        return None
    return [value for value, _ in rows]


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
