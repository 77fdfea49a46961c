"""Account management by admins: list with Slack links, role, activation, unlink, delete."""

from __future__ import annotations

import pytest

from domain import accounts, identities
from domain.errors import AccountInactive, Conflict, Forbidden, InvalidInput, NotFound
from domain.permissions import SYSTEM
from tests.factories import make_user


def _link(ctx, actor, slack_user_id):
    identities.link_identity(
        ctx, actor=SYSTEM, team_id="T1", slack_user_id=slack_user_id, user_id=actor.user_id
    )


def test_accounts_are_listed_with_their_slack_links_and_paged(ctx):
    admin = make_user(ctx, "admin", username="ada")
    bea, cy = make_user(ctx, username="bea"), make_user(ctx, username="cyd")
    _link(ctx, bea, "UBEA")
    first = accounts.list_accounts(ctx, actor=admin, limit=2)
    assert [a.user.username for a in first.items] == ["ada", "bea"]
    assert first.has_more
    assert [s.slack_user_id for s in first.items[1].slack] == ["UBEA"]
    assert first.items[0].slack == ()
    found = accounts.list_accounts(ctx, actor=admin, query="CYD")
    assert [a.user.id for a in found.items] == [cy.user_id]


def test_only_admins_manage_accounts_not_even_their_own(ctx, refused):
    make_user(ctx, "admin")
    for role in ("manager", "member"):
        actor = make_user(ctx, role)
        with refused(Forbidden):
            accounts.list_accounts(ctx, actor=actor)
        with refused(Forbidden):
            accounts.set_active(ctx, actor=actor, username=actor.username, active=False)
        with refused(Forbidden):
            accounts.change_role(ctx, actor=actor, username=actor.username, role="admin")
        with refused(Forbidden):
            accounts.unlink_account(ctx, actor=actor, user_id=actor.user_id)
        with refused(Forbidden):
            accounts.delete_account(ctx, actor=actor, user_id=actor.user_id)


def test_role_and_activation_change_by_username_and_the_card_shows_them(ctx):
    admin = make_user(ctx, "admin")
    bea = make_user(ctx, username="bea")
    _link(ctx, bea, "UBEA")
    card = accounts.change_role(ctx, actor=admin, username="BEA", role="manager")
    assert card.user.role == "manager"
    assert card.slack[0].slack_user_id == "UBEA"
    card = accounts.set_active(ctx, actor=admin, username="bea", active=False)
    assert not card.user.is_active
    with pytest.raises(AccountInactive):
        identities.resolve_actor(ctx, team_id="T1", slack_user_id="UBEA")
    assert accounts.set_active(ctx, actor=admin, user_id=bea.user_id, active=True).user.is_active
    assert accounts.get_account(ctx, actor=admin, username="bea").user.id == bea.user_id


def test_the_last_admin_cannot_step_down_be_deactivated_or_delete_themself(ctx, refused):
    admin = make_user(ctx, "admin")
    with refused(Conflict):
        accounts.change_role(ctx, actor=admin, username=admin.username, role="member")
    with refused(Conflict):
        accounts.set_active(ctx, actor=admin, username=admin.username, active=False)
    with refused(Forbidden):
        accounts.delete_account(ctx, actor=admin, user_id=admin.user_id)


def test_unlink_and_delete_an_account(ctx, refused):
    admin, bea = make_user(ctx, "admin"), make_user(ctx, username="bea")
    _link(ctx, bea, "UBEA")
    assert accounts.unlink_account(ctx, actor=admin, username="bea").slack == ()
    assert identities.resolve_actor(ctx, team_id="T1", slack_user_id="UBEA") is None
    assert accounts.delete_account(ctx, actor=admin, user_id=bea.user_id).username == "bea"
    with refused(NotFound):
        accounts.get_account(ctx, actor=admin, username="bea")
    with refused(InvalidInput, field="username"):
        accounts.get_account(ctx, actor=admin, username=" ")


def test_admins_edit_a_persons_profile_and_get_the_account_with_its_links(ctx, refused):
    admin, bea = make_user(ctx, "admin"), make_user(ctx, username="bea")
    _link(ctx, bea, "UBEA")
    edited = accounts.edit_profile(
        ctx,
        actor=admin,
        user_id=bea.user_id,
        first_name="Bea",
        last_name="Lind",
        email="bea.lind@lab.example",
        phone="+46 8 1",
        department="Geology",
        position=None,
        notes="Night shifts",
    )
    user = edited.user
    assert (user.first_name, user.last_name, user.email) == ("Bea", "Lind", "bea.lind@lab.example")
    assert (user.phone, user.department, user.position, user.notes) == (
        "+46 8 1",
        "Geology",
        None,
        "Night shifts",
    )
    assert [s.slack_user_id for s in edited.slack] == ["UBEA"]
    with refused(InvalidInput) as refusal:
        accounts.edit_profile(ctx, actor=admin, user_id=bea.user_id, email="x", first_name=" ")
    assert set(refusal.error.errors) == {"email", "first_name"}
    for role in ("manager", "member"):
        actor = make_user(ctx, role)
        with refused(Forbidden) as refusal:  # not even their own profile, from an admin's form
            accounts.edit_profile(ctx, actor=actor, user_id=actor.user_id, phone="1")
        assert str(refusal.error).endswith("Ask a FarLab admin.")
