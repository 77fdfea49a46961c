"""Sign-in throttling: 5 tries per name and address in 15 minutes lock that pair for 15;
50 from all addresses together lock the name for everyone. Unknown names alike."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select, text

from domain import sign_in_throttle, users
from domain.context import DomainContext
from domain.errors import AccountLocked, DomainError, InvalidCredentials
from domain.permissions import SYSTEM
from persistence.models import LoginThrottle
from tests.factories import PASSWORD, make_user

WRONG = "Wrong-Horse-9"
HOME, CAFE = "192.0.2.10", "198.51.100.20"


def _fail(ctx: DomainContext, username: str, times: int, address: str = HOME) -> list[type]:
    raised = []
    for _ in range(times):
        with pytest.raises((InvalidCredentials, AccountLocked)) as caught:
            users.authenticate(ctx, username=username, password=WRONG, client_address=address)
        raised.append(type(caught.value))
    return raised


def _sign_in(ctx: DomainContext, username: str, address: str = HOME) -> str:
    user = users.authenticate(ctx, username=username, password=PASSWORD, client_address=address)
    return user.username


def _rows(ctx: DomainContext) -> dict[tuple[str, str], int]:
    """(username, address) -> tries counted, for every throttle row."""
    with ctx.transaction() as session:
        rows = session.execute(
            select(LoginThrottle.username, LoginThrottle.address, LoginThrottle.attempts)
        ).all()
    return {(name, address): attempts for name, address, attempts in rows}


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many passwords the domain has checked (the real check, counted around it)."""
    checked: Counter[str] = Counter()
    real = users.verify_password
    guard = threading.Lock()

    def counted(password: str, password_hash: str | None, *, rounds: int) -> bool:
        with guard:
            checked["right" if password == PASSWORD else "wrong"] += 1
        return real(password, password_hash, rounds=rounds)

    monkeypatch.setattr(users, "verify_password", counted)
    return checked


def test_the_fifth_failure_within_the_window_locks_and_says_for_how_long(ctx, clock):
    make_user(ctx, username="sara")
    assert _fail(ctx, "sara", 4) == [InvalidCredentials] * 4
    clock.advance(minutes=10)
    with pytest.raises(AccountLocked) as fifth:
        users.authenticate(ctx, username="sara", password=WRONG, client_address=HOME)
    assert fifth.value.minutes == 15
    assert "15 more minutes" in str(fifth.value)
    clock.advance(minutes=5, seconds=30)
    with pytest.raises(AccountLocked) as right_password:  # the right password is refused too
        users.authenticate(ctx, username="Sara ", password=PASSWORD, client_address=HOME)
    assert right_password.value.minutes == 10
    clock.advance(minutes=9, seconds=30)
    assert _sign_in(ctx, "sara") == "sara"


def test_a_locked_pair_checks_no_password_not_even_the_right_one(ctx, password_checks):
    make_user(ctx, username="sara")
    _fail(ctx, "sara", 5)
    assert password_checks == {"wrong": 5}
    with pytest.raises(AccountLocked):
        _sign_in(ctx, "sara")
    _fail(ctx, "sara", 3)
    assert password_checks == {"wrong": 5}


def test_failures_spread_wider_than_the_window_do_not_lock(ctx, clock):
    make_user(ctx, username="sara")
    for _ in range(6):
        assert _fail(ctx, "sara", 1) == [InvalidCredentials]
        clock.advance(minutes=4)
    assert _sign_in(ctx, "sara") == "sara"


def test_a_successful_sign_in_clears_its_pair(ctx):
    make_user(ctx, username="sara")
    _fail(ctx, "sara", 4)
    _fail(ctx, "sara", 2, address=CAFE)
    assert _rows(ctx) == {("sara", HOME): 4, ("sara", CAFE): 2, ("sara", "*"): 6}
    assert _sign_in(ctx, "sara") == "sara"
    assert _rows(ctx) == {("sara", CAFE): 2, ("sara", "*"): 6}  # the success gave its try back
    assert _fail(ctx, "sara", 4) == [InvalidCredentials] * 4
    assert _sign_in(ctx, "sara") == "sara"


