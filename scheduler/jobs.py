"""The scheduled jobs: what each does, and when it runs.

| job | when | what |
|---|---|---|
| ``low_stock_scan`` | every FARLAB_ALERT_SCAN_SECONDS | open/resolve low-stock alerts |
| ``alert_delivery`` | every 20 s | post due alerts (outbox), update changed messages |
| ``alert_renotify`` | every 15 min | remind about open alerts after FARLAB_RENOTIFY_HOURS |
| ``maintenance_reminders`` | daily at FARLAB_DIGEST_HOUR:00 UTC | open due maintenance alerts |
| ``daily_digest`` | daily at FARLAB_DIGEST_HOUR:05 UTC | post the summary to FARLAB_ALERT_CHANNEL |
| ``import_preview_cleanup`` | every 10 min | delete import previews past their 30 minutes |
| ``order_delivery`` | every 20 s | post reorder requests, update changed ones, send decision DMs |
| ``order_reminders`` | hourly | remind in the thread of ordered requests past their expected date |
| ``forecast_scan`` | every FARLAB_FORECAST_MINUTES | store forecasts, open/resolve their alerts |
| ``weekly_report`` | FARLAB_REPORT_DAY, _HOUR:00 in FARLAB_TIMEZONE | post the weekly report |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from domain import (
    alert_reminders,
    alerts,
    forecasting,
    import_previews,
    maintenance,
    scheduling,
    weekly_report,
)
from domain.alert_delivery import DeliveryOptions, deliver_pending_alerts, push_message_updates
from domain.context import DomainContext
from domain.notices import Messenger
from domain.order_delivery import deliver_orders, remind_overdue_orders
from domain.order_notices import OrderMessenger
from domain.pacing import ChannelPacer
from domain.permissions import SYSTEM

LOW_STOCK_SCAN = "low_stock_scan"
ALERT_DELIVERY = "alert_delivery"
ALERT_RENOTIFY = "alert_renotify"
MAINTENANCE_REMINDERS = "maintenance_reminders"
DAILY_DIGEST = "daily_digest"
IMPORT_PREVIEW_CLEANUP = "import_preview_cleanup"
ORDER_DELIVERY = "order_delivery"
ORDER_REMINDERS = "order_reminders"
FORECAST_SCAN = "forecast_scan"
WEEKLY_REPORT = "weekly_report"
JOB_IDS = (
    LOW_STOCK_SCAN,
    ALERT_DELIVERY,
    ALERT_RENOTIFY,
    MAINTENANCE_REMINDERS,
    DAILY_DIGEST,
    IMPORT_PREVIEW_CLEANUP,
    ORDER_DELIVERY,
    ORDER_REMINDERS,
    FORECAST_SCAN,
    WEEKLY_REPORT,
)
PREVIEW_CLEANUP_MINUTES = 10


@dataclass(frozen=True)
class AlertSchedule:
    """The values the jobs run by (the composition root reads them from the settings)."""

    scan_seconds: int = 300
    delivery_seconds: int = 20
    renotify_hours: int = 24
    renotify_check_minutes: int = 15
    maintenance_notice_days: int = 7
    burst: int = 10
    default_channel: str | None = None
    digest_hour: int = 8
    per_channel_interval: float = 1.0
    purchasing_channel: str | None = None
    forecast_minutes: int = 60
    report_channel: str | None = None  # None: default_channel
    report_day: str = "mon"  # mon..sun
    report_hour: int = 8
    timezone: str = "UTC"  # an IANA name: the report's day and hour are the lab's

    @property
    def delivery(self) -> DeliveryOptions:
        # A run stops starting posts a little before the next one is due.
        budget = max(self.delivery_seconds - 2, 1)
        return DeliveryOptions(
            default_channel=self.default_channel,
            burst=self.burst,
            per_channel_interval=self.per_channel_interval,
            time_budget=budget,
        )


class AlertJobs:
    """The jobs, each returning a few words on what it did (kept in the job's history)."""

    def __init__(
        self,
        ctx: DomainContext,
        messenger: Messenger,
        schedule: AlertSchedule,
        orders: OrderMessenger | None = None,
    ) -> None:
        self.ctx = ctx
        self.messenger = messenger
        self.schedule = schedule
        self.orders = orders  # reorder requests' messenger; None: those jobs do nothing
        # One pacer for every run, so a run keeps to the gap the previous one left.
        self.pacer = ChannelPacer(schedule.per_channel_interval)

    def low_stock_scan(self) -> str:
        found = alerts.evaluate_low_stock(self.ctx, actor=SYSTEM)
        return f"opened {found.opened}, resolved {found.resolved}"

    def alert_delivery(self) -> str:
        report = deliver_pending_alerts(
            self.ctx, messenger=self.messenger, options=self.schedule.delivery, pacer=self.pacer
        )
        updated, failed = push_message_updates(self.ctx, messenger=self.messenger)
        words = report.describe()
        if updated or failed:
            words += f"; messages updated {updated}" + (
                f", update failed {failed}" if failed else ""
            )
        return words

    def alert_renotify(self) -> str:
        report = alert_reminders.send_reminders(
            self.ctx,
            messenger=self.messenger,
            hours=self.schedule.renotify_hours,
            options=self.schedule.delivery,
            pacer=self.pacer,
        )
        return report.describe()

    def maintenance_reminders(self) -> str:
        opened = maintenance.raise_due_reminders(
            self.ctx, notice_days=self.schedule.maintenance_notice_days
        )
        return f"opened {opened}"

    def daily_digest(self) -> str:
        """At most once a day, whoever runs it (the last success is in the job's history)."""
        if scheduling.succeeded_today(self.ctx, DAILY_DIGEST):
            return "skipped: already posted today"
        return alert_reminders.post_daily_summary(
            self.ctx, messenger=self.messenger, channel_id=self.schedule.default_channel
        )

    def import_preview_cleanup(self) -> str:
        return f"deleted {import_previews.purge_expired_previews(self.ctx)}"

    def order_delivery(self) -> str:
        if self.orders is None:
            return "skipped: no messenger for orders"
        return deliver_orders(
            self.ctx,
            messenger=self.orders,
            channel_id=self.schedule.purchasing_channel,
            options=self.schedule.delivery,
            pacer=self.pacer,
        ).describe()

    def order_reminders(self) -> str:
        if self.orders is None:
            return "skipped: no messenger for orders"
        found = remind_overdue_orders(
            self.ctx, messenger=self.orders, options=self.schedule.delivery
        )
        return f"reminded {found}"

    def forecast_scan(self) -> str:
        done = forecasting.refresh_forecasts(self.ctx, actor=SYSTEM)
        return (
            f"forecasts {done.forecasts}, too little history {done.too_little_history}, "
            f"opened {done.opened}, resolved {done.resolved}"
        )

    def weekly_report(self) -> str:
        """At most once per report week, whoever runs it (as the daily digest)."""
        s = self.schedule
        week = weekly_report.report_week_start(
            self.ctx.now(), day=s.report_day, hour=s.report_hour, zone=s.timezone
        )
        if scheduling.succeeded_since(self.ctx, WEEKLY_REPORT, week):
            return "skipped: already posted this week"
        return weekly_report.post_weekly_report(
            self.ctx, messenger=self.messenger, channel_id=s.report_channel or s.default_channel
        )

    def table(self) -> dict[str, tuple[Callable[[], str], BaseTrigger]]:
        """Job id -> (function, trigger)."""
        s = self.schedule
        return {
            LOW_STOCK_SCAN: (self.low_stock_scan, IntervalTrigger(seconds=s.scan_seconds)),
            ALERT_DELIVERY: (self.alert_delivery, IntervalTrigger(seconds=s.delivery_seconds)),
            ALERT_RENOTIFY: (
                self.alert_renotify,
                IntervalTrigger(minutes=s.renotify_check_minutes),
            ),
            MAINTENANCE_REMINDERS: (
                self.maintenance_reminders,
                CronTrigger(hour=s.digest_hour, minute=0, timezone=UTC),
            ),
            DAILY_DIGEST: (
                self.daily_digest,
                CronTrigger(hour=s.digest_hour, minute=5, timezone=UTC),
            ),
            IMPORT_PREVIEW_CLEANUP: (
                self.import_preview_cleanup,
                IntervalTrigger(minutes=PREVIEW_CLEANUP_MINUTES),
            ),
            ORDER_DELIVERY: (self.order_delivery, IntervalTrigger(seconds=s.delivery_seconds)),
            ORDER_REMINDERS: (self.order_reminders, IntervalTrigger(hours=1)),
            FORECAST_SCAN: (self.forecast_scan, IntervalTrigger(minutes=s.forecast_minutes)),
            WEEKLY_REPORT: (
                self.weekly_report,
                CronTrigger(
                    day_of_week=s.report_day,
                    hour=s.report_hour,
                    minute=0,
                    timezone=ZoneInfo(s.timezone),
                ),
            ),
        }
