"""Alert commands: alerts (list, act with buttons) and alert raise."""

from __future__ import annotations

from bot import blocks
from bot.commands import lookup
from bot.commands.base import CommandRequest, Message
from domain import alerts
from domain.errors import InvalidInput, NotFound
from domain.permissions import Action, can

RAISE_USAGE = "/farlab alert raise <part or instrument> <message>"


def handle_alerts_command(req: CommandRequest, args: list[str]) -> Message:
    page = alerts.list_alerts(req.ctx, actor=req.actor, active_only=True, limit=10)
    return blocks.render_alerts_page(page, can_manage=can(req.actor, Action.MANAGE_ALERTS))


def handle_alert_command(req: CommandRequest, args: list[str]) -> Message:
    if len(args) < 3 or args[0].lower() != "raise":
        raise InvalidInput(f"Usage: {RAISE_USAGE}")
    subject, message = args[1], " ".join(args[2:])
    part_id = instrument_id = None
    try:
        part_id = lookup.part(req, subject, rerun=("alert", "raise"), rest=tuple(args[2:])).id
    except NotFound:
        found = lookup.instrument(req, subject, rerun=("alert", "raise"), rest=tuple(args[2:]))
        instrument_id = found.id
    alert = alerts.raise_alert(
        req.ctx, actor=req.actor, message=message, part_id=part_id, instrument_id=instrument_id
    )
    return blocks.render_alert_raised(alert)
