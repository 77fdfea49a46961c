"""The weekly report: the last seven days' most used parts, the parts expected to run out
within their lead time, shrinkage, and spend per instrument, posted once a week.

The report asks the usage and forecast services one question each (no loop over parts).
It is posted at most once per report week: from one report time (FARLAB_REPORT_DAY at
FARLAB_REPORT_HOUR in FARLAB_TIMEZONE) to the next; the job checks its own history, as
the daily summary does, so a second scheduler process that runs it after the first posts
nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain import consumption, forecasting
from domain.context import DomainContext
from domain.insight_results import WeeklyReport
from domain.notices import Messenger
from domain.permissions import SYSTEM, Actor

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REPORT_DAYS = 7
MOST_USED = 10
RUNNING_OUT = 10
SHRINKAGE = 10
SPEND = 20


def weekly_report(ctx: DomainContext, *, actor: Actor, now: datetime) -> WeeklyReport:
    """The report over the ``REPORT_DAYS`` days before ``now`` (each service checks what
    ``actor`` may see); running out is read from the stored forecasts, as they are now."""
    since = now - timedelta(days=REPORT_DAYS)
    return WeeklyReport(
        since=since,
        until=now,
        most_used=consumption.most_used_parts(
            ctx, actor=actor, since=since, until=now, limit=MOST_USED
        ),
        running_out=forecasting.running_out(ctx, actor=actor, limit=RUNNING_OUT),
        shrinkage=consumption.shrinkage(ctx, actor=actor, since=since, until=now, limit=SHRINKAGE),
        spend=consumption.spend_by_instrument(
            ctx, actor=actor, since=since, until=now, limit=SPEND
        ),
    )


def report_week_start(now: datetime, *, day: str, hour: int, zone: str) -> datetime:
    """The latest report time (``day`` at ``hour``:00 in ``zone``) at or before ``now``."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    back = (local.weekday() - DAYS.index(day)) % REPORT_DAYS
    start = datetime.combine(local.date() - timedelta(days=back), time(hour), tzinfo=tz)
    if start > local:
        start = datetime.combine(start.date() - timedelta(days=REPORT_DAYS), time(hour), tzinfo=tz)
    return start


def post_weekly_report(ctx: DomainContext, *, messenger: Messenger, channel_id: str | None) -> str:
    """Post the report for the week before now to ``channel_id``; what was done, in words."""
    if channel_id is None:
        return "skipped: no channel configured (FARLAB_REPORT_CHANNEL or FARLAB_ALERT_CHANNEL)"
    report = weekly_report(ctx, actor=SYSTEM, now=ctx.now())
    messenger.post_weekly_report(channel_id, report)
    return (
        f"posted to {channel_id}: {len(report.most_used)} most used, "
        f"{len(report.running_out)} running out, {len(report.shrinkage)} with shrinkage, "
        f"{len(report.spend)} instruments' spend"
    )
