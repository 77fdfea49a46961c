"""Slack's own entry points: the "Take a part" global shortcut and the "Raise an alert"
message shortcut, sent as Slack sends them and answered with the forms Slack is asked to open."""

from __future__ import annotations

from typing import Any

import pytest

from bot.blocks import check_view
from bot.blocks.alert_forms import MESSAGE_MAX, alert_message_from
from bot.blocks.text import plain_text_of
from domain import alerts, instruments, parts, users
from domain.permissions import SYSTEM
from tests.bot.blocks_samples import assert_valid_view
from tests.bot.conftest import Lab
from tests.bot.steps import everything_said, replies_to, slack_id, stock_of, submit


def _opened(lab: Lab, before: int) -> dict[str, Any]:
    """The view the bot asked Slack to open (the ``views.open`` call the stand-in got)."""
    call = lab.harness.stand_in.wait_for("views.open", before + 1)[before]
    assert call.response.get("ok"), call.response
    view: dict[str, Any] = call.body["view"]
    assert_valid_view(view, mentions=True)  # the message's channel, as <#C0LAB>
    check_view(view)
    return view


def _shortcut(lab: Lab, role: str, callback_id: str = "take_part") -> dict[str, Any]:
    before = len(lab.harness.stand_in.calls("views.open"))
    response = lab.harness.slack.shortcut(slack_id(role), callback_id)
    assert response.status_code == 200, response.text
    return _opened(lab, before)


def _message_shortcut(lab: Lab, role: str, said: dict[str, Any]) -> dict[str, Any]:
    before = len(lab.harness.stand_in.calls("views.open"))
    response = lab.harness.slack.message_shortcut(slack_id(role), "raise_alert", said)
    assert response.status_code == 200, response.text
    return _opened(lab, before)


def _element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    element: dict[str, Any] = block["element"]
    return element


# -- Take a part ------------------------------------------------------------------------
def test_take_a_part_opens_the_use_form_with_a_part_picker_and_takes_one(lab: Lab) -> None:
    part = parts.create_part(
        lab.ctx,
        actor=SYSTEM,
        part_number="FIL-1016",
        name="Tungsten filament",
        quantity_in_stock=3,
    )
    sent = _shortcut(lab, "member")
    assert sent["callback_id"] == "stock_use"
    picker = _element(sent, "part")
    assert (picker["type"], picker["action_id"]) == ("external_select", "part.picker")
    form = lab.harness.stand_in.modals("UMEMBER")[-1]
    suggested = lab.harness.slack.block_suggestion("UMEMBER", "part.picker", "tung", view=form)
    assert [o["value"] for o in suggested.json()["options"]] == [str(part.id)]
    answers = {"part.picker": str(part.id), "How many to take": "1"}
    assert submit(lab, "member", form, answers) == {}
    assert stock_of(lab, part) == 2
    told = lab.harness.stand_in.wait_for("chat.postMessage")[-1].body
    assert told["channel"] == "UMEMBER"  # a global shortcut has no channel: told by DM
    assert told["text"].startswith("Took 1 pc of *FIL-1016* Tungsten filament — 2 left")


@pytest.mark.parametrize(
    ("who", "told"),
    [("UOUTSIDER", "not linked to a FarLab account"), ("member", "deactivated")],
)
def test_take_a_part_tells_someone_who_cannot_take_parts_why_instead(
    lab: Lab, who: str, told: str
) -> None:
    users.deactivate_user(lab.ctx, actor=lab.actors["admin"], user_id=lab.actors["member"].user_id)
    sent = _shortcut(lab, who)
    assert sent.get("callback_id") != "stock_use"
    assert "submit" not in sent  # a notice, not a form
    assert told in everything_said(sent)


