"""What managers do with a reorder request, each step one transaction on the locked row:

requested -> approved | rejected; approved -> ordered | cancelled;
ordered -> received (one or more receipts) | cancelled.

Any other step is refused with a message naming the request's state now, so of two
managers pressing Approve and Reject at once exactly one wins (the row lock orders them;
the second finds the state changed). Every step adds to the request's timeline and bumps
its ``version`` (its purchasing-channel message is then updated); an approval or rejection
also queues the requester's DM (``dm_due``). A receipt restocks the part in the same
transaction (a ledger row of source ``order``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain import money
from domain import validation as v
from domain.context import DomainContext
from domain.errors import ConfirmationNeeded, Conflict, Forbidden, InvalidInput, NotFound
from domain.order_results import OrderView, Receipt
from domain.ordering import MAX_NOTE, order_view, signed_note, urgency
from domain.permissions import Action, Actor, require
from domain.stock import restock_for_order
from domain.suppliers import active_supplier
from domain.vocabulary import OrderEventKind, OrderState
from persistence import alerts as alert_store
from persistence import orders as store
from persistence import suppliers as supplier_store
from persistence.db import Session
from persistence.models import PurchaseRequest

MAX_EXPECTED_AHEAD = timedelta(days=366)
_STEP_WORDS = {
    "approve": "approved",
    "reject": "rejected",
    "edit": "changed",
    "order": "marked ordered",
    "receive": "received",
    "cancel": "cancelled",
}


def _locked(session: Session, order_id: int, step: str, *allowed: OrderState) -> PurchaseRequest:
    row = store.lock_order(session, order_id)
    if row is None:
        raise NotFound("Order not found.")
    if row.state not in allowed:
        raise Conflict(
            f"Order #{row.id} is {row.state} now: it cannot be {_STEP_WORDS[step]}.",
            field="state",
        )
    return row


def _changed(
    session: Session,
    ctx: DomainContext,
    row: PurchaseRequest,
    actor: Actor,
    kind: OrderEventKind,
    *,
    quantity: int | None = None,
    note: str | None = None,
) -> OrderView:
    row.version += 1
    row.updated_at = ctx.now()
    alert_store.show_again(session, row.part_id)  # its alert message shows the request too
    store.add_event(
        session,
        request_id=row.id,
        kind=kind,
        actor_id=actor.user_id,
        now=ctx.now(),
        quantity=quantity,
        note=note,
    )
    session.flush()
    return order_view(session, row.id)


def _note(value: Any, *, field: str = "note", required: bool = False) -> str | None:
    return v.text(value, field=field, max_length=MAX_NOTE, required=required, multiline=True)


def approve_order(
    ctx: DomainContext, *, actor: Actor, order_id: int, note: str | None = None
) -> OrderView:
    require(actor, Action.MANAGE_ORDERS)
    note = _note(note)
    with ctx.transaction() as session:
        row = _locked(session, order_id, "approve", OrderState.REQUESTED)
        if ctx.four_eyes and actor.user_id is not None and row.requested_by_id == actor.user_id:
            raise Forbidden(
                "You requested this reorder: another manager must approve it "
                "(four-eyes approval is on)."
            )
        row.state = OrderState.APPROVED.value
        row.decided_by_id, row.decided_at = actor.user_id, ctx.now()
        row.dm_due = OrderState.APPROVED.value
        return _changed(session, ctx, row, actor, OrderEventKind.APPROVED, note=note)


def reject_order(ctx: DomainContext, *, actor: Actor, order_id: int, reason: str) -> OrderView:
    require(actor, Action.MANAGE_ORDERS)
    reason_text = _note(reason, field="reason", required=True)
    with ctx.transaction() as session:
        row = _locked(session, order_id, "reject", OrderState.REQUESTED)
        row.state = OrderState.REJECTED.value
        row.decided_by_id, row.decided_at = actor.user_id, ctx.now()
        row.reason = reason_text
        row.dm_due = OrderState.REJECTED.value
        return _changed(session, ctx, row, actor, OrderEventKind.REJECTED, note=reason_text)


def _supplier_terms(session: Session, row: PurchaseRequest, supplier_id: int) -> None:
    """Order from this supplier: its offer's pack size and price, when it has one."""
    active_supplier(session, supplier_id)
    row.supplier_id = supplier_id
    offer = supplier_store.offer_of(session, row.part_id, supplier_id)
    row.pack_size = offer.pack_size if offer else 1
    row.unit_price_minor = offer.unit_price_minor if offer else None
    row.currency = offer.currency if offer and offer.unit_price_minor is not None else None


def edit_order(
    ctx: DomainContext,
    *,
    actor: Actor,
    order_id: int,
    quantity: int | None = None,
    supplier_id: int | None = None,
    urgency_level: str | None = None,
    note: str | None = None,
) -> OrderView:
    """Change a request before it is ordered: quantity, supplier, urgency; a note is added."""
    require(actor, Action.MANAGE_ORDERS)
    fields = v.each_field(
        {"quantity": quantity, "urgency": urgency_level, "note": note},
        lambda name, value: (
            None
            if value is None
            else v.quantity(value)
            if name == "quantity"
            else urgency(value)
            if name == "urgency"
            else _note(value)
        ),
    )
    with ctx.transaction() as session:
        row = _locked(session, order_id, "edit", OrderState.REQUESTED, OrderState.APPROVED)
        said = []
        if fields["quantity"] is not None and fields["quantity"] != row.quantity:
            said.append(f"quantity {row.quantity} -> {fields['quantity']}")
            row.quantity = fields["quantity"]
        if supplier_id is not None and supplier_id != row.supplier_id:
            _supplier_terms(session, row, supplier_id)
            said.append("supplier changed")
        if fields["urgency"] is not None and fields["urgency"] != row.urgency:
            said.append(f"urgency {fields['urgency']}")
            row.urgency = fields["urgency"]
        row.note = signed_note(actor, fields["note"], row.note)
        if not said and not fields["note"]:
            raise InvalidInput("Nothing to change: give a new quantity, supplier, urgency or note.")
        summary = "; ".join(said + ([fields["note"]] if fields["note"] else []))
        return _changed(
            session, ctx, row, actor, OrderEventKind.EDITED, quantity=row.quantity, note=summary
        )


