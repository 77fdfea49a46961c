"""Who may do what, checked at the bot: every command, button and form that changes data.

Members may take, restock and count stock and raise alerts; only managers and admins may
add, edit or delete parts and instruments, set status, link parts and act on alerts. A
member who replays a manager's button or submits a manager's form is refused: nothing
changes and the refusal is shown to them.
"""

from __future__ import annotations

from typing import Any

import pytest

from domain import alerts, instruments, parts, users
from tests.bot.conftest import Lab
from tests.bot.steps import (
    click,
    everything_said,
    lab_state,
    modal_from_click,
    modal_from_command,
    replies_to,
    say,
    shown_card,
    submit,
)

ROLES = ("admin", "manager", "member")
REFUSED = "may not"


def _is_manager(role: str) -> bool:
    return role in ("admin", "manager")


def _stock_room(lab: Lab) -> None:
    manager = lab.actors["manager"]
    filament = parts.create_part(
        lab.ctx,
        actor=manager,
        part_number="FIL-1002",
        name="Rhenium filament",
        quantity_in_stock=10,
    )
    valve = parts.create_part(
        lab.ctx, actor=manager, part_number="VAL-2000", name="Inlet valve", quantity_in_stock=3
    )
    mat = instruments.create_instrument(lab.ctx, actor=manager, name="MAT253", model="MAT 253")
    parts.link_part(lab.ctx, actor=manager, instrument_id=mat.id, part_id=valve.id)
    alerts.raise_alert(
        lab.ctx, actor=lab.actors["member"], message="filament blown", part_id=filament.id
    )


# (command, managers only, what it does when allowed: "modal" opens one, "change" changes data)
COMMANDS = (
    ("use FIL-1002 1", False, "change"),
    ("restock FIL-1002 1", False, "change"),
    ("count FIL-1002 7", False, "change"),
    ("alert raise FIL-1002 valve leaking", False, "change"),
    ("part add", True, "modal"),
    ("part edit FIL-1002", True, "modal"),
    ("part delete FIL-1002", True, "modal"),
    ("instrument add", True, "modal"),
    ("instrument edit MAT253", True, "modal"),
    ("instrument status MAT253 maintenance pump swap", True, "change"),
    ("instrument link MAT253 FIL-1002 2", True, "change"),
    ("instrument unlink MAT253 VAL-2000", True, "change"),
)


@pytest.mark.parametrize("role", ROLES)
def test_every_changing_command_is_allowed_or_refused_by_role(lab: Lab, role: str) -> None:
    _stock_room(lab)
    stand_in = lab.harness.stand_in
    for text, managers_only, outcome in COMMANDS:
        before, opened = lab_state(lab), len(stand_in.calls("views.open"))
        if managers_only and not _is_manager(role):
            answer = say(lab, role, text)
            assert answer["response_type"] == "ephemeral", text
            assert REFUSED in everything_said(answer), text
            assert lab_state(lab) == before, text
            assert len(stand_in.calls("views.open")) == opened, text
        elif outcome == "modal":
            assert modal_from_command(lab, role, text)["type"] == "modal", text
            assert lab_state(lab) == before, text  # a form changes nothing until submitted
        else:
            answer = say(lab, role, text)
            assert REFUSED not in everything_said(answer), (text, answer)
            assert lab_state(lab) != before, text


# (message the manager was shown, button, managers only, what it does when allowed)
BUTTONS = (
    ("part FIL-1002", "part.use", False, "modal"),
    ("part FIL-1002", "part.restock", False, "modal"),
    ("part FIL-1002", "part.count", False, "modal"),
    ("part FIL-1002", "part.history", False, "answer"),
    ("part FIL-1002", "part.edit", True, "modal"),
    ("part FIL-1002", "part.delete", True, "modal"),
    ("instrument MAT253", "instrument.edit", True, "modal"),
    ("instrument MAT253", "instrument.status", True, "modal"),
    ("parts", "part.add", True, "modal"),
    ("instruments", "instrument.add", True, "modal"),
    ("alerts", "alert.acknowledge", True, "change"),
    ("alerts", "alert.resolve", True, "change"),
)


