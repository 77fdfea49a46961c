"""Scheduler tests: the bot's ``lab`` (Slack stand-in and linked people) and, for the tests
that need two connections racing, PostgreSQL contexts of their own."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text

from domain.context import DomainContext
from persistence.db import Database
from slack_stand_in import SlackStandIn
from tests.bot.alerting import Jobs, scheduler_for
from tests.bot.conftest import Lab, lab  # noqa: F401 - the fixture, shared
from tests.conftest import TABLES, TEST_SECRET
from tests.helpers import Clock


@pytest.fixture
def jobs(lab: Lab) -> Jobs:  # noqa: F811
    return Jobs(scheduler_for(lab.ctx, lab.harness.stand_in))


@pytest.fixture
def stand_in() -> Iterator[SlackStandIn]:
    with SlackStandIn() as started:
        yield started


@pytest.fixture
def pg_contexts(postgres_url: str, clock: Clock) -> Iterator[Callable[[], DomainContext]]:
    """Contexts on this worker's PostgreSQL database, each with an engine of its own (as
    separate processes would have); the database starts empty."""
    made: list[Database] = []

    def make() -> DomainContext:
        db = Database.from_url(postgres_url, pool_size=5)
        made.append(db)
        return DomainContext(db=db, secret_key=TEST_SECRET, bcrypt_rounds=4, clock=clock)

    first = make()
    with first.db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    yield make
    for db in made:
        db.dispose()
