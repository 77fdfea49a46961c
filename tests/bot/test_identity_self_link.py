"""People link themselves, unlink, and change their password, through Slack and the pages."""

from __future__ import annotations

import logging

from domain import identities, users
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
from tests.bot.steps import CHANNEL, click, replies_to
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Fresh-Start-42"


def test_an_unlinked_person_links_through_the_dm_link_and_slack_says_so(lab: Lab, caplog):
    caplog.set_level(logging.DEBUG)
    stand_in = lab.harness.stand_in
    sara = make_user(lab.ctx, username="sara")
    answer = lab.command("USARA", "link")
    assert "I sent you a direct message" in said(answer)
    assert "token" not in said(answer)
    token = dm_token(lab, "USARA")
    offer = stand_in.messages("USARA")[0]
    assert f"within {lab.ctx.link_token_minutes} minutes" in said(offer)
    click(lab, "USARA", "account.link_open", offer)  # Slack tells the app of the click too
    done = follow_dm_link(lab, "USARA", username="sara", password=PASSWORD)
    assert "You are now linked as sara (member)" in done.text
    assert (
        "You are now linked as sara (member)" in dm_saying(stand_in, "USARA", "now linked")["text"]
    )
    stand_in.wait_until(lambda: stand_in.home("USARA") is not None)
    assert "sara" in said(stand_in.home("USARA"))  # the Home tab of a linked person
    assert lab.command("USARA", "whoami")["text"] == "You are sara (member)"
    assert identities.resolve_actor(lab.ctx, team_id=TEAM, slack_user_id="USARA") == sara
    assert_token_only_in_dm_to(stand_in, token, "USARA")
    assert_not_sent_to_slack(stand_in, PASSWORD)
    assert_nowhere_in_logs(caplog.records, token, PASSWORD)


def test_the_link_my_account_button_of_a_please_link_answer_sends_the_link(lab: Lab):
    stand_in = lab.harness.stand_in
    make_user(lab.ctx, username="sara")
    lab.command("USARA", "parts")
    [please_link] = stand_in.ephemerals(CHANNEL, "USARA")
    assert "not linked" in said(please_link)
    click(lab, "USARA", "account.link", please_link)
    answer = stand_in.wait_for("response_url")[0].body
    assert "I sent you a direct message" in answer["text"]
    token = dm_token(lab, "USARA")
    assert_token_only_in_dm_to(stand_in, token, "USARA")
    follow_dm_link(lab, "USARA", username="sara", password=PASSWORD)
    assert lab.command("USARA", "whoami")["text"] == "You are sara (member)"


def test_a_link_works_only_for_the_slack_user_it_was_sent_to(lab: Lab):
    make_user(lab.ctx, username="sara")
    lab.command("UALICE", "link")
    lab.command("UBOB", "link")
    assert dm_token(lab, "UALICE") != dm_token(lab, "UBOB")
    follow_dm_link(lab, "UALICE", username="sara", password=PASSWORD)
    assert identities.resolve_actor(lab.ctx, team_id=TEAM, slack_user_id="UALICE") is not None
    assert identities.resolve_actor(lab.ctx, team_id=TEAM, slack_user_id="UBOB") is None
    assert "not linked" in said(lab.command("UBOB", "whoami"))


def test_a_linked_person_must_unlink_before_linking_again(lab: Lab):
    stand_in = lab.harness.stand_in
    member = lab.actors["member"].username
    refused = lab.command("member", "link")
    assert f"already linked to the FarLab account {member}" in said(refused)
    assert "unlink it first" in said(refused)
    assert stand_in.calls("chat.postMessage") == []  # no link was sent
    assert "no longer linked" in said(lab.command("member", "unlink"))
    assert "not linked" in said(lab.command("member", "whoami"))
    stand_in.wait_until(lambda: "not linked" in said(stand_in.home("UMEMBER") or {}))
    assert "I sent you a direct message" in said(lab.command("member", "link"))
    follow_dm_link(lab, "UMEMBER", username=member, password=PASSWORD)
    assert lab.command("member", "whoami")["text"] == f"You are {member} (member)"


def test_the_unlink_button_of_whoami_unlinks(lab: Lab):
    lab.command("member", "whoami")
    [card] = lab.harness.stand_in.ephemerals(CHANNEL, "UMEMBER")
    click(lab, "member", "account.unlink", card)
    lab.harness.stand_in.wait_for("response_url")
    assert identities.resolve_actor(lab.ctx, team_id=TEAM, slack_user_id="UMEMBER") is None


def test_a_password_link_comes_by_dm_and_changes_the_password(lab: Lab, caplog):
    caplog.set_level(logging.DEBUG)
    stand_in = lab.harness.stand_in
    answer = lab.command("member", "password")
    assert "I sent you a direct message" in said(answer)
    token = dm_token(lab, "UMEMBER")
    done = follow_dm_link(lab, "UMEMBER", password=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert "Password changed" in done.text
    assert "was changed" in said(dm_saying(stand_in, "UMEMBER", "was changed"))
    member = lab.actors["member"].username
    assert users.authenticate(lab.ctx, username=member, password=NEW_PASSWORD).username == member
    assert_token_only_in_dm_to(stand_in, token, "UMEMBER")
    assert_not_sent_to_slack(stand_in, NEW_PASSWORD)
    assert_nowhere_in_logs(caplog.records, token, NEW_PASSWORD)


def test_help_lists_the_account_commands_for_anyone(lab: Lab):
    text = said(lab.command("UNKNOWN1", "help"))
    for usage in ("/farlab link", "/farlab unlink", "/farlab password"):
        assert usage in text
    assert "/farlab users" not in text  # an admin's command, shown to admins
    assert "/farlab users" in said(lab.command("admin", "help"))
    assert replies_to(lab.harness.stand_in, "UNKNOWN1")
