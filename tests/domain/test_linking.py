"""Signed single-use links: self link, invitation, admin-initiated link, password change."""

from __future__ import annotations

import base64
import json

import pytest

from domain import identities, linking, users
from domain.errors import (
    AccountInactive,
    AccountLocked,
    Conflict,
    Forbidden,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    TokenExpired,
    TokenInvalid,
    TokenReused,
    TokenWrongAudience,
    TokenWrongUser,
)
from domain.permissions import SYSTEM
from tests.factories import PASSWORD, make_user

TEAM = "T1"
NEW_PASSWORD = "Fresh-Start-42"


def _forge(token: str, **changes: object) -> str:
    """The token with its payload rewritten and the original signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


def _self_link(ctx, token, username, password=PASSWORD, **kwargs):
    return linking.complete_link(
        ctx, purpose="link", token=token, username=username, password=password, **kwargs
    )


def _actor_of(ctx, slack_user_id, team_id=TEAM):
    return identities.resolve_actor(ctx, team_id=team_id, slack_user_id=slack_user_id)


def _invite(ctx, admin, slack_user_id="U2", username="newbie", role="member"):
    return linking.invite_user(
        ctx,
        actor=admin,
        team_id=TEAM,
        slack_user_id=slack_user_id,
        username=username,
        email=f"{username}@lab.example",
        first_name="New",
        last_name="Person",
        role=role,
    )


# -- self link -------------------------------------------------------------------------------


def test_a_self_link_signs_in_links_that_slack_user_and_is_used_up(ctx, clock):
    member = make_user(ctx, username="sara")
    offer = linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1")
    assert offer.purpose == "link"
    assert offer.user is None
    assert (offer.expires_at - clock.now).total_seconds() == ctx.link_token_minutes * 60
    assert linking.describe_link(ctx, purpose="link", token=offer.token).username is None
    outcome = _self_link(ctx, offer.token, "Sara")
    assert (outcome.user.id, outcome.team_id, outcome.slack_user_id) == (member.user_id, TEAM, "U1")
    assert _actor_of(ctx, "U1") == member
    with pytest.raises(TokenReused):
        linking.describe_link(ctx, purpose="link", token=offer.token)


def test_a_token_for_one_slack_user_cannot_link_another_nor_work_in_another_team(ctx, refused):
    make_user(ctx, username="sara")
    token = linking.start_self_link(ctx, team_id=TEAM, slack_user_id="UA").token
    with refused(TokenWrongUser):
        _self_link(ctx, token, "sara", slack_user_id="UB")
    with refused(TokenWrongUser):
        _self_link(ctx, token, "sara", team_id="T2", slack_user_id="UA")
    with refused(TokenInvalid):
        _self_link(ctx, _forge(token, slack_user_id="UB"), "sara")
    with refused(TokenInvalid):
        _self_link(ctx, _forge(token, team_id="T2"), "sara")
    _self_link(ctx, token, "sara", team_id=TEAM, slack_user_id="UA")
    assert _actor_of(ctx, "UB") is None
    assert _actor_of(ctx, "UA", team_id="T2") is None


def test_expired_wrong_audience_and_reused_links_are_refused_and_change_nothing(
    ctx, clock, refused
):
    make_user(ctx, username="sara")
    token = linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1").token
    with refused(TokenWrongAudience):
        linking.complete_link(ctx, purpose="password", token=token, password=NEW_PASSWORD)
    with refused(TokenInvalid):
        _self_link(ctx, token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB"), "sara")
    with refused(TokenInvalid):
        _self_link(ctx, "not-a-token", "sara")
    clock.advance(minutes=ctx.link_token_minutes)
    with refused(TokenExpired):
        _self_link(ctx, token, "sara")
    fresh = linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1").token
    _self_link(ctx, fresh, "sara")
    identities.unlink_identity(ctx, actor=_actor_of(ctx, "U1"), team_id=TEAM, slack_user_id="U1")
    with refused(TokenReused):
        _self_link(ctx, fresh, "sara")


def test_wrong_passwords_get_one_message_keep_the_link_and_lock_after_five(ctx, clock):
    make_user(ctx, username="sara")
    token = linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1").token
    with pytest.raises(InvalidCredentials) as wrong_password:
        _self_link(ctx, token, "sara", password="Wrong-Horse-9")
    with pytest.raises(InvalidCredentials) as unknown_user:
        _self_link(ctx, token, "nobody")
    assert str(wrong_password.value) == str(unknown_user.value) == "Invalid username or password."
    assert _actor_of(ctx, "U1") is None
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            _self_link(ctx, token, "sara", password="Wrong-Horse-9")
    with pytest.raises(AccountLocked) as locked:
        _self_link(ctx, token, "sara", password="Wrong-Horse-9")
    assert locked.value.minutes == ctx.lockout_minutes
    with pytest.raises(AccountLocked):  # and the REST sign-in shares the lock
        users.authenticate(ctx, username="sara", password=PASSWORD)
    clock.advance(minutes=ctx.lockout_minutes)
    with pytest.raises(TokenExpired):
        _self_link(ctx, token, "sara")
    _self_link(ctx, linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1").token, "sara")


def test_a_linked_slack_user_must_unlink_before_linking_again(ctx, refused):
    sara = make_user(ctx, username="sara")
    make_user(ctx, username="omar")
    token = linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1").token
    other = linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1").token
    _self_link(ctx, token, "sara")
    with refused(Conflict) as again:
        linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1")
    assert "already linked to the FarLab account sara" in str(again.error)
    assert "unlink it first" in str(again.error)
    with refused(Conflict):
        _self_link(ctx, other, "omar")
    identities.unlink_identity(ctx, actor=sara, team_id=TEAM, slack_user_id="U1")
    assert _self_link(ctx, other, "omar").user.username == "omar"


def test_a_deactivated_account_cannot_link_itself(ctx):
    sara = make_user(ctx, username="sara")
    users.deactivate_user(ctx, actor=SYSTEM, user_id=sara.user_id)
    token = linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1").token
    with pytest.raises(AccountInactive):  # counted as a sign-in try, like a wrong password
        _self_link(ctx, token, "sara")
    assert _actor_of(ctx, "U1") is None


# -- invitation ------------------------------------------------------------------------------


def test_an_invitation_makes_an_account_without_password_that_its_person_completes(ctx, clock):
    admin = make_user(ctx, "admin")
    offer = _invite(ctx, admin, role="manager")
    assert offer.purpose == "invite"
    assert offer.user is not None
    assert not offer.user.has_password
    assert offer.user.role == "manager"
    assert (offer.expires_at - clock.now).total_seconds() == 72 * 3600
    page = linking.describe_link(ctx, purpose="invite", token=offer.token)
    assert page.username == "newbie"
    clock.advance(hours=71)
    outcome = linking.complete_link(ctx, purpose="invite", token=offer.token, password=NEW_PASSWORD)
    assert outcome.user.username == "newbie"
    assert outcome.slack_user_id == "U2"
    assert _actor_of(ctx, "U2").username == "newbie"
    assert users.authenticate(ctx, username="newbie", password=NEW_PASSWORD).has_password
    [link] = identities.identities_of(ctx, actor=admin, user_id=outcome.user.id)
    assert link.linked_by_id == admin.user_id


def test_an_invitation_refuses_a_weak_password_saying_which_rule_and_changes_nothing(ctx, refused):
    offer = _invite(ctx, make_user(ctx, "admin"))
    with refused(InvalidInput, field="password") as weak:
        linking.complete_link(ctx, purpose="invite", token=offer.token, password="alllowercase1")
    assert "uppercase" in str(weak.error)
    linking.complete_link(ctx, purpose="invite", token=offer.token, password=NEW_PASSWORD)


def test_an_invitation_expires_after_72_hours_and_works_once(ctx, clock, refused):
    admin = make_user(ctx, "admin")
    late, used = _invite(ctx, admin, "U2", "late"), _invite(ctx, admin, "U3", "used")
    linking.complete_link(ctx, purpose="invite", token=used.token, password=NEW_PASSWORD)
    with refused(TokenReused):
        linking.complete_link(ctx, purpose="invite", token=used.token, password="Other-Pass-77")
    clock.advance(hours=72)
    with refused(TokenExpired):
        linking.complete_link(ctx, purpose="invite", token=late.token, password=NEW_PASSWORD)


def test_only_admins_invite(ctx, refused):
    for role in ("manager", "member"):
        actor = make_user(ctx, role)
        with refused(Forbidden):
            _invite(ctx, actor)


def test_inviting_a_slack_user_who_is_linked_already_creates_nothing(ctx, refused):
    admin = make_user(ctx, "admin")
    identities.link_identity(
        ctx, actor=admin, team_id=TEAM, slack_user_id="U2", user_id=admin.user_id
    )
    with refused(Conflict, field="slack_user_id"):
        _invite(ctx, admin, "U2")
    with refused(InvalidInput, field="slack_user_id"):
        _invite(ctx, admin, None)


def test_a_deactivated_invitee_cannot_accept_and_an_accepted_invitation_is_spent(ctx, refused):
    admin = make_user(ctx, "admin")
    first, second = _invite(ctx, admin, "U2", "first"), _invite(ctx, admin, "U3", "second")
    users.deactivate_user(ctx, actor=admin, user_id=first.user.id)
    with refused(AccountInactive):
        linking.complete_link(ctx, purpose="invite", token=first.token, password=NEW_PASSWORD)
    again = linking.request_link(
        ctx, actor=admin, team_id=TEAM, slack_user_id="U4", username="second"
    )
    assert again.purpose == "invite"  # no password yet: nothing to confirm with
    linking.complete_link(ctx, purpose="invite", token=again.token, password=NEW_PASSWORD)
    with refused(TokenReused):
        linking.complete_link(ctx, purpose="invite", token=second.token, password="Take-Over-99")


# -- admin-initiated link --------------------------------------------------------------------


@pytest.mark.usefixtures("refused")
def test_an_admin_link_is_confirmed_with_the_accounts_password_and_names_the_admin(ctx):
    admin, sara = make_user(ctx, "admin"), make_user(ctx, username="sara")
    offer = linking.request_link(
        ctx,
        actor=admin,
        team_id=TEAM,
        slack_user_id="U7",
        username="SARA",
        requested_by_slack_user_id="UADMIN",
    )
    assert offer.purpose == "confirm-link"
    assert offer.user.id == sara.user_id
    assert linking.describe_link(ctx, purpose="confirm-link", token=offer.token).username == "sara"
    with pytest.raises(InvalidCredentials):
        linking.complete_link(
            ctx, purpose="confirm-link", token=offer.token, password="Wrong-Horse-9"
        )
    assert _actor_of(ctx, "U7") is None
    outcome = linking.complete_link(
        ctx, purpose="confirm-link", token=offer.token, password=PASSWORD
    )
    assert outcome.requested_by_slack_user_id == "UADMIN"
    assert _actor_of(ctx, "U7") == sara


def test_only_admins_request_links_and_only_for_active_known_accounts(ctx, refused):
    admin, manager = make_user(ctx, "admin"), make_user(ctx, "manager")
    sara = make_user(ctx, username="sara")

    def ask(actor, username="sara"):
        return linking.request_link(
            ctx, actor=actor, team_id=TEAM, slack_user_id="U7", username=username
        )

    with refused(Forbidden):
        ask(manager)
    with refused(NotFound):
        ask(admin, "nobody")
    offer = ask(admin)
    users.deactivate_user(ctx, actor=admin, user_id=sara.user_id)
    with refused(AccountInactive):
        ask(admin)
    with refused(AccountInactive):
        linking.complete_link(ctx, purpose="confirm-link", token=offer.token, password=PASSWORD)


# -- password change -------------------------------------------------------------------------


def test_a_password_link_sets_a_new_password_for_the_linked_account_only(ctx, refused):
    sara = make_user(ctx, username="sara")
    identities.link_identity(
        ctx, actor=SYSTEM, team_id=TEAM, slack_user_id="U1", user_id=sara.user_id
    )
    offer = linking.start_password_change(ctx, actor=sara, team_id=TEAM, slack_user_id="U1")
    assert linking.describe_link(ctx, purpose="password", token=offer.token).username == "sara"
    with refused(InvalidInput, field="password"):
        linking.complete_link(ctx, purpose="password", token=offer.token, password="short")
    outcome = linking.complete_link(
        ctx, purpose="password", token=offer.token, password=NEW_PASSWORD
    )
    assert outcome.purpose == "password"
    assert outcome.user.id == sara.user_id
    with pytest.raises(InvalidCredentials):
        users.authenticate(ctx, username="sara", password=PASSWORD)
    assert users.authenticate(ctx, username="sara", password=NEW_PASSWORD)


def test_a_password_link_stops_working_once_its_slack_user_is_unlinked(ctx, refused):
    sara, omar = make_user(ctx, username="sara"), make_user(ctx, username="omar")
    identities.link_identity(
        ctx, actor=SYSTEM, team_id=TEAM, slack_user_id="U1", user_id=sara.user_id
    )
    with refused(TokenWrongUser):
        linking.start_password_change(ctx, actor=omar, team_id=TEAM, slack_user_id="U1")
    offer = linking.start_password_change(ctx, actor=sara, team_id=TEAM, slack_user_id="U1")
    identities.unlink_user(ctx, actor=sara, user_id=sara.user_id)
    with refused(TokenWrongUser):
        linking.complete_link(ctx, purpose="password", token=offer.token, password=NEW_PASSWORD)


def test_an_unknown_link_page_is_not_found(ctx):
    token = linking.start_self_link(ctx, team_id=TEAM, slack_user_id="U1").token
    with pytest.raises(NotFound):
        linking.describe_link(ctx, purpose="reset-everything", token=token)
