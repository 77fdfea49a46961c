"""Buttons: each click is checked by the domain from the verified payload's user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import blocks
from bot.commands.base import CommandRequest
from bot.commands.insight_cmds import usage_glance
from bot.commands.router import dispatch
from bot.ids import ActionId
from bot.listeners.clicks import first_choice
from bot.listeners.registry import BoltListener, Listeners
from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain import alerts, instrument_listings, instruments, parts, stock
from domain.errors import Conflict, InvalidInput
from domain.low_stock_parts import list_parts_needing_stock
from domain.permissions import Action, can, require
from domain.results import Page, PartView

Payload = dict[str, Any]
PAGE = 10


def _value(body: Payload) -> dict[str, Any]:
    return blocks.unpack((body.get("actions") or [{}])[0].get("value"))


def _id(body: Payload) -> int:
    found = blocks.packed_id(_value(body).get("id"))
    if found is None:
        raise InvalidInput("This button is out of date; run the command again.")
    return found


def _offset(body: Payload) -> int:
    return blocks.packed_offset(_value(body).get("o", 0))


def _words(body: Payload, key: str) -> list[str]:
    """A list of words a button's value carries (the filters of a paged list)."""
    found = _value(body).get(key)
    if not isinstance(found, list) or not all(isinstance(w, str) for w in found):
        return []
    return found


def _channel(body: Payload) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


class Reply:
    """Answers a click where it happened: in the message (response_url) or by DM."""

    def __init__(self, runtime: BotRuntime, body: Payload, client: WebClient, respond: Respond):
        self.runtime, self.body, self.client, self.respond = runtime, body, client, respond

    def send(self, message: dict[str, Any], *, replace: bool = False) -> None:
        if self.body.get("response_url"):
            self.runtime.defer(self.respond, replace_original=replace, **message)
        else:
            user = self.body["user"]["id"]
            self.runtime.defer(self.client.chat_postMessage, channel=user, **message)

    def modal(self, view: dict[str, Any]) -> None:
        self.runtime.defer(self.client.views_open, trigger_id=self.body["trigger_id"], view=view)


Handler = Callable[[BotRuntime, Payload, BoltContext, Reply], None]


def answering_clicks(runtime: BotRuntime) -> Callable[[Handler], BoltListener]:
    """Acknowledge the click, then run its handler with a ``Reply`` to answer where it was.

    A pick list's Choose counts once, whichever process serves the click (see ``clicks``).
    """

    def adapt(handler: Handler) -> BoltListener:
        def handle_block_action(
            ack: Ack, body: Payload, client: WebClient, respond: Respond, context: BoltContext
        ) -> None:
            ack()
            action_id = body["actions"][0]["action_id"]
            if action_id == ActionId.PICK and not first_choice(runtime.ctx, body):
                raise Conflict("You already chose from this list; run the command again for more.")
            handler(runtime, body, context, Reply(runtime, body, client, respond))

        return handle_block_action

    return adapt


listeners = Listeners(answering_clicks)


@listeners.action(ActionId.PICK)
def handle_pick_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    text = _value(body).get("run")
    if not isinstance(text, str):
        raise InvalidInput("This choice is out of date; run the command again.")
    req = CommandRequest(
        runtime=runtime,
        client=reply.client,
        context=context,
        team_id=context.team_id or "",
        user_id=body["user"]["id"],
        channel_id=_channel(body) or "",
        trigger_id=body.get("trigger_id", ""),
        response_url=body.get("response_url", ""),
    )
    answer = dispatch(req, text)
    if answer is not None:
        reply.send(answer, replace=True)


@listeners.action(ActionId.PARTS_NEXT, ActionId.PARTS_PREVIOUS)
def handle_parts_page_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor, query, needing = actor_of(context), _value(body).get("q"), _value(body).get("f")
    page: Page[PartView]
    if isinstance(query, str) and query:
        page = parts.search_parts(
            runtime.ctx, actor=actor, query=query, offset=_offset(body), limit=PAGE
        )
    elif needing in ("low", "out"):
        page = list_parts_needing_stock(
            runtime.ctx, actor=actor, out_only=needing == "out", offset=_offset(body), limit=PAGE
        )
    else:
        page = parts.list_parts(runtime.ctx, actor=actor, offset=_offset(body), limit=PAGE)
    reply.send(
        blocks.render_parts_page(
            page,
            query=query or None,
            needing=needing if isinstance(needing, str) else None,
            can_manage=can(actor, Action.MANAGE_PARTS),
        ),
        replace=True,
    )


@listeners.action(ActionId.HISTORY_NEXT, ActionId.HISTORY_PREVIOUS, ActionId.PART_HISTORY)
def handle_history_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor, part_id = actor_of(context), _id(body)
    part = parts.get_part(runtime.ctx, actor=actor, part_id=part_id)
    page = stock.part_history(
        runtime.ctx, actor=actor, part_id=part_id, offset=_offset(body), limit=PAGE
    )
    paging = body["actions"][0]["action_id"] != ActionId.PART_HISTORY
    reply.send(blocks.render_history(part, page), replace=paging)


