"""Parts together with the instruments that use them, as lists and detail pages show them.

Each service here answers with ``PartListing``s: the part and its active links. The links
of a whole page of parts are read in one query. Changes go through the usual services
(``parts``, ``stock``); ``edit_part`` changes a record and its counted stock at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from domain import parts, stock
from domain import validation as v
from domain.context import DomainContext
from domain.errors import Conflict, NotFound
from domain.permissions import Action, Actor, require
from domain.results import Page, PartListing, PartUse, PartView
from domain.vocabulary import MovementKind
from persistence import low_stock
from persistence.db import Session
from persistence.parts import active_use_columns_of_parts, part_number_taken
from persistence.stock import lock_part, record_movement


def uses_by_part(session: Session, views: Iterable[PartView]) -> dict[int, tuple[PartUse, ...]]:
    """The active links of the given parts, critical ones first, then by instrument name.

    One query of plain columns (no ORM objects): the parts themselves are already known.
    """
    by_id = {view.id: view for view in views}
    if not by_id:
        return {}
    rows = active_use_columns_of_parts(session, list(by_id))
    found: dict[int, list[PartUse]] = {}
    for link_id, part_id, qty, critical, active, iid, name, model, location, status in rows:
        found.setdefault(part_id, []).append(
            PartUse(
                link_id=link_id,
                instrument_id=iid,
                instrument_name=name,
                instrument_model=model,
                instrument_location=location,
                instrument_status=status,
                part=by_id[part_id],
                quantity_required=qty,
                is_critical=critical,
                is_active=active,
            )
        )
    return {part_id: tuple(uses) for part_id, uses in found.items()}


def _listed(ctx: DomainContext, views: Sequence[PartView]) -> tuple[PartListing, ...]:
    if not views:
        return ()
    with ctx.transaction() as session:
        uses = uses_by_part(session, views)
    return tuple(PartListing(part=view, uses=uses.get(view.id, ())) for view in views)


def _listed_page(ctx: DomainContext, page: Page[PartView]) -> Page[PartListing]:
    return Page(
        items=_listed(ctx, page.items), offset=page.offset, limit=page.limit, has_more=page.has_more
    )


def list_parts_with_uses(
    ctx: DomainContext,
    *,
    actor: Actor,
    instrument_id: int | None = None,
    low_only: bool = False,
    offset: int = 0,
    limit: int = 1000,
) -> Page[PartListing]:
    """Active parts by number (``list_parts``), each with its instruments."""
    page = parts.list_parts(
        ctx,
        actor=actor,
        instrument_id=instrument_id,
        low_only=low_only,
        offset=offset,
        limit=limit,
    )
    return _listed_page(ctx, page)


def search_parts_with_uses(
    ctx: DomainContext, *, actor: Actor, query: str, offset: int = 0, limit: int = 200
) -> Page[PartListing]:
    """``search_parts``, each match with its instruments."""
    page = parts.search_parts(ctx, actor=actor, query=query, offset=offset, limit=limit)
    return _listed_page(ctx, page)


def get_part_with_uses(ctx: DomainContext, *, actor: Actor, part_id: int) -> PartListing:
    return _listed(ctx, [parts.get_part(ctx, actor=actor, part_id=part_id)])[0]


def create_part_with_uses(ctx: DomainContext, *, actor: Actor, **fields: Any) -> PartListing:
    """``create_part``, answered with the new part's instruments."""
    return _listed(ctx, [parts.create_part(ctx, actor=actor, **fields)])[0]


def adjust_stock_with_uses(
    ctx: DomainContext, *, actor: Actor, part_id: int, delta: int, reason: str | None, source: str
) -> PartListing:
    """``adjust_stock`` (take or restock), answered with the part and its instruments."""
    change = stock.adjust_stock(
        ctx, actor=actor, part_id=part_id, delta=delta, reason=reason, source=source
    )
    return _listed(ctx, [change.part])[0]


def link_part_with_uses(
    ctx: DomainContext,
    *,
    actor: Actor,
    part_id: int,
    instrument_id: int,
    quantity_required: int = 1,
    is_critical: bool = False,
) -> PartListing:
    """``link_part``, answered with the part and all its instruments."""
    use = parts.link_part(
        ctx,
        actor=actor,
        instrument_id=instrument_id,
        part_id=part_id,
        quantity_required=quantity_required,
        is_critical=is_critical,
    )
    return _listed(ctx, [use.part])[0]


def edit_part(
    ctx: DomainContext,
    *,
    actor: Actor,
    part_id: int,
    source: str,
    quantity_in_stock: int | None = None,
    reason: str | None = None,
    **changes: Any,
) -> PartListing:
    """Change a part's record and set its counted stock, in one transaction.

    ``changes`` are the record fields ``update_part`` takes. A ``quantity_in_stock`` that
    differs from the stock is a stocktake, written to the ledger as ``count_stock`` does;
    an equal one writes nothing. Low-stock alerts are then opened or resolved to match.
    """
    require(actor, Action.MANAGE_PARTS)
    cleaned = parts._clean(changes)
    if quantity_in_stock is not None:
        v.quantity(quantity_in_stock, field="quantity_in_stock", allow_zero=True)
        require(actor, Action.COUNT_STOCK)
    reason = (
        v.text(reason, field="reason", max_length=500, required=False, multiline=True)
        or "Stock count"
    )
    source = stock.valid_source(source)
    now = ctx.now()
    with ctx.transaction() as session:
        part = lock_part(session, part_id)
        if part is None:
            raise NotFound("Part not found.")
        number = cleaned.get("part_number")
        if number and part_number_taken(session, number, except_id=part.id):
            raise Conflict(f"A part with number {number} already exists.", field="part_number")
        for name, value in cleaned.items():
            setattr(part, name, value)
        part.updated_at = now
        delta = 0 if quantity_in_stock is None else quantity_in_stock - part.quantity_in_stock
        if delta:
            part.quantity_in_stock += delta
            record_movement(
                session,
                part_id=part.id,
                change=delta,
                quantity_after=part.quantity_in_stock,
                source=source,
                reason=reason,
                actor_id=actor.user_id,
                now=now,
                kind=MovementKind.SET,
            )
            ctx.report_stock_moved(source)
        session.flush()
        low_stock.open_low_stock_alerts(session, now=now, part_id=part.id)
        low_stock.resolve_stale_low_stock_alerts(
            session, now=now, part_id=part.id, resolved_by_id=actor.user_id
        )
        view = PartView.of(part)
        return PartListing(part=view, uses=uses_by_part(session, [view]).get(part.id, ()))
