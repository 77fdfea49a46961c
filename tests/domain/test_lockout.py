"""The sign-in lockout: 5 refused passwords for one name within 15 minutes lock it for 15."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from domain import users
from domain.errors import AccountLocked, InvalidCredentials
from persistence.models import LoginFailure
from tests.helpers import PASSWORD, make_user

WRONG = "Wrong-Horse-9"


def _fail(ctx, username: str, times: int) -> list[type]:
    raised = []
    for _ in range(times):
        with pytest.raises((InvalidCredentials, AccountLocked)) as caught:
            users.authenticate(ctx, username=username, password=WRONG)
        raised.append(type(caught.value))
    return raised


def _failures(ctx) -> int:
    with ctx.transaction() as session:
        return session.scalar(select(func.count()).select_from(LoginFailure)) or 0


def test_the_fifth_failure_within_the_window_locks_and_says_for_how_long(ctx, clock):
    make_user(ctx, username="sara")
    assert _fail(ctx, "sara", 4) == [InvalidCredentials] * 4
    clock.advance(minutes=10)
    with pytest.raises(AccountLocked) as fifth:
        users.authenticate(ctx, username="sara", password=WRONG)
    assert fifth.value.minutes == 15 and "15 more minutes" in str(fifth.value)
    clock.advance(minutes=5, seconds=30)
    with pytest.raises(AccountLocked) as right_password:  # the right password is refused too
        users.authenticate(ctx, username="Sara ", password=PASSWORD)
    assert right_password.value.minutes == 10
    clock.advance(minutes=9, seconds=30)
    assert users.authenticate(ctx, username="sara", password=PASSWORD).username == "sara"


def test_failures_spread_wider_than_the_window_do_not_lock(ctx, clock):
    make_user(ctx, username="sara")
    for _ in range(6):
        assert _fail(ctx, "sara", 1) == [InvalidCredentials]
        clock.advance(minutes=4)
    assert users.authenticate(ctx, username="sara", password=PASSWORD).username == "sara"


def test_a_successful_sign_in_clears_the_count(ctx):
    make_user(ctx, username="sara")
    _fail(ctx, "sara", 4)
    users.authenticate(ctx, username="sara", password=PASSWORD)
    assert _fail(ctx, "sara", 4) == [InvalidCredentials] * 4
    assert users.authenticate(ctx, username="sara", password=PASSWORD).username == "sara"


def test_unknown_names_lock_alike_so_a_lock_reveals_no_account(ctx):
    make_user(ctx, username="sara")
    known, unknown = _fail(ctx, "sara", 5), _fail(ctx, "nobody", 5)
    assert known == unknown == [InvalidCredentials] * 4 + [AccountLocked]


def test_one_locked_name_does_not_lock_another(ctx):
    make_user(ctx, username="sara")
    make_user(ctx, username="omar")
    _fail(ctx, "sara", 5)
    assert users.authenticate(ctx, username="omar", password=PASSWORD).username == "omar"


def test_the_limits_come_from_the_context(ctx, clock):
    strict = dataclasses.replace(
        ctx, login_max_failures=2, login_window_minutes=1, lockout_minutes=60
    )
    make_user(ctx, username="sara")
    assert _fail(strict, "sara", 2) == [InvalidCredentials, AccountLocked]
    clock.advance(minutes=59)
    with pytest.raises(AccountLocked) as caught:
        users.authenticate(strict, username="sara", password=PASSWORD)
    assert caught.value.minutes == 1 and "1 more minute." in str(caught.value)


def test_failures_too_old_to_matter_are_deleted(ctx, clock):
    _fail(ctx, "nobody", 3)
    clock.advance(minutes=31)
    _fail(ctx, "someone", 1)
    assert _failures(ctx) == 1