@listeners.action(ActionId.INSTRUMENTS_NEXT, ActionId.INSTRUMENTS_PREVIOUS)
def handle_instruments_page_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    page = instruments.list_instruments(runtime.ctx, actor=actor, offset=_offset(body), limit=20)
    reply.send(
        blocks.render_instruments_page(page, can_manage=can(actor, Action.MANAGE_INSTRUMENTS)),
        replace=True,
    )


@listeners.action(ActionId.ALERTS_NEXT, ActionId.ALERTS_PREVIOUS)
def handle_alerts_page_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor, kinds, severities = actor_of(context), _words(body, "k"), _words(body, "v")
    page = alerts.list_alerts(
        runtime.ctx,
        actor=actor,
        active_only=True,
        kind=kinds or None,
        severity=severities or None,
        offset=_offset(body),
        limit=PAGE,
    )
    answer = blocks.render_filtered_alerts(
        page, kinds=kinds, severities=severities, can_manage=can(actor, Action.MANAGE_ALERTS)
    )
    reply.send(answer, replace=True)


@listeners.action(ActionId.PART_VIEW)
def handle_part_view_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    detail = parts.part_detail(runtime.ctx, actor=actor, part_id=_id(body), with_orders=True)
    usage = usage_glance(runtime.ctx, actor, detail.part.id)
    manage = can(actor, Action.MANAGE_PARTS)
    reply.send(blocks.render_part_card(detail, can_manage=manage, usage=usage))


@listeners.action(ActionId.INSTRUMENT_VIEW)
def handle_instrument_view_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    card = instrument_listings.instrument_card(runtime.ctx, actor=actor, instrument_id=_id(body))
    reply.send(
        blocks.render_instrument_card(
            card.needs,
            changes=card.recent_changes,
            can_manage=can(actor, Action.MANAGE_INSTRUMENTS),
        )
    )


_STOCK_KINDS = {
    ActionId.PART_USE: ("use", Action.USE_STOCK),
    ActionId.PART_RESTOCK: ("restock", Action.RESTOCK),
    ActionId.PART_COUNT: ("count", Action.COUNT_STOCK),
    ActionId.QUICK_USE: ("use", Action.USE_STOCK),
    ActionId.QUICK_RESTOCK: ("restock", Action.RESTOCK),
}


@listeners.action(*_STOCK_KINDS)
def handle_stock_modal_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    kind, action = _STOCK_KINDS[ActionId(body["actions"][0]["action_id"])]
    require(actor, action)
    part = None
    if _value(body).get("id") is not None:
        part = parts.get_part(runtime.ctx, actor=actor, part_id=_id(body))
    reply.modal(blocks.stock_modal(kind, part, channel_id=_channel(body)))  # type: ignore[arg-type]


@listeners.action(ActionId.QUICK_FIND_PART)
def handle_find_part_action(
    _runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor_of(context)
    reply.modal(blocks.find_part_modal(channel_id=_channel(body)))


@listeners.action(ActionId.PART_ADD, ActionId.PART_EDIT, ActionId.PART_DELETE)
def handle_part_form_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    require(actor, Action.MANAGE_PARTS)
    action_id, channel = body["actions"][0]["action_id"], _channel(body)
    if action_id == ActionId.PART_ADD:
        reply.modal(blocks.part_form_modal(channel_id=channel))
        return
    part = parts.get_part(runtime.ctx, actor=actor, part_id=_id(body))
    if action_id == ActionId.PART_EDIT:
        reply.modal(blocks.part_form_modal(part, channel_id=channel))
    else:
        reply.modal(blocks.confirm_delete_modal(part, channel_id=channel))


@listeners.action(ActionId.INSTRUMENT_ADD, ActionId.INSTRUMENT_EDIT, ActionId.INSTRUMENT_STATUS)
def handle_instrument_form_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    action_id, channel = body["actions"][0]["action_id"], _channel(body)
    require(
        actor,
        Action.SET_INSTRUMENT_STATUS
        if action_id == ActionId.INSTRUMENT_STATUS
        else Action.MANAGE_INSTRUMENTS,
    )
    if action_id == ActionId.INSTRUMENT_ADD:
        reply.modal(blocks.instrument_form_modal(channel_id=channel))
        return
    found = instruments.get_instrument(runtime.ctx, actor=actor, instrument_id=_id(body))
    if action_id == ActionId.INSTRUMENT_EDIT:
        reply.modal(blocks.instrument_form_modal(found, channel_id=channel))
    else:
        reply.modal(blocks.instrument_status_modal(found, channel_id=channel))


@listeners.action(ActionId.ALERT_ACKNOWLEDGE, ActionId.ALERT_RESOLVE)
def handle_alert_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    if body["actions"][0]["action_id"] == ActionId.ALERT_ACKNOWLEDGE:
        alerts.acknowledge_alert(runtime.ctx, actor=actor, alert_id=_id(body))
    else:
        alerts.resolve_alert(runtime.ctx, actor=actor, alert_id=_id(body))
    page = alerts.list_alerts(runtime.ctx, actor=actor, active_only=True, limit=PAGE)
    reply.send(blocks.render_alerts_page(page, can_manage=True), replace=True)


@listeners.action(ActionId.ACCOUNT_LINK_OPEN)
def handle_link_open_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    """A URL button: Slack opens the page itself and only tells us it was clicked."""
