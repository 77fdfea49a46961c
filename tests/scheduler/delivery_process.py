"""The alert delivery job, run once in a process of its own, so that a test can kill it
(``kill -9``) while its post is in flight.

    python -m tests.scheduler.delivery_process DATABASE_URL SLACK_BASE_URL
"""

from __future__ import annotations

import sys

from bot.alert_messenger import SlackAlertMessenger, outbox_client
from domain.context import DomainContext
from farlab.wiring import build_client
from persistence.db import Database
from scheduler.jobs import AlertJobs
from scheduler.runner import FarLabScheduler
from tests.bot.alerting import TEST_SCHEDULE
from tests.conftest import TEST_SECRET


def main(database_url: str, base_url: str) -> None:
    ctx = DomainContext(db=Database.from_url(database_url), secret_key=TEST_SECRET)
    client = build_client("xoxb-farlab-local", base_url=base_url, timeout=120)
    jobs = AlertJobs(ctx, SlackAlertMessenger(outbox_client(client)), TEST_SCHEDULE)
    print(FarLabScheduler(ctx, jobs).run("alert_delivery"), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
