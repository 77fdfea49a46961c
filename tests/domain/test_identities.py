"""Slack identities: which account a (team, Slack user) acts as."""

from __future__ import annotations

import pytest

from domain import identities, users
from domain.errors import AccountInactive, Conflict, Forbidden, InvalidInput, NotFound
from domain.permissions import SYSTEM, Role
from tests.factories import make_user


def _link(ctx, user_id, team_id="T1", slack_user_id="U1", actor=SYSTEM):
    return identities.link_identity(
        ctx, actor=actor, team_id=team_id, slack_user_id=slack_user_id, user_id=user_id
    )


def test_a_linked_slack_user_acts_as_the_account_with_its_role(ctx):
    admin, manager = make_user(ctx, "admin"), make_user(ctx, "manager")
    view = _link(ctx, manager.user_id, actor=admin)
    assert (view.team_id, view.slack_user_id, view.user_id) == ("T1", "U1", manager.user_id)
    assert view.linked_by_id == admin.user_id
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="U1") == manager
    assert identities.identities_of(ctx, actor=manager, user_id=manager.user_id) == (view,)


def test_an_unlinked_slack_user_resolves_to_nobody(ctx):
    _link(ctx, make_user(ctx).user_id)
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="U2") is None
    assert identities.resolve_actor(ctx, team_id="T2", slack_user_id="U1") is None


def test_one_account_may_be_linked_in_several_teams(ctx):
    member = make_user(ctx)
    _link(ctx, member.user_id, team_id="T1")
    _link(ctx, member.user_id, team_id="T2")
    assert len(identities.identities_of(ctx, actor=member, user_id=member.user_id)) == 2
    assert identities.resolve_actor(ctx, team_id="T2", slack_user_id="U1") == member


def test_an_already_linked_slack_user_cannot_be_linked_again(ctx, refused):
    sara, ole = make_user(ctx), make_user(ctx)
    _link(ctx, sara.user_id)
    with refused(Conflict) as refusal:
        _link(ctx, sara.user_id)
    assert "already linked to that account" in str(refusal.error)
    with refused(Conflict) as refusal:
        _link(ctx, ole.user_id)
    assert "another account" in str(refusal.error)
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="U1") == sara


def test_linking_a_deactivated_or_unknown_account_is_refused(ctx, refused):
    member = make_user(ctx)
    users.deactivate_user(ctx, actor=SYSTEM, user_id=member.user_id)
    with refused(AccountInactive):
        _link(ctx, member.user_id)
    with refused(NotFound):
        _link(ctx, 999_999)


@pytest.mark.parametrize(
    ("team_id", "slack_user_id", "field"),
    [("", "U1", "team_id"), ("T-1", "U1", "team_id"), ("T1", "U" * 33, "slack_user_id")],
)
def test_link_refuses_values_that_are_not_slack_ids(ctx, refused, team_id, slack_user_id, field):
    member = make_user(ctx)
    with refused(InvalidInput, field=field):
        _link(ctx, member.user_id, team_id=team_id, slack_user_id=slack_user_id)


def test_a_deactivated_account_stops_acting_from_slack_until_reactivated(ctx):
    member = make_user(ctx)
    _link(ctx, member.user_id)
    users.deactivate_user(ctx, actor=SYSTEM, user_id=member.user_id)
    with pytest.raises(AccountInactive):
        identities.resolve_actor(ctx, team_id="T1", slack_user_id="U1")
    users.reactivate_user(ctx, actor=SYSTEM, user_id=member.user_id)
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="U1") == member


def test_a_role_change_applies_to_the_next_slack_action(ctx):
    member = make_user(ctx)
    _link(ctx, member.user_id)
    users.change_role(ctx, actor=SYSTEM, user_id=member.user_id, role="manager")
    actor = identities.resolve_actor(ctx, team_id="T1", slack_user_id="U1")
    assert actor is not None
    assert actor.role is Role.MANAGER


def test_people_may_unlink_their_own_slack_user_but_not_someone_elses(ctx, refused):
    sara, ole = make_user(ctx), make_user(ctx)
    _link(ctx, sara.user_id, slack_user_id="USARA")
    _link(ctx, ole.user_id, slack_user_id="UOLE")
    with refused(Forbidden):
        identities.unlink_identity(ctx, actor=sara, team_id="T1", slack_user_id="UOLE")
    identities.unlink_identity(ctx, actor=sara, team_id="T1", slack_user_id="USARA")
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="USARA") is None
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="UOLE") == ole
    with refused(NotFound):
        identities.unlink_identity(ctx, actor=sara, team_id="T1", slack_user_id="USARA")


def test_unlink_user_removes_every_link_of_the_account(ctx):
    sara, ole = make_user(ctx), make_user(ctx)
    _link(ctx, sara.user_id, team_id="T1")
    _link(ctx, sara.user_id, team_id="T2")
    _link(ctx, ole.user_id, slack_user_id="UOLE")
    assert identities.unlink_user(ctx, actor=sara, user_id=sara.user_id) == 2
    assert identities.identities_of(ctx, actor=sara, user_id=sara.user_id) == ()
    assert identities.unlink_user(ctx, actor=sara, user_id=sara.user_id) == 0
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="UOLE") == ole


def test_a_slack_user_can_be_linked_to_another_account_once_unlinked(ctx):
    sara, ole = make_user(ctx), make_user(ctx)
    _link(ctx, sara.user_id)
    identities.unlink_identity(ctx, actor=SYSTEM, team_id="T1", slack_user_id="U1")
    _link(ctx, ole.user_id)
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="U1") == ole


def test_deleting_an_account_removes_its_slack_links(ctx):
    member = make_user(ctx)
    _link(ctx, member.user_id)
    users.delete_user(ctx, actor=SYSTEM, user_id=member.user_id)
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="U1") is None


def test_link_in_session_is_part_of_the_callers_transaction(ctx):
    member = make_user(ctx)

    def link_then_fail() -> None:
        with ctx.transaction() as session:
            identities.link_in_session(
                session, team_id="T1", slack_user_id="U1", user_id=member.user_id, linked_by_id=None
            )
            raise RuntimeError("the confirmation page failed")

    with pytest.raises(RuntimeError, match="the confirmation page failed"):
        link_then_fail()
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="U1") is None
