"""The scheduler's jobs in the console: the same job functions ``python -m scheduler
run-once`` runs, posting through the bot's client to the Slack stand-in.

``tick`` runs every job once (``tick JOB ...``: the ones named); after each step that
reached the bot, the two that deliver alerts (the low-stock scan, then the alert outbox
and message updates) run once, so an alert opened by a step is in its channel when the
step's output is shown.
"""

from __future__ import annotations

import dataclasses

from slack_sdk import WebClient

from bot.alert_messenger import SlackAlertMessenger, outbox_client
from bot.order_messenger import SlackOrderMessenger
from domain.context import DomainContext
from scheduler.jobs import ALERT_DELIVERY, JOB_IDS, LOW_STOCK_SCAN, AlertSchedule
from scheduler.runner import FarLabScheduler, JobOutcome
from scheduler.wiring import build_scheduler

ALERT_JOBS = (LOW_STOCK_SCAN, ALERT_DELIVERY)


def console_schedule(channel: str, base: AlertSchedule | None = None) -> AlertSchedule:
    """The settings' schedule, with alerts going to the console's ``channel`` (the stand-in
    knows no other) and no pause between posts (the stand-in does not rate-limit)."""
    return dataclasses.replace(
        base or AlertSchedule(),
        default_channel=channel,
        purchasing_channel=channel,
        report_channel=channel,
        per_channel_interval=0.0,
    )


class ConsoleJobs:
    def __init__(self, ctx: DomainContext, client: WebClient, schedule: AlertSchedule) -> None:
        poster = outbox_client(client)
        self.scheduler: FarLabScheduler = build_scheduler(
            ctx, SlackAlertMessenger(poster), schedule, SlackOrderMessenger(poster)
        )

    def run(self, job_ids: tuple[str, ...]) -> list[JobOutcome]:
        """The jobs named, once, in that order (``tick forecast_scan``)."""
        return self.scheduler.run_once(job_ids)

    def run_all(self) -> list[JobOutcome]:
        """Every scheduled job, once, in the scheduler's order (``tick``)."""
        return self.scheduler.run_once(JOB_IDS)

    def deliver_alerts(self) -> list[JobOutcome]:
        """The low-stock scan, then the alert outbox and message updates."""
        return self.scheduler.run_once(ALERT_JOBS)
