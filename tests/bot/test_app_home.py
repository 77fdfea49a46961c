"""App Home: what each person sees when they open FarLab, and its quick actions."""

from __future__ import annotations

from typing import Any

from domain import alerts, instruments, parts, users
from tests.bot.conftest import Lab
from tests.bot.steps import everything_said, lab_state, stock_of, submit


def _lab_with_trouble(lab: Lab) -> None:
    """One low part, one fine part, an open alert, one instrument down and one running."""
    manager = lab.actors["manager"]
    low = parts.create_part(
        lab.ctx,
        actor=manager,
        part_number="FIL-1002",
        name="Rhenium filament",
        quantity_in_stock=1,
        minimum_stock_level=3,
    )
    parts.create_part(
        lab.ctx,
        actor=manager,
        part_number="ORG-7",
        name="Viton o-ring",
        quantity_in_stock=50,
        minimum_stock_level=3,
    )
    alerts.raise_alert(lab.ctx, actor=manager, message="source drifting", part_id=low.id)
    down = instruments.create_instrument(lab.ctx, actor=manager, name="Kiel IV", model="Kiel")
    instruments.set_instrument_status(
        lab.ctx, actor=manager, instrument_id=down.id, status="maintenance", note="valve"
    )
    instruments.create_instrument(lab.ctx, actor=manager, name="MAT253", model="MAT 253")


def _open_home(lab: Lab, user: str) -> dict[str, Any]:
    """Open the Home tab: the view FarLab published for this person."""
    published = len(lab.harness.stand_in.calls("views.publish"))
    response = lab.harness.slack.app_home_opened(user)
    assert response.status_code == 200
    call = lab.harness.stand_in.wait_for("views.publish", published + 1)[published]
    assert call.body["user_id"] == user
    assert call.response["ok"], call.response
    home = lab.harness.stand_in.home(user)
    assert home is not None
    assert home["type"] == "home"
    return home


def test_a_manager_sees_account_alerts_low_parts_and_instruments_down(lab: Lab) -> None:
    _lab_with_trouble(lab)
    home = _open_home(lab, "UMANAGER")
    said = everything_said(home)
    assert lab.actors["manager"].username in said
    assert "*manager*" in said
    assert "Open alerts" in said
    assert "source drifting" in said
    assert "FIL-1002" in said
    assert "ORG-7" not in said
    assert "Kiel IV" in said
    assert "MAT253" not in said
    assert "alert.acknowledge" in str(home["blocks"])
    assert "part.add" in str(home["blocks"])


def test_a_member_sees_no_alert_actions_and_no_manager_buttons(lab: Lab) -> None:
    _lab_with_trouble(lab)
    home = _open_home(lab, "UMEMBER")
    said = everything_said(home)
    assert lab.actors["member"].username in said
    assert "*member*" in said
    assert "Open alerts" not in said
    assert "source drifting" not in said
    assert "FIL-1002" in said
    assert "Kiel IV" in said
    for managing in ("alert.acknowledge", "alert.resolve", "part.add", "instrument.add"):
        assert managing not in str(home["blocks"])


def test_unlinked_and_deactivated_people_are_told_why_they_see_nothing(lab: Lab) -> None:
    _lab_with_trouble(lab)
    home = _open_home(lab, "UOUTSIDER")
    assert "not linked" in everything_said(home)
    assert "account.link" in str(home["blocks"])
    assert "FIL-1002" not in everything_said(home)
    users.deactivate_user(lab.ctx, actor=lab.actors["admin"], user_id=lab.actors["member"].user_id)
    home = _open_home(lab, "UMEMBER")
    assert "deactivated" in everything_said(home)
    assert "FIL-1002" not in everything_said(home)


def test_opening_the_messages_tab_publishes_nothing(lab: Lab) -> None:
    response = lab.harness.slack.app_home_opened("UMANAGER", tab="messages")
    assert response.status_code == 200
    _open_home(lab, "UMEMBER")  # a later publish proves the first event was handled
    assert [c.body["user_id"] for c in lab.harness.stand_in.calls("views.publish")] == ["UMEMBER"]


def test_home_quick_actions_find_a_part_and_take_one(lab: Lab) -> None:
    _lab_with_trouble(lab)
    stand_in, slack = lab.harness.stand_in, lab.harness.slack
    home = _open_home(lab, "UMEMBER")
    part = parts.find_part(lab.ctx, actor=lab.actors["member"], ref="FIL-1002")

    slack.block_action("UMEMBER", "quick.find_part", view=home)
    stand_in.wait_for("views.open")
    finder = stand_in.modals("UMEMBER")[-1]
    assert finder["callback_id"] == "part_find"
    assert submit(lab, "member", finder, {"part.picker": str(part.id)}) == {}
    card = stand_in.wait_for("chat.postMessage")[-1].body  # no channel: the card comes by DM
    assert card["channel"] == "UMEMBER"
    assert "FIL-1002" in everything_said(card)

    slack.block_action("UMEMBER", "quick.use", view=home)
    stand_in.wait_for("views.open", 2)
    form = stand_in.modals("UMEMBER")[-1]
    assert form["callback_id"] == "stock_use"
    too_many = submit(lab, "member", form, {"part.picker": str(part.id), "How many to take": "5"})
    assert too_many["response_action"] == "errors"
    assert list(too_many["errors"]) == ["quantity"]  # on the field that is wrong
    assert "1 pc available, 5 requested" in too_many["errors"]["quantity"]
    unpicked = submit(lab, "member", form, {"How many to take": "1"})
    assert unpicked["errors"] == {"part": "Pick a part."}
    answers = {"part.picker": str(part.id), "How many to take": "1"}
    assert submit(lab, "member", form, answers) == {}
    assert stock_of(lab, part) == 0
    told = stand_in.wait_for("chat.postMessage", 2)[-1].body
    assert told["channel"] == "UMEMBER"
    assert "FIL-1002" in everything_said(told)


def test_a_stale_home_button_answers_in_a_small_modal(lab: Lab) -> None:
    """Home has no response_url and no channel: a refusal is shown in a modal."""
    _lab_with_trouble(lab)
    stand_in = lab.harness.stand_in
    home = _open_home(lab, "UMANAGER")
    part = parts.find_part(lab.ctx, actor=lab.actors["manager"], ref="FIL-1002")
    parts.delete_part(lab.ctx, actor=lab.actors["manager"], part_id=part.id)
    before = lab_state(lab)
    lab.harness.slack.block_action("UMANAGER", "part.restock", view=home)
    call = stand_in.wait_for("views.open")[0]
    assert call.response["ok"], call.response
    assert "not found" in everything_said(call.body["view"]).lower()
    assert lab_state(lab) == before
