"""The replay guard runs each Slack request in one unit of work: a copy's work is rolled
back, a failed request is remembered, a read-only one is not, and a dropped connection gets
one more try."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from slack_bolt import BoltResponse
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.replay_guard import ReplayGuard
from domain.context import DomainContext
from domain.errors import Unavailable
from persistence import handled_requests
from persistence.models import HandledRequest

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CLAIM = ("signature:v0=abc", timedelta(minutes=6))


def _write(ctx: DomainContext, key: str) -> None:
    with ctx.transaction() as session:
        handled_requests.claim(session, key, now=NOW, expires_at=NOW + timedelta(hours=1))


def _keys(ctx: DomainContext) -> list[str]:
    with ctx.db.engine.connect() as conn:
        return list(conn.scalars(select(HandledRequest.key).order_by(HandledRequest.key)))


def _refuse(problem: Unavailable) -> BoltResponse:
    return BoltResponse(status=200, body=f"refused: {problem.message}")


def test_a_copy_of_a_request_that_changed_something_keeps_nothing(ctx: DomainContext):
    guard, calls = ReplayGuard(ctx), count(1)

    def handle() -> BoltResponse:
        _write(ctx, f"work-{next(calls)}")
        ctx.after_commit(lambda: None)
        return BoltResponse(status=200, body="took 1")

    first = guard.run_once(CLAIM, handle, _refuse)
    assert first is not None
    assert first.body == "took 1"
    assert guard.run_once(CLAIM, handle, _refuse) is None  # a copy: the first answer stands
    assert _keys(ctx) == [CLAIM[0], "work-1"]  # the copy ran, and was rolled back


def test_a_failed_request_is_claimed_so_its_replay_is_not_a_second_try(ctx: DomainContext):
    guard = ReplayGuard(ctx)

    def handle() -> BoltResponse:
        _write(ctx, "half a change")
        ctx.roll_back_interaction()  # what the error handler does
        return BoltResponse(status=200, body="not enough stock")

    first = guard.run_once(CLAIM, handle, _refuse)
    assert first is not None
    assert first.body == "not enough stock"
    assert guard.run_once(CLAIM, handle, _refuse) is None
    assert _keys(ctx) == [CLAIM[0]]


def test_a_read_only_request_is_not_claimed_and_is_answered_again(ctx: DomainContext):
    guard = ReplayGuard(ctx)

    def handle() -> BoltResponse:
        _keys(ctx)
        return BoltResponse(status=200, body="the part card")

    assert guard.run_once(CLAIM, handle, _refuse) is not None
    second = guard.run_once(CLAIM, handle, _refuse)
    assert second is not None
    assert second.body == "the part card"
    assert _keys(ctx) == []


def test_a_request_whose_connection_was_dropped_runs_once_more(ctx: DomainContext):
    guard, calls = ReplayGuard(ctx), count(1)

    def handle() -> BoltResponse:
        attempt = next(calls)
        _write(ctx, f"attempt-{attempt}")
        if attempt == 1:
            dropped = OperationalError("UPDATE", {}, Exception("server closed the connection"))
            dropped.connection_invalidated = True
            try:
                with ctx.transaction():
                    raise dropped
            except Unavailable:  # the error handler answers politely
                return BoltResponse(status=200, body="FarLab cannot save changes right now")
        return BoltResponse(status=200, body="took 1")

    answer = guard.run_once(CLAIM, handle, _refuse)
    assert answer is not None
    assert answer.body == "took 1"
    assert _keys(ctx) == ["attempt-2", CLAIM[0]]


def test_a_server_error_keeps_nothing_and_claims_nothing(ctx: DomainContext):
    guard = ReplayGuard(ctx)

    def handle() -> BoltResponse:
        _write(ctx, "work")
        return BoltResponse(status=500, body="")

    answer = guard.run_once(CLAIM, handle, _refuse)
    assert answer is not None
    assert answer.status == 500
    assert _keys(ctx) == []  # Slack's retry will be handled
