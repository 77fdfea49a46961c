"""The questions asked about parts and their links to instruments, and the writes of both.

Each function takes the session of the caller's transaction and plain values, and answers
with rows or plain values; the rules (who may, what is valid) are the domain's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Float, case, cast, func, literal_column, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from persistence import low_stock
from persistence.models import Instrument, InstrumentPart, Part
from persistence.search_text import WordMatch

# How many matches a search answers at most, and how much of the table (on PostgreSQL)
# is read in storage order before the trigram index is used (see ``part_ids_matching``).
SEARCH_MAX_MATCHES = 200
SEARCH_HEAD_PAGES = 300


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


def parts_needing_stock(
    session: Session, *, out_only: bool, offset: int, limit: int
) -> Sequence[Part]:
    """Active parts at or below their minimum (the low-stock rule), or only those at zero,
    most urgent first: out of stock, then critical parts, then the lowest stock relative
    to the minimum (parts with none last), then by part number. The partial indexes
    ``ix_parts_low_stock`` and ``ix_parts_out_of_stock`` find them."""
    needing = low_stock.is_out_of_stock() if out_only else low_stock.is_low()
    share = cast(Part.quantity_in_stock, Float) / func.nullif(Part.minimum_stock_level, 0)
    return session.scalars(
        select(Part)
        .where(needing)
        .order_by(
            case((Part.quantity_in_stock == 0, 0), else_=1),
            case((Part.is_critical, 0), else_=1),
            share.nulls_last(),
            func.lower(Part.part_number),
        )
        .offset(offset)
        .limit(limit)
    ).all()


def part_ids_matching(
    session: Session, words: Sequence[WordMatch], *, exclude: int | None
) -> tuple[list[int], bool]:
    """Ids of the active parts (but ``exclude``) whose search key matches every word, in
    catalogue order (by id, the order they were added), and whether there were more.

    At most ``SEARCH_MAX_MATCHES`` are answered: the first the database finds as it reads
    the table in the order it stores it, which is the order the parts were added but for
    parts changed since (PostgreSQL writes a changed row anew, where there is room). So a
    query with fewer matches is answered exactly; one with more gets the first of them as
    stored, in catalogue order, and ``True``: another word would narrow it. The work is
    bounded by that number, however large the catalogue and wherever the matches lie.

    On PostgreSQL the first ``SEARCH_HEAD_PAGES`` pages of the table are read in storage
    order (a TID range scan): enough when the matches are common. The rest is read by the
    trigram index ``ix_parts_search_trgm``, whose bitmap scan visits the table's pages in
    storage order too and stops once enough matches are read. The planner is told to plan
    just so (``_plan_with``): left to itself it would walk the table in order whenever it
    expects many matches, reading all of it when they sit together at its end. SQLite
    stores rows in id order: its parts are read by id.
    """
    hits = [Part.search_text.like(w.pattern, escape="\\") for w in words]
    wanted = (
        [Part.is_active, *hits] if exclude is None else [Part.is_active, Part.id != exclude, *hits]
    )
    enough = SEARCH_MAX_MATCHES + 1
    if session.get_bind().dialect.name != "postgresql":
        found = list(
            session.scalars(select(Part.id).where(*wanted).order_by(Part.id).limit(enough))
        )
        return sorted(found[:SEARCH_MAX_MATCHES]), len(found) > SEARCH_MAX_MATCHES
    edge = text("CAST(:head_end AS tid)").bindparams(head_end=f"({SEARCH_HEAD_PAGES},0)")
    ctid: ColumnElement[Any] = literal_column("ctid")
    # Settings made for the transaction: a failure rolls them back with it.
    _plan_with(session, HEAD_IN_STORAGE_ORDER)
    found = list(session.scalars(select(Part.id).where(*wanted, ctid < edge).limit(enough)))
    if len(found) < enough:
        _plan_with(session, BY_TRIGRAM_INDEX)
        rest = select(Part.id).where(*wanted, ctid >= edge).limit(enough - len(found))
        found += session.scalars(rest)
    session.execute(text("; ".join(f"RESET {name}" for name in PLAN_SETTINGS)))
    return sorted(found[:SEARCH_MAX_MATCHES]), len(found) > SEARCH_MAX_MATCHES


# The plans ``part_ids_matching`` needs on PostgreSQL, as settings for its statements: the
# head of the table by a TID range scan, the rest by the trigram index (a bitmap scan);
# never in parallel, whose workers would return rows out of storage order.
PLAN_SETTINGS = (
    "enable_seqscan",
    "enable_indexscan",
    "enable_bitmapscan",
    "enable_tidscan",
    "max_parallel_workers_per_gather",
)
HEAD_IN_STORAGE_ORDER = ("off", "off", "off", "on", "0")
BY_TRIGRAM_INDEX = ("off", "off", "on", "off", "0")


def _plan_with(session: Session, values: tuple[str, ...]) -> None:
    """Set ``PLAN_SETTINGS`` to these values for the rest of the transaction (until the
    caller resets them)."""
    session.execute(
        select(*(func.set_config(k, v, True) for k, v in zip(PLAN_SETTINGS, values, strict=True)))
    )


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
