"""Parts: records, lookup and search, and their links to instruments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from domain import validation as v
from domain.context import DomainContext
from domain.errors import Ambiguous, Conflict, InvalidInput, NotFound
from domain.instruments import load as load_instrument
from domain.permissions import Action, Actor, require
from domain.results import Page, PartDetail, PartUse, PartView
from domain.stock import part_history, valid_source
from persistence import low_stock
from persistence.models import Instrument, InstrumentPart, Part, StockMovement

_TEXT_LIMITS = {
    "part_number": 100,
    "name": 200,
    "description": 5000,
    "category": 100,
    "manufacturer": 100,
    "unit_of_measure": 20,
    "location": 200,
}
_REQUIRED = {"part_number", "name", "unit_of_measure"}
_MULTILINE = {"description"}
MIN_SEARCH_LENGTH = 2


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _TEXT_LIMITS:
            cleaned[name] = v.text(
                value,
                field=name,
                max_length=_TEXT_LIMITS[name],
                required=name in _REQUIRED,
                multiline=name in _MULTILINE,
            )
        elif name == "minimum_stock_level":
            cleaned[name] = v.quantity(value, field=name, allow_zero=True)
        elif name in ("is_critical", "is_active"):
            if not isinstance(value, bool):
                raise InvalidInput.field(name, f"{name.replace('_', ' ')} must be true or false.")
            cleaned[name] = value
        else:
            raise InvalidInput.field(name, f"Parts have no field {name}.")
    return cleaned


def load(session: Session, part_id: int) -> Part:
    row = session.get(Part, part_id)
    if row is None:
        raise NotFound("Part not found.")
    return row


def _number_taken(session: Session, number: str, except_id: int | None = None) -> bool:
    stmt = select(Part.id).where(func.lower(Part.part_number) == number.lower())
    if except_id is not None:
        stmt = stmt.where(Part.id != except_id)
    return session.scalar(stmt) is not None


def create_part(
    ctx: DomainContext,
    *,
    actor: Actor,
    part_number: str,
    name: str,
    quantity_in_stock: int = 0,
    minimum_stock_level: int = 0,
    instrument_ids: tuple[int, ...] = (),
    source: str = "system",
    **fields: Any,
) -> PartView:
    """Create a part; initial stock is written to the ledger and may open a low-stock alert."""
    require(actor, Action.MANAGE_PARTS)
    cleaned = _clean(
        {
            "part_number": part_number,
            "name": name,
            "minimum_stock_level": minimum_stock_level,
            "unit_of_measure": fields.pop("unit_of_measure", None) or "pcs",
            **fields,
        }
    )
    v.quantity(quantity_in_stock, field="quantity_in_stock", allow_zero=True)
    source = valid_source(source)
    now = ctx.now()
    with ctx.transaction() as session:
        if _number_taken(session, cleaned["part_number"]):
            raise Conflict(
                f"A part with number {cleaned['part_number']} already exists.", field="part_number"
            )
        for instrument_id in dict.fromkeys(instrument_ids):
            if session.get(Instrument, instrument_id) is None:
                raise NotFound(f"Instrument with ID {instrument_id} not found.")
        part = Part(quantity_in_stock=quantity_in_stock, created_at=now, **cleaned)
        session.add(part)
        session.flush()
        for instrument_id in dict.fromkeys(instrument_ids):
            session.add(InstrumentPart(instrument_id=instrument_id, part_id=part.id))
        if quantity_in_stock:
            session.add(
                StockMovement(
                    part_id=part.id,
                    delta=quantity_in_stock,
                    quantity_after=quantity_in_stock,
                    reason="Initial stock",
                    actor_id=actor.user_id,
                    source=source,
                    created_at=now,
                )
            )
        low_stock.open_low_stock_alerts(session, now=now, part_id=part.id)
        session.flush()
        return PartView.of(part)


def get_part(ctx: DomainContext, *, actor: Actor, part_id: int) -> PartView:
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        return PartView.of(load(session, part_id))


def find_part(ctx: DomainContext, *, actor: Actor, ref: str) -> PartView:
    """A part by number (any case), else by a name that matches exactly one part."""
    require(actor, Action.VIEW)
    ref = v.lookup(ref, field="part")
    if not ref:
        raise InvalidInput.field("part", "Name a part by its number or name.")
    with ctx.transaction() as session:
        by_number = session.scalars(
            select(Part).where(func.lower(Part.part_number) == ref.lower())
        ).one_or_none()
        if by_number is not None:
            return PartView.of(by_number)
        exact = session.scalars(
            select(Part).where(func.lower(Part.name) == ref.lower(), Part.is_active).limit(11)
        ).all()
        rows = (
            exact
            or session.scalars(
                select(Part)
                .where(
                    Part.is_active,
                    or_(
                        func.lower(Part.name).like(v.like_pattern(ref), escape="\\"),
                        func.lower(Part.part_number).like(v.like_pattern(ref), escape="\\"),
                    ),
                )
                .order_by(func.lower(Part.part_number))
                .limit(11)
            ).all()
        )
    if not rows:
        raise NotFound(f"No part matches {ref}.")
    if len(rows) > 1:
        raise Ambiguous(
            f"Several parts match {ref}; pick one.",
            candidates=tuple((r.id, f"{r.part_number} {r.name}") for r in rows[:10]),
        )
    return PartView.of(rows[0])


def part_detail(
    ctx: DomainContext, *, actor: Actor, part_id: int, movements: int = 5
) -> PartDetail:
    """The part, the instruments that use it (critical first) and its latest movements."""
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        part = load(session, part_id)
        rows = session.execute(
            select(InstrumentPart, Instrument)
            .join(Instrument, Instrument.id == InstrumentPart.instrument_id)
            .where(InstrumentPart.part_id == part_id, InstrumentPart.is_active)
            .order_by(InstrumentPart.is_critical.desc(), Instrument.name)
        ).all()
        uses = tuple(PartUse.of(link, instrument, part) for link, instrument in rows)
        view = PartView.of(part)
    history = part_history(ctx, actor=actor, part_id=part_id, limit=movements)
    return PartDetail(part=view, uses=uses, recent_movements=history.items)


def list_parts(
    ctx: DomainContext,
    *,
    actor: Actor,
    category: str | None = None,
    instrument_id: int | None = None,
    low_only: bool = False,
    active_only: bool = True,
    offset: int = 0,
    limit: int = 25,
) -> Page[PartView]:
    require(actor, Action.VIEW)
    offset, limit = v.paging(offset, limit, max_limit=1000)
    stmt = select(Part)
    if active_only:
        stmt = stmt.where(Part.is_active)
    if category:
        stmt = stmt.where(func.lower(Part.category) == v.lookup(category, field="category").lower())
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
    stmt = stmt.order_by(func.lower(Part.part_number)).offset(offset).limit(limit + 1)
    with ctx.transaction() as session:
        rows = session.scalars(stmt).all()
        items = tuple(PartView.of(r) for r in rows[:limit])
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)


# Searches look at this many parts in part-number order first; a query that many parts
# match is answered from them without looking any further.
SEARCH_HEAD_ROWS = 2000
# At most this many distinct categories are read to match a query against categories.
SEARCH_MAX_CATEGORIES = 500


def search_parts(
    ctx: DomainContext, *, actor: Actor, query: str, offset: int = 0, limit: int = 25
) -> Page[PartView]:
    """Case-insensitive substring of number, name or category; an exact number comes first.

    The other matches follow in part-number order. How they are found is chosen for large
    catalogues: see ``_candidate_ids``.
    """
    require(actor, Action.VIEW)
    offset, limit = v.paging(offset, limit)
    q = v.lookup(query, field="query")
    if len(q) < MIN_SEARCH_LENGTH:
        raise InvalidInput.field(
            "query", f"Search query must be at least {MIN_SEARCH_LENGTH} characters."
        )
    if len(q) > 200:
        raise InvalidInput.field("query", "Search query must be at most 200 characters.")
    with ctx.transaction() as session:
        exact = session.scalars(
            select(Part).where(func.lower(Part.part_number) == q.lower(), Part.is_active)
        ).one_or_none()
        skip = offset - 1 if exact is not None and offset > 0 else offset
        want = limit + 1 - (1 if exact is not None and offset == 0 else 0)
        candidates = _candidate_ids(
            session, v.like_pattern(q), need=skip + want, exclude=exact.id if exact else None
        )
        rows = list(
            session.scalars(
                select(Part)
                .where(Part.id.in_(candidates))
                .order_by(func.lower(Part.part_number))
                .offset(skip)
                .limit(want)
            ).all()
        )
        if exact is not None and offset == 0:
            rows.insert(0, exact)
        items = tuple(PartView.of(r) for r in rows[:limit])
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)


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


def update_part(ctx: DomainContext, *, actor: Actor, part_id: int, **changes: Any) -> PartView:
    """Change a part's record; stock moves go through ``adjust_stock``/``count_stock``."""
    require(actor, Action.MANAGE_PARTS)
    if "quantity_in_stock" in changes:
        raise InvalidInput.field(
            "quantity_in_stock", "Change stock with a use, restock or count, not an edit."
        )
    cleaned = _clean(changes)
    now = ctx.now()
    with ctx.transaction() as session:
        part = load(session, part_id)
        number = cleaned.get("part_number")
        if number and _number_taken(session, number, except_id=part.id):
            raise Conflict(f"A part with number {number} already exists.", field="part_number")
        for name, value in cleaned.items():
            setattr(part, name, value)
        part.updated_at = now
        session.flush()
        low_stock.open_low_stock_alerts(session, now=now, part_id=part.id)
        low_stock.resolve_stale_low_stock_alerts(
            session, now=now, part_id=part.id, resolved_by_id=actor.user_id
        )
        return PartView.of(part)


