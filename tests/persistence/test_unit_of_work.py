"""One unit of work per interaction: services join it, it commits once, and a failure after a
write keeps nothing. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from domain.context import DomainContext
from domain.errors import Conflict, NotFound, Unavailable
from persistence import handled_requests
from persistence.db import Database, Session
from persistence.models import HandledRequest

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _claim(session: Session, key: str) -> bool:
    return handled_requests.claim(session, key, now=NOW, expires_at=NOW + timedelta(hours=1))


def _half_then_refused(ctx: DomainContext) -> None:
    with ctx.transaction() as session:
        _claim(session, "half of a change")
        raise NotFound("the second half was refused")


def _keys(database: Database) -> list[str]:
    with database.engine.connect() as conn:
        return list(conn.scalars(select(HandledRequest.key).order_by(HandledRequest.key)))


class Statements:
    """Every statement sent to the database, BEGIN and COMMIT included."""

    def __init__(self, database: Database) -> None:
        self.sent: list[str] = []
        self._engine = database.engine

    def __enter__(self) -> Statements:
        event.listen(self._engine, "before_cursor_execute", self._statement)
        event.listen(self._engine, "begin", self._begin)
        event.listen(self._engine, "commit", self._commit)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._statement)
        event.remove(self._engine, "begin", self._begin)
        event.remove(self._engine, "commit", self._commit)

    def _statement(self, _c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        self.sent.append(statement.split()[0].upper())

    def _begin(self, _conn: Any) -> None:
        self.sent.append("<begin>")

    def _commit(self, _conn: Any) -> None:
        self.sent.append("<commit>")


@pytest.fixture
def ctx_for(database: Database) -> DomainContext:
    return DomainContext(db=database, secret_key="x" * 40, bcrypt_rounds=4)


def test_services_called_in_a_unit_share_its_session_and_commit_once(
    database: Database, ctx_for: DomainContext
):
    with Statements(database) as seen, ctx_for.unit_of_work() as unit:
        with ctx_for.transaction() as first:
            _claim(first, "a")
        with ctx_for.transaction() as second:
            _claim(second, "b")
        assert first is second is unit.session
    assert seen.sent.count("<begin>") == 1
    assert seen.sent.count("<commit>") == 1
    assert _keys(database) == ["a", "b"]


def test_a_joined_service_that_fails_after_writing_rolls_back_the_whole_interaction(
    database: Database, ctx_for: DomainContext
):
    with ctx_for.unit_of_work() as unit:
        with ctx_for.transaction() as session:
            _claim(session, "kept only if all succeeds")
        with pytest.raises(NotFound):
            _half_then_refused(ctx_for)
        assert unit.rollback_only
    assert _keys(database) == []


def test_a_joined_service_refused_before_writing_leaves_the_interaction_to_commit(
    database: Database, ctx_for: DomainContext
):
    with ctx_for.unit_of_work() as unit:
        with ctx_for.transaction() as session:
            _claim(session, "a")
        with pytest.raises(NotFound), ctx_for.transaction():
            raise NotFound("nothing written")
        assert not unit.rollback_only
    assert _keys(database) == ["a"]


def test_a_constraint_violation_surfaces_in_the_service_that_caused_it(
    database: Database, ctx_for: DomainContext
):
    with ctx_for.unit_of_work() as unit:
        with ctx_for.transaction() as session:
            _claim(session, "taken")
        with pytest.raises(Conflict), ctx_for.transaction() as session:
            session.add(HandledRequest(key="taken", claimed_at=NOW, expires_at=NOW))
        # The unit is spoiled but can still read, to show the problem; it never commits.
        assert unit.rollback_only
        with ctx_for.transaction() as session:
            assert session.scalar(select(func.count()).select_from(HandledRequest)) == 0
    assert _keys(database) == []


def test_work_queued_after_commit_runs_only_once_the_change_is_committed(
    database: Database, ctx_for: DomainContext
):
    ran: list[list[str]] = []
    with ctx_for.unit_of_work():
        with ctx_for.transaction() as session:
            _claim(session, "a")
        assert ctx_for.after_commit(lambda: ran.append(_keys(database)))
        assert ran == []
    assert ran == [["a"]]  # it saw the committed change

    def failing() -> None:
        with ctx_for.unit_of_work():
            with ctx_for.transaction() as session:
                _claim(session, "b")
            ctx_for.after_commit(lambda: ran.append(["never"]))
            raise RuntimeError("the interaction failed")

    with pytest.raises(RuntimeError):
        failing()
    assert ran == [["a"]]
    assert ctx_for.after_commit(lambda: None) is False  # no unit open: the caller runs it


def test_a_failed_interaction_is_rolled_back_and_its_queued_work_dropped(
    database: Database, ctx_for: DomainContext
):
    ran: list[str] = []
    with ctx_for.unit_of_work():
        with ctx_for.transaction() as session:
            _claim(session, "a")
        ctx_for.after_commit(lambda: ran.append("told"))
        ctx_for.roll_back_interaction()
    assert ran == []
    assert _keys(database) == []


def test_the_unit_knows_whether_the_interaction_changed_anything(ctx_for: DomainContext):
    with ctx_for.unit_of_work() as unit:
        with ctx_for.transaction() as session:
            session.scalar(select(func.count()).select_from(HandledRequest))
        assert not unit.wrote
        with ctx_for.transaction() as session:
            _claim(session, "a")
        assert unit.wrote
    with ctx_for.unit_of_work() as unit:
        with ctx_for.transaction() as session:
            session.execute(text("UPDATE handled_requests SET body = 'x' WHERE key = 'a'"))
        assert unit.wrote


def test_own_transaction_outlives_the_interaction_around_it(
    database: Database, ctx_for: DomainContext
):
    def sign_in() -> None:
        with ctx_for.unit_of_work():
            with ctx_for.own_transaction() as own:
                _claim(own, "counted")  # e.g. a failed sign-in
            with ctx_for.transaction() as session:
                _claim(session, "rolled back")
            raise RuntimeError("the sign-in failed")

    with pytest.raises(RuntimeError):
        sign_in()
    assert _keys(database) == ["counted"]


@pytest.mark.postgres_only
def test_a_connection_the_server_closed_is_replaced_at_checkout_without_a_round_trip(
    database: Database, ctx_for: DomainContext
):
    with database.engine.connect() as conn:  # pooled, then back in the pool
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
    outside = create_engine(database.engine.url, poolclass=NullPool)
    with outside.connect() as other:  # not from the pool: that connection is the one to end
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.commit()
    outside.dispose()
    _wait_until_closed(database, pid)
    with Statements(database) as seen, ctx_for.unit_of_work() as unit:
        new_pid = unit.session.scalar(text("SELECT pg_backend_pid()"))
    assert new_pid != pid
    assert seen.sent == ["<begin>", "SELECT", "<commit>"]  # no pre-ping, no error


def _wait_until_closed(database: Database, pid: int) -> None:
    outside = create_engine(database.engine.url, poolclass=NullPool)
    with outside.connect() as conn:
        for _ in range(100):
            alive = conn.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            )
            conn.rollback()
            if not alive:
                return
            time.sleep(0.05)
    raise AssertionError("the backend did not end")


def test_a_dropped_connection_is_marked_on_the_unit(ctx_for: DomainContext):
    dropped = OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    dropped.connection_invalidated = True
    seen: list[bool] = []

    def interaction() -> None:
        with ctx_for.unit_of_work() as unit:
            try:
                with ctx_for.transaction():
                    raise dropped
            finally:
                seen.extend([unit.dropped_connection, unit.rollback_only])

    with pytest.raises(Unavailable):
        interaction()
    assert seen == [True, True]


@pytest.fixture(autouse=True)
def _no_leftover_unit() -> Iterator[None]:
    from persistence.unit_of_work import current_unit

    yield
    assert current_unit() is None, "a unit of work was left open in the context"
