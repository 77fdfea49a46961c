"""Reorder requests as people ask for them: the on-order line, the Request reorder modal,
what a request did, ``/farlab orders`` and an order's timeline.

The purchasing channel's messages and their buttons are built elsewhere.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import (
    Block,
    Message,
    button,
    context,
    header,
    message,
    section,
    within,
)
from bot.blocks.inputs import modal, number_input, select_input, text_input
from bot.blocks.text import MESSAGE_MAX_BLOCKS
from bot.ids import ActionId, BlockId, CallbackId
from domain.order_results import (
    OfferView,
    OnOrder,
    OrderDetail,
    OrderView,
    ReorderSuggestion,
    RequestOutcome,
)
from domain.results import Page, PartView
from domain.validation import MAX_QUANTITY
from domain.vocabulary import OrderState, OrderUrgency

NOTE_MAX = 2000
ORDER_STATES_SHOWN = (OrderState.REQUESTED, OrderState.APPROVED, OrderState.ORDERED)
STATE_WORDS = {
    OrderState.REQUESTED: "requested, awaiting approval",
    OrderState.APPROVED: "approved, not yet ordered",
    OrderState.ORDERED: "ordered",
    OrderState.RECEIVED: "received",
    OrderState.REJECTED: "rejected",
    OrderState.CANCELLED: "cancelled",
}
URGENCY_CHOICES = ((OrderUrgency.NORMAL.value, "Normal"), (OrderUrgency.URGENT.value, "Urgent"))


def short_day(value: date) -> str:
    """``12 Jan 2025``."""
    return f"{value.day} {value:%b %Y}"


def on_order_text(on: OnOrder, unit: str) -> str:
    """``on order: 10 pcs (expected 12 Jan 2025)``, ``requested: 10 pcs, awaiting
    approval`` or ``approved: 10 pcs, not yet ordered``."""
    qty = lb.amount(on.quantity, unit)
    if on.state == OrderState.ORDERED:
        expected = f" (expected {short_day(on.expected_on)})" if on.expected_on else ""
        return f"on order: {qty}{expected}"
    if on.state == OrderState.APPROVED:
        return f"approved: {qty}, not yet ordered"
    return f"requested: {qty}, awaiting approval"


def on_order_line(part: PartView) -> str | None:
    """``:package: on order: 10 pcs (expected 12 Jan 2025) · order #4``; None if nothing."""
    on = part.on_order
    if on is None:
        return None
    return f":package: {on_order_text(on, part.unit_of_measure)} · order #{on.order_id}"


def reorder_button(part_id: int) -> dict[str, Any]:
    return button("Request reorder", ActionId.REORDER_OPEN, value={"id": part_id})


