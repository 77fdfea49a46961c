"""Events: App Home is published when a person opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.home import build_home
from bot.listeners.registry import Listeners
from bot.runtime import BotRuntime

listeners = Listeners()


@listeners.event("app_home_opened")
def handle_app_home_opened_event(
    runtime: BotRuntime, event: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    if event.get("tab", "home") != "home":
        return
    user_id = event["user"]
    view = build_home(runtime, context)
    runtime.defer(client.views_publish, user_id=user_id, view=view)
