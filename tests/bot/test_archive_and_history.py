"""Managers archive or delete instruments and archive parts from Slack (buttons that ask
first, and commands), and everyone sees an instrument's status history: the latest changes
on its card, every change with ``instrument history``. The domain checks every click."""

from __future__ import annotations

from typing import Any

import pytest

from domain import instruments, parts
from domain.errors import NotFound
from domain.results import InstrumentView, PartView
from tests.bot.conftest import Lab
from tests.bot.steps import (
    click_and_see,
    everything_said,
    lab_state,
    modal_from_click,
    say,
    shown_card,
)


def _lab_with_centrifuge(lab: Lab) -> tuple[InstrumentView, PartView]:
    manager = lab.actors["manager"]
    centrifuge = instruments.create_instrument(
        lab.ctx, actor=manager, name="Centrifuge 5810R", model="5810 R", location="Lab 2"
    )
    rotor = parts.create_part(
        lab.ctx,
        actor=manager,
        part_number="ROT-1",
        name="Swing-bucket rotor",
        quantity_in_stock=2,
        instrument_ids=(centrifuge.id,),
    )
    return centrifuge, rotor


def _buttons(message: dict[str, Any]) -> list[str]:
    return [
        e["text"]["text"]
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("type") == "button"
    ]


def test_the_instruments_list_tells_name_and_model_apart(lab: Lab) -> None:
    _lab_with_centrifuge(lab)
    assert "*Centrifuge 5810R* · 5810 R" in everything_said(say(lab, "member", "instruments"))


def test_the_card_offers_parts_and_history_to_everyone_and_more_to_managers(lab: Lab) -> None:
    _lab_with_centrifuge(lab)
    member = shown_card(lab, "member", "instrument Centrifuge 5810R")
    assert _buttons(member) == ["Parts", "History"]
    manager = shown_card(lab, "manager", "instrument Centrifuge 5810R")
    assert _buttons(manager) == ["Parts", "History", "Set status", "Edit", "Archive", "Delete"]
    listed = click_and_see(lab, "member", "instrument.parts", member)
    assert "*ROT-1* Swing-bucket rotor · needs 1" in everything_said(listed)
    part_card = click_and_see(lab, "member", "part.view", listed)
    assert "Use" in _buttons(part_card)
    assert modal_from_click(lab, "manager", "instrument.status", manager)["callback_id"] == (
        "instrument_status"
    )


def test_the_card_shows_the_latest_status_changes_and_history_shows_them_all(lab: Lab) -> None:
    centrifuge, _ = _lab_with_centrifuge(lab)
    manager = lab.actors["manager"]
    for status, note in (
        ("maintenance", "new seals"),
        ("operational", None),
        ("out_of_service", "rotor cracked"),
        ("operational", "rotor replaced"),
    ):
        instruments.set_instrument_status(
            lab.ctx, actor=manager, instrument_id=centrifuge.id, status=status, note=note
        )
    card = shown_card(lab, "member", "instrument Centrifuge 5810R")
    said = everything_said(card)
    assert "*Latest status changes*" in said
    assert f"(was out of service) · {manager.username} · _rotor replaced_" in said
    assert "new seals" not in said  # only the latest few are on the card
    every = everything_said(click_and_see(lab, "member", "instrument.history", card))
    for note in ("new seals", "rotor cracked", "rotor replaced"):
        assert note in every
    assert every.index("rotor replaced") < every.index("new seals")  # newest first
    by_command = everything_said(say(lab, "member", "instrument history Centrifuge"))
    assert "4 status changes of Centrifuge 5810R" in by_command
    assert "new seals" in by_command


