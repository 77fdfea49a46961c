"""The buttons of a reorder request's message in the purchasing channel, their modals, and
the supplier picker those use.

Approve is one click; Reject, Edit, Mark ordered, Receive and Cancel open a modal (only for
managers: the domain's check refuses anyone else at once, with an ephemeral answer). Every
submission calls one domain service, which checks the permission again and validates; its
errors show on the modal's inputs and nothing changes. After a change the message is
updated in place (``show_order``), and a decision DM sent to the requester.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks
from bot.blocks import order_forms
from bot.forms import metadata, picked_id, read_state
from bot.ids import ActionId, BlockId, CallbackId
from bot.listeners.registry import Listeners
from bot.middleware import actor_of
from bot.order_messenger import show_order
from bot.runtime import BotRuntime
from domain import order_steps, ordering
from domain.errors import ConfirmationNeeded, InvalidInput
from domain.order_results import OrderView
from domain.permissions import Action, require

Payload = dict[str, Any]
MAX_OPTIONS = 50
listeners = Listeners()


def _order_id(body: Payload) -> int:
    action = (body.get("actions") or [{}])[0]
    order_id = blocks.packed_id(blocks.unpack(action.get("value")).get("id"))
    if order_id is None:
        raise InvalidInput("This button is out of date; run `/farlab orders` instead.")
    return order_id


def _meta_id(view: Payload) -> int:
    order_id = blocks.packed_id(metadata(view).get("id"))
    if order_id is None:
        raise InvalidInput("This form is out of date; open it again from the request.")
    return order_id


def _supplier(values: dict[str, Any]) -> int | None:
    value = values.get(BlockId.SUPPLIER)
    return picked_id(BlockId.SUPPLIER, value, "supplier") if value is not None else None


def _open_form(
    runtime: BotRuntime,
    body: Payload,
    client: WebClient,
    context: BoltContext,
    render: Callable[[OrderView, str | None], dict[str, Any]],
) -> None:
    actor = actor_of(context)
    require(actor, Action.MANAGE_ORDERS)
    order = ordering.get_order(runtime.ctx, actor=actor, order_id=_order_id(body)).order
    channel = (body.get("channel") or {}).get("id")
    runtime.defer(client.views_open, trigger_id=body["trigger_id"], view=render(order, channel))


@listeners.action(ActionId.ORDER_APPROVE)
def handle_approve_order_action(
    runtime: BotRuntime, ack: Ack, body: Payload, client: WebClient, context: BoltContext
) -> None:
    ack()
    order = order_steps.approve_order(
        runtime.ctx, actor=actor_of(context), order_id=_order_id(body)
    )
    show_order(runtime, client, order.id)


def _mark_ordered_form(order: OrderView, channel: str | None, currency: str) -> dict[str, Any]:
    return order_forms.render_mark_ordered_form(order, channel, currency)


_FORMS: dict[str, Callable[[OrderView, str | None], dict[str, Any]]] = {
    ActionId.ORDER_REJECT: order_forms.render_reject_form,
    ActionId.ORDER_CANCEL: order_forms.render_cancel_form,
    ActionId.ORDER_EDIT: order_forms.render_edit_form,
    ActionId.ORDER_RECEIVE: order_forms.render_receive_form,
}


@listeners.action(*_FORMS, ActionId.ORDER_MARK_ORDERED)
def handle_order_form_action(
    runtime: BotRuntime, ack: Ack, body: Payload, client: WebClient, context: BoltContext
) -> None:
    """Reject, Cancel, Edit, Receive, Mark ordered: the button's modal (managers only)."""
    ack()
    action_id = (body.get("actions") or [{}])[0].get("action_id", "")
    currency = runtime.ctx.currency
    render = _FORMS.get(action_id) or (
        lambda order, channel: _mark_ordered_form(order, channel, currency)
    )
    _open_form(runtime, body, client, context, render)


_WITH_REASON = {
    CallbackId.ORDER_REJECT: order_steps.reject_order,
    CallbackId.ORDER_CANCEL: order_steps.cancel_order,
}


@listeners.view(*_WITH_REASON)
def handle_order_reason_submission(
    runtime: BotRuntime, ack: Ack, view: Payload, client: WebClient, context: BoltContext
) -> None:
    """Reject or Cancel, with the reason given."""
    step = _WITH_REASON[CallbackId(view["callback_id"])]
    order = step(
        runtime.ctx,
        actor=actor_of(context),
        order_id=_meta_id(view),
        reason=read_state(view).get(BlockId.REASON) or "",
    )
    ack()
    show_order(runtime, client, order.id)


@listeners.view(CallbackId.ORDER_EDIT)
def handle_edit_order_submission(
    runtime: BotRuntime, ack: Ack, view: Payload, client: WebClient, context: BoltContext
) -> None:
    values = read_state(view)
    order = order_steps.edit_order(
        runtime.ctx,
        actor=actor_of(context),
        order_id=_meta_id(view),
        quantity=values.get(BlockId.QUANTITY),
        supplier_id=_supplier(values),
        urgency_level=values.get(BlockId.URGENCY),
        note=values.get(BlockId.NOTE),
    )
    ack()
    show_order(runtime, client, order.id)


@listeners.view(CallbackId.ORDER_MARK_ORDERED)
def handle_mark_ordered_submission(
    runtime: BotRuntime, ack: Ack, view: Payload, client: WebClient, context: BoltContext
) -> None:
    values = read_state(view)
    order = order_steps.mark_ordered(
        runtime.ctx,
        actor=actor_of(context),
        order_id=_meta_id(view),
        order_number=values.get(BlockId.ORDER_NUMBER) or "",
        supplier_id=_supplier(values),
        expected_on=values.get(BlockId.EXPECTED_ON),
        unit_price=values.get(BlockId.UNIT_PRICE),
        currency=values.get(BlockId.CURRENCY),
        quantity=values.get(BlockId.QUANTITY),
    )
    ack()
    show_order(runtime, client, order.id)


@listeners.view(CallbackId.ORDER_RECEIVE)
def handle_receive_order_submission(
    runtime: BotRuntime, ack: Ack, view: Payload, client: WebClient, context: BoltContext
) -> None:
    """More than is still to come: the form again, saying so, with a box to confirm."""
    actor, values, order_id = actor_of(context), read_state(view), _meta_id(view)
    try:
        receipt = order_steps.receive_order(
            runtime.ctx,
            actor=actor,
            order_id=order_id,
            quantity=values.get(BlockId.QUANTITY),  # type: ignore[arg-type]  # checked there
            confirm_over=bool(values.get(BlockId.CONFIRM_OVER)),
        )
    except ConfirmationNeeded as asked:
        order = ordering.get_order(runtime.ctx, actor=actor, order_id=order_id).order
        again = order_forms.render_receive_form(
            order,
            metadata(view).get("channel"),
            quantity=values.get(BlockId.QUANTITY),
            problem=asked.errors.get("quantity", asked.message),
        )
        ack(response_action="update", view=again)
        return
    ack()
    show_order(runtime, client, receipt.order.id)
