"""Forecasts from synthetic ledgers whose answers are worked out by hand, on both databases.

Every ledger starts at T0 and is read 12 weeks and 2 hours later (NOW), so the i-th week's
take (made at T0 + i weeks + 1 day) lands in rolling week 11 - i: the weights are
1 (oldest, i = 0) to 12 (latest, i = 11), summing to 78.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from domain import forecasting, order_steps, ordering, parts, stock, suppliers
from domain.context import DomainContext
from domain.errors import Conflict, Forbidden
from domain.permissions import SYSTEM
from domain.vocabulary import ForecastStatus
from persistence.models import Alert, PartForecast, PartMinimumChange
from tests.factories import make_part, make_user
from tests.helpers import Clock

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
NOW = T0 + timedelta(weeks=12, hours=2)


@pytest.fixture
def lab(ctx: DomainContext, clock: Clock) -> DomainContext:
    """The context at T0, with a 14-day default lead time and a 7-day margin."""
    clock.now = T0
    return replace(ctx, default_lead_time_days=14, forecast_margin_days=7)


def weekly_takes(ctx: DomainContext, clock: Clock, part_id: int, weeks: list[int]) -> None:
    """Take ``weeks[i]`` in week i (nothing when 0), then move the clock to NOW."""
    for i, quantity in enumerate(weeks):
        if quantity:
            clock.now = T0 + timedelta(weeks=i, days=1)
            stock.adjust_stock(
                ctx, actor=SYSTEM, part_id=part_id, delta=-quantity, reason=None, source="slack"
            )
    clock.now = NOW


def test_constant_usage_gives_its_rate_and_no_safety_stock(lab, clock):
    part = make_part(lab, "TIP-1", "Tip", quantity=100, minimum=5)
    weekly_takes(lab, clock, part.id, [2] * 12)
    found = forecasting.forecast_of_part(lab, actor=SYSTEM, part_id=part.id)
    assert found.status is ForecastStatus.OK
    assert (found.weeks, found.takes, found.taken) == (12, 12, 24)
    assert found.weekly_rate == pytest.approx(2.0)
    assert found.weekly_sd == pytest.approx(0.0)
    # 2/week over a 14-day lead time, nothing for variation
    assert found.suggested_minimum == 4
    assert found.stock == 76
    assert found.days_left == pytest.approx(266.0)  # 76 / (2/7)
    assert found.runout_date == NOW.date() + timedelta(days=266)
    assert found.minimum_date == NOW.date() + timedelta(days=248)  # (76 - 5) * 3.5 = 248.5
    assert found.reorder_by == found.minimum_date - timedelta(days=14)
    assert not found.lead_time_from_offer


def test_a_step_change_weighs_the_latest_weeks_more(lab, clock):
    part = make_part(lab, "TIP-2", "Tip", quantity=100)
    weekly_takes(lab, clock, part.id, [2] * 8 + [6] * 4)
    found = forecasting.forecast_of_part(lab, actor=SYSTEM, part_id=part.id)
    # weights 12+11+10+9 = 42 on the 6s, 8+...+1 = 36 on the 2s
    assert found.weekly_rate == pytest.approx((6 * 42 + 2 * 36) / 78)  # 4.15, the mean is 3.33
    # sum 40, sum of squares 176 over 12 weeks
    sd = math.sqrt((176 - 40 * 40 / 12) / 11)
    assert found.weekly_sd == pytest.approx(sd)  # 1.97
    expected = math.ceil(324 / 78 * 2 + 1.645 * sd * math.sqrt(2))  # 8.31 + 4.58
    assert found.suggested_minimum == expected == 13


def test_one_burst_week_counts_as_three_ordinary_weeks_at_most(lab, clock):
    part = make_part(lab, "TIP-3", "Tip", quantity=100)
    clock.now = T0
    for hour in (1, 2, 3):  # three takes of 20 in week 6 (rolling week 5, weight 7)
        clock.now = T0 + timedelta(weeks=6, days=1, hours=hour)
        stock.adjust_stock(lab, actor=SYSTEM, part_id=part.id, delta=-20, reason=None, source="api")
    clock.now = NOW
    found = forecasting.forecast_of_part(lab, actor=SYSTEM, part_id=part.id)
    # the mean week is 5, so the week of 60 counts as 15: 7 * 15 / 78
    assert found.weekly_rate == pytest.approx(105 / 78)  # 1.35 (uncapped: 5.38)
    sd = math.sqrt((3600 - 60 * 60 / 12) / 11)  # 17.3: bursts are real variation
    assert found.weekly_sd == pytest.approx(sd)
    assert found.suggested_minimum == math.ceil(105 / 78 * 2 + 1.645 * sd * math.sqrt(2)) == 43


def test_a_part_never_taken_has_no_usage_and_no_guess(lab, clock):
    part = make_part(lab, "GAS-1", "Helium", quantity=10)
    clock.now = NOW
    found = forecasting.forecast_of_part(lab, actor=SYSTEM, part_id=part.id)
    assert found.status is ForecastStatus.NO_USAGE
    assert (found.weekly_rate, found.suggested_minimum, found.runout_date) == (None, None, None)


def test_restocks_are_not_consumption(lab, clock):
    part = make_part(lab, "GAS-2", "Argon", quantity=10)
    for i in range(12):
        clock.now = T0 + timedelta(weeks=i, days=1)
        stock.adjust_stock(lab, actor=SYSTEM, part_id=part.id, delta=5, reason=None, source="api")
    clock.now = NOW
    found = forecasting.forecast_of_part(lab, actor=SYSTEM, part_id=part.id)
    assert found.status is ForecastStatus.NO_USAGE
    assert found.taken == 0


def test_a_stocktake_correction_is_not_usage(lab, clock):
    part = make_part(lab, "TIP-4", "Tip", quantity=100)
    weekly_takes(lab, clock, part.id, [2] * 6)
    clock.now = T0 + timedelta(weeks=6, days=2)
    stock.count_stock(lab, actor=SYSTEM, part_id=part.id, quantity=83, source="slack")  # 88 - 5
    weekly_takes(lab, clock, part.id, [0] * 6 + [2] * 6)
    found = forecasting.forecast_of_part(lab, actor=SYSTEM, part_id=part.id)
    assert found.weekly_rate == pytest.approx(2.0)
    assert (found.takes, found.taken, found.stock) == (12, 24, 71)


def test_a_part_created_last_week_has_too_little_history(lab, clock):
    clock.now = NOW - timedelta(days=6)
    part = make_part(lab, "NEW-1", "New", quantity=50)
    for day in range(3):
        clock.now = NOW - timedelta(days=5 - day)
        stock.adjust_stock(lab, actor=SYSTEM, part_id=part.id, delta=-4, reason=None, source="api")
    clock.now = NOW
    found = forecasting.forecast_of_part(lab, actor=SYSTEM, part_id=part.id)
    assert found.status is ForecastStatus.TOO_LITTLE_HISTORY
    assert (found.weekly_rate, found.suggested_minimum, found.days_left) == (None, None, None)
    assert (found.takes, found.taken) == (3, 12)


def test_the_preferred_offers_lead_time_is_used(lab, clock):
    manager = make_user(lab, "manager")
    part = make_part(lab, "TIP-5", "Tip", quantity=100)
    vendor = suppliers.add_supplier(lab, actor=manager, name="Thermo")
    suppliers.add_offer(
        lab,
        actor=manager,
        part_id=part.id,
        supplier_id=vendor.id,
        lead_time_days=21,
        is_preferred=True,
    )
    weekly_takes(lab, clock, part.id, [2] * 12)
    found = forecasting.forecast_of_part(lab, actor=SYSTEM, part_id=part.id)
    assert (found.lead_time_days, found.lead_time_from_offer) == (21, True)
    assert found.suggested_minimum == 6  # 2/week over 3 weeks


def stored(ctx: DomainContext) -> dict[int, PartForecast]:
    with ctx.transaction() as session:
        return {row.part_id: row for row in session.scalars(select(PartForecast))}


def alerts_of(ctx: DomainContext, part_id: int) -> list[tuple[str, str, str | None]]:
    with ctx.transaction() as session:
        rows = session.scalars(select(Alert).where(Alert.part_id == part_id).order_by(Alert.id))
        return [(row.kind, row.status, row.resolution_note) for row in rows]


def test_the_job_stores_what_one_part_computes_live(lab, clock):
    busy = make_part(lab, "TIP-6", "Tip", quantity=100)
    rare = make_part(lab, "TIP-7", "Tip", quantity=100)
    make_part(lab, "TIP-8", "Tip", quantity=100)  # idle: never taken
    weekly_takes(lab, clock, busy.id, [2] * 8 + [6] * 4)
    clock.now = NOW - timedelta(days=2)
    stock.adjust_stock(lab, actor=SYSTEM, part_id=rare.id, delta=-1, reason=None, source="api")
    clock.now = NOW
    done = forecasting.refresh_forecasts(lab)
    assert (done.forecasts, done.too_little_history) == (1, 1)  # rare: 1 take in 12 weeks
    rows = stored(lab)
    assert set(rows) == {busy.id}  # only forecasts are stored: rare and idle have none
    live = forecasting.forecast_of_part(lab, actor=SYSTEM, part_id=busy.id)
    assert rows[busy.id].weekly_rate == pytest.approx(live.weekly_rate)
    assert rows[busy.id].suggested_minimum == live.suggested_minimum == 13
    clock.now = NOW + timedelta(weeks=1)
    forecasting.refresh_forecasts(lab)
    assert stored(lab)[busy.id].computed_at == clock.now  # updated in place
    parts.deactivate_part(lab, actor=SYSTEM, part_id=busy.id)
    assert forecasting.refresh_forecasts(lab).forecasts == 0  # an inactive part has none
    assert stored(lab) == {}


def test_a_forecast_alert_opens_before_the_part_is_low_and_resolves_when_restocked(lab, clock):
    lead = replace(lab, default_lead_time_days=21)
    part = make_part(lead, "COL-1", "Column", quantity=36, minimum=5)
    weekly_takes(lead, clock, part.id, [2] * 12)  # 12 left: (12 - 5) * 3.5 = 24.5 days < 28
    done = forecasting.refresh_forecasts(lead)
    assert done.opened == 1
    assert alerts_of(lead, part.id) == [("forecast", "open", None)]  # no low-stock alert
    with lead.transaction() as session:
        message = session.scalars(select(Alert.message).where(Alert.part_id == part.id)).one()
    by = (NOW.date() + timedelta(days=24)).strftime("%d %b")
    assert message == (
        f"Forecast: COL-1 Column: at 2/week, 12 pcs left last ~42 days (minimum 5 by {by}); "
        "lead time 21 days."
    )
    assert forecasting.refresh_forecasts(lead).opened == 0  # one open alert per part
    stock.adjust_stock(lead, actor=SYSTEM, part_id=part.id, delta=20, reason=None, source="api")
    assert forecasting.refresh_forecasts(lead).resolved == 1
    assert alerts_of(lead, part.id) == [
        (
            "forecast",
            "resolved",
            "Stock or usage recovered: it no longer runs out within the lead time.",
        )
    ]


def test_the_low_stock_alert_takes_over_at_the_minimum(lab, clock):
    lead = replace(lab, default_lead_time_days=21)
    part = make_part(lead, "COL-2", "Column", quantity=36, minimum=5)
    weekly_takes(lead, clock, part.id, [2] * 12)
    forecasting.refresh_forecasts(lead)
    stock.adjust_stock(lead, actor=SYSTEM, part_id=part.id, delta=-7, reason=None, source="api")
    forecasting.refresh_forecasts(lead)
    assert alerts_of(lead, part.id) == [
        ("forecast", "resolved", "At its minimum now: the low-stock alert takes over."),
        ("low_stock", "open", None),
    ]


def test_an_order_on_its_way_resolves_the_forecast_alert(lab, clock):
    lead = replace(lab, default_lead_time_days=21)
    manager = make_user(lead, "manager")
    part = make_part(lead, "COL-3", "Column", quantity=36, minimum=5)
    weekly_takes(lead, clock, part.id, [2] * 12)
    forecasting.refresh_forecasts(lead)
    asked = ordering.request_reorder(lead, actor=manager, part_id=part.id, quantity=10)
    order_steps.approve_order(lead, actor=manager, order_id=asked.order.id)
    forecasting.refresh_forecasts(lead)  # approved is not on its way yet
    assert alerts_of(lead, part.id) == [("forecast", "open", None)]
    vendor = suppliers.add_supplier(lead, actor=manager, name="Sigma")
    order_steps.mark_ordered(
        lead, actor=manager, order_id=asked.order.id, order_number="PO-1", supplier_id=vendor.id
    )
    assert forecasting.refresh_forecasts(lead).resolved == 1
    assert alerts_of(lead, part.id)[0][2] == "An order on its way covers it."


def test_minimum_suggestions_are_listed_and_accepted_with_a_record(lab, clock):
    manager = make_user(lab, "manager")
    member = make_user(lab, "member")
    far = make_part(lab, "TIP-9", "Tip", quantity=100, minimum=2)
    near = make_part(lab, "TIP-10", "Tip", quantity=100, minimum=13)
    weekly_takes(lab, clock, far.id, [2] * 8 + [6] * 4)
    weekly_takes(lab, clock, near.id, [2] * 8 + [6] * 4)
    forecasting.refresh_forecasts(lab)
    with pytest.raises(Forbidden):
        forecasting.minimum_suggestions(lab, actor=member)
    listed = forecasting.minimum_suggestions(lab, actor=manager)
    assert [(s.part.part_number, s.part.minimum_stock_level, s.suggested) for s in listed] == [
        ("TIP-9", 2, 13)
    ]
    with pytest.raises(Conflict, match="now 13, not 12"):
        forecasting.accept_minimums(lab, actor=manager, accepted=[(far.id, 12)])
    with pytest.raises(Forbidden):
        forecasting.accept_minimums(lab, actor=member, accepted=[(far.id, 13)])
    changes = forecasting.accept_minimums(lab, actor=manager, accepted=[(far.id, 13)])
    assert [(c.part_number, c.old_minimum, c.new_minimum, c.actor_username) for c in changes] == [
        ("TIP-9", 2, 13, manager.username)
    ]
    assert forecasting.minimum_suggestions(lab, actor=manager) == ()
    with lab.transaction() as session:
        assert session.scalars(select(PartMinimumChange.new_minimum)).all() == [13]
    assert [c.new_minimum for c in forecasting.minimum_changes(lab, actor=member)] == [13]


def test_running_out_lists_the_parts_the_alert_rule_holds_for(lab, clock):
    lead = replace(lab, default_lead_time_days=21)
    soon = make_part(lead, "COL-4", "Column", quantity=36, minimum=5)
    later = make_part(lead, "COL-5", "Column", quantity=200, minimum=5)
    weekly_takes(lead, clock, soon.id, [2] * 12)
    weekly_takes(lead, clock, later.id, [2] * 12)
    forecasting.refresh_forecasts(lead)
    found = forecasting.running_out(lead, actor=SYSTEM)
    assert [(r.part.part_number, r.forecast.minimum_date) for r in found] == [
        ("COL-4", date.fromordinal(NOW.date().toordinal() + 24))
    ]
