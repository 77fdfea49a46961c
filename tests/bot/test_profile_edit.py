"""Admins edit another person's profile from Slack: a form opened from the person's card
(or ``user edit``), saved by ``domain.users.update_user``; nobody else may."""

from __future__ import annotations

from domain import users
from domain.results import UserView
from tests.bot.conftest import Lab
from tests.bot.identity_steps import said
from tests.bot.steps import (
    modal_from_click,
    modal_from_command,
    next_reply,
    replies_to,
    shown_card,
    submit,
)

CHANGES = {
    "First name": "Sara",
    "Last name": "Berg-Lund",
    "E-mail": "sara.berg@lab.example",
    "Phone": "+46 8 555 01",
    "Department": "Geochemistry",
    "Position": "Postdoc",
    "Notes": "Keys to room 2.14\nTrained on the MAT253",
}


def _member(lab: Lab) -> UserView:
    return users.get_user(lab.ctx, actor=lab.actors["admin"], user_id=lab.actors["member"].user_id)


def test_an_admin_edits_a_persons_profile_from_their_card(lab: Lab) -> None:
    member = _member(lab)
    card = shown_card(lab, "admin", f"user {member.username}")
    form = modal_from_click(lab, "admin", "account.edit", card)
    assert form["callback_id"] == "user_edit"
    seen = len(replies_to(lab.harness.stand_in, "admin"))
    assert submit(lab, "admin", form, CHANGES) == {}  # saved: the modal closes
    told = said(next_reply(lab, "admin", seen))
    assert f"Saved the profile of {member.username}." in told
    assert "*Department*\nGeochemistry" in told
    after = _member(lab)
    assert (after.first_name, after.last_name, after.email) == (
        "Sara",
        "Berg-Lund",
        "sara.berg@lab.example",
    )
    assert (after.phone, after.department, after.position) == (
        "+46 8 555 01",
        "Geochemistry",
        "Postdoc",
    )
    assert after.notes == "Keys to room 2.14\nTrained on the MAT253"
    assert (after.username, after.role) == (member.username, member.role)


def test_user_edit_opens_the_same_form_filled_in(lab: Lab) -> None:
    member = _member(lab)
    form = modal_from_command(lab, "admin", f"user edit {member.username}")
    initial = {
        b["block_id"]: b["element"].get("initial_value")
        for b in form["blocks"]
        if b["type"] == "input"
    }
    assert initial["first_name"] == member.first_name
    assert initial["email"] == member.email
    emptied = {**CHANGES, "Phone": "", "Department": ""}
    assert submit(lab, "admin", form, emptied) == {}
    assert (_member(lab).phone, _member(lab).department) == (None, None)


def test_the_profile_form_shows_every_bad_field_at_once(lab: Lab) -> None:
    member = _member(lab)
    form = modal_from_command(lab, "admin", f"user edit {member.username}")
    bad = {**CHANGES, "E-mail": "not an address", "Position": "Head\u202eof lab"}
    answer = submit(lab, "admin", form, bad)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"email", "position"}
    assert _member(lab) == member


def test_only_admins_edit_profiles_even_with_an_admins_form_or_card(lab: Lab) -> None:
    member = _member(lab)
    card = shown_card(lab, "admin", f"user {member.username}")
    form = modal_from_command(lab, "admin", f"user edit {member.username}")
    for role in ("manager", "member"):
        assert "Ask a FarLab admin." in said(lab.command(role, f"user edit {member.username}"))
        answer = submit(lab, role, form, CHANGES)
        assert answer["response_action"] == "errors"
        assert "may not manage users" in " ".join(answer["errors"].values())
        lab.harness.slack.block_action(f"U{role.upper()}", "account.edit", message=card)
    lab.harness.stand_in.wait_until(lambda: len(lab.harness.stand_in.calls("response_url")) == 2)
    for call in lab.harness.stand_in.calls("response_url"):
        assert "may not manage users" in call.body["text"]
    assert len(lab.harness.stand_in.calls("views.open")) == 1  # the admin's own form only
    assert _member(lab) == member
