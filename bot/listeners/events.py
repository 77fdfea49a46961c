"""Events: App Home is published when a person opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.home import build_home
from bot.runtime import BotRuntime


def register(app: App, runtime: BotRuntime) -> None:
    @app.event("app_home_opened")
    def handle_app_home_opened_event(
        event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        view = build_home(runtime, context)
        runtime.defer(client.views_publish, user_id=user_id, view=view)
