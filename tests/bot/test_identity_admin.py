"""Admins invite, link, and manage accounts from Slack; nobody else can, not even by replay."""

from __future__ import annotations

import logging

import pytest

from domain import accounts, identities, linking, sessions, users
from domain.errors import NotFound, TokenRevoked
from tests.bot.conftest import TEAM, Lab
from tests.bot.identity_steps import (
    assert_not_sent_to_slack,
    assert_nowhere_in_logs,
    assert_token_only_in_dm_to,
    dm_saying,
    dm_token,
    follow_dm_link,
    said,
)
from tests.bot.steps import CHANNEL, click, modal_from_command, next_reply, shown_card, submit
from tests.factories import PASSWORD, make_user
from tests.helpers import access_token

NEW_PASSWORD = "Fresh-Start-42"
INVITATION = {
    "account.slack_user": "UNEW",
    "Username": "newbie",
    "First name": "Nia",
    "Last name": "Ewing",
    "E-mail": "nia@lab.example",
    "Role": "Manager",
}


def _accounts(lab: Lab) -> list[tuple[str, str, bool]]:
    page = accounts.list_accounts(lab.ctx, actor=lab.actors["admin"], limit=100)
    return [(a.user.username, a.user.role, a.user.is_active) for a in page.items]


def test_an_invitation_creates_the_account_and_its_person_joins_from_the_dm(lab: Lab, caplog):
    caplog.set_level(logging.DEBUG)
    stand_in = lab.harness.stand_in
    form = modal_from_command(lab, "admin", "user add")
    assert form["callback_id"] == "user_add"
    seen = len(stand_in.ephemerals(CHANNEL, "UADMIN"))
    assert submit(lab, "admin", form, INVITATION) == {}  # accepted: the modal closes
    told = next_reply(lab, "admin", seen)
    assert "Created *newbie* (manager)" in said(told)
    assert "<@UNEW>" in said(told)
    token = dm_token(lab, "UNEW")
    invitation = stand_in.messages("UNEW")[0]
    assert "You are invited to FarLab as *newbie* (manager)" in said(invitation)
    assert "72 hours" in said(invitation)
    done = follow_dm_link(lab, "UNEW", password=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert "You are now linked as newbie (manager)" in done.text
    dm_saying(stand_in, "UNEW", "You are now linked as newbie (manager)")
    assert "<@UNEW> confirmed" in said(dm_saying(stand_in, "UADMIN", "confirmed"))
    assert lab.command("UNEW", "whoami")["text"] == "You are newbie (manager)"
    assert_token_only_in_dm_to(stand_in, token, "UNEW")
    assert_not_sent_to_slack(stand_in, NEW_PASSWORD)
    assert_nowhere_in_logs(caplog.records, token, NEW_PASSWORD)


def test_an_invitation_form_shows_what_is_wrong_next_to_the_field(lab: Lab):
    form = modal_from_command(lab, "admin", "user add")
    linked = {**INVITATION, "account.slack_user": "UMEMBER"}
    errors = submit(lab, "admin", form, linked)["errors"]
    assert "already linked" in errors["slack_user_id"]
    taken = {**INVITATION, "Username": lab.actors["member"].username}
    assert "already taken" in submit(lab, "admin", form, taken)["errors"]["username"]
    bad_email = {**INVITATION, "E-mail": "not-an-address"}
    assert "Email" in submit(lab, "admin", form, bad_email)["errors"]["email"]
    assert "newbie" not in [name for name, _, _ in _accounts(lab)]
    assert lab.harness.stand_in.messages("UNEW") == []


def test_a_member_or_manager_replaying_the_admins_form_is_refused(lab: Lab):
    form = modal_from_command(lab, "admin", "user add")
    before = _accounts(lab)
    for role in ("manager", "member"):
        answer = lab.harness.slack.submit_modal(f"U{role.upper()}", form, INVITATION).json()
        assert answer["response_action"] == "errors"
        assert "may not manage users" in " ".join(answer["errors"].values())
    assert _accounts(lab) == before
    assert lab.harness.stand_in.messages("UNEW") == []
    for role in ("manager", "member"):
        assert "may not manage users" in said(lab.command(role, "user add"))
        assert "may not manage users" in said(lab.command(role, "users"))


def test_a_manager_running_an_admin_command_is_told_to_ask_an_admin(lab: Lab):
    for text in ("users", "user add", f"user role {lab.actors['member'].username} manager"):
        refusal = said(lab.command("manager", text))
        assert "Ask a FarLab admin." in refusal, text
        assert "manager or admin" not in refusal, text
    assert "Ask a FarLab manager or admin." in said(lab.command("member", "part add"))


def test_a_misspelt_role_gets_did_you_mean_and_changes_nothing(lab: Lab):
    member = lab.actors["member"].username
    answer = said(lab.command("admin", f"user role {member} mangaer"))
    assert "Role must be admin, manager or member. Did you mean manager?" in answer
    assert (member, "member", True) in _accounts(lab)


def test_an_admin_links_an_existing_account_and_is_told_when_it_is_confirmed(lab: Lab, caplog):
    caplog.set_level(logging.DEBUG)
    stand_in = lab.harness.stand_in
    sara = make_user(lab.ctx, username="sara")
    answer = lab.command("admin", "user link <@USARA|sara> sara")
    assert "I asked <@USARA> to confirm *sara* (member)" in said(answer)
    token = dm_token(lab, "USARA")
    assert "Enter" not in said(answer)
    assert token not in said(answer)
    assert "asked to link your Slack account" in said(stand_in.messages("USARA")[0])
    wrong = follow_dm_link(lab, "USARA", password="Wrong-Horse-9")
    assert wrong.status == 400
    assert "Invalid username or password." in wrong.text
    done = follow_dm_link(lab, "USARA", password=PASSWORD)
    assert "You are now linked as sara (member)" in done.text
    told = dm_saying(stand_in, "UADMIN", "confirmed")
    assert "<@USARA> confirmed and is now linked to *sara* (member)" in said(told)
    assert identities.resolve_actor(lab.ctx, team_id=TEAM, slack_user_id="USARA") == sara
    assert_token_only_in_dm_to(stand_in, token, "USARA")
    assert_nowhere_in_logs(caplog.records, token, PASSWORD)


def test_admin_link_needs_a_mention_and_refuses_a_linked_slack_user(lab: Lab):
    make_user(lab.ctx, username="sara")
    assert "@-mention" in said(lab.command("admin", "user link sara sara"))
    refused = lab.command("admin", "user link <@UMEMBER|m> sara")
    assert "already linked" in said(refused)
    assert "may not manage Slack links" in said(lab.command("manager", "user link <@USARA> sara"))
    assert lab.harness.stand_in.calls("chat.postMessage") == []


def test_a_role_change_applies_to_the_persons_next_action(lab: Lab):
    member = lab.actors["member"].username
    assert "may not manage parts" in said(lab.command("member", "part add"))
    card = lab.command("admin", f"user role {member} manager")
    assert f"{member} is now manager" in said(card)
    assert modal_from_command(lab, "member", "part add")["callback_id"] == "part_add"
    shown = shown_card(lab, "admin", f"user {member}")
    lab.harness.slack.block_action(
        "UADMIN", "account.role", message=shown, selected_option="Member"
    )
    lab.harness.stand_in.wait_until(
        lambda: users.get_user(lab.ctx, actor=lab.actors["admin"], username=member).role == "member"
    )


def test_a_deactivated_person_is_refused_at_once_and_cannot_link_again(lab: Lab):
    member = lab.actors["member"].username
    card = lab.command("admin", f"user deactivate {member}")
    assert f"Deactivated {member}" in said(card)
    assert "deactivated" in said(card)
    for text in ("parts", "whoami", "link", "password"):
        assert "deactivated" in said(lab.command("member", text))
    assert lab.harness.stand_in.calls("chat.postMessage") == []
    assert f"Reactivated {member}" in said(lab.command("admin", f"user reactivate {member}"))
    assert lab.command("member", "whoami")["text"] == f"You are {member} (member)"


def test_an_admin_signs_a_person_out_everywhere_from_slack(lab: Lab):
    member = lab.actors["member"]
    token = access_token(lab.ctx, member)
    link = linking.start_password_change(
        lab.ctx, actor=member, team_id=TEAM, slack_user_id="UMEMBER"
    )
    refused = said(lab.command("manager", f"user signout {member.username}"))
    assert "may not sign people out everywhere" in refused
    assert sessions.actor_for_token(lab.ctx, token) == member  # the refusal changed nothing
    card = said(lab.command("admin", f"user signout {member.username}"))
    assert f"Signed {member.username} out everywhere" in card
    with pytest.raises(TokenRevoked):
        sessions.actor_for_token(lab.ctx, token)
    with pytest.raises(TokenRevoked):
        linking.describe_link(lab.ctx, purpose="password", token=link.token)
    # Slack acts through the person's Slack link, not a token: it keeps working.
    assert lab.command("member", "whoami")["text"] == f"You are {member.username} (member)"
    assert "No FarLab account is named nobody" in said(lab.command("admin", "user signout nobody"))
    assert "signout" in said(lab.command("admin", "user signout"))  # the usage names it
    assert "signout" in said(lab.command("admin", "help"))


def test_the_last_admin_keeps_the_role_and_the_account(lab: Lab):
    admin = lab.actors["admin"].username
    assert "last active admin" in said(lab.command("admin", f"user role {admin} member"))
    assert "last active admin" in said(lab.command("admin", f"user deactivate {admin}"))
    shown = shown_card(lab, "admin", f"user delete {admin}")
    click(lab, "admin", "account.delete", shown)
    answer = lab.harness.stand_in.wait_for("response_url")[0].body
    assert "cannot delete their own account" in answer["text"]
    assert (admin, "admin", True) in _accounts(lab)


def test_delete_asks_first_and_a_replayed_delete_button_is_refused(lab: Lab):
    stand_in = lab.harness.stand_in
    sara = make_user(lab.ctx, username="sara")
    identities.link_identity(
        lab.ctx,
        actor=lab.actors["admin"],
        team_id=TEAM,
        slack_user_id="USARA",
        user_id=sara.user_id,
    )
    card = shown_card(lab, "admin", "user sara")
    shown = shown_card(lab, "admin", "user delete sara")
    [button] = [e for b in shown["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["confirm"]["title"]["text"] == "Delete this account?"
    for role in ("manager", "member"):  # the admin's messages and buttons, clicked by others
        click(lab, role, "account.delete", shown)
        for action in ("account.deactivate", "account.unlink_user"):
            click(lab, role, action, card)
    stand_in.wait_for("response_url", 6)
    assert all("may not" in c.body["text"] for c in stand_in.calls("response_url"))
    assert ("sara", "member", True) in _accounts(lab)
    assert identities.resolve_actor(lab.ctx, team_id=TEAM, slack_user_id="USARA") is not None
    click(lab, "admin", "account.delete", shown)
    stand_in.wait_for("response_url", 7)
    assert "Deleted the account *sara*" in stand_in.calls("response_url")[-1].body["text"]
    with pytest.raises(NotFound):
        users.get_user(lab.ctx, actor=lab.actors["admin"], user_id=sara.user_id)


def test_admins_page_through_users_and_open_a_card_with_its_slack_link(lab: Lab):
    stand_in = lab.harness.stand_in
    for n in range(12):
        make_user(lab.ctx, username=f"tech{n:02}")
    first = shown_card(lab, "admin", "users")
    assert "Showing 1 to 10" in said(first)
    click(lab, "admin", "users.page.next", first)
    second = stand_in.wait_for("response_url")[0].body
    assert "Showing 11 to 15" in said(second)
    found = lab.command("admin", "users tech1")
    assert [line for line in said(found).split("\n") if line.startswith("*tech")] == [
        "*tech10* Tech10 Tester",
        "*tech11* Tech11 Tester",
    ]
    member = lab.actors["member"].username
    card = lab.command("admin", f"user {member}")
    assert "<@UMEMBER>" in said(card)
    assert "active" in said(card)
    unlinked = lab.command("admin", f"user unlink {member}")
    assert "not linked" in said(unlinked)
    assert "not linked" in said(lab.command("member", "whoami"))


def test_an_unlinked_persons_card_offers_no_unlink_slack(lab: Lab):
    member = lab.actors["member"].username
    linked = shown_card(lab, "admin", f"user {member}")
    assert "account.unlink_user" in _action_ids(linked)
    unlinked = lab.command("admin", f"user unlink {member}")
    assert "not linked" in said(unlinked)
    assert "account.unlink_user" not in _action_ids(unlinked)
    assert "account.unlink_user" not in _action_ids(lab.command("admin", f"user {member}"))


def _action_ids(message: dict) -> set[str]:
    return {
        e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
