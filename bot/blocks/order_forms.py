"""The modals of a reorder request's buttons: Reject, Edit, Mark ordered, Receive, Cancel.

Each carries the request's id in its metadata (and the channel the click came from); their
input blocks are named by the domain's fields, so its errors show on the right input.
"""

from __future__ import annotations

from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import Block, option, plain, section
from bot.blocks.inputs import (
    PICKER_MIN_QUERY,
    checkbox_input,
    date_input,
    modal,
    number_input,
    select_input,
    text_input,
)
from bot.blocks.order_message import order_subject
from bot.blocks.text import PLACEHOLDER_MAX
from bot.ids import ActionId, BlockId, CallbackId
from domain.order_results import OrderView

URGENCIES = (("normal", "Normal"), ("urgent", "Urgent"))


def _meta(order: OrderView, channel: str | None) -> dict[str, Any]:
    return {"id": order.id, "channel": channel}


def supplier_option(supplier_id: int, name: str) -> dict[str, Any]:
    return option(name, str(supplier_id))


def supplier_picker(order: OrderView, *, optional: bool) -> Block:
    element: dict[str, Any] = {
        "type": "external_select",
        "action_id": ActionId.SUPPLIER_PICKER,
        "placeholder": plain("Type a supplier's name", PLACEHOLDER_MAX),
        "min_query_length": PICKER_MIN_QUERY - 1,
    }
    if order.supplier_id is not None and order.supplier_name:
        element["initial_option"] = supplier_option(order.supplier_id, order.supplier_name)
    return {
        "type": "input",
        "block_id": BlockId.SUPPLIER,
        "label": plain("Supplier", 50),
        "element": element,
        "optional": optional,
    }


def _reason_modal(
    order: OrderView, channel: str | None, callback: str, title: str
) -> dict[str, Any]:
    blocks: list[Block] = [
        section(order_subject(order)),
        text_input(BlockId.REASON, "Reason", multiline=True, max_length=2000),
    ]
    return modal(title, callback, blocks, submit=title.split()[0], metadata=_meta(order, channel))


def render_reject_form(order: OrderView, channel: str | None) -> dict[str, Any]:
    return _reason_modal(order, channel, CallbackId.ORDER_REJECT, "Reject request")


def render_cancel_form(order: OrderView, channel: str | None) -> dict[str, Any]:
    return _reason_modal(order, channel, CallbackId.ORDER_CANCEL, "Cancel order")


def render_edit_form(order: OrderView, channel: str | None) -> dict[str, Any]:
    blocks: list[Block] = [
        section(order_subject(order)),
        number_input(BlockId.QUANTITY, "Quantity", initial=order.quantity, min_value=1),
        supplier_picker(order, optional=True),
        select_input(BlockId.URGENCY, "Urgency", choices=URGENCIES, initial=order.urgency),
        text_input(BlockId.NOTE, "Note", multiline=True, optional=True, max_length=1000),
    ]
    return modal(
        "Edit request", CallbackId.ORDER_EDIT, blocks, submit="Save", metadata=_meta(order, channel)
    )


def render_mark_ordered_form(
    order: OrderView, channel: str | None, currency: str
) -> dict[str, Any]:
    price = str(order.price.amount) if order.price else None
    blocks: list[Block] = [
        section(order_subject(order)),
        text_input(BlockId.ORDER_NUMBER, "Order or PO number", max_length=100),
        supplier_picker(order, optional=False),
        date_input(BlockId.EXPECTED_ON, "Expected on"),
        text_input(
            BlockId.UNIT_PRICE, "Price per pack", initial=price, optional=True, max_length=20
        ),
        text_input(
            BlockId.CURRENCY,
            "Currency",
            initial=order.price.currency if order.price else currency,
            optional=True,
            max_length=3,
        ),
        number_input(BlockId.QUANTITY, "Quantity", initial=order.quantity, min_value=1),
    ]
    return modal(
        "Mark ordered",
        CallbackId.ORDER_MARK_ORDERED,
        blocks,
        submit="Mark ordered",
        metadata=_meta(order, channel),
    )


def render_receive_form(
    order: OrderView, channel: str | None, *, quantity: int | None = None, problem: str = ""
) -> dict[str, Any]:
    """Pre-filled with what is still to come; after a "more than ordered" answer, again with
    the problem said and a box to receive more than ordered."""
    unit = order.part.unit_of_measure
    blocks: list[Block] = [
        section(
            f"{order_subject(order)}\nReceived so far: {order.quantity_received} of "
            f"{lb.amount(order.quantity, unit)}"
        ),
        number_input(
            BlockId.QUANTITY,
            "Quantity received",
            initial=quantity if quantity is not None else order.outstanding or None,
            min_value=1,
        ),
    ]
    if problem:
        blocks.append(section(f":warning: {lb.text(problem, 500)}"))
        blocks.append(
            checkbox_input(
                BlockId.CONFIRM_OVER,
                "More than ordered",
                text="Receive more than ordered",
                value="yes",
                checked=False,
            )
        )
    return modal(
        "Receive",
        CallbackId.ORDER_RECEIVE,
        blocks,
        submit="Receive",
        metadata=_meta(order, channel),
    )
