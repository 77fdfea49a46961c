"""Signing in, acting as an account, and changing or setting passwords."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from domain import sessions, tokens, users
from domain.errors import AccountInactive, Forbidden, InvalidCredentials, InvalidInput, NotFound
from domain.permissions import SYSTEM, Role
from persistence.db import Database
from tests.domain.conftest import snapshot_of
from tests.factories import PASSWORD, make_user
from tests.helpers import access_token


@pytest.fixture
def refused_sign_in(database: Database) -> Callable[..., AbstractContextManager[Any]]:
    """A refused sign-in changes nothing but the throttle: one try for its name and address,
    one for its name from every address."""

    @contextmanager
    def expect(error: type[Exception] = InvalidCredentials) -> Iterator[Any]:
        before = snapshot_of(database)
        with pytest.raises(error) as caught:
            yield caught
        after = snapshot_of(database)
        tries_before, tries_after = before.pop("login_throttles"), after.pop("login_throttles")
        assert sum(row[2] for row in tries_after) == sum(row[2] for row in tries_before) + 2
        assert after == before, "a refused sign-in changed the database"

    return expect


def test_authenticate_accepts_any_case_of_the_username_and_records_the_login(ctx, clock):
    member = make_user(ctx, username="Sara.Berg")
    clock.advance(hours=2)
    user = users.authenticate(ctx, username="  sara.berg ", password=PASSWORD)
    assert user.id == member.user_id
    assert user.last_login == clock.now
    assert users.get_user(ctx, actor=SYSTEM, user_id=user.id).last_login == clock.now


def test_wrong_password_and_unknown_user_fail_alike_and_only_count_a_failure(ctx, refused_sign_in):
    make_user(ctx, username="sara")
    with refused_sign_in() as wrong_password:
        users.authenticate(ctx, username="sara", password=PASSWORD + "x")
    with refused_sign_in() as unknown_user:
        users.authenticate(ctx, username="nobody", password=PASSWORD)
    assert str(wrong_password.value) == str(unknown_user.value)


def test_an_inactive_account_cannot_sign_in_even_with_the_right_password(ctx, refused_sign_in):
    member = make_user(ctx, username="sara")
    users.deactivate_user(ctx, actor=SYSTEM, user_id=member.user_id)
    with refused_sign_in(AccountInactive):  # counted as a try, just like a wrong password
        users.authenticate(ctx, username="sara", password=PASSWORD)
    with refused_sign_in():  # a wrong password reveals nothing about the account
        users.authenticate(ctx, username="sara", password="Wrong-Horse-9")


def test_an_invited_account_without_a_password_cannot_sign_in(ctx, refused_sign_in):
    users.create_user(
        ctx,
        actor=SYSTEM,
        username="invitee",
        email="invitee@lab.example",
        first_name="In",
        last_name="Vitee",
        password=None,
    )
    with refused_sign_in():
        users.authenticate(ctx, username="invitee", password="")


def test_a_token_gives_the_role_and_is_refused_for_inactive_or_unknown_accounts(ctx):
    manager = make_user(ctx, "manager")
    token = access_token(ctx, manager)
    assert sessions.actor_for_token(ctx, token) == manager
    assert sessions.actor_for_token(ctx, token).role is Role.MANAGER
    users.deactivate_user(ctx, actor=SYSTEM, user_id=manager.user_id)
    with pytest.raises(AccountInactive):
        sessions.actor_for_token(ctx, token)
    unknown = tokens.issue_access_token(ctx, user_id=999_999, username="ghost", stamp="s")
    with pytest.raises(NotFound):
        sessions.actor_for_token(ctx, unknown)


def test_change_password_needs_the_current_one_and_replaces_it(ctx, refused):
    member = make_user(ctx, username="sara")
    with refused(InvalidInput, field="current_password"):
        users.change_password(
            ctx,
            actor=member,
            user_id=member.user_id,
            current_password="Not-The-One-1",
            new_password="Fresh-Start-42",
        )
    users.change_password(
        ctx,
        actor=member,
        user_id=member.user_id,
        current_password=PASSWORD,
        new_password="Fresh-Start-42",
    )
    with pytest.raises(InvalidCredentials):
        users.authenticate(ctx, username="sara", password=PASSWORD)
    assert users.authenticate(ctx, username="sara", password="Fresh-Start-42").username == "sara"


def test_change_password_refuses_a_weak_new_password_naming_new_password(ctx, refused):
    member = make_user(ctx)
    with refused(InvalidInput, field="new_password"):
        users.change_password(
            ctx,
            actor=member,
            user_id=member.user_id,
            current_password=PASSWORD,
            new_password="Password123",
        )


def test_nobody_changes_another_persons_password_not_even_an_admin(ctx, refused):
    admin, member = make_user(ctx, "admin"), make_user(ctx)
    with refused(Forbidden):
        users.change_password(
            ctx,
            actor=admin,
            user_id=member.user_id,
            current_password=PASSWORD,
            new_password="Fresh-Start-42",
        )


def test_set_password_works_for_an_invitation_and_refuses_an_inactive_account(ctx):
    member = make_user(ctx, username="sara")
    with ctx.transaction() as session:
        users.set_password(session, ctx=ctx, user_id=member.user_id, password="Fresh-Start-42")
    assert users.authenticate(ctx, username="sara", password="Fresh-Start-42")
    users.deactivate_user(ctx, actor=SYSTEM, user_id=member.user_id)
    with pytest.raises(AccountInactive), ctx.transaction() as session:
        users.set_password(session, ctx=ctx, user_id=member.user_id, password="Other-Start-42")
    with pytest.raises(InvalidInput), ctx.transaction() as session:
        users.set_password(session, ctx=ctx, user_id=member.user_id, password="weak")
