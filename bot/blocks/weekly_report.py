"""The weekly report's message (``domain.weekly_report``): a header, then one section each
for the most used parts, the parts running out within their lead time, shrinkage and
spend per instrument; an empty section says so. Pure: a report in, Block Kit out."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks import labels as lb
from bot.blocks.elements import Block, Message, context, header, message, section
from domain.insight_results import (
    CurrencyTotal,
    InstrumentSpend,
    PartConsumption,
    RunningOut,
    Shrinkage,
    WeeklyReport,
)
from domain.money import Money

TITLE = "📈 FarLab weekly report"


def render_weekly_report(report: WeeklyReport) -> Message:
    blocks: list[Block] = [
        header(TITLE),
        context(f"The 7 days to {lb.day(report.until.date())}"),
        _section(
            "Most used parts", [_used_line(p) for p in report.most_used], "Nothing was taken."
        ),
        _section(
            "Running out within their lead time",
            [_running_out_line(r) for r in report.running_out],
            "No part is expected to run out within its lead time.",
        ),
        _section(
            "Shrinkage (counts that found a difference)",
            [_shrinkage_line(s) for s in report.shrinkage],
            "No count found a difference.",
        ),
        _section(
            "Spend per instrument",
            [_spend_line(s) for s in report.spend],
            "No parts were taken for an instrument.",
        ),
    ]
    running = len(report.running_out)
    many = "part" if running == 1 else "parts"
    text = f"FarLab weekly report: {running} {many} running out within their lead time"
    return message(text, blocks)


def _section(title: str, lines: Sequence[str], empty: str) -> Block:
    body = "\n".join(lines) if lines else f"_{empty}_"
    return section(f"*{title}*\n{body}")


def _part(number: str, name: str) -> str:
    return f"*{lb.text(number, lb.NUMBER_BUDGET)}* {lb.text(name)}"


def _money_text(totals: Sequence[CurrencyTotal]) -> str:
    """``120.50 EUR + 10.00 USD``."""
    return " + ".join(str(Money(t.amount_minor, t.currency)) for t in totals)


def _used_line(used: PartConsumption) -> str:
    takes = "1 take" if used.takes == 1 else f"{used.takes} takes"
    line = f"• {_part(used.part_number, used.name)}: {lb.amount(used.taken, used.unit)} ({takes})"
    if used.cost_minor is not None and used.currency:
        line += f" · {Money(used.cost_minor, used.currency)}"
    return line


def _running_out_line(item: RunningOut) -> str:
    part, forecast = item.part, item.forecast
    line = f"• {lb.part_ref(part)}: {lb.amount(part.quantity_in_stock, part.unit_of_measure)} left"
    if forecast.weekly_rate is not None:
        line += f" at {forecast.weekly_rate:.1f}/week"
    if forecast.reorder_by is not None:
        line += f"; reorder by {lb.day(forecast.reorder_by)}"
    return line + f" (lead time {forecast.lead_time_days} days)"


def _shrinkage_line(item: Shrinkage) -> str:
    counts = "1 count" if item.counts == 1 else f"{item.counts} counts"
    found = "missing" if item.difference < 0 else "found"
    amount = lb.amount(abs(item.difference), item.unit)
    return f"• {_part(item.part_number, item.name)}: {amount} {found} ({counts})"


def _spend_line(item: InstrumentSpend) -> str:
    cost = _money_text(item.cost) if item.cost else "no known prices"
    line = f"• *{lb.text(item.instrument_name)}*: {cost} ({item.taken} taken"
    if item.unpriced_parts:
        many = "part" if item.unpriced_parts == 1 else "parts"
        line += f"; {item.unpriced_parts} {many} without a price"
    return line + ")"
