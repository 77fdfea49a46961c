"""Usage and forecasts over REST: the series are what the ledger says, the charts are
PNGs, people's usage and minimums are for managers, refused values name their parameter."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import get_args

import pytest
from PIL import Image

from api.routers.usage import Period
from domain import stock, suppliers
from domain.insight_results import PERIODS
from domain.permissions import SYSTEM
from tests.api.support import bearer
from tests.api.usage_ledger import Ledger, suggested_minimum, weekly_takes
from tests.factories import make_user

TAKEN = (3, 5, 0, 2, 4, 3)


@pytest.fixture
def member(ctx):
    return make_user(ctx, "member")


@pytest.fixture
def manager(ctx):
    return make_user(ctx, "manager")


@pytest.fixture
def ledger(ctx, clock, member) -> Ledger:
    return weekly_takes(ctx, clock, taken=TAKEN, by=member)


def test_a_parts_usage_is_what_was_taken_with_its_stock_and_forecast(client, ctx, ledger, member):
    answer = client.get(
        f"/api/parts/{ledger.part.id}/usage",
        params={"weeks": 8, "period": "week"},
        headers=bearer(ctx, member),
    )
    assert answer.status_code == 200, answer.text
    usage = answer.json()
    assert (usage["part_id"], usage["part_number"], usage["period"]) == (
        ledger.part.id,
        "GLV-1",
        "week",
    )
    assert usage["total_taken"] == sum(b["taken"] for b in usage["buckets"]) == 17
    assert sum(b["takes"] for b in usage["buckets"]) == 5
    assert len(usage["buckets"]) in (8, 9)  # every week, the one of `since` included
    levels = [point["quantity"] for point in usage["stock"]]
    assert levels[-6:] == [40, 37, 32, 30, 26, 23]
    assert usage["counted_difference"] == 0
    forecast = usage["forecast"]
    assert forecast["status"] == "ok"
    assert forecast["stock"] == 23
    assert forecast["weekly_rate"] > 0
    assert forecast["runout_date"] is not None
    alone = client.get(f"/api/parts/{ledger.part.id}/forecast", headers=bearer(ctx, member))
    assert alone.json() == forecast


def test_daily_buckets_cover_every_day(client, ctx, ledger, member):
    answer = client.get(
        f"/api/parts/{ledger.part.id}/usage",
        params={"weeks": 2, "period": "day"},
        headers=bearer(ctx, member),
    )
    buckets = answer.json()["buckets"]
    assert len(buckets) in (14, 15)
    assert [b["taken"] for b in buckets if b["taken"]] == [4, 3]  # the last two takes


def test_the_usage_charts_are_800_by_400_pngs_not_cached(client, ctx, ledger, member):
    for path in (
        f"/api/parts/{ledger.part.id}/usage/chart",
        f"/api/instruments/{ledger.instrument.id}/usage/chart",
    ):
        answer = client.get(path, params={"weeks": 8}, headers=bearer(ctx, member))
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "image/png"
        assert answer.headers["cache-control"] == "no-store"
        image = Image.open(io.BytesIO(answer.content))
        assert (image.format, image.size) == ("PNG", (800, 400))


def test_an_instruments_usage_lists_its_parts_and_cost(client, ctx, ledger, member):
    supplier = suppliers.add_supplier(ctx, actor=SYSTEM, name="Gloves & Co")
    suppliers.add_offer(
        ctx,
        actor=SYSTEM,
        part_id=ledger.part.id,
        supplier_id=supplier.id,
        unit_price="2.50",
        currency="EUR",
        is_preferred=True,
    )
    answer = client.get(
        f"/api/instruments/{ledger.instrument.id}/usage",
        params={"weeks": 8, "period": "month"},
        headers=bearer(ctx, member),
    )
    assert answer.status_code == 200, answer.text
    usage = answer.json()
    assert sum(b["taken"] for b in usage["buckets"]) == 17
    assert [(p["part_number"], p["taken"], p["takes"]) for p in usage["parts"]] == [
        ("GLV-1", 17, 5)
    ]
    assert usage["cost"] == [{"currency": "EUR", "amount": "42.50"}]
    spend = client.get("/api/usage/instruments", headers=bearer(ctx, member)).json()
    assert [(s["instrument_id"], s["taken"]) for s in spend] == [(ledger.instrument.id, 9)]


def test_lists_over_a_window_of_days(client, ctx, clock, ledger, member, manager):
    stock.count_stock(ctx, actor=SYSTEM, part_id=ledger.part.id, quantity=21, source="api")
    clock.advance(minutes=1)
    today = clock.now.date()
    window = {"since": str(today - timedelta(days=60)), "until": str(today)}
    most_used = client.get("/api/usage/parts", params=window, headers=bearer(ctx, member))
    assert [(p["part_id"], p["taken"]) for p in most_used.json()] == [(ledger.part.id, 17)]
    missing = client.get("/api/usage/shrinkage", headers=bearer(ctx, member))
    assert [(s["part_id"], s["difference"]) for s in missing.json()] == [(ledger.part.id, -2)]
    people = client.get("/api/usage/people", params=window, headers=bearer(ctx, manager))
    assert [(p["username"], p["taken"], p["takes"]) for p in people.json()] == [
        (member.username, 17, 5)
    ]
    # The default window is the last 4 weeks: the first two weeks' takes are before it.
    recent = client.get("/api/usage/people", headers=bearer(ctx, manager))
    assert [p["taken"] for p in recent.json()] == [9]


def test_members_may_not_see_peoples_usage_nor_the_minimums(client, ctx, member):
    for path in ("/api/usage/people", "/api/forecasts/minimums"):
        answer = client.get(path, headers=bearer(ctx, member))
        assert answer.status_code == 403, path
        assert "manager" in answer.json()["detail"].lower()


def test_a_manager_accepts_a_suggested_minimum_as_shown(client, ctx, clock, manager):
    part_id, suggested = suggested_minimum(ctx, clock, "TIP-1")
    shown = client.get("/api/forecasts/minimums", headers=bearer(ctx, manager)).json()
    assert [(s["part_id"], s["suggested"], s["minimum_stock_level"]) for s in shown] == [
        (part_id, suggested, 0)
    ]
    stale = client.post(
        f"/api/parts/{part_id}/minimum/accept",
        json={"suggested": suggested + 1},
        headers=bearer(ctx, manager),
    )
    assert stale.status_code == 409
    assert str(suggested) in stale.json()["detail"]
    answer = client.post(
        f"/api/parts/{part_id}/minimum/accept",
        json={"suggested": suggested},
        headers=bearer(ctx, manager),
    )
    assert answer.status_code == 200, answer.text
    change = answer.json()
    assert (change["part_id"], change["old_minimum"], change["new_minimum"]) == (
        part_id,
        0,
        suggested,
    )
    assert change["actor_username"] == manager.username
    part = client.get(f"/api/parts/{part_id}").json()
    assert part["minimum_stock_level"] == suggested
    again = client.post(
        f"/api/parts/{part_id}/minimum/accept",
        json={"suggested": suggested},
        headers=bearer(ctx, manager),
    )
    assert (again.status_code, again.json()) == (200, None)


# Refused before any query, or by the domain's own check: the database makes no difference.
SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@SQLITE
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"weeks": 0}, "weeks"),
        ({"weeks": 105}, "weeks"),
        ({"period": "year"}, "period"),
    ],
)
def test_a_bad_weeks_or_period_is_a_422_naming_it(client, ctx, member, params, field):
    for path in ("/api/parts/1/usage", "/api/parts/1/usage/chart", "/api/instruments/1/usage"):
        answer = client.get(path, params=params, headers=bearer(ctx, member))
        assert answer.status_code == 422, path
        assert [e["loc"] for e in answer.json()["detail"]] == [["query", field]]


@SQLITE
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-13-01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"since": "2026-11-10", "until": "2026-11-01"}, "since"),
        ({"until": "9999-12-31"}, "until"),
    ],
)
def test_a_bad_day_is_a_422_naming_it(client, ctx, manager, params, field):
    answer = client.get("/api/usage/people", params=params, headers=bearer(ctx, manager))
    assert answer.status_code == 422
    assert [e["loc"] for e in answer.json()["detail"]] == [["query", field]]


def test_the_periods_offered_are_the_domains():
    assert get_args(get_args(Period)[0]) == PERIODS