def _expected(value: Any, today: date) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        raise InvalidInput.field("expected_on", "Expected date must be a date.")
    if value < today:
        raise InvalidInput.field("expected_on", "Expected date cannot be in the past.")
    if value - today > MAX_EXPECTED_AHEAD:
        raise InvalidInput.field("expected_on", "Expected date must be within a year.")
    return value


def mark_ordered(
    ctx: DomainContext,
    *,
    actor: Actor,
    order_id: int,
    order_number: str,
    supplier_id: int | None = None,
    expected_on: date | None = None,
    unit_price: Any = None,
    currency: str | None = None,
    quantity: int | None = None,
) -> OrderView:
    """The approved request was ordered: its order (PO) number, supplier (the planned one
    unless another is named), expected date, price per pack and quantity as ordered."""
    require(actor, Action.MANAGE_ORDERS)
    today = ctx.now().date()
    fields = v.each_field(
        {
            "order_number": order_number,
            "expected_on": expected_on,
            "quantity": quantity,
            "currency": currency,
        },
        lambda name, value: (
            v.required_text(value, field=name, max_length=100)
            if name == "order_number"
            else _expected(value, today)
            if name == "expected_on"
            else (None if value is None else v.quantity(value))
            if name == "quantity"
            else (None if value in (None, "") else money.currency(value))
        ),
    )
    with ctx.transaction() as session:
        row = _locked(session, order_id, "order", OrderState.APPROVED)
        chosen = supplier_id if supplier_id is not None else row.supplier_id
        if chosen is None:
            raise InvalidInput.field("supplier", "Pick the supplier it was ordered from.")
        _supplier_terms(session, row, chosen)
        if unit_price not in (None, ""):
            code = fields["currency"] or row.currency or ctx.currency
            row.unit_price_minor = money.to_minor(unit_price, code)
            row.currency = code
        row.order_number = fields["order_number"]
        row.expected_on = fields["expected_on"]
        if fields["quantity"] is not None:
            row.quantity = fields["quantity"]
        row.state = OrderState.ORDERED.value
        row.ordered_at = ctx.now()
        return _changed(
            session,
            ctx,
            row,
            actor,
            OrderEventKind.ORDERED,
            quantity=row.quantity,
            note=row.order_number,
        )


def receive_order(
    ctx: DomainContext,
    *,
    actor: Actor,
    order_id: int,
    quantity: int,
    confirm_over: bool = False,
    note: str | None = None,
) -> Receipt:
    """Book a receipt (the whole order or part of it): the part is restocked by it in the
    same transaction; the order is received once all of it has come. More than is still to
    come is refused unless ``confirm_over``."""
    require(actor, Action.MANAGE_ORDERS)
    fields = v.each_field(
        {"quantity": quantity, "note": note},
        lambda name, value: v.quantity(value) if name == "quantity" else _note(value),
    )
    received = fields["quantity"]
    with ctx.transaction() as session:
        row = _locked(session, order_id, "receive", OrderState.ORDERED)
        outstanding = row.quantity - row.quantity_received
        if received > outstanding and not confirm_over:
            raise ConfirmationNeeded(
                f"{received} is more than the {outstanding} still to come of order "
                f"#{row.id}: confirm to receive it anyway.",
                errors={
                    "quantity": f"More than the {outstanding} still to come: confirm to "
                    "receive it anyway."
                },
            )
        label = f"Order #{row.id}" + (f" ({row.order_number})" if row.order_number else "")
        change = restock_for_order(
            session,
            ctx,
            actor=actor,
            part_id=row.part_id,
            quantity=received,
            reason=f"{label} received",
        )
        row.quantity_received += received
        if row.quantity_received >= row.quantity:
            row.state = OrderState.RECEIVED.value
            row.received_at = ctx.now()
        order = _changed(
            session,
            ctx,
            row,
            actor,
            OrderEventKind.RECEIVED,
            quantity=received,
            note=fields["note"],
        )
        return Receipt(
            order=order,
            part=change.part,
            quantity=received,
            alert_resolved=change.alert_resolved,
        )


def cancel_order(ctx: DomainContext, *, actor: Actor, order_id: int, reason: str) -> OrderView:
    """Give up an approved or ordered request (what was received of it stays in stock)."""
    require(actor, Action.MANAGE_ORDERS)
    reason_text = _note(reason, field="reason", required=True)
    with ctx.transaction() as session:
        row = _locked(session, order_id, "cancel", OrderState.APPROVED, OrderState.ORDERED)
        row.state = OrderState.CANCELLED.value
        row.reason = reason_text
        return _changed(session, ctx, row, actor, OrderEventKind.CANCELLED, note=reason_text)