@pytest.mark.parametrize("role", ROLES)
def test_every_button_is_checked_for_the_person_who_pressed_it(lab: Lab, role: str) -> None:
    """Buttons are pressed on the manager's own messages: for a member that is a replay of
    a manager's payload with the member's user id, which must be refused."""
    _stock_room(lab)
    stand_in = lab.harness.stand_in
    shown = {text: shown_card(lab, "manager", text) for text, *_ in BUTTONS}
    for text, action_id, managers_only, outcome in BUTTONS:
        before, opened = lab_state(lab), len(stand_in.calls("views.open"))
        answered, seen = len(stand_in.calls("response_url")), len(replies_to(stand_in, role))
        if managers_only and not _is_manager(role):
            click(lab, role, action_id, shown[text])
            stand_in.wait_for("response_url", answered + 1)
            refusal = replies_to(stand_in, role)[seen]
            assert REFUSED in everything_said(refusal), action_id
            assert lab_state(lab) == before, action_id
            assert len(stand_in.calls("views.open")) == opened, action_id
        elif outcome == "modal":
            assert modal_from_click(lab, role, action_id, shown[text])["type"] == "modal"
            assert lab_state(lab) == before, action_id
        else:
            click(lab, role, action_id, shown[text])
            answer = stand_in.wait_for("response_url", answered + 1)[answered].body
            assert REFUSED not in everything_said(answer), action_id
            if outcome == "change":
                assert lab_state(lab) != before, action_id


