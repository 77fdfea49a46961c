"""The ``/farlab`` slash command: answered in the acknowledgement itself."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.commands.base import CommandRequest
from bot.commands.router import dispatch
from bot.listeners.registry import Listeners
from bot.runtime import BotRuntime

listeners = Listeners()


@listeners.command("/farlab")
def handle_farlab_command(
    runtime: BotRuntime, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    req = CommandRequest(
        runtime=runtime,
        client=client,
        context=context,
        team_id=body.get("team_id", ""),
        user_id=body.get("user_id", ""),
        channel_id=body.get("channel_id", ""),
        trigger_id=body.get("trigger_id", ""),
        response_url=body.get("response_url", ""),
    )
    answer = dispatch(req, body.get("text", ""))
    if answer is None:
        ack()
    else:
        ack(response_type="ephemeral", **answer)
