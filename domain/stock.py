"""Stock moves: take, restock, count. Each is one transaction with exactly one ledger row."""

from __future__ import annotations

from dataclasses import replace

from domain import validation as v
from domain.context import DomainContext
from domain.errors import InsufficientStock, InvalidInput, NotFound
from domain.permissions import Action, Actor, require
from domain.results import MovementView, Page, PartView, StockChange
from domain.vocabulary import MovementKind, MovementSource
from persistence import low_stock
from persistence.db import Session
from persistence.instruments import instrument_by_id
from persistence.models import Part, StockMovement
from persistence.parts import part_by_id
from persistence.stock import (
    apply_delta,
    lock_part,
    move_by_number,
    movements_of_part,
    record_movement,
)


def valid_source(source: str) -> MovementSource:
    try:
        return MovementSource(source)
    except ValueError:
        choices = ", ".join(s.value for s in MovementSource)
        raise InvalidInput.field("source", f"Source must be one of {choices}.") from None


def _record(
    session: Session,
    ctx: DomainContext,
    *,
    actor: Actor,
    part: Part,
    delta: int,
    reason: str | None,
    source: str,
    instrument_id: int | None,
    kind: MovementKind | None = None,
) -> StockChange:
    """Write the ledger row, then open or resolve the part's low-stock alert, in one go;
    the movement is a take or a restock unless ``kind`` says otherwise."""
    movement = record_movement(
        session,
        part_id=part.id,
        change=delta,
        quantity_after=part.quantity_in_stock,
        source=source,
        reason=reason,
        actor_id=actor.user_id,
        now=ctx.now(),
        kind=kind or (MovementKind.TAKE if delta < 0 else MovementKind.RESTOCK),
        instrument_id=instrument_id,
    )
    return _settled(session, ctx, actor=actor, part=part, movement=movement)


def _settled(
    session: Session, ctx: DomainContext, *, actor: Actor, part: Part, movement: StockMovement
) -> StockChange:
    """After a recorded change: open or resolve the part's low-stock alert (a statement
    only when the stock is at or below its minimum, or was restocked)."""
    now, delta, instrument_id = ctx.now(), movement.delta, movement.instrument_id
    part_id, quantity_after, minimum = part.id, part.quantity_in_stock, part.minimum_stock_level
    ctx.report_stock_moved(movement.source)
    opened = resolved = False
    if minimum > 0 and quantity_after <= minimum:
        opened = low_stock.open_low_stock_alerts(session, now=now, part_id=part_id) > 0
    elif delta > 0:
        resolved = (
            low_stock.resolve_stale_low_stock_alerts(
                session, now=now, part_id=part_id, resolved_by_id=actor.user_id
            )
            > 0
        )
    session.flush()
    instrument = instrument_by_id(session, instrument_id) if instrument_id else None
    return StockChange(
        part=PartView.of(part),
        movement=_movement_view(
            movement,
            actor.username if actor.user_id else None,
            instrument.name if instrument else None,
        ),
        alert_opened=opened,
        alert_resolved=resolved,
    )


def _movement_view(
    row: StockMovement, actor_username: str | None, instrument_name: str | None
) -> MovementView:
    return MovementView(
        id=row.id,
        part_id=row.part_id,
        delta=row.delta,
        quantity_after=row.quantity_after,
        reason=row.reason,
        actor_id=row.actor_id,
        actor_username=actor_username,
        source=row.source,
        instrument_id=row.instrument_id,
        instrument_name=instrument_name,
        created_at=row.created_at,
    )


def adjust_stock(
    ctx: DomainContext,
    *,
    actor: Actor,
    part_id: int,
    delta: int,
    reason: str | None,
    source: str,
    instrument_id: int | None = None,
) -> StockChange:
    """Take (negative delta) or restock (positive); never below zero."""
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise InvalidInput.field("quantity", "Quantity must be a whole number other than 0.")
    v.quantity(abs(delta))
    require(actor, Action.USE_STOCK if delta < 0 else Action.RESTOCK)
    reason = v.text(reason, field="reason", max_length=500, required=False, multiline=True)
    source = valid_source(source)
    with ctx.transaction() as session:
        if instrument_id is not None and instrument_by_id(session, instrument_id) is None:
            raise NotFound("Instrument not found.")
        row = apply_delta(session, part_id=part_id, delta=delta, now=ctx.now())
        if row is None:
            part = part_by_id(session, part_id)
            if part is None:
                raise NotFound("Part not found.")
            raise InsufficientStock(
                part_number=part.part_number,
                available=part.quantity_in_stock,
                requested=-delta,
                unit=part.unit_of_measure,
            )
        return _record(
            session,
            ctx,
            actor=actor,
            part=row,
            delta=delta,
            reason=reason,
            source=source,
            instrument_id=instrument_id,
        )


