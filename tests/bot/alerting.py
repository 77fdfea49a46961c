"""Running the alert jobs in tests: the real scheduler's jobs, posting to the Slack stand-in,
run directly (``run``), never by waiting for their timers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.alert_messenger import SlackAlertMessenger, outbox_client
from bot.order_messenger import SlackOrderMessenger
from domain import parts
from domain.context import DomainContext
from domain.permissions import SYSTEM
from domain.results import PartView
from farlab.wiring import build_client
from persistence.models import Alert
from scheduler.jobs import AlertJobs, AlertSchedule
from scheduler.runner import FarLabScheduler, JobOutcome
from slack_stand_in import SlackStandIn

ROOT = Path(__file__).resolve().parents[2]
# No pause between posts to one channel: tests post a handful, and time is real time.
TEST_SCHEDULE = AlertSchedule(per_channel_interval=0.0, delivery_seconds=30)


def scheduler_for(
    ctx: DomainContext,
    stand_in: SlackStandIn,
    schedule: AlertSchedule = TEST_SCHEDULE,
    *,
    timeout: float = 10,
    base_url: str | None = None,
) -> FarLabScheduler:
    """The scheduler posting to the stand-in (or to ``base_url``), its Slack client giving
    up after ``timeout`` seconds."""
    client = build_client("xoxb-farlab-local", base_url=base_url or stand_in.base_url)
    client.timeout = timeout  # type: ignore[assignment]
    poster = outbox_client(client)
    jobs = AlertJobs(ctx, SlackAlertMessenger(poster), schedule, SlackOrderMessenger(poster))
    return FarLabScheduler(ctx, jobs)


@dataclass
class Jobs:
    """The scheduler of a test, and shortcuts to run its jobs."""

    scheduler: FarLabScheduler

    def run(self, job_id: str = "alert_delivery") -> JobOutcome:
        outcome = self.scheduler.run(job_id)
        assert outcome.status == "ok", outcome
        return outcome

    def deliver(self) -> str:
        return self.run("alert_delivery").detail

    def with_schedule(self, **changes: Any) -> Jobs:
        jobs = self.scheduler.jobs
        schedule = replace(jobs.schedule, **changes)
        changed = AlertJobs(jobs.ctx, jobs.messenger, schedule, jobs.orders)
        return Jobs(FarLabScheduler(jobs.ctx, changed))


def low_part(
    ctx: DomainContext,
    number: str = "FIL-1002",
    *,
    category: str = "Filaments",
    stock: int = 3,
    minimum: int = 5,
    **fields: Any,
) -> PartView:
    """A part created low (its low-stock alert opens at once)."""
    return parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number=number,
        name=f"Part {number}",
        category=category,
        quantity_in_stock=stock,
        minimum_stock_level=minimum,
        **fields,
    )


def alert_row(ctx: DomainContext, **where: Any) -> Alert:
    from sqlalchemy import select

    with ctx.transaction() as session:
        rows = session.scalars(select(Alert).filter_by(**where)).all()
        assert len(rows) == 1, rows
        return rows[0]


def posted(stand_in: SlackStandIn, channel: str) -> list[dict[str, Any]]:
    """The bot's messages in a channel that are not thread replies."""
    return [m for m in stand_in.messages(channel) if not m.get("thread_ts")]


def carried_alerts(stand_in: SlackStandIn, channel: str) -> list[int]:
    """The alert ids the channel's messages carry in their metadata, one per message."""
    found = []
    for message in posted(stand_in, channel):
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == "farlab_alert":
            found.append(payload["alert_id"])
        elif metadata.get("event_type") == "farlab_alert_digest":
            found.extend(int(i) for i in payload["alert_ids"].split(","))
    return found


def buttons(message: dict[str, Any]) -> list[str]:
    """The action ids of a message's interactive elements, in order."""
    return [
        element["action_id"]
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def eventually(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``predicate`` until it holds (work deferred after an answer commits later)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        time.sleep(0.02)
