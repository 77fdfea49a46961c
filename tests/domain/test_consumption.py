"""Consumption from small ledgers with known answers, on both databases: per part and
period, per instrument with cost, per person, counts' differences and spend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain import consumption, stock, suppliers
from domain.context import DomainContext
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.permissions import SYSTEM
from tests.factories import make_instrument, make_part, make_user
from tests.helpers import Clock

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def take(ctx, clock, at, part_id, quantity, *, actor=SYSTEM, instrument_id=None):
    clock.now = at
    stock.adjust_stock(
        ctx,
        actor=actor,
        part_id=part_id,
        delta=-quantity,
        reason=None,
        source="slack",
        instrument_id=instrument_id,
    )


@pytest.fixture
def lab(ctx: DomainContext, clock: Clock) -> DomainContext:
    clock.now = MONDAY - timedelta(weeks=20)
    return ctx


def test_part_usage_buckets_calendar_weeks_and_follows_the_stock(lab, clock):
    part = make_part(lab, "TIP-1", "Tip", quantity=50, minimum=5)
    take(lab, clock, MONDAY + timedelta(days=1), part.id, 3)  # week of 2 Mar
    take(lab, clock, MONDAY + timedelta(days=6, hours=14), part.id, 2)  # Sunday, same week
    take(lab, clock, MONDAY + timedelta(days=7), part.id, 4)  # week of 9 Mar
    clock.now = MONDAY + timedelta(days=9)
    stock.adjust_stock(lab, actor=SYSTEM, part_id=part.id, delta=10, reason=None, source="api")
    clock.now = MONDAY + timedelta(days=10)
    stock.count_stock(lab, actor=SYSTEM, part_id=part.id, quantity=48, source="slack")  # 51 - 3
    clock.now = MONDAY + timedelta(days=15)  # Tuesday of the week of 16 Mar
    usage = consumption.part_usage(lab, actor=SYSTEM, part_id=part.id, weeks=3)
    assert [(b.start, b.taken, b.takes) for b in usage.buckets] == [
        (date(2026, 2, 23), 0, 0),
        (date(2026, 3, 2), 5, 2),
        (date(2026, 3, 9), 4, 1),
        (date(2026, 3, 16), 0, 0),
    ]
    assert usage.total_taken == 9
    assert usage.counted_difference == -3
    assert [p.quantity for p in usage.stock] == [50, 47, 45, 41, 51, 48]
    assert usage.forecast.status.value == "ok"  # 20 weeks old, 3 takes
    days = consumption.part_usage(lab, actor=SYSTEM, part_id=part.id, weeks=3, period="day")
    assert len(days.buckets) == 22
    assert sum(b.taken for b in days.buckets) == 9
    months = consumption.part_usage(lab, actor=SYSTEM, part_id=part.id, weeks=3, period="month")
    assert [(b.start, b.taken) for b in months.buckets] == [
        (date(2026, 2, 1), 0),
        (date(2026, 3, 1), 9),
    ]


def test_usage_refuses_bad_weeks_periods_and_unknown_parts(lab):
    part = make_part(lab, "TIP-2", "Tip", quantity=5)
    with pytest.raises(InvalidInput) as bad:
        consumption.part_usage(lab, actor=SYSTEM, part_id=part.id, weeks=105)
    assert "weeks" in bad.value.errors
    with pytest.raises(InvalidInput) as bad:
        consumption.part_usage(lab, actor=SYSTEM, part_id=part.id, period="year")
    assert "period" in bad.value.errors
    with pytest.raises(NotFound):
        consumption.part_usage(lab, actor=SYSTEM, part_id=part.id + 99)


def test_instrument_usage_and_spend_cost_the_priced_parts(lab, clock):
    manager = make_user(lab, "manager")
    vendor = suppliers.add_supplier(lab, actor=manager, name="Thermo")
    priced = make_part(lab, "FIL-1", "Filament", quantity=100)
    free = make_part(lab, "RING-1", "O-ring", quantity=100)
    suppliers.add_offer(
        lab,
        actor=manager,
        part_id=priced.id,
        supplier_id=vendor.id,
        pack_size=4,
        unit_price="10.00",
        currency="EUR",
        is_preferred=True,
    )
    ms = make_instrument(lab, "MAT253")
    gc = make_instrument(lab, "GC-1")
    take(lab, clock, MONDAY, priced.id, 3, instrument_id=ms.id)  # 3 x 2.50 = 7.50
    take(lab, clock, MONDAY + timedelta(days=1), priced.id, 2, instrument_id=ms.id)  # 5.00
    take(lab, clock, MONDAY + timedelta(days=2), free.id, 7, instrument_id=ms.id)
    take(lab, clock, MONDAY + timedelta(days=2), priced.id, 1, instrument_id=gc.id)  # 2.50
    take(lab, clock, MONDAY + timedelta(days=3), priced.id, 9)  # for no instrument
    clock.now = MONDAY + timedelta(days=4)
    usage = consumption.instrument_usage(lab, actor=SYSTEM, instrument_id=ms.id, weeks=1)
    assert [(p.part_number, p.taken, p.cost_minor, p.currency) for p in usage.parts] == [
        ("RING-1", 7, None, None),
        ("FIL-1", 5, 1250, "EUR"),
    ]
    assert [(c.currency, c.amount_minor) for c in usage.cost] == [("EUR", 1250)]
    assert usage.unpriced_parts == 1
    assert sum(b.taken for b in usage.buckets) == 12
    spend = consumption.spend_by_instrument(
        lab, actor=SYSTEM, since=MONDAY - timedelta(days=1), until=clock.now
    )
    assert [
        (s.instrument_name, [(c.currency, c.amount_minor) for c in s.cost], s.taken) for s in spend
    ] == [("MAT253", [("EUR", 1250)], 12), ("GC-1", [("EUR", 250)], 1)]
    most = consumption.most_used_parts(
        lab, actor=SYSTEM, since=MONDAY - timedelta(days=1), until=clock.now, limit=1
    )
    assert [(p.part_number, p.taken, p.cost_minor) for p in most] == [("FIL-1", 15, 3750)]


def test_usage_by_person_is_for_managers(lab, clock):
    manager = make_user(lab, "manager")
    sara = make_user(lab, "member", username="sara")
    part = make_part(lab, "TIP-3", "Tip", quantity=100)
    other = make_part(lab, "TIP-4", "Tip", quantity=100)
    take(lab, clock, MONDAY, part.id, 3, actor=sara)
    take(lab, clock, MONDAY + timedelta(hours=1), other.id, 2, actor=sara)
    take(lab, clock, MONDAY + timedelta(hours=2), part.id, 1, actor=manager)
    window = {"since": MONDAY - timedelta(days=1), "until": MONDAY + timedelta(days=1)}
    with pytest.raises(Forbidden):
        consumption.usage_by_person(lab, actor=sara, **window)
    people = consumption.usage_by_person(lab, actor=manager, **window)
    assert [(p.username, p.taken, p.takes, p.parts) for p in people] == [
        ("sara", 5, 2, 2),
        (manager.username, 1, 1, 1),
    ]


def test_shrinkage_lists_counts_that_found_less_first(lab, clock):
    lost = make_part(lab, "TIP-5", "Tip", quantity=20)
    found = make_part(lab, "TIP-6", "Tip", quantity=20)
    same = make_part(lab, "TIP-7", "Tip", quantity=20)
    clock.now = MONDAY
    stock.count_stock(lab, actor=SYSTEM, part_id=lost.id, quantity=14, source="slack")
    stock.count_stock(lab, actor=SYSTEM, part_id=found.id, quantity=22, source="slack")
    stock.count_stock(lab, actor=SYSTEM, part_id=same.id, quantity=20, source="slack")
    take(lab, clock, MONDAY + timedelta(hours=1), same.id, 5)
    rows = consumption.shrinkage(
        lab, actor=SYSTEM, since=MONDAY - timedelta(days=1), until=MONDAY + timedelta(days=1)
    )
    assert [(r.part_number, r.difference, r.counts) for r in rows] == [
        ("TIP-5", -6, 1),
        ("TIP-6", 2, 1),
    ]
    with pytest.raises(InvalidInput) as bad:
        consumption.shrinkage(lab, actor=SYSTEM, since=MONDAY, until=MONDAY)
    assert "since" in bad.value.errors


def test_weekly_takes_of_parts_reads_every_part_at_once(lab, clock):
    one = make_part(lab, "TIP-8", "Tip", quantity=100)
    two = make_part(lab, "TIP-9", "Tip", quantity=100)
    take(lab, clock, MONDAY, one.id, 4)  # 2 weeks + 1 day before the read: week -3
    take(lab, clock, MONDAY + timedelta(weeks=2, days=0, hours=12), one.id, 1)  # latest week
    clock.now = MONDAY + timedelta(weeks=2, days=1)
    found = consumption.weekly_takes_of_parts(lab, actor=SYSTEM, part_ids=[one.id, two.id], weeks=4)
    assert found == {one.id: (0, 4, 0, 1), two.id: (0, 0, 0, 0)}


def test_a_glance_gives_the_weeks_oldest_first_and_the_forecast(lab, clock):
    part = make_part(lab, "TIP-10", "Tip", quantity=100)
    take(lab, clock, MONDAY, part.id, 4)
    take(lab, clock, MONDAY + timedelta(weeks=2, hours=12), part.id, 1)
    clock.now = MONDAY + timedelta(weeks=2, days=1)
    glance = consumption.usage_glance(lab, actor=SYSTEM, part_id=part.id, weeks=4)
    assert glance.weekly_takes == (0, 4, 0, 1)
    assert glance.forecast is not None
    assert glance.forecast.status.value == "too_little_history"  # 2 takes
