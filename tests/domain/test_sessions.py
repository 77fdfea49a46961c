"""Security stamps: which changes end an account's tokens and links, and which do not."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain import identities, linking, sessions, users
from domain.context import DomainContext
from domain.errors import AccountInactive, TokenRevoked
from domain.permissions import SYSTEM, Actor, Role
from persistence.models import User
from tests.factories import PASSWORD, make_user
from tests.helpers import access_token

TEAM = "T1"
NEW_PASSWORD = "Fresh-Start-42"


def _stamp(ctx: DomainContext, actor: Actor) -> str:
    with ctx.transaction() as session:
        return session.get_one(User, actor.user_id).security_stamp


def _set_password(ctx: DomainContext, actor: Actor) -> None:
    with ctx.transaction() as session:
        users.set_password(session, ctx=ctx, user_id=actor.user_id, password=NEW_PASSWORD)


ENDS_SESSIONS: dict[str, Callable[[DomainContext, Actor, Actor], object]] = {
    "change_password": lambda c, _a, m: users.change_password(
        c, actor=m, user_id=m.user_id, current_password=PASSWORD, new_password=NEW_PASSWORD
    ),
    "set_password (invitation and password links)": lambda c, _a, m: _set_password(c, m),
    "deactivate_user": lambda c, a, m: users.deactivate_user(c, actor=a, user_id=m.user_id),
    "update_account(is_active=False)": lambda c, _a, m: users.update_account(
        c, actor=m, user_id=m.user_id, is_active=False
    ),
    "sign_out_everywhere": lambda c, a, m: sessions.sign_out_everywhere(
        c, actor=a, user_id=m.user_id
    ),
}
KEEPS_SESSIONS: dict[str, Callable[[DomainContext, Actor, Actor], object]] = {
    "change_role": lambda c, a, m: users.change_role(c, actor=a, user_id=m.user_id, role="manager"),
    "update_user": lambda c, _a, m: users.update_user(c, actor=m, user_id=m.user_id, phone="1"),
    "sign in": lambda c, _a, m: users.authenticate(c, username=m.username, password=PASSWORD),
    "reactivate_user": lambda c, a, m: users.reactivate_user(c, actor=a, user_id=m.user_id),
}


def test_every_account_gets_its_own_random_stamp(ctx):
    stamps = {_stamp(ctx, make_user(ctx)) for _ in range(5)}
    assert len(stamps) == 5
    assert all(len(s) >= 32 for s in stamps)


@pytest.mark.parametrize("change", ENDS_SESSIONS.values(), ids=ENDS_SESSIONS.keys())
def test_a_new_password_or_deactivation_or_sign_out_refuses_older_tokens(ctx, change):
    admin, member = make_user(ctx, "admin"), make_user(ctx)
    token, before = access_token(ctx, member), _stamp(ctx, member)
    change(ctx, admin, member)
    users.reactivate_user(ctx, actor=admin, user_id=member.user_id)
    assert _stamp(ctx, member) != before
    with pytest.raises(TokenRevoked):
        sessions.actor_for_token(ctx, token)
    assert sessions.actor_for_token(ctx, access_token(ctx, member)).user_id == member.user_id


@pytest.mark.parametrize("change", KEEPS_SESSIONS.values(), ids=KEEPS_SESSIONS.keys())
def test_other_changes_keep_the_tokens(ctx, change):
    admin, member = make_user(ctx, "admin"), make_user(ctx)
    token, before = access_token(ctx, member), _stamp(ctx, member)
    change(ctx, admin, member)
    assert _stamp(ctx, member) == before
    assert sessions.actor_for_token(ctx, token).user_id == member.user_id


def test_a_token_carries_the_role_the_account_has_now(ctx):
    admin, manager = make_user(ctx, "admin"), make_user(ctx, "manager")
    token = access_token(ctx, manager)
    users.change_role(ctx, actor=admin, user_id=manager.user_id, role="member")
    assert sessions.actor_for_token(ctx, token).role is Role.MEMBER


def test_signing_in_gives_a_token_bound_to_the_current_stamp(ctx):
    member = make_user(ctx)
    signed_in = users.sign_in_for_token(ctx, username=member.username, password=PASSWORD)
    assert signed_in.user.id == member.user_id
    assert sessions.actor_for_token(ctx, signed_in.access_token) == member
    sessions.sign_out_everywhere(ctx, actor=SYSTEM, user_id=member.user_id)
    with pytest.raises(TokenRevoked):
        sessions.actor_for_token(ctx, signed_in.access_token)


def test_a_deactivated_accounts_token_says_so_before_it_says_revoked(ctx):
    member = make_user(ctx)
    token = access_token(ctx, member)
    users.deactivate_user(ctx, actor=SYSTEM, user_id=member.user_id)
    with pytest.raises(AccountInactive):
        sessions.actor_for_token(ctx, token)


def test_account_links_are_refused_once_the_stamp_changes(ctx, refused):
    admin, sara = make_user(ctx, "admin"), make_user(ctx, username="sara")
    identities.link_identity(
        ctx, actor=SYSTEM, team_id=TEAM, slack_user_id="U1", user_id=sara.user_id
    )
    confirm = linking.request_link(
        ctx, actor=admin, team_id=TEAM, slack_user_id="U2", username="sara"
    )
    password = linking.start_password_change(ctx, actor=sara, team_id=TEAM, slack_user_id="U1")
    invite = linking.invite_user(
        ctx,
        actor=admin,
        team_id=TEAM,
        slack_user_id="U3",
        username="newbie",
        email="newbie@lab.example",
        first_name="New",
        last_name="Person",
    )
    newbie = users.get_user(ctx, actor=admin, username="newbie")
    for offer in (confirm, password, invite):
        linking.describe_link(ctx, purpose=offer.purpose, token=offer.token)
    sessions.sign_out_everywhere(ctx, actor=admin, user_id=sara.user_id)
    sessions.sign_out_everywhere(ctx, actor=admin, user_id=newbie.id)
    for offer in (confirm, password, invite):
        with pytest.raises(TokenRevoked):
            linking.describe_link(ctx, purpose=offer.purpose, token=offer.token)
    with refused(TokenRevoked):
        linking.complete_link(ctx, purpose="invite", token=invite.token, password=NEW_PASSWORD)
    with refused(TokenRevoked):
        linking.complete_link(ctx, purpose="confirm-link", token=confirm.token, password=PASSWORD)