def deactivate_part(ctx: DomainContext, *, actor: Actor, part_id: int) -> PartView:
    return update_part(ctx, actor=actor, part_id=part_id, is_active=False)


def delete_part(ctx: DomainContext, *, actor: Actor, part_id: int) -> PartView:
    """Delete a part with its links, ledger and alerts; returns what was deleted."""
    require(actor, Action.MANAGE_PARTS)
    with ctx.transaction() as session:
        part = load(session, part_id)
        view = PartView.of(part)
        session.delete(part)
        return view


def link_part(
    ctx: DomainContext,
    *,
    actor: Actor,
    instrument_id: int,
    part_id: int,
    quantity_required: int = 1,
    is_critical: bool = False,
) -> PartUse:
    """Record that an instrument needs a part (a removed link is brought back)."""
    require(actor, Action.LINK_PARTS)
    v.quantity(quantity_required, field="quantity_required")
    with ctx.transaction() as session:
        instrument = load_instrument(session, instrument_id)
        part = load(session, part_id)
        link = _find_link(session, instrument_id, part_id)
        if link is not None and link.is_active:
            raise Conflict(
                f"Part {part.part_number} is already linked to {instrument.name}.", field="part"
            )
        if link is None:
            link = InstrumentPart(instrument_id=instrument_id, part_id=part_id)
            session.add(link)
        link.quantity_required = quantity_required
        link.is_critical = is_critical
        link.is_active = True
        session.flush()
        return PartUse.of(link, instrument, part)


