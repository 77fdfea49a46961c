"""Inviting someone new in the console, end to end: a Slack user without an account, the
admin's ``/farlab user add``, the invitation DM, its page in the console's browser, the
password, and the person linked."""

from __future__ import annotations

from pathlib import Path

from domain import identities
from tests.bot.conftest import TEAM, Lab
from tests.console.support import play

NEW_PASSWORD = "Fresh-Start-42"


def test_an_admin_invites_a_new_slack_user_who_sets_a_password_and_is_linked(
    lab: Lab, tmp_path: Path
) -> None:
    admin = lab.actors["admin"].username
    status, out = play(
        lab,
        tmp_path,
        "slack-user add nora nora@lab.example\n"
        "expect Added nora to the local Slack workspace as UNORA, without a FarLab account\n"
        "users\nexpect nora nora no FarLab account UNORA\n"
        "/farlab user add\nexpect Add a user\n"
        "field Slack user nora\nfield Username nora.k\nfield First name Nora\n"
        "field Last name Keller\nfield E-mail nora@lab.example\nsubmit\n"
        "expect Created nora.k (member) and sent @nora an invitation\n"
        "expect FarLab sent nora a direct message: type `as nora`, then `dms`.\n"
        "as nora\n/farlab whoami\nexpect not linked to a FarLab account\n"
        "dms\nexpect You are invited to FarLab as nora.k (member)\n"
        # The page's two password inputs are asked for right away: the next two lines.
        f"open 1\n{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
        "expect Web page: You are linked\nexpect You are now linked as nora.k (member).\n"
        f"expect FarLab sent {admin} a direct message\n"
        "/farlab whoami\nexpect You are nora.k\n",
    )
    assert status == 0, out
    assert "Web page: Welcome to FarLab" in out
    assert "(1) New password  password, hidden as you type" in out
    assert "[nora.k (member)] > /farlab whoami" in out
    assert NEW_PASSWORD not in out  # the answers to the password inputs are not shown
    actor = identities.resolve_actor(lab.ctx, team_id=TEAM, slack_user_id="UNORA")
    assert actor is not None
    assert actor.username == "nora.k"


def test_a_link_page_left_without_an_answer_sends_nothing(lab: Lab, tmp_path: Path) -> None:
    status, out = play(
        lab,
        tmp_path,
        "slack-user add nora\n/farlab user add\nfield Slack user nora\nfield Username nora.k\n"
        "field First name Nora\nfield Last name Keller\nfield E-mail nora@lab.example\nsubmit\n"
        "as nora\ndms\nopen 1\n",
    )
    assert status == 0, out
    assert out.rstrip().endswith("Left the page without sending its form.")
    assert identities.resolve_actor(lab.ctx, team_id=TEAM, slack_user_id="UNORA") is None


def test_picking_someone_unknown_in_a_form_says_how_to_add_them(lab: Lab, tmp_path: Path) -> None:
    status, out = play(lab, tmp_path, "/farlab user add\nfield Slack user nora\n")
    assert status == 1
    assert "No Slack user named 'nora' to pick: `users` lists them, `slack-user add nora`" in out
