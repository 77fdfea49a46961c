"""Parts: records, lookup and search, and their links to instruments."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from domain import ordering, suppliers
from domain import validation as v
from domain.context import DomainContext
from domain.errors import Ambiguous, Conflict, InvalidInput, NotFound
from domain.instruments import load as load_instrument
from domain.permissions import Action, Actor, require
from domain.results import MovementView, Page, PartDetail, PartMatches, PartUse, PartView
from domain.stock import valid_source
from domain.vocabulary import MovementKind
from persistence import instruments as instrument_rows
from persistence import low_stock, part_cards
from persistence import parts as part_rows
from persistence.db import Session
from persistence.models import InstrumentPart, Part
from persistence.part_suggestions import part_ids_resembling
from persistence.search_text import query_words, word_matches
from persistence.stock import record_movement

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
MAX_SEARCH_LENGTH = 200
SUGGESTIONS = 5


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Every field checked; the errors of all bad fields together."""
    return v.each_field(fields, _clean_field)


def _clean_field(name: str, value: Any) -> Any:
    if name in _TEXT_LIMITS:
        return v.text(
            value,
            field=name,
            max_length=_TEXT_LIMITS[name],
            required=name in _REQUIRED,
            multiline=name in _MULTILINE,
        )
    if name == "minimum_stock_level":
        return v.quantity(value, field=name, allow_zero=True)
    if name in ("is_critical", "is_active"):
        if not isinstance(value, bool):
            raise InvalidInput.field(name, f"{name.replace('_', ' ')} must be true or false.")
        return value
    raise InvalidInput.field(name, f"Parts have no field {name}.")


def _new_part_field(name: str, value: Any) -> Any:
    """A new part's fields are a record's, and its first stock."""
    if name == "quantity_in_stock":
        return v.quantity(value, field=name, allow_zero=True)
    return _clean_field(name, value)


def load(session: Session, part_id: int) -> Part:
    row = part_rows.part_by_id(session, part_id)
    if row is None:
        raise NotFound("Part not found.")
    return row


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
    cleaned = v.each_field(
        {
            "part_number": part_number,
            "name": name,
            "quantity_in_stock": quantity_in_stock,
            "minimum_stock_level": minimum_stock_level,
            "unit_of_measure": fields.pop("unit_of_measure", None) or "pcs",
            **fields,
        },
        _new_part_field,
    )
    del cleaned["quantity_in_stock"]
    source = valid_source(source)
    now = ctx.now()
    with ctx.transaction() as session:
        if part_rows.part_number_taken(session, cleaned["part_number"]):
            raise Conflict(
                f"A part with number {cleaned['part_number']} already exists.", field="part_number"
            )
        for instrument_id in dict.fromkeys(instrument_ids):
            if instrument_rows.instrument_by_id(session, instrument_id) is None:
                raise NotFound(f"Instrument with ID {instrument_id} not found.")
        part = part_rows.add_part(
            session, quantity_in_stock=quantity_in_stock, created_at=now, **cleaned
        )
        for instrument_id in dict.fromkeys(instrument_ids):
            part_rows.add_link(session, instrument_id=instrument_id, part_id=part.id)
        if quantity_in_stock:
            record_movement(
                session,
                part_id=part.id,
                change=quantity_in_stock,
                quantity_after=quantity_in_stock,
                source=source,
                reason="Initial stock",
                actor_id=actor.user_id,
                now=now,
                kind=MovementKind.SET,
            )
            ctx.report_stock_moved(source)
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
        by_number = part_rows.part_by_number(session, ref)
        if by_number is not None:
            return PartView.of(by_number)
        rows = part_rows.active_parts_named(session, ref, limit=11) or (
            part_rows.active_parts_like(session, v.like_pattern(ref), limit=11)
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
    ctx: DomainContext, *, actor: Actor, part_id: int, movements: int = 5, with_orders: bool = False
) -> PartDetail:
    """The part, the instruments that use it (critical first) and its latest movements;
    ``with_orders`` adds what is on order, the offers and the last orders (the Slack card)."""
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        card = part_cards.part_card(session, part_id=part_id, movements=movements)
        if card is None:
            raise NotFound("Part not found.")
        return _detail(session, card, with_orders=with_orders)


def detail_by_number(
    ctx: DomainContext, *, actor: Actor, number: str, movements: int = 5, with_orders: bool = False
) -> PartDetail | None:
    """``part_detail`` of the part with exactly this number (any case), read in one query
    (a few more ``with_orders``); None when no part has that number (look it up by name
    with ``find_part`` then)."""
    require(actor, Action.VIEW)
    number = v.lookup(number, field="part")
    if not number:
        return None
    with ctx.transaction() as session:
        card = part_cards.part_card(session, number=number, movements=movements)
        return None if card is None else _detail(session, card, with_orders=with_orders)


