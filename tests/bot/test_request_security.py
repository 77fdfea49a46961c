"""Only Slack's signed, fresh requests reach the bot; others get 401 and change nothing.

A correctly signed request from another workspace is answered, but FarLab serves one
workspace: its people are not linked, so they are asked to link first.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.blocks import pack
from console.harness import SIGNING_SECRET
from domain import alerts, parts
from slack_stand_in import SignedSlack
from tests.bot.conftest import Lab
from tests.bot.steps import everything_said, lab_state, modal_from_command

SPOILED: dict[str, dict[str, Any]] = {
    "unsigned": {"unsigned": True},
    "forged": {"bad_signature": True},
    "five minutes old": {"timestamp_offset": -301},
    "five minutes ahead": {"timestamp_offset": 301},
}


def _setting(lab: Lab) -> tuple[int, dict[str, Any]]:
    """A part with an open alert, and an Add part form the manager has open."""
    part = parts.create_part(
        lab.ctx,
        actor=lab.actors["manager"],
        part_number="FIL-1002",
        name="Rhenium filament",
        quantity_in_stock=10,
    )
    alert = alerts.raise_alert(lab.ctx, actor=lab.actors["member"], message="low", part_id=part.id)
    return alert.id, modal_from_command(lab, "manager", "part add")


@pytest.mark.parametrize("spoiled", SPOILED, ids=str)
def test_requests_not_signed_by_slack_now_get_401_and_change_nothing(
    lab: Lab, spoiled: str
) -> None:
    alert_id, form = _setting(lab)
    slack, stand_in = lab.harness.slack, lab.harness.stand_in
    signing = SPOILED[spoiled]
    before, calls = lab_state(lab), stand_in.calls()
    attempts: list[httpx.Response] = [
        slack.command("UMANAGER", "use FIL-1002 5", **signing),
        slack.command("UMANAGER", "part delete FIL-1002", **signing),
        slack.block_action(
            "UMANAGER", "alert.acknowledge", value=pack({"id": alert_id}), **signing
        ),
        slack.submit_modal("UMANAGER", form, {"Part number": "N-1", "Name": "New"}, **signing),
        slack.block_suggestion("UMANAGER", "part.picker", "FIL", **signing),
        slack.app_home_opened("UMANAGER", **signing),
    ]
    for response in attempts:
        assert response.status_code == 401, response.request.content[:80]
        assert "FIL-1002" not in response.text
    assert lab_state(lab) == before
    assert stand_in.calls() == calls  # no Web API call was made for any of them
    assert stand_in.ephemerals(user="UMANAGER") == []
    assert stand_in.modals("UMANAGER")[-1]["id"] == form["id"]  # the form is still open

    assert slack.command("UMANAGER", "use FIL-1002 5").status_code == 200  # signed: answered
    assert lab_state(lab) != before


def test_a_signed_request_from_another_workspace_is_asked_to_link(lab: Lab) -> None:
    alert_id, form = _setting(lab)
    stand_in = lab.harness.stand_in
    other = SignedSlack(lab.harness.slack.app_url, SIGNING_SECRET, stand_in, team_id="T0OTHER")
    before = lab_state(lab)
    with other:
        for text in ("use FIL-1002 5", "part delete FIL-1002", "alerts", "whoami"):
            answer = other.command("UMANAGER", text)
            assert answer.status_code == 200
            assert "not linked" in everything_said(answer.json()), text
        answered = len(stand_in.calls("response_url"))
        other.block_action("UMANAGER", "alert.acknowledge", value=pack({"id": alert_id}))
        refusal = stand_in.wait_for("response_url", answered + 1)[answered].body
        assert "not linked" in everything_said(refusal)
        ack = other.submit_modal("UMANAGER", form, {"Part number": "N-1", "Name": "New"}).json()
        assert ack["response_action"] == "errors"
        assert "not linked" in " ".join(ack["errors"].values())
        options = other.block_suggestion("UMANAGER", "part.picker", "FIL")
        assert options.json() == {"options": []}
    assert lab_state(lab) == before
    assert stand_in.calls("views.open")[-1].body["view"]["callback_id"] == "part_add"
    assert len(stand_in.calls("views.open")) == 1


def test_an_unsigned_ssl_check_body_runs_no_command(lab: Lab) -> None:
    """slack-bolt before 1.29 let any body with ``ssl_check=1`` past the signature check."""
    _setting(lab)
    before, calls = lab_state(lab), lab.harness.stand_in.calls()
    body = urlencode(
        {
            "ssl_check": "1",
            "token": "anything",
            "team_id": "T0FARLAB",
            "user_id": "UMANAGER",
            "command": "/farlab",
            "text": "use FIL-1002 5",
            "channel_id": "C0LAB",
        }
    )
    for signing in ({"unsigned": True}, {"bad_signature": True}):
        response = lab.harness.slack.send(body, "application/x-www-form-urlencoded", **signing)
        assert "FIL-1002" not in response.text
    assert lab_state(lab) == before
    assert lab.harness.stand_in.calls() == calls
