"""Building the scheduler from a domain context, the messenger alerts go out through and the
schedule (the composition root, ``farlab.wiring``, hands over the Slack one)."""

from __future__ import annotations

from domain.context import DomainContext
from domain.notices import Messenger
from domain.order_notices import OrderMessenger
from scheduler.jobs import AlertJobs, AlertSchedule
from scheduler.runner import FarLabScheduler, JobMetrics


def build_scheduler(
    ctx: DomainContext,
    messenger: Messenger,
    schedule: AlertSchedule,
    orders: OrderMessenger | None = None,
    *,
    metrics: JobMetrics | None = None,
) -> FarLabScheduler:
    return FarLabScheduler(ctx, AlertJobs(ctx, messenger, schedule, orders), metrics=metrics)