# -- Raise an alert ---------------------------------------------------------------------
def test_raise_an_alert_starts_from_the_message_and_a_link_to_it(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    mat = instruments.create_instrument(lab.ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    text = "<@UMEMBER|sara> the pump on MAT253 &amp; the <https://x.example/p|log> look bad"
    said = stand_in.post_as("UMANAGER", "C0LAB", text)
    sent = _message_shortcut(lab, "member", said)
    [asked] = stand_in.calls("chat.getPermalink")
    assert (asked.body["channel"], asked.body["message_ts"]) == ("C0LAB", said["ts"])
    link = asked.response["permalink"]
    assert sent["callback_id"] == "alert_raise"
    assert "<#C0LAB>" in everything_said(sent)
    message = _element(sent, "message")
    assert message["initial_value"] == (
        f"@sara the pump on MAT253 & the log (https://x.example/p) look bad\n\nFrom Slack: {link}"
    )
    form = stand_in.modals("UMEMBER")[-1]
    answers = {"instrument.picker": str(mat.id), "Severity": "critical"}
    assert submit(lab, "member", form, answers) == {}
    [alert] = alerts.list_alerts(lab.ctx, actor=SYSTEM).items
    assert (alert.instrument_id, alert.severity, alert.kind) == (mat.id, "critical", "manual")
    assert alert.message == message["initial_value"]
    stand_in.wait_until(lambda: bool(stand_in.ephemerals("C0LAB", "UMEMBER")))
    [confirmed] = stand_in.ephemerals("C0LAB", "UMEMBER")  # beside the message
    assert "Alert raised on *MAT253*" in everything_said(confirmed)


def test_a_raised_alert_needs_a_part_or_an_instrument(lab: Lab) -> None:
    said = lab.harness.stand_in.post_as("UMANAGER", "C0LAB", "something is off")
    _message_shortcut(lab, "member", said)
    form = lab.harness.stand_in.modals("UMEMBER")[-1]
    refused = submit(lab, "member", form, {})
    assert refused["response_action"] == "errors"
    assert "Name the part or instrument" in refused["errors"]["part"]
    assert alerts.list_alerts(lab.ctx, actor=SYSTEM).items == ()


def test_the_form_opens_without_the_link_when_slack_gives_none(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    said = stand_in.post_as("UMANAGER", "C0LAB", "Kiel IV is leaking")
    stand_in.error("chat.getPermalink", "message_not_found")
    sent = _message_shortcut(lab, "member", said)
    assert _element(sent, "message")["initial_value"] == "Kiel IV is leaking"


def test_raise_an_alert_tells_an_unlinked_person_why_beside_the_message(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    said = stand_in.post_as("UMANAGER", "C0LAB", "Kiel IV is leaking")
    response = lab.harness.slack.message_shortcut("UOUTSIDER", "raise_alert", said)
    assert response.status_code == 200
    stand_in.wait_until(lambda: bool(replies_to(stand_in, "UOUTSIDER")))
    [told] = replies_to(stand_in, "UOUTSIDER")
    assert "not linked to a FarLab account" in everything_said(told)
    assert stand_in.calls("views.open") == []
    assert stand_in.calls("chat.getPermalink") == []


# -- the message's text, as the form starts from it -------------------------------------
@pytest.mark.parametrize(
    ("sent", "reads"),
    [
        ("<@U0SARA|sara> and <@U0JO>", "@sara and @U0JO"),
        ("in <#C0LAB|lab> or <#C0VAC>", "in #lab or #C0VAC"),
        ("<!here> <!subteam^S1|@lab> <!date^1700000000^{date}|Nov 14>", "@here @lab Nov 14"),
        (
            "<https://x.example/?b=1&amp;c=2|log> <https://y.example>",
            "log (https://x.example/?b=1&c=2) https://y.example",
        ),
        ("<mailto:a@lab.example|a@lab.example>", "a@lab.example"),
        ("5 &lt; 6 &amp;&amp; 7 &gt; 3", "5 < 6 && 7 > 3"),
    ],
)
def test_a_messages_text_is_read_as_people_see_it(sent: str, reads: str) -> None:
    assert plain_text_of(sent) == reads


def test_a_long_message_is_cut_but_keeps_its_link() -> None:
    link = "https://farlab-lab.slack.com/archives/C0LAB/p1700000000000100"
    started = alert_message_from("word " * 1000, link)
    assert len(started) <= MESSAGE_MAX
    assert started.endswith(f"…\n\nFrom Slack: {link}")
    assert alert_message_from("", link) == f"From Slack: {link}"