def _manager_forms(lab: Lab) -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Forms the manager opened, each with what the submitter enters; delete comes last."""
    card = shown_card(lab, "manager", "instrument MAT253")
    return [
        (modal_from_command(lab, "manager", "part add"), {"Part number": "N-1", "Name": "New"}),
        (modal_from_command(lab, "manager", "part edit FIL-1002"), {"Name": "Renamed filament"}),
        (modal_from_command(lab, "manager", "instrument add"), {"Name": "Kiel IV", "Model": "IV"}),
        (modal_from_command(lab, "manager", "instrument edit MAT253"), {"Location": "Lab 9"}),
        (
            modal_from_click(lab, "manager", "instrument.status", card),
            {"New status": "maintenance"},
        ),
        (modal_from_command(lab, "manager", "part delete FIL-1002"), {}),
    ]


def _needed(callback_id: str) -> str:
    if callback_id == "instrument_status":
        return "set instrument status"
    return "manage parts" if callback_id.startswith("part") else "manage instruments"


@pytest.mark.parametrize("role", ROLES)
def test_a_managers_form_submitted_by_someone_else_is_checked_for_them(lab: Lab, role: str) -> None:
    _stock_room(lab)
    for form, answers in _manager_forms(lab):
        before = lab_state(lab)
        ack = submit(lab, role, form, answers)
        name = form["callback_id"]
        if _is_manager(role):
            assert ack == {}, (name, ack)
            assert lab_state(lab) != before, name
            continue
        assert lab_state(lab) == before, name
        if ack.get("response_action") == "errors":  # shown under the first field, as is
            assert list(ack["errors"].values()) == [
                f"Your role ({role}) may not {_needed(name)}. Ask a FarLab manager or admin."
            ], (name, ack)
        else:  # a form without inputs shows the refusal in place of the form
            assert ack.get("response_action") == "update", (name, ack)
            assert REFUSED in everything_said(ack["view"]), (name, ack)


@pytest.mark.parametrize("role", ROLES)
def test_anyone_linked_may_take_restock_and_count_through_the_forms(lab: Lab, role: str) -> None:
    _stock_room(lab)
    card = shown_card(lab, role, "part FIL-1002")
    for action_id, label, entered in (
        ("part.use", "How many to take", "2"),
        ("part.restock", "How many to add", "5"),
        ("part.count", "How many are there now", "9"),
    ):
        form = modal_from_click(lab, role, action_id, card)
        before = lab_state(lab)
        assert submit(lab, role, form, {label: entered}) == {}, action_id
        assert lab_state(lab) != before, action_id
    part = parts.find_part(lab.ctx, actor=lab.actors[role], ref="FIL-1002")
    assert part.quantity_in_stock == 9


def test_only_managers_are_offered_the_buttons_that_manage(lab: Lab) -> None:
    """Hiding is not the check (see above), but members should not see what they cannot do."""
    _stock_room(lab)
    managing = {"part.edit", "part.delete", "part.add", "instrument.add", "instrument.edit"}
    managing |= {"instrument.status", "alert.acknowledge", "alert.resolve"}
    for role in ROLES:
        offered: set[str] = set()
        for text in ("part FIL-1002", "parts", "instrument MAT253", "instruments", "alerts"):
            offered |= _action_ids(shown_card(lab, role, text))
        if _is_manager(role):
            assert managing <= offered, (role, managing - offered)
        else:
            assert not managing & offered, (role, managing & offered)


def _action_ids(message: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for block in message.get("blocks", []):
        for element in [block.get("accessory") or {}, *block.get("elements", [])]:
            if isinstance(element, dict) and element.get("action_id"):
                found.add(element["action_id"])
    return found


EVERY_COMMAND = (
    "parts",
    "parts filament",
    "part FIL-1002",
    "part add",
    "part edit FIL-1002",
    "part delete FIL-1002",
    "use FIL-1002 1",
    "restock FIL-1002 1",
    "count FIL-1002 1",
    "history FIL-1002",
    "instruments",
    "instrument MAT253",
    "instrument add",
    "instrument status MAT253 maintenance",
    "instrument link MAT253 FIL-1002",
    "alerts",
    "alert raise FIL-1002 leaking",
    "whoami",
)


def test_an_unlinked_person_is_asked_to_link_for_everything_but_help(lab: Lab) -> None:
    _stock_room(lab)
    stand_in = lab.harness.stand_in
    before = lab_state(lab)
    for text in EVERY_COMMAND:
        answer = say(lab, "UOUTSIDER", text)
        assert "not linked" in everything_said(answer), text
        assert any(
            e.get("action_id") == "account.link"
            for b in answer["blocks"]
            for e in b.get("elements", [])
        ), text
    assert "/farlab restock" in everything_said(say(lab, "UOUTSIDER", "help"))

    shown = {text: shown_card(lab, "manager", text) for text in ("part FIL-1002", "alerts")}
    for text, action_id in (
        ("part FIL-1002", "part.use"),
        ("part FIL-1002", "part.history"),
        ("part FIL-1002", "part.delete"),
        ("alerts", "alert.resolve"),
    ):
        seen = len(replies_to(stand_in, "UOUTSIDER"))
        click(lab, "UOUTSIDER", action_id, shown[text])
        stand_in.wait_until(lambda seen=seen: len(replies_to(stand_in, "UOUTSIDER")) > seen)
        assert "not linked" in everything_said(replies_to(stand_in, "UOUTSIDER")[seen])
    form = modal_from_click(lab, "manager", "part.use", shown["part FIL-1002"])
    ack = submit(lab, "UOUTSIDER", form, {"How many to take": "1"})
    assert "not linked" in ack["errors"]["quantity"]
    assert lab_state(lab) == before
    assert len(stand_in.calls("views.open")) == 1  # only the manager's


def test_a_deactivated_account_is_refused_at_once(lab: Lab) -> None:
    _stock_room(lab)
    stand_in = lab.harness.stand_in
    card = shown_card(lab, "member", "part FIL-1002")
    form = modal_from_click(lab, "member", "part.use", card)
    users.deactivate_user(lab.ctx, actor=lab.actors["admin"], user_id=lab.actors["member"].user_id)
    before = lab_state(lab)
    for text in ("use FIL-1002 1", "parts", "whoami"):
        assert "deactivated" in everything_said(say(lab, "member", text)), text
    seen = len(replies_to(stand_in, "member"))
    click(lab, "member", "part.restock", card)
    stand_in.wait_until(lambda: len(replies_to(stand_in, "member")) > seen)
    assert "deactivated" in everything_said(replies_to(stand_in, "member")[seen])
    ack = submit(lab, "member", form, {"How many to take": "1"})
    assert "deactivated" in ack["errors"]["quantity"]
    assert lab_state(lab) == before
    assert len(stand_in.calls("views.open")) == 1
