"""The alert forms' submissions: raise an alert, and route alerts to a picked channel."""

from __future__ import annotations

from typing import Any

from bot import blocks
from bot.blocks import alert_admin
from bot.forms import picked_id
from bot.ids import BlockId, CallbackId
from bot.listeners.registry import Listeners
from bot.listeners.views import Message, answered_after_closing
from bot.runtime import BotRuntime
from domain import alert_routes, alerts
from domain.permissions import Actor

listeners = Listeners(answered_after_closing)


def _picked(values: dict[str, Any], block_id: BlockId, what: str) -> int | None:
    value = values.get(block_id)
    return picked_id(block_id, value, what) if value is not None else None


@listeners.view(CallbackId.ALERT_RAISE)
def handle_alert_raise_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], _meta: dict[str, Any]
) -> Message:
    alert = alerts.raise_alert(
        runtime.ctx,
        actor=actor,
        message=values.get(BlockId.MESSAGE) or "",
        part_id=_picked(values, BlockId.PART, "part"),
        instrument_id=_picked(values, BlockId.INSTRUMENT, "instrument"),
        severity=values.get(BlockId.SEVERITY) or "warning",
    )
    return blocks.render_alert_raised(alert)


@listeners.view(CallbackId.ALERT_ROUTE)
def handle_alert_route_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], _meta: dict[str, Any]
) -> Message:
    route = alert_routes.set_alert_route(
        runtime.ctx,
        actor=actor,
        target=values.get(BlockId.TARGET) or "",
        channel_id=values.get(BlockId.CHANNEL) or "",
        kind=values.get(BlockId.KIND),
    )
    return alert_admin.render_route_set(route)
