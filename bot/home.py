"""App Home: what a person sees when they open FarLab in Slack."""

from __future__ import annotations

from typing import Any

from bot import blocks
from bot.blocks.usage import GLANCE_WEEKS
from bot.runtime import BotRuntime
from domain.consumption import weekly_takes_of_parts
from domain.home import home_summary
from domain.permissions import Action, can


def build_home(runtime: BotRuntime, context: Any) -> dict[str, Any]:
    """The Home view for the acting person (or how to get linked)."""
    actor = context.get("actor")
    if actor is None:
        return blocks.render_home(None, deactivated=bool(context.get("deactivated")))
    summary = home_summary(runtime.ctx, actor=actor)
    shown = [part.id for part in summary.low_parts.items]
    usage = (
        weekly_takes_of_parts(runtime.ctx, actor=actor, part_ids=shown, weeks=GLANCE_WEEKS)
        if shown
        else {}
    )
    return blocks.render_home(
        summary.user,
        open_alerts=summary.open_alerts,
        low_parts=summary.low_parts,
        instruments_down=summary.instruments_down,
        can_manage=can(actor, Action.MANAGE_PARTS),
        usage=usage,
    )
