"""Alert commands: alerts (list, act with buttons; routes) and alert raise."""

from __future__ import annotations

from bot import blocks
from bot.blocks import alert_admin
from bot.blocks.alert_forms import alert_route_modal
from bot.blocks.text import MESSAGE_MAX_BLOCKS
from bot.channel_names import channel_named
from bot.commands import lookup
from bot.commands.base import CommandRequest, Message
from bot.commands.parse import mention_id, suggest
from domain import alert_delivery, alert_routes, alerts
from domain.errors import InvalidInput, NotFound
from domain.permissions import Action, can, require
from domain.vocabulary import AlertKind, AlertSeverity

RAISE_USAGE = "/farlab alert raise <part or instrument> <message>"
ROUTE_USAGE = "/farlab alerts route [<category or instrument> #channel]"
ALERTS_USAGE = (
    "/farlab alerts [critical|warning|info] [low-stock|manual|maintenance|forecast] | "
    f"/farlab alerts routes | {ROUTE_USAGE} | /farlab alerts unroute <category or instrument>"
)
# The words that filter ``/farlab alerts``: word -> ("kind" or "severity", value).
ALERT_FILTERS: dict[str, tuple[str, str]] = {
    **{severity.value: ("severity", severity.value) for severity in AlertSeverity},
    **{kind.value: ("kind", kind.value) for kind in AlertKind},
    "low-stock": ("kind", AlertKind.LOW_STOCK.value),
    "low": ("kind", AlertKind.LOW_STOCK.value),
}
SUBCOMMANDS = ("route", "routes", "unroute")
PAGE = 10


def alert_filters(words: list[str]) -> dict[str, list[str]]:
    """``critical low-stock`` -> ``{"kind": ["low_stock"], "severity": ["critical"]}``;
    several words of one sort mean any of them. An unknown word gets a "did you mean"."""
    chosen: dict[str, list[str]] = {"kind": [], "severity": []}
    for word in words:
        found = ALERT_FILTERS.get(word.lower())
        if found is None:
            guess = suggest(word, [*ALERT_FILTERS, *SUBCOMMANDS])
            hint = f" Did you mean `{guess}`?" if guess else ""
            raise InvalidInput(f"Unknown alert filter `{word[:40]}`.{hint} Usage: {ALERTS_USAGE}")
        sort, value = found
        if value not in chosen[sort]:
            chosen[sort].append(value)
    return chosen


def handle_alerts_command(req: CommandRequest, args: list[str]) -> Message | None:
    if args:
        sub, rest = args[0].lower(), args[1:]
        if sub == "route":
            return handle_alert_route_command(req, rest)
        if sub == "routes":
            return handle_alert_routes_command(req, rest)
        if sub == "unroute":
            return handle_alert_unroute_command(req, rest)
    chosen = alert_filters(args)
    page = alerts.list_alerts(
        req.ctx,
        actor=req.actor,
        active_only=True,
        kind=chosen["kind"] or None,
        severity=chosen["severity"] or None,
        limit=PAGE,
    )
    managing = can(req.actor, Action.MANAGE_ALERTS)
    answer = blocks.render_filtered_alerts(
        page, kinds=chosen["kind"], severities=chosen["severity"], can_manage=managing
    )
    if managing:
        problems = alert_delivery.delivery_problems(req.ctx, actor=req.actor)
        extra = alert_admin.delivery_problem_blocks(problems)
        if len(answer["blocks"]) + len(extra) <= MESSAGE_MAX_BLOCKS:
            answer["blocks"] += extra
    return answer


def _channel(req: CommandRequest, word: str) -> str:
    """The channel id in ``<#C0LAB|lab>`` (as Slack escapes a picked channel), in a bare
    id, or of the channel named ``#lab`` (looked up in Slack)."""
    channel = mention_id(word, "#")
    if channel is None and alert_routes.CHANNEL_ID.match(word):
        channel = word
    if channel is None and word.startswith("#") and len(word) > 1:
        channel = channel_named(req.client, word)
        if channel is None:
            raise InvalidInput.field(
                "channel",
                f"No channel named {word} that FarLab can see: pick it from Slack's list "
                "as you type #, or invite FarLab to a private channel first.",
            )
    if channel is None:
        raise InvalidInput.field(
            "channel",
            f"End with a channel picked from Slack's list as you type #. Usage: {ROUTE_USAGE}",
        )
    return channel


def handle_alert_route_command(req: CommandRequest, args: list[str]) -> Message | None:
    if not args:  # the form, with the channel picked from Slack's list
        require(req.actor, Action.MANAGE_ALERTS)
        req.open_modal(alert_route_modal(channel_id=req.channel_id))
        return None
    if len(args) < 2:
        raise InvalidInput(f"Usage: {ROUTE_USAGE}")
    channel, words = _channel(req, args[-1]), args[:-1]
    kind = None
    if len(words) > 1 and words[0].lower() in ("category", "instrument"):
        kind, words = words[0].lower(), words[1:]
    route = alert_routes.set_alert_route(
        req.ctx, actor=req.actor, target=" ".join(words), channel_id=channel, kind=kind
    )
    return alert_admin.render_route_set(route)


def handle_alert_routes_command(req: CommandRequest, _args: list[str]) -> Message:
    found = alert_routes.list_alert_routes(req.ctx, actor=req.actor)
    return alert_admin.render_routes(found, default_channel=req.runtime.alert_channel)


def handle_alert_unroute_command(req: CommandRequest, args: list[str]) -> Message:
    if not args:
        raise InvalidInput("Usage: /farlab alerts unroute <category or instrument>")
    route = alert_routes.remove_alert_route(req.ctx, actor=req.actor, target=" ".join(args))
    return alert_admin.render_route_removed(route)


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
