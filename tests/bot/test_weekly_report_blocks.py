"""The weekly report's message: a header and four sections, each saying so when empty,
money in each currency's format, and every name escaped."""

from __future__ import annotations

from datetime import date, timedelta

from bot.blocks.limits import check_message
from bot.blocks.weekly_report import render_weekly_report
from domain.insight_results import (
    CurrencyTotal,
    Forecast,
    InstrumentSpend,
    PartConsumption,
    RunningOut,
    Shrinkage,
    WeeklyReport,
)
from domain.vocabulary import ForecastStatus
from tests.bot.blocks_samples import NOW, part

EMPTY = WeeklyReport(
    since=NOW - timedelta(days=7), until=NOW, most_used=(), running_out=(), shrinkage=(), spend=()
)


def _forecast() -> Forecast:
    return Forecast(
        part_id=12, status=ForecastStatus.OK, weeks=10, takes=20, taken=32, stock=9, minimum=5,
        on_order=0, lead_time_days=21, lead_time_from_offer=True, weekly_rate=3.2,
        weekly_sd=0.8, suggested_minimum=12, days_left=19.7, runout_date=date(2025, 4, 2),
        minimum_date=date(2025, 3, 25), reorder_by=date(2025, 3, 4), computed_at=NOW,
    )  # fmt: skip


def _sections(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def test_an_empty_week_shows_every_section_saying_so():
    message = render_weekly_report(EMPTY)
    check_message(message)
    assert message["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "📈 FarLab weekly report", "emoji": True},
    }
    assert _sections(message) == [
        "*Most used parts*\n_Nothing was taken._",
        "*Running out within their lead time*\n_No part is expected to run out within its "
        "lead time._",
        "*Shrinkage (counts that found a difference)*\n_No count found a difference._",
        "*Spend per instrument*\n_No parts were taken for an instrument._",
    ]


def test_a_week_lists_parts_forecasts_shrinkage_and_spend_in_their_currencies():
    report = EMPTY.__class__(
        since=EMPTY.since,
        until=EMPTY.until,
        most_used=(
            PartConsumption(12, "FIL-1002", "Rhenium <b>", "pcs", 12, 5, 123450, "EUR"),
            PartConsumption(13, "VAC-7", "O-ring & seal", "pcs", 1, 1, None, None),
        ),
        running_out=(RunningOut(part=part(quantity_in_stock=9), forecast=_forecast()),),
        shrinkage=(
            Shrinkage(14, "CON-3", "Tin capsules", "box", -2, 1),
            Shrinkage(15, "CON-4", "Vials", "pcs", 3, 2),
        ),
        spend=(
            InstrumentSpend(3, "MAT253 <!channel>", (CurrencyTotal("EUR", 12050),
                            CurrencyTotal("JPY", 1200)), 14, 2),
            InstrumentSpend(4, "Neptune", (), 3, 1),
        ),
    )  # fmt: skip
    message = render_weekly_report(report)
    check_message(message)
    used, running, shrinkage, spend = _sections(message)
    assert used.splitlines()[1:] == [
        "• *FIL-1002* Rhenium &lt;b&gt;: 12 pcs (5 takes) · 1,234.50 EUR",
        "• *VAC-7* O-ring &amp; seal: 1 pc (1 take)",
    ]
    assert running.splitlines()[1] == (
        "• *FIL-1002* Rhenium filament: 9 pcs left at 3.2/week; reorder by 4 Mar 2025 "
        "(lead time 21 days)"
    )
    assert shrinkage.splitlines()[1:] == [
        "• *CON-3* Tin capsules: 2 boxes missing (1 count)",
        "• *CON-4* Vials: 3 pcs found (2 counts)",
    ]
    assert spend.splitlines()[1:] == [
        "• *MAT253 &lt;!channel&gt;*: 120.50 EUR + 1,200 JPY (14 taken; 2 parts without a price)",
        "• *Neptune*: no known prices (3 taken; 1 part without a price)",
    ]
    assert message["text"] == "FarLab weekly report: 1 part running out within their lead time"