def test_a_manager_archives_an_instrument_with_the_button_and_it_leaves_the_list(
    lab: Lab,
) -> None:
    centrifuge, _ = _lab_with_centrifuge(lab)
    card = shown_card(lab, "manager", "instrument Centrifuge 5810R")
    [archive] = [
        e
        for b in card["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "instrument.archive"
    ]
    assert archive["confirm"]["title"]["text"] == "Archive this instrument?"
    answer = click_and_see(lab, "manager", "instrument.archive", card)
    assert "Archived the instrument *Centrifuge 5810R* · 5810 R" in answer["text"]
    assert not instruments.get_instrument(
        lab.ctx, actor=lab.actors["manager"], instrument_id=centrifuge.id
    ).is_active
    assert "Centrifuge" not in everything_said(say(lab, "member", "instruments"))
    archived = everything_said(say(lab, "member", "instrument Centrifuge 5810R"))
    assert "This instrument is archived" in archived


def test_a_manager_deletes_an_instrument_after_being_asked(lab: Lab) -> None:
    centrifuge, rotor = _lab_with_centrifuge(lab)
    asked = shown_card(lab, "manager", "instrument delete Centrifuge 5810R")
    assert "Delete the instrument *Centrifuge 5810R*?" in asked["text"]
    [delete] = [e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert delete["confirm"]["title"]["text"] == "Delete this instrument?"
    assert delete["style"] == "danger"
    answer = click_and_see(lab, "manager", "instrument.delete", asked)
    assert answer["text"] == ":wastebasket: Deleted the instrument *Centrifuge 5810R*."
    assert answer["replace_original"] is True
    with pytest.raises(NotFound):
        instruments.get_instrument(
            lab.ctx, actor=lab.actors["manager"], instrument_id=centrifuge.id
        )
    assert parts.get_part(lab.ctx, actor=lab.actors["manager"], part_id=rotor.id).is_active


def test_archive_commands_for_instruments_and_parts(lab: Lab) -> None:
    centrifuge, rotor = _lab_with_centrifuge(lab)
    answer = say(lab, "manager", "instrument archive Centrifuge 5810R")
    assert "Archived the instrument *Centrifuge 5810R*" in answer["text"]
    assert not instruments.get_instrument(
        lab.ctx, actor=lab.actors["manager"], instrument_id=centrifuge.id
    ).is_active
    answer = say(lab, "manager", "part archive ROT-1")
    assert "Archived the part *ROT-1* Swing-bucket rotor" in answer["text"]
    assert not parts.get_part(lab.ctx, actor=lab.actors["manager"], part_id=rotor.id).is_active
    assert "ROT-1" not in everything_said(say(lab, "member", "parts rotor"))


def test_a_managers_part_card_archives_the_part_after_asking(lab: Lab) -> None:
    _, rotor = _lab_with_centrifuge(lab)
    card = shown_card(lab, "manager", "part ROT-1")
    [archive] = [
        e
        for b in card["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "part.archive"
    ]
    assert archive["confirm"]["title"]["text"] == "Archive this part?"
    answer = click_and_see(lab, "manager", "part.archive", card)
    assert "Archived the part *ROT-1*" in answer["text"]
    assert not parts.get_part(lab.ctx, actor=lab.actors["manager"], part_id=rotor.id).is_active


def test_members_are_refused_archive_and_delete_by_command_and_by_replayed_button(
    lab: Lab,
) -> None:
    _lab_with_centrifuge(lab)
    card = shown_card(lab, "manager", "instrument Centrifuge 5810R")
    part_card = shown_card(lab, "manager", "part ROT-1")
    before = lab_state(lab)
    for text in (
        "instrument archive Centrifuge 5810R",
        "instrument delete Centrifuge 5810R",
        "part archive ROT-1",
    ):
        assert "Ask a FarLab manager or admin." in everything_said(say(lab, "member", text)), text
    for action_id, message in (
        ("instrument.archive", card),
        ("instrument.delete", card),
        ("part.archive", part_card),
    ):
        refused = click_and_see(lab, "member", action_id, message)
        assert "may not manage" in refused["text"], action_id
    assert lab_state(lab) == before
