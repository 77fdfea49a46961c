"""Usage and forecasts: ``/farlab usage <part|instrument> [weeks]`` (the numbers in the
answer, the chart by DM after it) and ``/farlab minimums`` (managers); the part card's
usage line."""

from __future__ import annotations

from bot.blocks.minimums import SHOWN, render_minimum_suggestions
from bot.blocks.usage import (
    GLANCE_WEEKS,
    render_instrument_usage,
    render_part_usage,
)
from bot.commands import lookup
from bot.commands.base import Command, CommandRequest, Message
from bot.commands.parse import is_number
from bot.usage_charts import send_usage_chart
from domain import consumption, forecasting
from domain.consumption import MAX_WEEKS
from domain.context import DomainContext
from domain.errors import InvalidInput, NotFound
from domain.insight_results import InstrumentUsage, PartUsage, UsageGlance
from domain.permissions import Actor

USAGE_USAGE = f"/farlab usage <part or instrument> [weeks, 1-{MAX_WEEKS}]"
DEFAULT_WEEKS = 12


def weeks_of(word: str) -> int:
    """``12`` -> 12; anything but a whole number from 1 to 104 is refused, saying so."""
    weeks = int(word) if word.isascii() and word.isdigit() else 0
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput.field(
            "weeks",
            f"Weeks must be a whole number from 1 to {MAX_WEEKS} (got {word[:20]!r}). "
            f"Usage: {USAGE_USAGE}",
        )
    return weeks


def _subject_and_weeks(args: list[str]) -> tuple[str, str | None]:
    if not args:
        raise InvalidInput(f"Usage: {USAGE_USAGE}")
    if len(args) > 1 and is_number(args[-1]):
        return " ".join(args[:-1]), args[-1]
    return " ".join(args), None


def handle_usage_command(req: CommandRequest, args: list[str]) -> Message:
    """A part number (or name) first, else an instrument's name."""
    ref, weeks_word = _subject_and_weeks(args)
    weeks = weeks_of(weeks_word) if weeks_word is not None else DEFAULT_WEEKS
    rest = (weeks_word,) if weeks_word else ()
    try:
        part = lookup.part(req, ref, rerun=("usage",), rest=rest)
    except NotFound:
        try:
            found = lookup.instrument(req, ref, rerun=("usage",), rest=rest)
        except NotFound:
            raise NotFound(f"No part or instrument named {ref[:100]}.") from None
        used = consumption.instrument_usage(
            req.ctx, actor=req.actor, instrument_id=found.id, weeks=weeks
        )
        _send_chart(req, used, weeks)
        return render_instrument_usage(used, weeks=weeks)
    usage = consumption.part_usage(req.ctx, actor=req.actor, part_id=part.id, weeks=weeks)
    _send_chart(req, usage, weeks)
    return render_part_usage(usage, weeks=weeks)


def _send_chart(req: CommandRequest, usage: PartUsage | InstrumentUsage, weeks: int) -> None:
    """Draw the chart and send it to the person's DM once the answer is on its way."""
    req.runtime.defer(send_usage_chart, req.client, req.user_id, usage, weeks, req.response_url)


def handle_minimums_command(req: CommandRequest, args: list[str]) -> Message:
    if args:
        raise InvalidInput("Usage: /farlab minimums")
    found = forecasting.minimum_suggestions(req.ctx, actor=req.actor, limit=SHOWN)
    return render_minimum_suggestions(found)


def usage_glance(ctx: DomainContext, actor: Actor, part_id: int) -> UsageGlance:
    """A part's weekly takes of the last weeks and its forecast, for its card."""
    return consumption.usage_glance(ctx, actor=actor, part_id=part_id, weeks=GLANCE_WEEKS)


COMMANDS = (
    Command("usage", handle_usage_command),
    Command("minimums", handle_minimums_command),
)