def test_a_strangers_failures_at_one_address_do_not_lock_the_owner_at_another(ctx):
    make_user(ctx, username="admin")
    assert _fail(ctx, "admin", 5, address=CAFE) == [InvalidCredentials] * 4 + [AccountLocked]
    assert _fail(ctx, "admin", 1, address=CAFE) == [AccountLocked]
    assert _sign_in(ctx, "admin", address=HOME) == "admin"
    assert _fail(ctx, "admin", 1, address=HOME) == [InvalidCredentials]


@pytest.mark.parametrize("known", [True, False], ids=["account", "unknown-name"])
def test_fifty_failures_from_many_addresses_lock_the_name_everywhere(ctx, clock, known):
    if known:
        make_user(ctx, username="sara")
    make_user(ctx, username="omar")
    answers = [_fail(ctx, "sara", 5, address=f"203.0.113.{i}") for i in range(1, 10)]
    assert answers == [[InvalidCredentials] * 4 + [AccountLocked]] * 9
    assert _fail(ctx, "sara", 4, address="203.0.113.10") == [InvalidCredentials] * 4
    # The fiftieth locks the name: for everyone, from anywhere, even the right password.
    assert _fail(ctx, "sara", 1, address="203.0.113.10") == [AccountLocked]
    with pytest.raises(AccountLocked) as locked:
        users.authenticate(ctx, username="sara", password=PASSWORD, client_address=HOME)
    assert locked.value.minutes == 15
    assert _sign_in(ctx, "omar") == "omar"  # other names are not concerned
    clock.advance(minutes=15)
    if known:
        assert _sign_in(ctx, "sara") == "sara"
    else:
        assert _fail(ctx, "sara", 1) == [InvalidCredentials]


def test_unknown_names_are_throttled_alike_so_a_lock_reveals_no_account(ctx, password_checks):
    make_user(ctx, username="sara")
    known, unknown = _fail(ctx, "sara", 6), _fail(ctx, "nobody", 6)
    assert known == unknown == [InvalidCredentials] * 4 + [AccountLocked] * 2
    assert password_checks == {"wrong": 10}  # an unknown name costs a bcrypt check too
    assert _fail(ctx, "nobody", 5, address=CAFE) == known[:5]


def test_one_locked_name_does_not_lock_another(ctx):
    make_user(ctx, username="sara")
    make_user(ctx, username="omar")
    _fail(ctx, "sara", 5)
    assert _sign_in(ctx, "omar") == "omar"


def test_the_limits_come_from_the_context(ctx, clock):
    strict = dataclasses.replace(
        ctx,
        login_max_failures=2,
        login_name_max_failures=3,
        login_window_minutes=1,
        lockout_minutes=60,
    )
    make_user(ctx, username="sara")
    assert _fail(strict, "sara", 2) == [InvalidCredentials, AccountLocked]
    assert _fail(strict, "sara", 1, address=CAFE) == [AccountLocked]  # the third for the name
    clock.advance(minutes=59)
    with pytest.raises(AccountLocked) as caught:
        _sign_in(strict, "sara", address="203.0.113.1")
    assert caught.value.minutes == 1
    assert "1 more minute." in str(caught.value)
    clock.advance(minutes=1)
    assert _sign_in(strict, "sara", address="203.0.113.1") == "sara"


def test_a_password_set_through_a_link_clears_every_try_for_the_name(ctx):
    sara = make_user(ctx, username="sara")
    _fail(ctx, "sara", 5)
    _fail(ctx, "sara", 3, address=CAFE)
    with ctx.transaction() as session:
        users.set_password(session, ctx=ctx, user_id=sara.user_id, password="Fresh-Start-42")
        sign_in_throttle.forget_username(session, "Sara")
    assert _rows(ctx) == {}