def _detail(session: Session, card: part_cards.PartCard, *, with_orders: bool) -> PartDetail:
    """The card; ``with_orders``: with what is on order, the offers and the last orders."""
    view = PartView.of(card.part)
    if with_orders:
        (view,) = ordering.with_on_order(session, [view])
    uses = tuple(PartUse(part=view, **use) for use in card.uses)
    detail = PartDetail(
        part=view,
        uses=uses,
        recent_movements=tuple(MovementView(**moved) for moved in card.movements),
    )
    if not with_orders:
        return detail
    offers = suppliers.offers_of(session, view.id)
    preferred = next((o for o in offers if o.is_preferred), None)
    history = ordering.history_of(session, view.id, preferred=preferred)
    return replace(detail, offers=offers, orders=history)


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
    wanted = v.lookup(category, field="category") if category else None
    with ctx.transaction() as session:
        rows = part_rows.parts_listed(
            session,
            active_only=active_only,
            category=wanted,
            instrument_id=instrument_id,
            low_only=low_only,
            offset=offset,
            limit=limit + 1,
        )
        items = ordering.with_on_order(session, (PartView.of(r) for r in rows[:limit]))
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)


def search_parts(
    ctx: DomainContext, *, actor: Actor, query: str, offset: int = 0, limit: int = 25
) -> PartMatches:
    """Active parts whose number, name, category or manufacturer hold every word of the
    query, in any order and any case (Unicode case folding: ``persistence.search_text``).

    The query has at least ``MIN_SEARCH_LENGTH`` characters. A word of three characters or
    more may sit anywhere (``ment`` finds "filament"); a word of one or two characters
    must start a word, or a part of one after punctuation (``fi`` finds "filament" and
    "FIL-1002", not "profile"; ``6 mm`` finds "6 mm", not "16 mm"), which the trigram
    index can serve. A part whose number is the whole query comes first; the other matches
    follow in catalogue order (the order the parts were added). At most
    ``SEARCH_MAX_MATCHES`` are answered, the first found, and ``more_than`` then says so:
    see ``persistence.parts.part_ids_matching``, which keeps the work bounded on large
    catalogues.
    """
    require(actor, Action.VIEW)
    offset, limit = v.paging(offset, limit)
    q = v.lookup(query, field="query")
    if len(q) < MIN_SEARCH_LENGTH:
        raise InvalidInput.field(
            "query", f"Search query must be at least {MIN_SEARCH_LENGTH} characters."
        )
    if len(q) > MAX_SEARCH_LENGTH:
        raise InvalidInput.field(
            "query", f"Search query must be at most {MAX_SEARCH_LENGTH} characters."
        )
    words = word_matches(query_words(q))
    with ctx.transaction() as session:
        exact = part_rows.part_by_number(session, q, active_only=True)
        found, more = part_rows.part_ids_matching(
            session, words, exclude=exact.id if exact else None
        )
        ids = ([exact.id] if exact else []) + found
        rows = part_rows.parts_by_ids(session, ids[offset : offset + limit])
        items = ordering.with_on_order(session, (PartView.of(r) for r in rows))
    return PartMatches(
        items=items,
        offset=offset,
        limit=limit,
        has_more=len(ids) > offset + limit,
        more_than=part_rows.SEARCH_MAX_MATCHES if more else None,
    )


def suggest_parts(
    ctx: DomainContext, *, actor: Actor, query: str, limit: int = SUGGESTIONS
) -> tuple[PartView, ...]:
    """Up to ``limit`` active parts for a query that found nothing ("did you mean"): its
    misspelt words replaced by the closest known words (pg_trgm similarity on PostgreSQL,
    ``difflib`` on SQLite, among the words of the most recently added parts: see
    ``persistence.part_suggestions``), then searched. None for a query shorter than three
    characters, or when no close word is known."""
    require(actor, Action.VIEW)
    q = v.lookup(query, field="query")[:MAX_SEARCH_LENGTH]
    with ctx.transaction() as session:
        ids = part_ids_resembling(session, query_words(q), limit=limit)
        return tuple(PartView.of(r) for r in part_rows.parts_by_ids(session, ids))


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
        if number and part_rows.part_number_taken(session, number, except_id=part.id):
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
        part_rows.delete_part(session, part)
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
        link = part_rows.link_between(session, instrument_id, part_id)
        if link is not None and link.is_active:
            raise Conflict(
                f"Part {part.part_number} is already linked to {instrument.name}.", field="part"
            )
        if link is None:
            link = part_rows.add_link(session, instrument_id=instrument_id, part_id=part_id)
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
        part_rows.delete_link(session, _active_link(session, instrument_id, part_id))


def _active_link(session: Session, instrument_id: int, part_id: int) -> InstrumentPart:
    instrument = load_instrument(session, instrument_id)
    part = load(session, part_id)
    link = part_rows.link_between(session, instrument_id, part_id)
    if link is None or not link.is_active:
        raise NotFound(f"Part {part.part_number} is not linked to {instrument.name}.")
    return link


# The field rules of a part's record, for imports that check many rows before writing.
clean_part_fields = _clean
