"""App Home: what a person sees when they open FarLab in Slack."""

from __future__ import annotations

from typing import Any

from bot import blocks
from bot.runtime import BotRuntime
from domain import alerts, instruments, parts, users
from domain.permissions import Action, can


def build_home(runtime: BotRuntime, context: Any) -> dict[str, Any]:
    """The Home view for the acting person (or how to get linked)."""
    actor = context.get("actor")
    if actor is None:
        return blocks.render_home(None, deactivated=bool(context.get("deactivated")))
    ctx = runtime.ctx
    user = users.get_user(ctx, actor=actor, user_id=actor.user_id)
    open_alerts = (
        alerts.list_alerts(ctx, actor=actor, active_only=True, limit=10)
        if can(actor, Action.MANAGE_ALERTS)
        else None
    )
    low = parts.list_parts(ctx, actor=actor, low_only=True, limit=10)
    down = [
        i
        for i in instruments.list_instruments(ctx, actor=actor, limit=200).items
        if i.status != "operational"
    ]
    return blocks.render_home(
        user,
        open_alerts=open_alerts,
        low_parts=low,
        instruments_down=down,
        can_manage=can(actor, Action.MANAGE_PARTS),
    )
