"""Building the scheduler from the settings, a domain context and a Slack client."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.alert_messenger import SlackAlertMessenger, outbox_client
from bot.settings import Settings
from domain.context import DomainContext
from scheduler.jobs import AlertJobs, AlertSchedule
from scheduler.runner import FarLabScheduler


def build_scheduler(settings: Settings, ctx: DomainContext, client: WebClient) -> FarLabScheduler:
    messenger = SlackAlertMessenger(outbox_client(client))
    return FarLabScheduler(ctx, AlertJobs(ctx, messenger, AlertSchedule.from_settings(settings)))
