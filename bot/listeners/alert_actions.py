"""The buttons of alert messages in channels: Acknowledge, Snooze, Resolve, Done, List all.

Each click is checked by the domain (managers and admins only; a member's click is refused
by the error handler with an ephemeral message and changes nothing). After the change the
channel message is updated in place (``chat.update``) from the alert's new state.
Restock… is the part's own restock button (``ActionId.PART_RESTOCK``), handled with the
other stock buttons; the restock resolves the alert and the next delivery run updates it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import blocks
from bot.alert_messenger import SlackAlertMessenger
from bot.blocks.alert_message import render_deleted_alert_message
from bot.ids import ActionId
from bot.listeners.registry import Listeners
from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain import alert_delivery, alerts, maintenance
from domain.errors import InvalidInput, NotFound
from domain.permissions import Action, can

Payload = dict[str, Any]
LIST_LIMIT = 10
listeners = Listeners()


def _value(body: Payload) -> dict[str, Any]:
    action = (body.get("actions") or [{}])[0]
    raw = (action.get("selected_option") or {}).get("value") or action.get("value")
    return blocks.unpack(raw)


def _alert_id(body: Payload) -> int:
    alert_id = blocks.packed_id(_value(body).get("id"))
    if alert_id is None:
        raise InvalidInput("This button is out of date; run `/farlab alerts` instead.")
    return alert_id


@contextmanager
def _unless_deleted(runtime: BotRuntime, client: WebClient, body: Payload) -> Iterator[None]:
    """A click on the message of an alert that was deleted (``DELETE /api/alerts/{id}``)
    turns that message into a note saying so, for everyone; the clicker is told too."""
    try:
        yield
    except NotFound:
        channel = (body.get("channel") or {}).get("id")
        shown = body.get("message") or {}
        if channel and shown.get("ts"):
            note = render_deleted_alert_message(shown.get("blocks") or [])
            # Not deferred: the refusal rolls the interaction back, which drops deferred work.
            runtime.submit(client.chat_update, channel=channel, ts=shown["ts"], **note)
        raise NotFound("This alert was deleted.") from None


def _update_message(runtime: BotRuntime, client: WebClient, alert_id: int) -> None:
    """After the answer: show the alert's new state in its channel message."""
    runtime.defer(
        alert_delivery.refresh_alert_message,
        runtime.ctx,
        messenger=SlackAlertMessenger(client),
        alert_id=alert_id,
    )


@listeners.action(ActionId.ALERT_MESSAGE_ACKNOWLEDGE)
def handle_acknowledge_alert_action(
    runtime: BotRuntime, ack: Ack, body: Payload, client: WebClient, context: BoltContext
) -> None:
    ack()
    with _unless_deleted(runtime, client, body):
        alert = alerts.acknowledge_alert(
            runtime.ctx, actor=actor_of(context), alert_id=_alert_id(body)
        )
    _update_message(runtime, client, alert.id)


@listeners.action(ActionId.ALERT_MESSAGE_RESOLVE)
def handle_resolve_alert_action(
    runtime: BotRuntime, ack: Ack, body: Payload, client: WebClient, context: BoltContext
) -> None:
    ack()
    with _unless_deleted(runtime, client, body):
        alert = alerts.resolve_alert(runtime.ctx, actor=actor_of(context), alert_id=_alert_id(body))
    _update_message(runtime, client, alert.id)


@listeners.action(ActionId.ALERT_MESSAGE_SNOOZE)
def handle_snooze_alert_action(
    runtime: BotRuntime, ack: Ack, body: Payload, client: WebClient, context: BoltContext
) -> None:
    ack()
    with _unless_deleted(runtime, client, body):
        alert = alerts.snooze_alert(  # the domain checks the role first, then the duration
            runtime.ctx,
            actor=actor_of(context),
            alert_id=_alert_id(body),
            seconds=_value(body).get("s"),
        )
    _update_message(runtime, client, alert.id)


@listeners.action(ActionId.ALERT_MESSAGE_DONE)
def handle_maintenance_done_action(
    runtime: BotRuntime, ack: Ack, body: Payload, client: WebClient, context: BoltContext
) -> None:
    ack()
    with _unless_deleted(runtime, client, body):
        alert = maintenance.record_maintenance_done(
            runtime.ctx, actor=actor_of(context), alert_id=_alert_id(body)
        )
    _update_message(runtime, client, alert.id)


@listeners.action(ActionId.ALERT_DIGEST_LIST)
def handle_list_alerts_action(
    runtime: BotRuntime, ack: Ack, respond: Respond, context: BoltContext
) -> None:
    ack()
    actor = actor_of(context)
    page = alerts.list_alerts(runtime.ctx, actor=actor, active_only=True, limit=LIST_LIMIT)
    answer = blocks.render_alerts_page(page, can_manage=can(actor, Action.MANAGE_ALERTS))
    runtime.defer(respond, response_type="ephemeral", replace_original=False, **answer)
