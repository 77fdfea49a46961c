"""Clicks on Request reorder, order and supplier lists, and the part card's Offers buttons.

The purchasing channel's buttons (approve, order, receive, ...) are handled elsewhere.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot import blocks
from bot.blocks.offers import offer_modal, render_offer_saved, reorder_levels_modal
from bot.blocks.ordering import render_order_timeline, reorder_modal
from bot.blocks.suppliers import supplier_modal
from bot.commands.order_cmds import suppliers_page
from bot.ids import ActionId
from bot.listeners.actions import Reply, answering_clicks
from bot.listeners.registry import Listeners
from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain import ordering, parts, suppliers
from domain.errors import InvalidInput, NotFound
from domain.permissions import Action, require

Payload = dict[str, Any]
listeners = Listeners(answering_clicks)


def _value(body: Payload) -> dict[str, Any]:
    """A button's value, or the picked option's value of an overflow menu."""
    action = (body.get("actions") or [{}])[0]
    picked = action.get("selected_option") or {}
    return blocks.unpack(picked.get("value") or action.get("value"))


def _id(body: Payload, key: str = "id") -> int:
    found = blocks.packed_id(_value(body).get(key))
    if found is None:
        raise InvalidInput("This button is out of date; run the command again.")
    return found


def _channel(body: Payload) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


@listeners.action(ActionId.REORDER_OPEN)
def handle_reorder_open_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    """Request reorder (alert message, part card, App Home): the pre-filled modal."""
    suggestion = ordering.suggest_reorder(runtime.ctx, actor=actor_of(context), part_id=_id(body))
    reply.modal(reorder_modal(suggestion, channel_id=_channel(body)))


@listeners.action(ActionId.ORDERS_VIEW)
def handle_order_view_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    detail = ordering.get_order(runtime.ctx, actor=actor_of(context), order_id=_id(body))
    reply.send(render_order_timeline(detail))


@listeners.action(ActionId.SUPPLIERS_NEXT, ActionId.SUPPLIERS_PREVIOUS)
def handle_suppliers_page_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    offset = blocks.packed_offset(_value(body).get("o", 0))
    reply.send(suppliers_page(runtime.ctx, actor_of(context), offset=offset), replace=True)


@listeners.action(ActionId.SUPPLIER_EDIT)
def handle_supplier_edit_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    require(actor, Action.MANAGE_SUPPLIERS)
    found = suppliers.get_supplier(runtime.ctx, actor=actor, supplier_id=_id(body))
    reply.modal(supplier_modal(found, channel_id=_channel(body)))


@listeners.action(ActionId.OFFER_ADD, ActionId.REORDER_LEVELS)
def handle_part_ordering_form_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    require(actor, Action.MANAGE_SUPPLIERS)
    part = parts.get_part(runtime.ctx, actor=actor, part_id=_id(body))
    if body["actions"][0]["action_id"] == ActionId.OFFER_ADD:
        view = offer_modal(part, currency=runtime.ctx.currency, channel_id=_channel(body))
    else:
        view = reorder_levels_modal(part, channel_id=_channel(body))
    reply.modal(view)


@listeners.action(ActionId.OFFER_MENU)
def handle_offer_menu_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    """An offer's overflow menu: Edit (the modal), Make preferred, Remove."""
    actor, offer_id, do = actor_of(context), _id(body), _value(body).get("do")
    require(actor, Action.MANAGE_SUPPLIERS)
    if do == "prefer":
        offer = suppliers.update_offer(
            runtime.ctx, actor=actor, offer_id=offer_id, is_preferred=True
        )
        reply.send(render_offer_saved(offer, "Made preferred"))
    elif do == "remove":
        offer = suppliers.remove_offer(runtime.ctx, actor=actor, offer_id=offer_id)
        reply.send(render_offer_saved(offer, "Removed"))
    elif do == "edit":
        part = parts.get_part(runtime.ctx, actor=actor, part_id=_id(body, "p"))
        offers = suppliers.list_offers(runtime.ctx, actor=actor, part_id=part.id)
        editing = next((o for o in offers if o.id == offer_id), None)
        if editing is None:
            raise NotFound("Offer not found.")
        reply.modal(
            offer_modal(part, editing, currency=runtime.ctx.currency, channel_id=_channel(body))
        )
    else:
        raise InvalidInput("This menu is out of date; run the command again.")


@listeners.action(ActionId.OFFER_USE_LEAD_TIME)
def handle_use_lead_time_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    """Make the lead time observed the preferred offer's lead time."""
    days = _value(body).get("d")
    offer = suppliers.update_offer(
        runtime.ctx, actor=actor_of(context), offer_id=_id(body), lead_time_days=days
    )
    reply.send(render_offer_saved(offer, f"Set a lead time of {offer.lead_time_days} days on"))