def offer_summary(offer: OfferView, quantity: int | None = None) -> str:
    """``Preferred supplier *Sigma*: packs of 10, minimum order 2 packs, 12.50 EUR a pack
    · estimated 25.00 EUR``."""
    facts = [f"packs of {offer.pack_size}"]
    if offer.minimum_order > 1:
        facts.append(f"minimum order {offer.minimum_order} packs")
    if offer.price is not None:
        facts.append(f"{offer.price} a pack")
    if offer.lead_time_days is not None:
        facts.append(f"lead time {offer.lead_time_days} days")
    line = f"Preferred supplier *{lb.text(offer.supplier_name, 100)}*: " + ", ".join(facts)
    if offer.price is not None and quantity:
        packs = -(-quantity // offer.pack_size)
        line += f" · estimated *{offer.price.times(packs)}* for {quantity}"
    return line


def reorder_modal(
    suggestion: ReorderSuggestion, *, quantity: int | None = None, channel_id: str | None = None
) -> dict[str, Any]:
    """Ask for more of a part: quantity (the suggestion), urgency and a note. When the part
    has a request under way, the request joins it: only the note is asked for."""
    part, open_order = suggestion.part, suggestion.open_order
    wanted = quantity or suggestion.quantity
    lines = [lb.part_ref(part), lb.stock_line(part)]
    blocks: list[Block] = [section("\n".join(lines))]
    if open_order is not None:
        blocks.append(
            section(
                f":information_source: Order #{open_order.id} is {open_order.state.value}: "
                "your note will be added to it."
            )
        )
    elif suggestion.offer is not None:
        blocks.append(context(offer_summary(suggestion.offer, wanted)))
    else:
        blocks.append(context("No supplier offer yet: the supplier is picked when ordering."))
    if open_order is None:
        blocks.append(
            number_input(
                BlockId.QUANTITY,
                f"Quantity ({part.unit_of_measure[:20]})",  # plain text: not escaped
                initial=wanted,
                min_value=1,
                max_value=MAX_QUANTITY,
                hint="Suggested: refill to the target, rounded up to whole packs.",
            )
        )
        blocks.append(
            select_input(
                BlockId.URGENCY, "Urgency", choices=URGENCY_CHOICES, initial=OrderUrgency.NORMAL
            )
        )
    blocks.append(
        text_input(
            BlockId.NOTE,
            "Note",
            max_length=NOTE_MAX,
            multiline=True,
            optional=open_order is None,
            placeholder="What it is for, a catalogue number, …",
        )
    )
    return modal(
        "Request reorder",
        CallbackId.REORDER_REQUEST,
        blocks,
        submit="Add note" if open_order else "Request",
        metadata={"id": part.id, "channel": channel_id},
    )


def render_request_made(outcome: RequestOutcome) -> Message:
    """What a request did: a new request, or a note added to the one under way."""
    order = outcome.order
    part = lb.part_ref(order.part)
    qty = lb.amount(order.quantity, order.part.unit_of_measure)
    if outcome.joined:
        text = (
            f":memo: {part} already has order #{order.id} ({STATE_WORDS[order.state]}, {qty}): "
            "your note was added to it."
        )
    else:
        text = (
            f":white_check_mark: Requested {qty} of {part}: order #{order.id}, awaiting approval."
        )
    return message(text, [section(text)])


def _order_line(order: OrderView, today: date) -> str:
    """``*#4* FIL-1002 Rhenium filament · 10 pcs · Sigma · by sara · requested <date>``."""
    facts = [
        f"*#{order.id}* {lb.part_ref(order.part)}",
        lb.amount(order.quantity, order.part.unit_of_measure),
        lb.text(order.supplier_name, 100) or "no supplier yet",
        f"by {lb.text(order.requested_by, 100) or 'FarLab'}",
    ]
    if order.urgency == OrderUrgency.URGENT:
        facts.append(":exclamation: urgent")
    if order.state == OrderState.ORDERED:
        if order.is_overdue(today):
            facts.append(f":warning: *overdue*, expected {lb.day(order.expected_on)}")
        elif order.expected_on is not None:
            facts.append(f"expected {lb.day(order.expected_on)}")
        if order.quantity_received:
            facts.append(f"{order.quantity_received} received")
    else:
        facts.append(f"requested {lb.when(order.created_at)}")
    return " · ".join(facts)


def _order_item(order: OrderView, today: date) -> list[Block]:
    view = button("View", ActionId.ORDERS_VIEW, value={"id": order.id})
    return [section(_order_line(order, today), accessory=view)]


def render_orders_page(page: Page[OrderView], *, today: date, state: str | None) -> Message:
    """Requests grouped by state (requested, approved, ordered), overdue ones marked."""
    title = f"Orders: {state}" if state and state != "open" else "Open orders"
    blocks: list[Block] = [header(title)]
    budget = MESSAGE_MAX_BLOCKS - 3
    shown = 0
    states = [s for s in OrderState if any(o.state == s for o in page.items)]
    states.sort(key=lambda s: ORDER_STATES_SHOWN.index(s) if s in ORDER_STATES_SHOWN else 9)
    for each in states:
        orders = [o for o in page.items if o.state == each]
        items, fitted = within((_order_item(o, today) for o in orders), budget - len(blocks) - 1)
        if not fitted:
            break
        blocks += [section(f"*{each.value.capitalize()}* ({len(orders)})"), *items]
        shown += fitted
    if not page.items:
        blocks.append(section(":white_check_mark: No orders here."))
    elif shown < len(page.items) or page.has_more:
        blocks.append(context(f"Showing {shown}: the newest first. Name a state to see others."))
    return message(f"{shown} orders", blocks)


def render_order_timeline(detail: OrderDetail) -> Message:
    """One order: its facts and what happened to it, oldest first."""
    order = detail.order
    head = f"Order #{order.id}: {STATE_WORDS[order.state]}"
    facts = [
        f"{lb.part_ref(order.part)} · {lb.amount(order.quantity, order.part.unit_of_measure)}",
        f"Supplier: {lb.text(order.supplier_name, 100) or '-'}",
    ]
    if order.order_number:
        facts.append(f"Order number: {lb.text(order.order_number, 100)}")
    if order.expected_on:
        facts.append(f"Expected: {lb.day(order.expected_on)}")
    if order.estimated_cost is not None:
        facts.append(f"Estimated cost: {order.estimated_cost}")
    if order.note:
        facts.append(f"Notes:\n{lb.paragraph(order.note, lb.MESSAGE_BUDGET)}")
    lines = [_event_line(e.kind, e.actor, e.quantity, e.note, e.at) for e in detail.events]
    blocks: list[Block] = [
        header(head),
        section("\n".join(facts)),
        section("*Timeline*\n" + ("\n".join(lines[-30:]) or "Nothing yet.")),
    ]
    return message(head, blocks)


def _event_line(
    kind: str, actor: str | None, quantity: int | None, note: str | None, at: Any
) -> str:
    line = f"• {lb.when(at)} *{lb.text(kind, 30)}* by {lb.text(actor, 100) or 'FarLab'}"
    if quantity is not None:
        line += f" · {quantity}"
    if note:
        line += f" · _{lb.text(note, lb.NOTE_BUDGET)}_"
    return line
