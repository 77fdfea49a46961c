"""Usage and forecast builders: the usage line of the part card and App Home, the answer to
``/farlab usage``, and ``/farlab minimums`` with its buttons."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from bot import blocks
from bot.blocks.minimums import render_minimum_suggestions, render_minimums_accepted
from bot.blocks.usage import (
    chart_comment,
    chart_title,
    forecast_sentence,
    render_chart_not_sent,
    render_instrument_usage,
    render_part_usage,
    usage_line,
)
from bot.ids import ActionId
from domain.insight_results import (
    CurrencyTotal,
    Forecast,
    InstrumentUsage,
    MinimumChangeView,
    MinimumSuggestion,
    PartConsumption,
    PartUsage,
    UsageBucket,
    UsageGlance,
)
from domain.results import PartDetail
from domain.vocabulary import ForecastStatus
from tests.bot import blocks_samples as s

WEEKLY = (0, 1, 2, 3, 5, 7)


def forecast(**changes: Any) -> Forecast:
    base = Forecast(
        part_id=12,
        status=ForecastStatus.OK,
        weeks=12,
        takes=30,
        taken=38,
        stock=9,
        minimum=4,
        on_order=0,
        lead_time_days=21,
        lead_time_from_offer=True,
        weekly_rate=3.2,
        weekly_sd=1.1,
        suggested_minimum=12,
        days_left=19.7,
        runout_date=date(2025, 12, 20),
        minimum_date=date(2025, 12, 11),
        reorder_by=date(2025, 11, 20),
        computed_at=s.NOW,
    )
    return replace(base, **changes)


NO_HISTORY = {
    "status": ForecastStatus.TOO_LITTLE_HISTORY,
    "weekly_rate": None,
    "weekly_sd": None,
    "suggested_minimum": None,
    "days_left": None,
    "runout_date": None,
    "minimum_date": None,
    "reorder_by": None,
}


def test_the_usage_line_shows_the_sparkline_rate_run_out_and_suggested_minimum():
    assert usage_line(UsageGlance(WEEKLY, forecast())) == (
        "Used, last 6 weeks: ▁▂▃▄▆█ · 3.2/week · runs out ~20 Dec · suggested minimum 12"
    )
    assert usage_line(UsageGlance((0, 0, 1), forecast(**NO_HISTORY))) == (
        "Used, last 3 weeks: ▁▁█ · too little history for a forecast"
    )
    assert usage_line(UsageGlance((0, 0))) == "Used, last 2 weeks: ▁▁"


def test_the_part_card_carries_the_usage_line():
    detail = PartDetail(part=s.part(), uses=(), recent_movements=())
    card = blocks.render_part_card(detail, usage=UsageGlance(WEEKLY, forecast()))
    s.assert_valid_message(card)
    assert "Used, last 6 weeks: ▁▂▃▄▆█ · 3.2/week · runs out ~20 Dec · suggested minimum 12" in (
        list(s.texts(card))
    )
    plain = blocks.render_part_card(detail)
    assert "Used, last" not in str(plain)


def test_app_home_shows_each_low_part_with_its_sparkline():
    user = s.user()
    low = [s.part(id=12), s.part(id=13, part_number="FIL-2")]
    home = blocks.render_home(user, low_parts=low, usage={12: WEEKLY})
    s.assert_valid_view(home)
    shown = "\n".join(s.texts(home))
    assert "Used, last 6 weeks: ▁▂▃▄▆█" in shown
    assert shown.count("Used, last") == 1  # the part without figures shows none


def _part_usage(**changes: Any) -> PartUsage:
    start = date(2025, 10, 6)
    buckets = tuple(
        UsageBucket(start=start + timedelta(weeks=i), taken=n, takes=min(n, 2))
        for i, n in enumerate((0, 2, 4, 3, 5, 4, 6, 3))
    )
    base = PartUsage(
        part=s.part(quantity_in_stock=9),
        period="week",
        since=datetime(2025, 10, 6, tzinfo=s.NOW.tzinfo),
        until=s.NOW,
        buckets=buckets,
        stock=(),
        total_taken=27,
        counted_difference=-2,
        forecast=forecast(),
    )
    return replace(base, **changes)


def test_the_usage_answer_gives_the_total_weekly_figures_forecast_and_counted_difference():
    answer = render_part_usage(_part_usage(), weeks=8)
    s.assert_valid_message(answer)
    shown = "\n".join(s.texts(answer, "plain_text")) + "\n".join(s.texts(answer))
    assert "Usage of FIL-1002 Rhenium filament, last 8 weeks" in shown
    assert "*Taken* 27 pcs in 14 takes" in shown
    assert "• Week of 20 Oct: 4 pcs in 2 takes" in shown
    assert "• Week of 24 Nov: 3 pcs in 2 takes" in shown
    assert "Week of 13 Oct" not in shown  # the last six weeks only
    assert (
        "At 3.2/week, 9 pcs left last ~20 days (runs out ~20 Dec); lead time 21 days "
        "(the preferred offer's). Reorder by 20 Nov 2025. Suggested minimum 12 (now 4)."
    ) in shown
    assert "Counts found 2 pcs missing." in shown
    assert "The chart is on its way to your DMs." in shown


def test_a_part_without_enough_history_says_so_instead_of_guessing():
    sentence = forecast_sentence(forecast(**NO_HISTORY), "pcs")
    assert sentence.startswith("Too little history for a forecast")
    assert "/week" not in sentence


def test_the_instrument_usage_answer_lists_parts_and_cost():
    used = InstrumentUsage(
        instrument_id=3,
        instrument_name="MAT253 <!channel>",
        period="week",
        since=s.NOW - timedelta(weeks=2),
        until=s.NOW,
        buckets=(UsageBucket(date(2025, 3, 3), 4, 2), UsageBucket(date(2025, 3, 10), 1, 1)),
        parts=(PartConsumption(12, "FIL-1002", "Rhenium filament", "pcs", 5, 3, 6250, "EUR"),),
        cost=(CurrencyTotal("EUR", 6250),),
        unpriced_parts=1,
    )
    answer = render_instrument_usage(used, weeks=2)
    s.assert_valid_message(answer)
    shown = "\n".join(s.texts(answer))
    assert "*FIL-1002* Rhenium filament: 5 pcs in 3 takes · 62.50 EUR" in shown
    assert "Cost: 62.50 EUR (1 parts without a price)" in shown
    assert "*Taken* 5 items in 3 takes" in shown


def _suggestion(i: int, suggested: int = 11) -> MinimumSuggestion:
    part = s.part(id=100_000 + i, part_number=f"PN-{i}", minimum_stock_level=4)
    return MinimumSuggestion(part=part, forecast=forecast(part_id=part.id), suggested=suggested)


def test_minimums_list_one_accept_button_per_part_and_accept_all_shown():
    answer = render_minimum_suggestions([_suggestion(1), _suggestion(2, 3)])
    s.assert_valid_message(answer)
    shown = "\n".join(s.texts(answer))
    assert "*PN-1* Rhenium filament: minimum 4 → suggested 11 (3.2/week, lead time 21 d)" in shown
    found = s.buttons(answer)
    assert [b["text"]["text"] for b in found] == ["Accept 11", "Accept 3", "Accept all shown"]
    assert blocks.unpack(found[0]["value"]) == {"id": 100_001, "m": 11}
    assert found[0]["action_id"] == ActionId.MINIMUM_ACCEPT
    assert found[2]["action_id"] == ActionId.MINIMUMS_ACCEPT_ALL
    assert blocks.unpack(found[2]["value"]) == {"a": [[100_001, 11], [100_002, 3]]}


def test_minimums_show_at_most_twenty_and_accept_all_stays_under_slacks_limit():
    answer = render_minimum_suggestions([_suggestion(i, 99_999) for i in range(30)])
    s.assert_valid_message(answer)
    accept_all = s.buttons(answer)[-1]
    assert len(blocks.unpack(accept_all["value"])["a"]) == 20
    assert len(accept_all["value"]) < 2000
    assert len(s.buttons(answer)) == 21


def test_no_minimum_far_from_its_suggestion_says_so_without_buttons():
    answer = render_minimum_suggestions([])
    s.assert_valid_message(answer)
    assert s.buttons(answer) == []
    assert "Every minimum is close to its suggestion." in str(answer)


def test_accepted_minimums_replace_the_list_with_what_changed_and_what_remains():
    change = MinimumChangeView(1, 100_001, "PN-1", 4, 11, "alice", s.NOW)
    answer = render_minimums_accepted([change], [_suggestion(2)])
    s.assert_valid_message(answer)
    shown = "\n".join(s.texts(answer))
    assert "• *PN-1*: minimum 4 → 11 · by alice" in shown
    assert [b["text"]["text"] for b in s.buttons(answer)] == ["Accept 11", "Accept all shown"]


def test_the_chart_is_titled_and_commented_and_a_failure_is_told():
    usage = _part_usage(part=s.part(name="<!here> filament"))
    assert chart_title(usage, 8) == "Usage of FIL-1002, last 8 weeks"
    comment = chart_comment(usage, 8)
    assert comment.startswith("*FIL-1002* &lt;!here&gt; filament: stock and minimum")
    assert comment.endswith("3.2/week · runs out ~20 Dec · suggested minimum 12")
    refusal = render_chart_not_sent("Slack refused it (not_allowed)")
    s.assert_valid_message(refusal)
    assert "could not send the usage chart to your DMs: Slack refused it" in refusal["text"]
