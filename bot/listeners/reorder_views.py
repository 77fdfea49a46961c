"""Submissions of the Request reorder, supplier, offer and reorder-levels modals: checked
by the domain; a refusal shows on its fields and changes nothing."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks import packed_id
from bot.blocks.offers import render_offer_saved
from bot.blocks.ordering import render_request_made
from bot.blocks.replies import render_notice
from bot.forms import metadata, picked_id, read_state
from bot.ids import BlockId, CallbackId
from bot.listeners.registry import Listeners
from bot.listeners.views import Message, answered_after_closing, confirm
from bot.middleware import actor_of
from bot.order_messenger import show_order
from bot.runtime import BotRuntime
from domain import ordering, suppliers
from domain.errors import InvalidInput
from domain.permissions import Actor

listeners = Listeners(answered_after_closing)

SUPPLIER_FIELDS = (
    BlockId.NAME,
    BlockId.WEBSITE,
    BlockId.EMAIL,
    BlockId.PHONE,
    BlockId.ACCOUNT_NUMBER,
    BlockId.NOTES,
)
OFFER_FIELDS = (
    BlockId.SUPPLIER_PART_NUMBER,
    BlockId.UNIT_PRICE,
    BlockId.CURRENCY,
    BlockId.PACK_SIZE,
    BlockId.MINIMUM_ORDER,
    BlockId.LEAD_TIME,
    BlockId.ORDER_URL,
    BlockId.PREFERRED,
)


def _meta_id(meta: dict[str, Any]) -> int:
    found = packed_id(meta.get("id"))
    if found is None:
        raise InvalidInput("This form is out of date; run the command again.")
    return found


def _fields(values: dict[str, Any], names: tuple[BlockId, ...]) -> dict[str, Any]:
    """The fields the form has, by the domain's names; a blank number keeps its default."""
    found = {name.value: values[name] for name in names if name in values}
    for number in (BlockId.PACK_SIZE, BlockId.MINIMUM_ORDER):
        if found.get(number.value, 0) is None:
            raise InvalidInput.field(number, "Enter a whole number of 1 or more.")
    return found


requests = Listeners()  # the Request reorder form's own: it also posts the request


@requests.view(CallbackId.REORDER_REQUEST)
def handle_reorder_submission(
    runtime: BotRuntime,
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    """Request (or join the part's open request); once committed, the person is told and
    the request's message in the purchasing channel is posted (or updated) at once."""
    meta = metadata(view)
    values = read_state(view)
    outcome = ordering.request_reorder(
        runtime.ctx,
        actor=actor_of(context),
        part_id=_meta_id(meta),
        quantity=values.get(BlockId.QUANTITY),
        note=values.get(BlockId.NOTE),
        urgency_level=values.get(BlockId.URGENCY),
    )
    ack()  # closes the modal; reached only when the domain accepted the request
    answer = render_request_made(outcome)
    runtime.defer(confirm, client, body["user"]["id"], meta.get("channel"), answer)
    show_order(runtime, client, outcome.order.id)


@listeners.view(CallbackId.SUPPLIER_ADD)
def handle_supplier_add_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], _meta: dict[str, Any]
) -> Message:
    found = suppliers.add_supplier(runtime.ctx, actor=actor, **_fields(values, SUPPLIER_FIELDS))
    return render_notice(f"Added supplier {found.name}.")


@listeners.view(CallbackId.SUPPLIER_EDIT)
def handle_supplier_edit_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
) -> Message:
    changes = _fields(values, SUPPLIER_FIELDS)
    if BlockId.ACTIVE in values:
        changes["is_active"] = bool(values[BlockId.ACTIVE])
    found = suppliers.update_supplier(
        runtime.ctx, actor=actor, supplier_id=_meta_id(meta), **changes
    )
    state = "" if found.is_active else " (inactive)"
    return render_notice(f"Saved supplier {found.name}{state}.")


@listeners.view(CallbackId.OFFER_ADD)
def handle_offer_add_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
) -> Message:
    supplier_id = picked_id(BlockId.SUPPLIER, values.get(BlockId.SUPPLIER), "supplier")
    offer = suppliers.add_offer(
        runtime.ctx,
        actor=actor,
        part_id=_meta_id(meta),
        supplier_id=supplier_id,
        **_fields(values, OFFER_FIELDS),
    )
    return render_offer_saved(offer, "Added")


@listeners.view(CallbackId.OFFER_EDIT)
def handle_offer_edit_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
) -> Message:
    offer = suppliers.update_offer(
        runtime.ctx, actor=actor, offer_id=_meta_id(meta), **_fields(values, OFFER_FIELDS)
    )
    return render_offer_saved(offer, "Saved")


@listeners.view(CallbackId.REORDER_LEVELS)
def handle_reorder_levels_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
) -> Message:
    part = suppliers.set_reorder_levels(
        runtime.ctx,
        actor=actor,
        part_id=_meta_id(meta),
        reorder_quantity=values.get(BlockId.REORDER_QUANTITY),
        target_stock=values.get(BlockId.TARGET_STOCK),
    )
    return render_notice(f"Saved the reorder levels of {part.part_number} {part.name}.")
