"""Managing alerts from Slack: routes, and the alerts that could not be posted."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks import labels as lb
from bot.blocks.elements import Block, Message, context, header, message, section
from domain.notices import DeliveryProblem, RouteView
from domain.vocabulary import RouteKind

PROBLEMS_SHOWN = 10


def channel(channel_id: str | None) -> str:
    """A channel link Slack shows with the channel's name."""
    return f"<#{channel_id}>" if channel_id else "no channel"


def route_line(route: RouteView) -> str:
    what = "instrument" if route.kind == RouteKind.INSTRUMENT else "category"
    return f"• {what} *{lb.text(route.label)}* → {channel(route.channel_id)}"


def render_routes(routes: Sequence[RouteView], *, default_channel: str | None) -> Message:
    lines = [route_line(r) for r in routes] or ["No routes yet."]
    fallback = f"Everything else: {channel(default_channel)}"
    if default_channel is None:
        fallback += " (alerts without a route wait until one is set; FARLAB_ALERT_CHANNEL)"
    blocks: list[Block] = [
        header("Alert routes"),
        section("\n".join(lines)),
        context(fallback),
        context(
            "Set one with `/farlab alerts route <category or instrument> #channel`, "
            "or `/farlab alerts route` to pick the channel in a form."
        ),
    ]
    return message(f"{len(routes)} alert routes", blocks)


def render_route_set(route: RouteView) -> Message:
    text = f":white_check_mark: Alerts for {route_line(route).removeprefix('• ')}"
    return message(text, [section(text)])


def render_route_removed(route: RouteView) -> Message:
    text = f":white_check_mark: Removed the route for *{lb.text(route.label)}*."
    return message(text, [section(text)])


def problem_line(problem: DeliveryProblem) -> str:
    mark = ":no_entry:" if problem.needs_action else ":hourglass:"
    line = (
        f"{mark} {lb.alert_subject(problem.alert)}: `{lb.text(problem.error, 200)}`"
        f" · {problem.attempts} attempts"
    )
    if problem.next_attempt_at is not None:
        line += f" · next {lb.when(problem.next_attempt_at)}"
    return line


def delivery_problem_blocks(problems: Sequence[DeliveryProblem]) -> list[Block]:
    """For managers under the alert list: alerts not posted yet, and why."""
    if not problems:
        return []
    lines = [problem_line(p) for p in problems[:PROBLEMS_SHOWN]]
    hint = (
        ":no_entry: needs someone: invite FarLab to the channel, or set a route with "
        "`/farlab alerts route`. :hourglass: is retried by itself."
    )
    return [section("*Not posted to Slack yet*\n" + "\n".join(lines)), context(hint)]
