"""Usage at a glance and ``/farlab usage``: what was taken, by week, and the forecast.

The glance is one context line for the part card and App Home ("Used, last 8 weeks: ▁▂▃▅▇ ·
3.2/week · runs out ~20 Dec · suggested minimum 12"); the answer to ``/farlab usage`` adds
the weekly figures, the counts' difference and, for an instrument, the parts and the cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.blocks import labels as lb
from bot.blocks.elements import Block, Message, context, header, message, section
from bot.blocks.sparkline import sparkline
from bot.blocks.text import escape
from domain.forecasting import rate_text
from domain.insight_results import (
    Forecast,
    InstrumentUsage,
    PartConsumption,
    PartUsage,
    UsageBucket,
    UsageGlance,
)
from domain.money import Money
from domain.vocabulary import ForecastStatus

GLANCE_WEEKS = 8  # the weeks of the part card's and App Home's sparklines
WEEKS_SHOWN = 6  # weekly figures in an answer, newest last
PARTS_SHOWN = 10
TOO_LITTLE = "too little history for a forecast"
CHART_NOTE = ":chart_with_upwards_trend: The chart is on its way to your DMs."


def about_day(value: date) -> str:
    """``~20 Dec``."""
    return f"~{value.day} {value:%b}"


def rate(weekly: float) -> str:
    """``3.2/week``, ``3/week``: as the forecast alerts write it."""
    return f"{rate_text(weekly)}/week"


def forecast_words(forecast: Forecast | None) -> list[str]:
    """``3.2/week``, ``runs out ~20 Dec``, ``suggested minimum 12``; or why there is none."""
    if forecast is None:
        return []
    if forecast.status is ForecastStatus.NO_USAGE:
        return ["not used lately: no run-out expected"]
    if not forecast.has_forecast or forecast.weekly_rate is None:
        return [TOO_LITTLE]
    words = [rate(forecast.weekly_rate)]
    if forecast.runout_date is not None:
        words.append(f"runs out {about_day(forecast.runout_date)}")
    if forecast.suggested_minimum is not None:
        words.append(f"suggested minimum {forecast.suggested_minimum}")
    return words


def usage_line(glance: UsageGlance) -> str:
    """``Used, last 8 weeks: ▁▂▃▅▇ · 3.2/week · runs out ~20 Dec · suggested minimum 12``."""
    weeks = len(glance.weekly_takes)
    shown = f"Used, last {weeks} weeks: {sparkline(glance.weekly_takes)}"
    return " · ".join([shown, *forecast_words(glance.forecast)])


def forecast_sentence(forecast: Forecast, unit: str) -> str:
    """``At 3.2/week, 9 pcs left last ~20 days (runs out ~20 Dec); lead time 21 days.``"""
    if forecast.status is ForecastStatus.NO_USAGE:
        return f"Not taken in the last {forecast.weeks} weeks: no run-out is expected."
    if not forecast.has_forecast or forecast.weekly_rate is None:
        return "Too little history for a forecast (it needs 4 weeks with at least 3 takes)."
    left = lb.amount(forecast.stock, unit)
    text = f"At {rate(forecast.weekly_rate)}, {left} left"
    if forecast.days_left is not None:
        text += f" last ~{forecast.days_left:.0f} days"
    if forecast.runout_date is not None:
        text += f" (runs out {about_day(forecast.runout_date)})"
    source = "the preferred offer's" if forecast.lead_time_from_offer else "the default"
    text += f"; lead time {forecast.lead_time_days} days ({source})."
    if forecast.reorder_by is not None:
        text += f" Reorder by {forecast.reorder_by.day} {forecast.reorder_by:%b %Y}."
    if forecast.suggested_minimum is not None:
        text += f" Suggested minimum {forecast.suggested_minimum} (now {forecast.minimum})."
    return text


def counted_sentence(difference: int, unit: str) -> str:
    if difference < 0:
        return f"Counts found {lb.amount(-difference, unit)} missing."
    if difference > 0:
        return f"Counts found {lb.amount(difference, unit)} more than the ledger had."
    return "Counts found no difference."


def week_lines(buckets: Sequence[UsageBucket], unit: str | None) -> list[str]:
    """``• Week of 30 Nov: 4 pcs in 2 takes``, the last few weeks, oldest first (without a
    unit when the parts have different ones)."""
    return [
        f"• Week of {b.start.day} {b.start:%b}: "
        f"{lb.amount(b.taken, unit) if unit else b.taken} in {b.takes} takes"
        for b in buckets[-WEEKS_SHOWN:]
    ]


def _weekly(buckets: Sequence[UsageBucket], unit: str | None) -> str:
    line = f"*By week* {sparkline([b.taken for b in buckets])}"
    return "\n".join([line, *week_lines(buckets, unit)])


def render_part_usage(usage: PartUsage, *, weeks: int, chart_coming: bool = True) -> Message:
    """The answer to ``/farlab usage <part>``."""
    part, unit = usage.part, usage.part.unit_of_measure
    takes = sum(b.takes for b in usage.buckets)
    taken = f"*Taken* {lb.amount(usage.total_taken, unit)} in {takes} takes"
    blocks: list[Block] = [
        header(f"Usage of {lb.part_title(part)}, last {weeks} weeks"),
        section(f"{taken} · {lb.stock_line(part)}"),
        section(_weekly(usage.buckets, unit)),
        section(forecast_sentence(usage.forecast, unit)),
        context(counted_sentence(usage.counted_difference, unit)),
    ]
    if chart_coming:
        blocks.append(context(CHART_NOTE))
    text = f"{lb.text(lb.part_title(part))}: {lb.amount(usage.total_taken, unit)} taken"
    return message(f"{text} in the last {weeks} weeks", blocks)


def _cost(found: PartConsumption) -> str:
    if found.cost_minor is None or found.currency is None:
        return ""
    return f" · {Money(found.cost_minor, found.currency)}"


def _part_line(found: PartConsumption) -> str:
    ref = f"*{lb.text(found.part_number, lb.NUMBER_BUDGET)}* {lb.text(found.name)}"
    return f"• {ref}: {lb.amount(found.taken, found.unit)} in {found.takes} takes{_cost(found)}"


def _parts(usage: InstrumentUsage) -> str:
    if not usage.parts:
        return "*Parts*\nNone taken for it."
    lines = ["*Parts*", *(_part_line(p) for p in usage.parts[:PARTS_SHOWN])]
    if len(usage.parts) > PARTS_SHOWN:
        lines.append(f"and {len(usage.parts) - PARTS_SHOWN} more")
    return "\n".join(lines)


def _spend(usage: InstrumentUsage) -> str:
    spent = ", ".join(str(Money(c.amount_minor, c.currency)) for c in usage.cost)
    text = f"Cost: {spent}" if spent else "Cost: no prices known"
    if usage.unpriced_parts:
        text += f" ({usage.unpriced_parts} parts without a price)"
    return text


def render_instrument_usage(
    usage: InstrumentUsage, *, weeks: int, chart_coming: bool = True
) -> Message:
    """The answer to ``/farlab usage <instrument>``."""
    name = lb.text(usage.instrument_name)
    taken = sum(b.taken for b in usage.buckets)
    takes = sum(b.takes for b in usage.buckets)
    blocks: list[Block] = [
        header(f"Usage for {usage.instrument_name}, last {weeks} weeks"),
        section(f"*Taken* {taken} items in {takes} takes"),
        section(_weekly(usage.buckets, None)),
        section(_parts(usage)),
        context(_spend(usage)),
    ]
    if chart_coming:
        blocks.append(context(CHART_NOTE))
    return message(f"{name}: {taken} taken in the last {weeks} weeks", blocks)


def _subject(usage: PartUsage | InstrumentUsage) -> str:
    return usage.part.part_number if isinstance(usage, PartUsage) else usage.instrument_name


def chart_title(usage: PartUsage | InstrumentUsage, weeks: int) -> str:
    """The chart file's title (plain text): ``Usage of FIL-1002, last 12 weeks``."""
    return f"Usage of {_subject(usage)}, last {weeks} weeks"


def chart_comment(usage: PartUsage | InstrumentUsage, weeks: int) -> str:
    """The message the chart is shared with (mrkdwn)."""
    if isinstance(usage, InstrumentUsage):
        return f"What *{lb.text(usage.instrument_name)}* consumed each week, last {weeks} weeks."
    ref = lb.part_ref(usage.part)
    words = forecast_words(usage.forecast)
    return f"{ref}: stock and minimum, taken each week, last {weeks} weeks · " + " · ".join(words)


def render_chart_not_sent(problem: str) -> Message:
    line = f":warning: FarLab could not send the usage chart to your DMs: {escape(problem)}."
    return message(line, [section(line)])
