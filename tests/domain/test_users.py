"""Accounts: creation, uniqueness, profile edits, listing, roles and the last admin."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from domain import parts, stock, users
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.permissions import SYSTEM
from persistence.models import StockMovement
from tests.factories import PASSWORD, make_user


def _create(ctx, **overrides):
    fields = {
        "username": "sara.berg",
        "email": "sara@lab.example",
        "first_name": "Sara",
        "last_name": "Berg",
        "password": PASSWORD,
        "role": "member",
    }
    return users.create_user(ctx, actor=SYSTEM, **{**fields, **overrides})


def test_create_user_stores_a_hashed_password_and_the_given_profile(ctx):
    user = _create(ctx, username="  sara.berg ", department="Isotopes", role="manager")
    assert (user.username, user.role, user.department) == ("sara.berg", "manager", "Isotopes")
    assert user.is_active
    assert user.has_password
    assert user.last_login is None
    assert users.get_user(ctx, actor=SYSTEM, username="SARA.BERG") == user
    assert users.authenticate(ctx, username="sara.berg", password=PASSWORD).id == user.id


def test_create_user_without_a_password_makes_an_invitation(ctx):
    assert not _create(ctx, password=None).has_password


@pytest.mark.parametrize(
    ("taken", "field"),
    [
        ({"username": "SARA.Berg", "email": "other@lab.example"}, "username"),
        ({"username": "someone", "email": "SARA@lab.example"}, "email"),
    ],
    ids=["username", "email"],
)
def test_create_user_refuses_a_taken_name_in_any_case_naming_the_field(ctx, refused, taken, field):
    _create(ctx)
    with refused(Conflict, field=field) as refusal:
        _create(ctx, **taken)
    assert field in str(refusal.error).lower()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", "ab"),
        ("username", "has space"),
        ("username", "-leading-dash"),
        ("email", "not-an-email"),
        ("first_name", "   "),
        ("last_name", "x" * 51),
        ("phone", "1" * 21),
        ("notes", "bell\x07"),
        ("role", "owner"),
    ],
)
def test_create_user_refuses_bad_input_naming_the_field(ctx, refused, field, value):
    with refused(InvalidInput, field=field) as refusal:
        _create(ctx, **{field: value})
    assert field.split("_")[0] in str(refusal.error).lower()


def test_update_user_changes_profile_fields(ctx):
    admin = make_user(ctx, "admin")
    user = users.update_user(
        ctx, actor=admin, user_id=admin.user_id, phone=" 555-0101 ", email="NEW@Lab.Example"
    )
    assert (user.phone, user.email) == ("555-0101", "NEW@lab.example")
    assert users.update_user(ctx, actor=admin, user_id=admin.user_id, phone="").phone is None


def test_update_user_refuses_an_email_taken_in_another_case(ctx, refused):
    admin = make_user(ctx, "admin")
    _create(ctx)
    with refused(Conflict, field="email"):
        users.update_user(ctx, actor=admin, user_id=admin.user_id, email="Sara@LAB.example")


@pytest.mark.parametrize("role", ["member", "manager"])
def test_only_admins_change_an_email_so_nobody_else_learns_which_are_taken(ctx, role):
    person = make_user(ctx, role)
    _create(ctx)  # sara@lab.example
    answers = []
    for address in ("sara@lab.example", "nobody.uses.this@lab.example"):
        with pytest.raises(Forbidden) as refusal:
            users.update_user(ctx, actor=person, user_id=person.user_id, email=address)
        answers.append(refusal.value.message)
    assert answers[0] == answers[1]
    own = users.get_user(ctx, actor=person, user_id=person.user_id)
    assert own.email == f"{person.username}@lab.example"
    same = users.update_user(
        ctx, actor=person, user_id=person.user_id, email=own.email.upper(), phone="1"
    )
    assert same.phone == "1"  # sending one's own address unchanged is no change


@pytest.mark.parametrize("field", ["role", "username", "is_active", "password_hash"])
def test_update_user_refuses_fields_that_are_not_profile_fields(ctx, refused, field):
    admin = make_user(ctx, "admin")
    with refused(InvalidInput, field=field):
        users.update_user(ctx, actor=admin, user_id=admin.user_id, **{field: "admin"})


def test_people_may_edit_their_own_profile_but_not_someone_elses(ctx, refused):
    member, other = make_user(ctx), make_user(ctx)
    users.update_user(ctx, actor=member, user_id=member.user_id, department="Prep lab")
    assert users.get_user(ctx, actor=member, user_id=member.user_id).department == "Prep lab"
    with refused(Forbidden):
        users.update_user(ctx, actor=member, user_id=other.user_id, department="Prep lab")


def test_unknown_users_are_not_found(ctx):
    with pytest.raises(NotFound):
        users.get_user(ctx, actor=SYSTEM, user_id=999_999)
    with pytest.raises(NotFound):
        users.get_user(ctx, actor=SYSTEM, username="nobody")
    with pytest.raises(NotFound):
        users.update_user(ctx, actor=SYSTEM, user_id=999_999, phone="1")


def test_list_users_filters_by_role_activity_and_text_and_pages(ctx):
    admin = make_user(ctx, "admin", username="ada")
    make_user(ctx, "manager", username="ingrid")
    sara = _create(ctx, first_name="Sara", last_name="Lindqvist")
    users.deactivate_user(ctx, actor=admin, user_id=sara.id)

    def names(**filters):
        return [u.username for u in users.list_users(ctx, actor=admin, **filters).items]

    assert names() == ["ada", "ingrid", "sara.berg"]
    assert names(role="manager") == ["ingrid"]
    assert names(active=False) == ["sara.berg"]
    assert names(query="LINDQ") == ["sara.berg"]
    assert names(query="a.b") == ["sara.berg"]
    make_user(ctx, username="ole_nilsen")
    assert names(query="_") == ["ole_nilsen"]  # LIKE wildcards are matched as text
    assert names(query="%") == []
    first = users.list_users(ctx, actor=admin, limit=2)
    assert len(first.items) == 2
    assert first.has_more
    assert not users.list_users(ctx, actor=admin, offset=2, limit=2).has_more
    with pytest.raises(InvalidInput) as caught:
        users.list_users(ctx, actor=admin, role="owner")
    assert "role" in caught.value.errors


def test_the_last_active_admin_cannot_be_demoted_deactivated_or_deleted(ctx, refused):
    admin = make_user(ctx, "admin")
    with refused(Conflict) as refusal:
        users.change_role(ctx, actor=admin, user_id=admin.user_id, role="manager")
    assert "last active admin" in str(refusal.error)
    with refused(Conflict):
        users.deactivate_user(ctx, actor=admin, user_id=admin.user_id)
    with refused(Conflict):
        users.delete_user(ctx, actor=SYSTEM, user_id=admin.user_id)


def test_an_inactive_admin_does_not_count_as_another_admin(ctx, refused):
    admin, dormant = make_user(ctx, "admin"), make_user(ctx, "admin")
    users.deactivate_user(ctx, actor=admin, user_id=dormant.user_id)
    with refused(Conflict):
        users.change_role(ctx, actor=admin, user_id=admin.user_id, role="member")


def test_an_admin_may_step_down_while_another_admin_remains(ctx):
    admin, other = make_user(ctx, "admin"), make_user(ctx, "admin")
    assert (
        users.change_role(ctx, actor=admin, user_id=admin.user_id, role="member").role == "member"
    )
    users.deactivate_user(ctx, actor=other, user_id=admin.user_id)
    with pytest.raises(Conflict):
        users.deactivate_user(ctx, actor=other, user_id=other.user_id)


@pytest.mark.parametrize("role", ["superuser", "viewer"])
def test_change_role_refuses_a_role_an_account_cannot_hold(ctx, refused, role):
    admin, member = make_user(ctx, "admin"), make_user(ctx)
    with refused(InvalidInput, field="role") as refusal:
        users.change_role(ctx, actor=admin, user_id=member.user_id, role=role)
    assert refusal.error.errors["role"] == "Role must be admin, manager or member."


@pytest.mark.parametrize(("typed", "meant"), [("mangaer", "manager"), ("Admn", "admin")])
def test_a_misspelt_role_is_refused_with_the_role_it_most_likely_means(ctx, refused, typed, meant):
    admin, member = make_user(ctx, "admin"), make_user(ctx)
    with refused(InvalidInput, field="role") as refusal:
        users.change_role(ctx, actor=admin, user_id=member.user_id, role=typed)
    assert refusal.error.errors["role"] == (
        f"Role must be admin, manager or member. Did you mean {meant}?"
    )


def test_admins_cannot_delete_their_own_account_even_with_other_admins(ctx, refused):
    admin, _other = make_user(ctx, "admin"), make_user(ctx, "admin")
    with refused(Forbidden):
        users.delete_user(ctx, actor=admin, user_id=admin.user_id)


def test_deleting_a_user_keeps_their_stock_history_without_the_name(ctx):
    admin, member = make_user(ctx, "admin"), make_user(ctx)
    part = parts.create_part(ctx, actor=admin, part_number="P-1", name="Vial", quantity_in_stock=3)
    stock.adjust_stock(ctx, actor=member, part_id=part.id, delta=-1, reason=None, source="api")
    users.delete_user(ctx, actor=admin, user_id=member.user_id)
    take, initial = stock.part_history(ctx, actor=admin, part_id=part.id).items
    assert (take.delta, take.actor_id, take.actor_username) == (-1, None, None)
    assert initial.actor_id == admin.user_id
    with pytest.raises(NotFound):
        users.get_user(ctx, actor=admin, user_id=member.user_id)
    with ctx.db.session() as session:
        assert session.scalar(select(func.count()).select_from(StockMovement)) == 2


def test_members_may_deactivate_themselves_but_not_reactivate(ctx, refused):
    member = make_user(ctx)
    assert not users.deactivate_user(ctx, actor=member, user_id=member.user_id).is_active
    with refused(Forbidden):
        users.reactivate_user(ctx, actor=member, user_id=member.user_id)
    assert users.reactivate_user(ctx, actor=SYSTEM, user_id=member.user_id).is_active


def test_count_users_counts_every_account(ctx):
    assert users.count_users(ctx) == 0
    make_user(ctx, "admin")
    make_user(ctx)
    assert users.count_users(ctx) == 2


def test_get_user_refuses_members_before_saying_whether_someone_exists(ctx):
    member = make_user(ctx, "member")
    with pytest.raises(Forbidden):
        users.get_user(ctx, actor=member, username="nobody-at-all")
    with pytest.raises(Forbidden):
        users.get_user(ctx, actor=member, user_id=987654)
    assert users.get_user(ctx, actor=member, username=member.username.upper()).id == member.user_id