def restock_for_order(
    session: Session,
    ctx: DomainContext,
    *,
    actor: Actor,
    part_id: int,
    quantity: int,
    reason: str,
) -> StockChange:
    """A receipt of an order (``domain.ordering``), in the caller's transaction: the
    restock's ledger row has source ``order`` and a reason naming the order."""
    row = apply_delta(session, part_id=part_id, delta=quantity, now=ctx.now())
    if row is None:
        raise NotFound("Part not found.")
    return _record(
        session,
        ctx,
        actor=actor,
        part=row,
        delta=quantity,
        reason=reason,
        source=MovementSource.ORDER,
        instrument_id=None,
        kind=MovementKind.RECEIPT,
    )


def adjust_stock_by_number(
    ctx: DomainContext,
    *,
    actor: Actor,
    part_number: str,
    delta: int,
    reason: str | None,
    source: str,
    instrument_id: int | None = None,
) -> StockChange | None:
    """``adjust_stock`` of the part with exactly this number (any case), in one statement
    where the database allows; None, with nothing changed, when no part has that number or
    there is not enough of it (``find_part`` and ``adjust_stock`` then say which)."""
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise InvalidInput.field("quantity", "Quantity must be a whole number other than 0.")
    v.quantity(abs(delta))
    require(actor, Action.USE_STOCK if delta < 0 else Action.RESTOCK)
    number = v.lookup(part_number, field="part")
    reason = v.text(reason, field="reason", max_length=500, required=False, multiline=True)
    source = valid_source(source)
    if not number:
        return None
    with ctx.transaction() as session:
        if instrument_id is not None and instrument_by_id(session, instrument_id) is None:
            raise NotFound("Instrument not found.")
        moved = move_by_number(
            session,
            number=number,
            delta=delta,
            source=source,
            reason=reason,
            actor_id=actor.user_id,
            now=ctx.now(),
            instrument_id=instrument_id,
        )
        if moved is None:
            return None
        part, movement = moved
        return _settled(session, ctx, actor=actor, part=part, movement=movement)


def count_stock(
    ctx: DomainContext,
    *,
    actor: Actor,
    part_id: int,
    quantity: int,
    reason: str | None = None,
    source: str,
) -> StockChange:
    """A stocktake: set the absolute quantity and record the difference in the ledger."""
    v.quantity(quantity, allow_zero=True)
    require(actor, Action.COUNT_STOCK)
    reason = (
        v.text(reason, field="reason", max_length=500, required=False, multiline=True)
        or "Stock count"
    )
    source = valid_source(source)
    with ctx.transaction() as session:
        part = lock_part(session, part_id)
        if part is None:
            raise NotFound("Part not found.")
        delta = quantity - part.quantity_in_stock
        part.quantity_in_stock = quantity
        part.updated_at = ctx.now()
        session.flush()
        change = _record(
            session,
            ctx,
            actor=actor,
            part=part,
            delta=delta,
            reason=reason,
            source=source,
            instrument_id=None,
            kind=MovementKind.COUNT,
        )
        return replace(change, counted=True)


def part_history(
    ctx: DomainContext, *, actor: Actor, part_id: int, offset: int = 0, limit: int = 20
) -> Page[MovementView]:
    """The part's ledger, newest first."""
    require(actor, Action.VIEW)
    offset, limit = v.paging(offset, limit)
    with ctx.transaction() as session:
        if part_by_id(session, part_id) is None:
            raise NotFound("Part not found.")
        rows = movements_of_part(session, part_id, offset=offset, limit=limit + 1)
        items = tuple(_movement_view(m, username, name) for m, username, name in rows[:limit])
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)
