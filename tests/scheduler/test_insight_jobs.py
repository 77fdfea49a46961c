"""The forecast scan and the weekly report as scheduled jobs: what they do, where the
report goes, that it goes once a week whoever runs it, and when its trigger fires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from domain import stock, suppliers
from domain.context import DomainContext
from domain.permissions import SYSTEM
from domain.results import PartView
from farlab.settings import Settings
from farlab.wiring import alert_schedule
from scheduler.jobs import FORECAST_SCAN, WEEKLY_REPORT, AlertJobs
from scheduler.runner import FarLabScheduler
from tests.bot.alerting import Jobs, alert_row, posted
from tests.bot.conftest import Lab
from tests.factories import make_instrument, make_part
from tests.helpers import Clock

MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
WEEKS = 10


def _used_weekly(ctx: DomainContext, clock: Clock, *, take: int = 3) -> PartView:
    """A part with a 21-day preferred offer, taken ``take`` a week for ten weeks up to a
    few minutes before Monday 09:00 UTC (the clock then), for the MAT253: 40 -> 10 left,
    minimum 5: well above it, but a reorder placed now arrives after it gets there."""
    clock.now = MONDAY_9 - timedelta(weeks=WEEKS, minutes=5)
    mat = make_instrument(ctx, "MAT253")
    part = make_part(ctx, "FIL-1002", "Rhenium filament", quantity=40, minimum=5)
    maker = suppliers.add_supplier(ctx, actor=SYSTEM, name="Thermo Fisher")
    suppliers.add_offer(
        ctx, actor=SYSTEM, part_id=part.id, supplier_id=maker.id, supplier_part_number="TF-1",
        unit_price="10.00", currency="EUR", pack_size=1, lead_time_days=21, is_preferred=True,
    )  # fmt: skip
    for _ in range(WEEKS):
        clock.advance(weeks=1)
        stock.adjust_stock(
            ctx, actor=SYSTEM, part_id=part.id, delta=-take, reason=None, source="slack",
            instrument_id=mat.id,
        )  # fmt: skip
    clock.now = MONDAY_9
    return part


def test_the_forecast_scan_opens_a_forecast_alert_before_the_part_is_low(
    lab: Lab, jobs: Jobs, clock: Clock
):
    part = _used_weekly(lab.ctx, clock)
    assert jobs.run(FORECAST_SCAN).detail == (
        "forecasts 1, too little history 0, opened 1, resolved 0"
    )
    alert = alert_row(lab.ctx, part_id=part.id)  # the only one: no low-stock alert
    assert (alert.kind, alert.status) == ("forecast", "open")
    assert jobs.run(FORECAST_SCAN).detail.endswith("opened 0, resolved 0")
    stock.adjust_stock(
        lab.ctx, actor=SYSTEM, part_id=part.id, delta=100, reason=None, source="slack"
    )
    assert jobs.run(FORECAST_SCAN).detail.endswith("opened 0, resolved 1")


def test_the_weekly_report_posts_the_weeks_figures_once_a_week(lab: Lab, jobs: Jobs, clock: Clock):
    part = _used_weekly(lab.ctx, clock)
    clock.now = MONDAY_9 - timedelta(days=2)
    capsules = make_part(lab.ctx, "CON-7", "Tin <capsules>", quantity=20, minimum=0)
    stock.count_stock(lab.ctx, actor=SYSTEM, part_id=capsules.id, quantity=18, source="slack")
    clock.now = MONDAY_9
    reporting = jobs.with_schedule(report_channel="CREPORT", default_channel="CLAB")
    reporting.run(FORECAST_SCAN)
    assert reporting.run(WEEKLY_REPORT).detail == (
        "posted to CREPORT: 1 most used, 1 running out, 1 with shrinkage, 1 instruments' spend"
    )
    [report] = posted(lab.harness.stand_in, "CREPORT")
    sections = [b["text"]["text"] for b in report["blocks"] if b["type"] == "section"]
    assert sections[0].splitlines()[1] == (
        "• *FIL-1002* Rhenium filament: 3 pcs (1 take) · 30.00 EUR"
    )
    assert sections[1].startswith(f"*Running out within their lead time*\n• *{part.part_number}*")
    assert "(lead time 21 days)" in sections[1]
    assert sections[2].splitlines()[1] == "• *CON-7* Tin &lt;capsules&gt;: 2 pcs missing (1 count)"
    assert sections[3].splitlines()[1] == "• *MAT253*: 30.00 EUR (3 taken)"
    assert posted(lab.harness.stand_in, "CLAB") == []

    # Run again, here or by a second scheduler process: nothing more this week.
    clock.advance(hours=1)
    assert reporting.run(WEEKLY_REPORT).detail == "skipped: already posted this week"
    other = FarLabScheduler(lab.ctx, AlertJobs(lab.ctx, jobs.scheduler.jobs.messenger,
                                               reporting.scheduler.jobs.schedule))  # fmt: skip
    assert other.run(WEEKLY_REPORT).detail == "skipped: already posted this week"
    assert len(posted(lab.harness.stand_in, "CREPORT")) == 1
    clock.advance(days=7)
    assert reporting.run(WEEKLY_REPORT).detail.startswith("posted to CREPORT: 0 most used")
    assert len(posted(lab.harness.stand_in, "CREPORT")) == 2


def test_the_weekly_report_goes_to_the_alert_channel_unless_one_is_set(jobs: Jobs):
    assert alert_schedule(Settings(farlab_alert_channel="CLAB")).report_channel == "CLAB"
    settings = Settings(farlab_alert_channel="CLAB", farlab_report_channel="CREPORT")
    assert alert_schedule(settings).report_channel == "CREPORT"
    assert jobs.run(WEEKLY_REPORT).detail.startswith("skipped: no channel configured")


def test_the_report_fires_monday_8_in_the_lab_time_zone_and_the_scan_by_its_minutes(
    jobs: Jobs,
):
    settings = Settings(
        farlab_report_day="mon",
        farlab_report_hour=8,
        farlab_timezone="Europe/Berlin",
        farlab_forecast_minutes=30,
    )
    table = jobs.with_schedule(**alert_schedule(settings).__dict__).scheduler.jobs.table()
    report = table[WEEKLY_REPORT][1]
    assert isinstance(report, CronTrigger)
    berlin = ZoneInfo("Europe/Berlin")
    # Wednesday in winter (UTC+1), then Friday in summer (UTC+2).
    winter = report.get_next_fire_time(None, datetime(2026, 12, 9, 12, tzinfo=UTC))
    assert winter == datetime(2026, 12, 14, 8, tzinfo=berlin)
    assert winter.astimezone(UTC) == datetime(2026, 12, 14, 7, tzinfo=UTC)
    summer = report.get_next_fire_time(None, datetime(2027, 6, 4, 12, tzinfo=UTC))
    assert summer.astimezone(UTC) == datetime(2027, 6, 7, 6, tzinfo=UTC)
    scan = table[FORECAST_SCAN][1]
    assert isinstance(scan, IntervalTrigger)
    assert scan.interval == timedelta(minutes=30)
