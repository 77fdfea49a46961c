"""Bolt listeners, one module per kind of request; each collects its own in a ``Listeners``."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import (
    account_actions,
    account_views,
    actions,
    alert_actions,
    alert_views,
    commands,
    events,
    import_actions,
    instrument_actions,
    minimum_actions,
    options,
    order_actions,
    reorder_actions,
    reorder_views,
    shopping_actions,
    shortcuts,
    views,
)
from bot.listeners.registry import Listeners
from bot.runtime import BotRuntime

ALL: tuple[Listeners, ...] = (
    commands.listeners,
    actions.listeners,
    views.listeners,
    options.listeners,
    events.listeners,
    alert_actions.listeners,
    account_actions.listeners,
    account_views.listeners,
    shortcuts.listeners,
    alert_views.listeners,
    import_actions.listeners,
    instrument_actions.listeners,
    shopping_actions.listeners,
    order_actions.listeners,
    reorder_actions.listeners,
    reorder_views.listeners,
    reorder_views.requests,
    minimum_actions.listeners,
)


def register_all(app: App, runtime: BotRuntime) -> None:
    """Register every listener module's listeners with ``app``."""
    for listeners in ALL:
        listeners.register(app, runtime)