def test_tries_too_old_to_matter_are_deleted(ctx, clock):
    _fail(ctx, "nobody", 3)
    _fail(ctx, "locked", 5)
    clock.advance(minutes=16)
    _fail(ctx, "someone", 1)
    assert set(_rows(ctx)) == {("someone", HOME), ("someone", "*")}


def test_ipv6_clients_are_counted_by_their_64_network(ctx):
    make_user(ctx, username="sara")
    for host in range(1, 6):
        _fail(ctx, "sara", 1, address=f"2001:db8:1:2::{host:x}")
    with pytest.raises(AccountLocked):
        _sign_in(ctx, "sara", address="2001:db8:1:2:ffff::1")
    assert _sign_in(ctx, "sara", address="2001:db8:1:3::1") == "sara"
    assert sign_in_throttle.address_key("::ffff:192.0.2.10") == HOME


# -- many at once -----------------------------------------------------------------------------


def _together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released at once; domain errors are results."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        barrier.wait(timeout=30)
        try:
            return work(i)
        except DomainError as exc:
            return type(exc)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_forty_parallel_tries_check_at_most_five_passwords_and_the_right_one_then_fails(
    ctx, password_checks
):
    """Thread 0 has the right password and tries once five passwords are being checked."""
    sara = make_user(ctx, username="sara")
    budget_gone = threading.Event()
    verify = users.verify_password

    def noticed(password: str, password_hash: str | None, *, rounds: int) -> bool:
        ok = verify(password, password_hash, rounds=rounds)
        if password_checks["wrong"] >= ctx.login_max_failures:
            budget_gone.set()
        return ok

    def attempt(i: int) -> Any:
        if i == 0:
            assert budget_gone.wait(timeout=60), "five passwords were never checked"
            return _sign_in(ctx, "sara")
        with pytest.raises((InvalidCredentials, AccountLocked)) as caught:
            users.authenticate(ctx, username="sara", password=WRONG, client_address=HOME)
        return type(caught.value)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "verify_password", noticed)
        answers = Counter(_together(40, attempt))
    assert password_checks == {"wrong": 5}
    assert answers == {InvalidCredentials: 4, AccountLocked: 36}
    assert _rows(ctx) == {("sara", HOME): 5, ("sara", "*"): 5}
    assert users.get_user(ctx, actor=SYSTEM, user_id=sara.user_id).last_login is None


def _wait_for_a_lock_wait(ctx: DomainContext) -> None:
    """Until another PostgreSQL session of this database waits for a row lock."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 30
    while True:
        with ctx.db.engine.connect() as conn:
            if conn.scalar(waiting):
                return
        assert time.monotonic() < deadline, "the sign-in never waited for the account's row"
        time.sleep(0.02)


@pytest.mark.postgres_only
def test_a_sign_in_while_a_link_sets_the_password_waits_and_never_deadlocks(ctx):
    """A password link changes the account and then forgets the name's tries, in one
    transaction. A right password checked meanwhile must wait for the account as that
    transaction does, not hold the tries first: on PostgreSQL the two once waited for each
    other, and the database aborted one ("deadlock detected", answered as unavailable).
    (SQLite runs one writing transaction at a time, so the two cannot interleave there.)"""
    ada = make_user(ctx, username="ada")
    with ThreadPoolExecutor(max_workers=1) as pool, ctx.transaction() as session:
        users.set_password(session, ctx=ctx, user_id=ada.user_id, password=PASSWORD)
        session.flush()  # the account's row is now this transaction's
        signing_in = pool.submit(_sign_in, ctx, "ada", CAFE)
        _wait_for_a_lock_wait(ctx)
        sign_in_throttle.forget_username(session, "ada")
    assert signing_in.result(timeout=30) == "ada"
