"""Reorder requests: what to ask for, asking, and reading requests and what is on order.

The steps after a request (approve, reject, edit, order, receive, cancel) are in
``domain.order_steps``. A part has at most one request under way (requested, approved or
ordered): a second request joins the first, adding its note, as the database itself
insists (``uq_purchase_requests_open_part``), so two people asking at once make one
request, not two.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from statistics import mean
from typing import Literal

from domain import validation as v
from domain.context import DomainContext
from domain.errors import InvalidInput, NotFound
from domain.money import money
from domain.order_results import (
    OfferView,
    OnOrder,
    OrderDetail,
    OrderEventView,
    OrderView,
    PartOrderHistory,
    ReorderSuggestion,
    RequestOutcome,
)
from domain.permissions import Action, Actor, require
from domain.results import Page, PartView
from domain.suppliers import active_supplier
from domain.vocabulary import OPEN_ORDER_STATES, OrderEventKind, OrderState, OrderUrgency
from persistence import alerts as alert_store
from persistence import orders as store
from persistence import suppliers as supplier_store
from persistence.db import Session
from persistence.models import Part, PurchaseRequest
from persistence.parts import part_by_id

MAX_NOTE = 2000
LEAD_TIME_ORDERS = 5  # received orders the observed lead time is averaged over


def order_view(session: Session, order_id: int) -> OrderView:
    row = store.order_named(session, order_id)
    if row is None:
        raise NotFound("Order not found.")
    order, part, requester, supplier, decider = row
    return _view(order, part, requester, supplier, decider)


def _view(
    order: PurchaseRequest,
    part: Part,
    requester: str | None,
    supplier: str | None,
    decider: str | None,
) -> OrderView:
    return OrderView(
        id=order.id,
        part=PartView.of(part),
        state=OrderState(order.state),
        quantity=order.quantity,
        quantity_received=order.quantity_received,
        urgency=order.urgency,
        note=order.note,
        requested_by=requester,
        requested_by_id=order.requested_by_id,
        created_at=order.created_at,
        updated_at=order.updated_at,
        supplier_id=order.supplier_id,
        supplier_name=supplier,
        price=money(order.unit_price_minor, order.currency),
        pack_size=order.pack_size,
        decided_by=decider,
        decided_at=order.decided_at,
        reason=order.reason,
        order_number=order.order_number,
        ordered_at=order.ordered_at,
        expected_on=order.expected_on,
        received_at=order.received_at,
        version=order.version,
    )


def suggested_quantity(part: PartView, offer: OfferView | None) -> int:
    """How much to ask for (``refill_quantity`` of the part and its preferred offer)."""
    return refill_quantity(
        stock=part.quantity_in_stock,
        minimum=part.minimum_stock_level,
        reorder_quantity=part.reorder_quantity,
        target_stock=part.target_stock,
        pack_size=offer.pack_size if offer else None,
        minimum_order=offer.minimum_order if offer else None,
    )


def refill_quantity(
    *,
    stock: int,
    minimum: int,
    reorder_quantity: int | None,
    target_stock: int | None,
    pack_size: int | None,
    minimum_order: int | None,
) -> int:
    """Enough to refill to the target level, else the reorder quantity, else twice the
    minimum less what is in stock (at least 1); then rounded up to whole packs and to the
    offer's minimum order (in packs)."""
    if target_stock is not None:
        wanted = target_stock - stock
    elif reorder_quantity is not None:
        wanted = reorder_quantity
    else:
        wanted = 2 * minimum - stock
    wanted = max(wanted, 1)
    if pack_size is None:
        return min(wanted, v.MAX_QUANTITY)
    packs = max(-(-wanted // pack_size), minimum_order or 1)
    return min(packs * pack_size, v.MAX_QUANTITY)


def _preferred(session: Session, part_id: int) -> OfferView | None:
    found = supplier_store.preferred_offers(session, [part_id]).get(part_id)
    return OfferView.of(*found) if found else None


def _part(session: Session, part_id: int) -> Part:
    part = part_by_id(session, part_id)
    if part is None:
        raise NotFound("Part not found.")
    return part


def suggest_reorder(ctx: DomainContext, *, actor: Actor, part_id: int) -> ReorderSuggestion:
    require(actor, Action.REQUEST_REORDER)
    with ctx.transaction() as session:
        part = PartView.of(_part(session, part_id))
        offer = _preferred(session, part_id)
        open_row = store.open_order_of_part(session, part_id)
        open_order = order_view(session, open_row.id) if open_row else None
    return ReorderSuggestion(
        part=part, quantity=suggested_quantity(part, offer), offer=offer, open_order=open_order
    )


def urgency(value: object) -> str:
    if value is None:
        return OrderUrgency.NORMAL.value
    try:
        return OrderUrgency(str(value)).value
    except ValueError:
        choices = ", ".join(u.value for u in OrderUrgency)
        raise InvalidInput.field("urgency", f"Urgency must be one of {choices}.") from None


def signed_note(actor: Actor, note: str | None, earlier: str | None) -> str | None:
    """The notes so far, with ``note`` added as a line of its own, signed."""
    if not note:
        return earlier
    line = f"{actor.username}: {note}"
    return f"{earlier}\n{line}" if earlier else line


def request_reorder(
    ctx: DomainContext,
    *,
    actor: Actor,
    part_id: int,
    quantity: int | None = None,
    note: str | None = None,
    urgency_level: str | None = None,
    supplier_id: int | None = None,
) -> RequestOutcome:
    """Ask for more of a part (the suggested quantity unless one is given). When the part
    has a request under way already, this one joins it: its note is added and nothing else
    changes (``joined``)."""
    require(actor, Action.REQUEST_REORDER)
    fields = v.each_field(
        {"quantity": quantity, "note": note, "urgency": urgency_level},
        lambda name, value: (
            (None if value is None else v.quantity(value))
            if name == "quantity"
            else urgency(value)
            if name == "urgency"
            else v.text(value, field="note", max_length=MAX_NOTE, required=False, multiline=True)
        ),
    )
    now = ctx.now()
    with ctx.transaction() as session:
        part = _part(session, part_id)
        if not part.is_active:
            raise InvalidInput.field(
                "part", f"{part.part_number} is deactivated: it cannot be reordered."
            )
        supplier = active_supplier(session, supplier_id) if supplier_id is not None else None
        joined = _join_open(session, ctx, actor=actor, part_id=part_id, note=fields["note"])
        if joined is not None:
            return RequestOutcome(order=order_view(session, joined), joined=True)
        offer = _preferred(session, part_id)
        if offer is not None and not offer.supplier_active:
            offer = None
        chosen = offer if supplier is None or (offer and offer.supplier_id == supplier.id) else None
        row = PurchaseRequest(
            part_id=part_id,
            state=OrderState.REQUESTED.value,
            quantity=fields["quantity"] or suggested_quantity(PartView.of(part), offer),
            urgency=fields["urgency"],
            note=signed_note(actor, fields["note"], None),
            requested_by_id=actor.user_id,
            created_at=now,
            supplier_id=supplier.id if supplier else (chosen.supplier_id if chosen else None),
            unit_price_minor=chosen.price.minor if chosen and chosen.price else None,
            currency=chosen.currency if chosen and chosen.price else None,
            pack_size=chosen.pack_size if chosen else 1,
            quantity_received=0,
            version=1,
            shown_version=0,
            post_attempt=0,
            post_failures=0,
            dm_failures=0,
        )
        if not store.insert_request(session, row):  # another request won the race: join it
            joined = _join_open(session, ctx, actor=actor, part_id=part_id, note=fields["note"])
            if joined is None:
                raise NotFound("Part not found.")
            return RequestOutcome(order=order_view(session, joined), joined=True)
        alert_store.show_again(session, part_id)  # its alert message shows the request
        store.add_event(
            session,
            request_id=row.id,
            kind=OrderEventKind.REQUESTED,
            actor_id=actor.user_id,
            now=now,
            quantity=row.quantity,
            note=fields["note"],
        )
        session.flush()
        return RequestOutcome(order=order_view(session, row.id), joined=False)


def _join_open(
    session: Session, ctx: DomainContext, *, actor: Actor, part_id: int, note: str | None
) -> int | None:
    """Add the note to the part's open request (its message shows it); its id, or None."""
    row = store.open_order_of_part(session, part_id, lock=True)
    if row is None:
        return None
    row.note = signed_note(actor, note, row.note)
    row.version += 1
    row.updated_at = ctx.now()
    store.add_event(
        session,
        request_id=row.id,
        kind=OrderEventKind.JOINED,
        actor_id=actor.user_id,
        now=ctx.now(),
        note=note,
    )
    session.flush()
    return row.id


def _states(states: str | Collection[str] | None) -> tuple[str, ...]:
    if states is None:
        return ()
    if states == "open":
        return tuple(s.value for s in OPEN_ORDER_STATES)
    wanted = (states,) if isinstance(states, str) else tuple(states)
    for state in wanted:
        if state not in tuple(OrderState):
            choices = ", ".join(s.value for s in OrderState)
            raise InvalidInput.field("state", f"State must be one of {choices}, or open.")
    return wanted


def list_orders(
    ctx: DomainContext,
    *,
    actor: Actor,
    states: str | Collection[str] | None = None,
    part_id: int | None = None,
    offset: int = 0,
    limit: int = 25,
) -> Page[OrderView]:
    """Requests, newest first: of the states given (``"open"``: every state under way)."""
    require(actor, Action.VIEW)
    wanted = _states(states)
    offset, limit = v.paging(offset, limit)
    with ctx.transaction() as session:
        rows = store.orders_listed(
            session, states=wanted, part_id=part_id, offset=offset, limit=limit + 1
        )
        items = tuple(_view(*row) for row in rows[:limit])
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)


def get_order(ctx: DomainContext, *, actor: Actor, order_id: int) -> OrderDetail:
    """The request and its timeline (requested, approved, ordered, received: who, when)."""
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        return order_detail(session, order_id)


def order_detail(session: Session, order_id: int) -> OrderDetail:
    """The request and its timeline, read in the caller's transaction."""
    order = order_view(session, order_id)
    events = tuple(
        OrderEventView(
            kind=event.kind,
            actor=username,
            quantity=event.quantity,
            note=event.note,
            at=event.created_at,
        )
        for event, username in store.events_of(session, order_id)
    )
    return OrderDetail(order=order, events=events)


def part_order_history(
    ctx: DomainContext, *, actor: Actor, part_id: int, limit: int = 5
) -> PartOrderHistory:
    """The part's last requests, and the lead time its received orders actually took."""
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        _part(session, part_id)
        return history_of(session, part_id, limit=limit)


def history_of(
    session: Session,
    part_id: int,
    *,
    limit: int = 5,
    preferred: OfferView | Literal["read"] | None = "read",
) -> PartOrderHistory:
    """For other services' reads in their own transaction: ``part_order_history``
    (``preferred``: the part's preferred offer when the caller has read it already)."""
    rows = store.orders_listed(session, states=(), part_id=part_id, offset=0, limit=limit)
    lead_times = store.received_lead_times(session, part_id, limit=LEAD_TIME_ORDERS)
    offer = _preferred(session, part_id) if preferred == "read" else preferred
    return PartOrderHistory(
        orders=tuple(_view(*row) for row in rows),
        observed_lead_days=round(mean(lead_times), 1) if lead_times else None,
        observed_from=len(lead_times),
        offer_lead_days=offer.lead_time_days if offer else None,
    )


def on_order_of(session: Session, part_ids: Sequence[int]) -> dict[int, OnOrder]:
    """For other services' reads in their own transaction: each part's request under way."""
    return {
        part_id: OnOrder(
            order_id=row.id,
            state=OrderState(row.state),
            quantity=max(row.quantity - row.quantity_received, 0),
            expected_on=row.expected_on,
        )
        for part_id, row in store.on_order(session, part_ids).items()
    }


def with_on_order(session: Session, views: Iterable[PartView]) -> tuple[PartView, ...]:
    """The parts with what is on order for each (``PartView.on_order``): one query."""
    views = tuple(views)
    coming = on_order_of(session, [view.id for view in views])
    return tuple(
        replace(view, on_order=coming[view.id]) if view.id in coming else view for view in views
    )


def on_order(ctx: DomainContext, *, actor: Actor, part_ids: Sequence[int]) -> dict[int, OnOrder]:
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        return on_order_of(session, part_ids)