def update_link(
    ctx: DomainContext,
    *,
    actor: Actor,
    instrument_id: int,
    part_id: int,
    quantity_required: int | None = None,
    is_critical: bool | None = None,
) -> PartUse:
    require(actor, Action.LINK_PARTS)
    if quantity_required is None and is_critical is None:
        raise InvalidInput("Give quantity_required or is_critical to change.")
    if quantity_required is not None:
        v.quantity(quantity_required, field="quantity_required")
    with ctx.transaction() as session:
        link = _active_link(session, instrument_id, part_id)
        if quantity_required is not None:
            link.quantity_required = quantity_required
        if is_critical is not None:
            link.is_critical = is_critical
        session.flush()
        return PartUse.of(link, load_instrument(session, instrument_id), load(session, part_id))


def unlink_part(ctx: DomainContext, *, actor: Actor, instrument_id: int, part_id: int) -> None:
    require(actor, Action.LINK_PARTS)
    with ctx.transaction() as session:
        session.delete(_active_link(session, instrument_id, part_id))


def _find_link(session: Session, instrument_id: int, part_id: int) -> InstrumentPart | None:
    return session.scalars(
        select(InstrumentPart).where(
            InstrumentPart.instrument_id == instrument_id, InstrumentPart.part_id == part_id
        )
    ).one_or_none()


def _active_link(session: Session, instrument_id: int, part_id: int) -> InstrumentPart:
    instrument = load_instrument(session, instrument_id)
    part = load(session, part_id)
    link = _find_link(session, instrument_id, part_id)
    if link is None or not link.is_active:
        raise NotFound(f"Part {part.part_number} is not linked to {instrument.name}.")
    return link
