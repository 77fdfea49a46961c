"""A reorder request's message in the purchasing channel, its overdue reminder and the
requester's decision DM: pure builders of ``OrderNotice``s.

The message shows the part, quantity and packs, supplier, estimated cost, urgency,
requester and note, the state with who and when, the order number and expected date
(overdue marked), what was received, and the last steps of the timeline. The buttons are
those of the state (a manager's steps; the domain refuses anyone else): Approve / Reject /
Edit while requested, Mark ordered / Edit / Cancel once approved, Receive / Cancel once
ordered, none once closed.
"""

from __future__ import annotations

from bot.blocks import labels as lb
from bot.blocks.elements import Block, Message, actions, button, context, header, message, section
from bot.ids import ActionId, BlockId
from domain.order_notices import OrderNotice
from domain.order_results import OrderEventView, OrderView
from domain.vocabulary import OrderState

NOTE_BUDGET = 1500
_STATE_WORDS = {
    OrderState.REQUESTED: ":hourglass_flowing_sand: *Requested*: waiting for approval",
    OrderState.APPROVED: ":white_check_mark: *Approved*",
    OrderState.REJECTED: ":no_entry: *Rejected*",
    OrderState.ORDERED: ":truck: *Ordered*",
    OrderState.RECEIVED: ":package: *Received*",
    OrderState.CANCELLED: ":heavy_multiplication_x: *Cancelled*",
}
_BUTTONS: dict[OrderState, tuple[tuple[str, ActionId, str | None], ...]] = {
    OrderState.REQUESTED: (
        ("Approve", ActionId.ORDER_APPROVE, "primary"),
        ("Reject", ActionId.ORDER_REJECT, "danger"),
        ("Edit", ActionId.ORDER_EDIT, None),
    ),
    OrderState.APPROVED: (
        ("Mark ordered", ActionId.ORDER_MARK_ORDERED, "primary"),
        ("Edit", ActionId.ORDER_EDIT, None),
        ("Cancel", ActionId.ORDER_CANCEL, "danger"),
    ),
    OrderState.ORDERED: (
        ("Receive", ActionId.ORDER_RECEIVE, "primary"),
        ("Cancel", ActionId.ORDER_CANCEL, "danger"),
    ),
}


def order_subject(order: OrderView) -> str:
    """``Order #12: 20 pcs of *FIL-1002* Rhenium filament``."""
    return (
        f"Order #{order.id}: {lb.amount(order.quantity, order.part.unit_of_measure)} of "
        f"{lb.part_ref(order.part)}"
    )


def state_line(notice: OrderNotice) -> str:
    order = notice.order
    line = _STATE_WORDS[order.state]
    if order.state in (OrderState.APPROVED, OrderState.REJECTED) and order.decided_at:
        line += f" by {lb.text(order.decided_by or 'FarLab')} {lb.when(order.decided_at)}"
    if order.state == OrderState.ORDERED and order.ordered_at:
        line += f" {lb.when(order.ordered_at)}"
    if order.state == OrderState.RECEIVED and order.received_at:
        line += f" {lb.when(order.received_at)}"
    if order.reason and order.state in (OrderState.REJECTED, OrderState.CANCELLED):
        line += f"\nReason: {lb.text(order.reason, NOTE_BUDGET)}"
    if notice.is_overdue:
        line += "  :warning: *overdue*"
    return line


def _fields(notice: OrderNotice) -> list[str]:
    order = notice.order
    unit = order.part.unit_of_measure
    packs = ""
    if order.pack_size > 1:
        packs = f" ({lb.amount(order.packs, 'packs')} of {order.pack_size})"
    fields = [
        f"*Quantity*\n{lb.amount(order.quantity, unit)}{packs}",
        f"*Supplier*\n{lb.text(order.supplier_name) or 'not chosen yet'}",
        f"*Estimated cost*\n{order.estimated_cost or 'unknown'}",
        f"*Urgency*\n{'🔴 urgent' if order.urgency == 'urgent' else 'normal'}",
        f"*Requested by*\n{lb.text(order.requested_by or 'FarLab')} {lb.when(order.created_at)}",
        f"*In stock*\n{lb.stock_line(order.part)}",
    ]
    if order.order_number:
        fields.append(f"*Order number*\n{lb.text(order.order_number, 100)}")
    if order.expected_on or order.state == OrderState.ORDERED:
        fields.append(
            f"*Expected*\n{lb.day(order.expected_on, notice.today if order.is_open else None)}"
        )
    if order.quantity_received or order.state == OrderState.ORDERED:
        fields.append(f"*Received*\n{order.quantity_received} of {lb.amount(order.quantity, unit)}")
    return fields


def _step(event: OrderEventView) -> str:
    who = lb.text(event.actor or "FarLab")
    said = f" {event.quantity}" if event.quantity is not None and event.kind == "received" else ""
    note = f": {lb.text(event.note, 200)}" if event.note else ""
    return f"{lb.when(event.at)} {event.kind}{said} by {who}{note}"


def order_buttons(order: OrderView) -> list[dict[str, object]]:
    value = {"id": order.id}
    return [
        button(text, action_id, value=value, style=style)  # type: ignore[arg-type]
        for text, action_id, style in _BUTTONS.get(order.state, ())
    ]


def render_order_message(notice: OrderNotice) -> Message:
    order = notice.order
    subject = order_subject(order)
    blocks: list[Block] = [
        header(f"🛒 Reorder request #{order.id}"),
        section(f"{subject}\n{state_line(notice)}"),
        section(fields=_fields(notice)),
    ]
    if order.note:
        blocks.append(section(f"*Note*\n{lb.paragraph(order.note, NOTE_BUDGET)}"))
    if notice.last_steps:
        blocks.append(context(*(_step(e) for e in notice.last_steps)))
    buttons = order_buttons(order)
    if buttons:
        blocks.append(actions(buttons, block_id=BlockId.ORDER_ACTIONS))
    return message(f"{subject}: {order.state}", blocks)


def render_order_reminder(notice: OrderNotice) -> Message:
    """A thread reply: the order is past its expected date."""
    order = notice.order
    number = f" ({lb.text(order.order_number, 100)})" if order.order_number else ""
    supplier = lb.text(order.supplier_name) or "its supplier"
    text = (
        f":alarm_clock: Order #{order.id}{number} from {supplier} was expected "
        f"{lb.day(order.expected_on)} and has not all arrived: "
        f"{order.quantity_received} of {lb.amount(order.quantity, order.part.unit_of_measure)} "
        f"received of {lb.part_ref(order.part)}."
    )
    return message(text, [section(text)])


def render_order_decision(notice: OrderNotice, decision: str) -> Message:
    """The requester's DM: their request was approved, or rejected and why."""
    order = notice.order
    by = lb.text(order.decided_by or "a manager")
    if decision == OrderState.REJECTED:
        reason = lb.text(order.reason, NOTE_BUDGET) or "no reason given"
        text = f":no_entry: Your reorder request was rejected by {by}. {order_subject(order)}."
        lines = [text, f"Reason: {reason}"]
    else:
        text = (
            f":white_check_mark: Your reorder request was approved by {by}. {order_subject(order)}."
        )
        lines = [text]
    return message(text, [section("\n".join(lines))])
