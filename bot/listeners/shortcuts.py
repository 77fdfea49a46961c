"""Shortcuts, Slack's own entry points: "Take a part" from the shortcuts menu, and "Raise
an alert" from a message's menu.

Each opens its form only for someone who may use it (the domain's permissions, asked
before the form opens); anyone else is told why instead (the error handler answers in a
small modal, or beside the message). The form's submission is checked again by the domain.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks
from bot.blocks.alert_forms import raise_alert_modal
from bot.ids import ShortcutId
from bot.listeners.registry import Listeners
from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain.permissions import Action, require

Payload = dict[str, Any]
listeners = Listeners()


@listeners.global_shortcut(ShortcutId.TAKE_PART)
def handle_take_part_shortcut(
    runtime: BotRuntime, ack: Ack, body: Payload, client: WebClient, context: BoltContext
) -> None:
    ack()
    require(actor_of(context), Action.USE_STOCK)
    view = blocks.stock_modal("use")  # with a part picker; the answer comes by DM
    runtime.defer(client.views_open, trigger_id=body["trigger_id"], view=view)


@listeners.message_shortcut(ShortcutId.RAISE_ALERT)
def handle_raise_alert_shortcut(
    runtime: BotRuntime, ack: Ack, body: Payload, client: WebClient, context: BoltContext
) -> None:
    ack()
    require(actor_of(context), Action.RAISE_ALERT)
    runtime.defer(open_raise_alert_form, client, body)


def open_raise_alert_form(client: WebClient, body: Payload) -> None:
    """The raise-alert form with the message's text and a link to it (without the link
    when Slack cannot give one: the form opens all the same)."""
    channel, message = str(body["channel"]["id"]), body["message"]
    try:
        found = client.chat_getPermalink(channel=channel, message_ts=message["ts"])
        link = str(found["permalink"])
    except SlackApiError:
        link = None
    text = message.get("text")
    view = raise_alert_modal(
        text=text if isinstance(text, str) else "", link=link, channel_id=channel
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)
