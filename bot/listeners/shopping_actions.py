"""The shopping list's buttons: request a supplier's parts at once, and the CSV by DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import blocks
from bot.blocks.imports import render_export_sent
from bot.blocks.shopping import render_group_requested
from bot.ids import ActionId
from bot.import_export import send_export
from bot.listeners.registry import Listeners
from bot.middleware import actor_of
from bot.order_messenger import show_order
from bot.runtime import BotRuntime
from domain import exports, shopping_list
from domain.exports import ExportKind
from domain.permissions import Action, require

Payload = dict[str, Any]
listeners = Listeners()


def _answer(runtime: BotRuntime, respond: Respond, answer: dict[str, Any]) -> None:
    runtime.defer(respond, response_type="ephemeral", replace_original=False, **answer)


@listeners.action(ActionId.SHOPPING_REQUEST_GROUP)
def handle_request_group_action(
    runtime: BotRuntime,
    ack: Ack,
    body: Payload,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    action = (body.get("actions") or [{}])[0]
    key = shopping_list.group_key(blocks.unpack(action.get("value")).get("g"))
    done = shopping_list.request_group(runtime.ctx, actor=actor_of(context), supplier_id=key)
    _answer(runtime, respond, render_group_requested(done))
    for order in done.orders:  # each is posted to the purchasing channel once committed
        show_order(runtime, client, order.id)


@listeners.action(ActionId.SHOPPING_EXPORT)
def handle_export_shopping_list_action(
    runtime: BotRuntime,
    ack: Ack,
    body: Payload,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    actor = actor_of(context)
    require(actor, Action.VIEW)
    kind = ExportKind.SHOPPING_LIST.value
    name = exports.export_file_name(runtime.ctx, kind=kind)
    user_id = (body.get("user") or {}).get("id", "")
    runtime.defer(
        send_export, runtime, client, actor, user_id, kind, "csv", body.get("response_url", "")
    )
    _answer(runtime, respond, render_export_sent(name))
