"""Bad input gets a clear answer and changes nothing: unknown or ambiguous names, bad
quantities, too much text, stale and double-clicked buttons, hostile names."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from console.harness import SlackHarness
from domain import alerts, instruments, parts, stock
from domain.results import PartView
from tests.bot.blocks_samples import texts
from tests.bot.conftest import Lab
from tests.bot.steps import (
    button_for,
    click,
    click_and_see,
    everything_said,
    lab_state,
    modal_from_click,
    replies_to,
    say,
    shown_card,
    stock_of,
    submit,
)


def _filament(lab: Lab, stock: int = 10) -> PartView:
    return parts.create_part(
        lab.ctx,
        actor=lab.actors["manager"],
        part_number="FIL-1002",
        name="Rhenium filament",
        quantity_in_stock=stock,
    )


BAD_COMMANDS = (
    ("use NOPE-9 2", "No part matches NOPE-9"),
    ("part NOPE-9", "No part matches NOPE-9"),
    ("history NOPE-9", "No part matches NOPE-9"),
    ("instrument NOPE-9", "No instrument named NOPE-9"),
    ("use FIL-1002 0", "whole number from 1 to 100,000"),
    ("use FIL-1002 -3", "whole number from 1 to 100,000"),
    ("use FIL-1002 100001", "whole number from 1 to 100,000"),
    ("use FIL-1002 lots", "whole number (got 'lots')"),
    ("use FIL-1002 2.5", "whole number"),
    ("restock FIL-1002 0", "whole number from 1 to 100,000"),
    ("restock FIL-1002 100001", "whole number from 1 to 100,000"),
    ("count FIL-1002 -1", "whole number from 0 to 100,000"),
    ("count FIL-1002 100001", "whole number from 0 to 100,000"),
    ("use FIL-1002 11", "10 pcs available, 11 requested"),
    ("use FIL-1002", "Usage"),
    ("restok FIL-1002 2", "Did you mean `restock`"),
    ("instrumnets", "Did you mean `instruments`"),
    ("frobnicate", "Unknown command `frobnicate`"),
    ("part " + "x" * 3000, "too long"),
    ("use " + "x" * 3000 + " 2", "too long"),
)


def test_bad_commands_get_a_clear_answer_and_change_nothing(lab: Lab) -> None:
    _filament(lab)
    before = lab_state(lab)
    for text, expected in BAD_COMMANDS:
        answer = say(lab, "member", text)
        assert answer["response_type"] == "ephemeral", text[:40]
        assert expected in everything_said(answer), (text[:40], answer["text"])
    assert lab_state(lab) == before
    assert lab.harness.stand_in.calls("views.open") == []


def test_ambiguous_names_get_a_pick_list_and_change_nothing(lab: Lab) -> None:
    for number, name in (("FIL-A", "Filament A"), ("FIL-B", "Filament B")):
        parts.create_part(
            lab.ctx, actor=lab.actors["manager"], part_number=number, name=name, quantity_in_stock=4
        )
    before = lab_state(lab)
    for text in ("use filament 1", "restock filament 1", "count filament 0", "part filament"):
        picks = shown_card(lab, "member", text)
        said = everything_said(picks)
        assert "Several parts match filament" in said, text
        assert "FIL-A Filament A" in said, text
        assert "FIL-B Filament B" in said, text
        choices = [b["accessory"] for b in picks["blocks"] if "accessory" in b]
        assert [c["action_id"] for c in choices] == ["pick.choose", "pick.choose"]
    assert lab_state(lab) == before


# button -> (quantity label, [(entered, what the field then says)])
BAD_QUANTITIES = {
    "part.use": (
        "How many to take",
        [
            ("0", "1 or more"),
            ("-3", "1 or more"),
            ("100001", "between 1 and 100,000"),
            ("abc", "whole number"),
            ("2.5", "whole number"),
            ("11", "10 pcs available, 11 requested"),
        ],
    ),
    "part.restock": ("How many to add", [("0", "1 or more"), ("100001", "between 1 and 100,000")]),
    "part.count": (
        "How many are there now",
        [("-1", "between 0 and 100,000"), ("", "Enter how many")],
    ),
}


def test_bad_quantities_in_forms_are_shown_on_the_field_and_change_nothing(lab: Lab) -> None:
    part = _filament(lab)
    card = shown_card(lab, "member", "part FIL-1002")
    before = lab_state(lab)
    for button, (label, tries) in BAD_QUANTITIES.items():
        form = modal_from_click(lab, "member", button, card)
        for entered, expected in tries:  # the form stays open, to be corrected and resent
            ack = submit(lab, "member", form, {label: entered})
            assert ack["response_action"] == "errors", (button, entered)
            assert list(ack["errors"]) == ["quantity"], (button, entered)
            assert expected in ack["errors"]["quantity"], (button, entered)
            assert lab.harness.stand_in.modals("UMEMBER")[-1]["id"] == form["id"]
    assert lab_state(lab) == before
    assert stock_of(lab, part) == 10


def test_a_taken_part_number_or_instrument_name_is_shown_on_its_field(lab: Lab) -> None:
    _filament(lab)
    instruments.create_instrument(lab.ctx, actor=lab.actors["manager"], name="MAT253", model="M")
    listing = shown_card(lab, "manager", "parts")
    form = modal_from_click(lab, "manager", "part.add", listing)
    before = lab_state(lab)
    ack = submit(lab, "manager", form, {"Part number": "FIL-1002", "Name": "Second filament"})
    assert ack["response_action"] == "errors"
    assert "already exists" in ack["errors"]["part_number"]
    form = modal_from_click(
        lab, "manager", "instrument.add", shown_card(lab, "manager", "instruments")
    )
    ack = submit(lab, "manager", form, {"Name": "MAT253", "Model": "Another"})
    assert ack["response_action"] == "errors"
    assert "already exists" in ack["errors"]["name"]
    assert ack["errors"]["name"]
    assert list(ack["errors"]) == ["name"]
    assert lab_state(lab) == before


HOSTILE = ("<!channel>", "<@U123> *x*", "Kühlfalle 🧪 & 漢字")


def test_names_are_shown_escaped_everywhere_they_appear_in_mrkdwn(lab: Lab) -> None:
    """Slack reads ``<...>`` in mrkdwn as mentions and links; names must never ping anyone."""
    manager = lab.actors["manager"]
    made = [
        parts.create_part(
            lab.ctx,
            actor=manager,
            part_number=f"ESC-{n}",
            name=name,
            location=name,
            category="Hostile",
            quantity_in_stock=5,
            minimum_stock_level=8,
        )
        for n, name in enumerate(HOSTILE)
    ]
    alerts.raise_alert(lab.ctx, actor=manager, message="<!channel> look", part_id=made[0].id)
    answers = [
        shown_card(lab, "manager", "part ESC-0"),
        shown_card(lab, "manager", "part ESC-1"),
        shown_card(lab, "manager", "parts"),
        shown_card(lab, "manager", "parts hostile"),
        shown_card(lab, "manager", "use ESC-0 1"),
        shown_card(lab, "manager", "history ESC-1"),
        shown_card(lab, "manager", "alerts"),
        shown_card(lab, "manager", "part esc"),  # the pick list
    ]
    card = answers[0]
    answers.append(modal_from_click(lab, "manager", "part.use", card))
    answers.append(modal_from_click(lab, "manager", "part.delete", card))
    lab.harness.slack.app_home_opened("UMANAGER")
    lab.harness.stand_in.wait_for("views.publish")
    answers.append(lab.harness.stand_in.home("UMANAGER") or {})
    # Slack sends what was typed with &, < and > escaped; a name is found as typed
    answers.append(shown_card(lab, "manager", "part Kühlfalle 🧪 &amp; 漢字"))
    assert "ESC-2" in everything_said(answers[-1])
    for shown in answers:
        mrkdwn = _mrkdwn_texts(shown)
        assert all("<!channel>" not in text and "<@U123>" not in text for text in mrkdwn), mrkdwn
    said = " ".join(" ".join(_mrkdwn_texts(shown)) for shown in answers)
    assert "&lt;!channel&gt;" in said
    assert "&lt;@U123&gt; *x*" in said
    assert "Kühlfalle 🧪 &amp; 漢字" in said


def _mrkdwn_texts(shown: dict[str, Any]) -> list[str]:
    """The texts Slack formats as mrkdwn: the fallback text and every mrkdwn object."""
    return [shown.get("text") or "", *texts(shown.get("blocks", []))]


def test_buttons_of_a_deleted_part_answer_not_found_and_open_nothing(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    part = _filament(lab)
    card = shown_card(lab, "manager", "part FIL-1002")
    parts.delete_part(lab.ctx, actor=lab.actors["manager"], part_id=part.id)
    before = lab_state(lab)
    buttons = ("part.use", "part.restock", "part.count", "part.history", "part.edit")
    for button in (*buttons, "part.delete"):
        seen = len(replies_to(stand_in, "manager"))
        answer = click_and_see(lab, "manager", button, card)
        assert answer.get("replace_original") in (False, "false", None), button
        assert "not found" in everything_said(answer).lower(), button
        assert "not found" in everything_said(replies_to(stand_in, "manager")[seen]).lower()
    assert stand_in.calls("views.open") == []
    assert lab_state(lab) == before


def test_a_delete_confirmed_after_the_part_is_gone_says_so_in_the_modal(lab: Lab) -> None:
    part = _filament(lab)
    card = shown_card(lab, "manager", "part FIL-1002")
    form = modal_from_click(lab, "manager", "part.delete", card)
    parts.delete_part(lab.ctx, actor=lab.actors["admin"], part_id=part.id)
    before = lab_state(lab)
    ack = submit(lab, "manager", form, {})
    assert ack["response_action"] == "update"
    assert "not found" in everything_said(ack["view"]).lower()
    assert lab_state(lab) == before


def test_acknowledge_pressed_twice_changes_the_alert_once(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    part = _filament(lab)
    alert = alerts.raise_alert(
        lab.ctx, actor=lab.actors["member"], message="filament blown", part_id=part.id
    )
    listing = shown_card(lab, "manager", "alerts")
    click_and_see(lab, "manager", "alert.acknowledge", listing)
    first = alerts.get_alert(lab.ctx, actor=lab.actors["manager"], alert_id=alert.id)
    assert first.status == "acknowledged"
    seen = len(replies_to(stand_in, "manager"))
    answer = click_and_see(lab, "manager", "alert.acknowledge", listing)  # the old message
    assert "already acknowledged" in everything_said(answer)
    assert "already acknowledged" in everything_said(replies_to(stand_in, "manager")[seen])
    assert alerts.get_alert(lab.ctx, actor=lab.actors["manager"], alert_id=alert.id) == first


def test_a_double_clicked_use_button_opens_forms_but_changes_nothing(lab: Lab) -> None:
    part = _filament(lab)
    card = shown_card(lab, "member", "part FIL-1002")
    before = lab_state(lab)
    click(lab, "member", "part.use", card)
    click(lab, "member", "part.use", card)
    calls = lab.harness.stand_in.wait_for("views.open", 2)
    assert all(c.response["ok"] for c in calls)
    assert lab_state(lab) == before
    form = lab.harness.stand_in.modals("UMEMBER")[-1]
    assert submit(lab, "member", form, {"How many to take": "2"}) == {}
    assert submit(lab, "member", form, {"How many to take": "2"}) == {}  # submitted twice
    assert stock_of(lab, part) == 6  # two takes, which is what was asked
    moves = stock.part_history(lab.ctx, actor=lab.actors["member"], part_id=part.id).items
    assert [m.delta for m in moves] == [-2, -2, 10]


def test_a_double_clicked_choice_in_a_pick_list_is_done_once(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    for number, name in (("FIL-A", "Filament A"), ("FIL-B", "Filament B")):
        parts.create_part(
            lab.ctx, actor=lab.actors["manager"], part_number=number, name=name, quantity_in_stock=5
        )
    picks = shown_card(lab, "member", "use filament 2")
    choice = button_for(picks, "pick.choose", "FIL-B")
    click_and_see(lab, "member", "pick.choose", picks, value=choice)
    seen = len(replies_to(stand_in, "member"))
    answer = click_and_see(lab, "member", "pick.choose", picks, value=choice)  # the same list
    assert "already" in everything_said(answer)
    stand_in.wait_until(lambda: len(replies_to(stand_in, "member")) > seen)
    second = parts.find_part(lab.ctx, actor=lab.actors["member"], ref="FIL-B")
    assert second.quantity_in_stock == 3  # taken once
    moves = stock.part_history(lab.ctx, actor=lab.actors["member"], part_id=second.id).items
    assert [m.delta for m in moves] == [-2, 5]
    again = shown_card(lab, "member", "use filament 2")  # a new list is a new choice
    click_and_see(
        lab, "member", "pick.choose", again, value=button_for(again, "pick.choose", "FIL-B")
    )
    assert (
        parts.get_part(lab.ctx, actor=lab.actors["member"], part_id=second.id).quantity_in_stock
        == 1
    )


def test_a_choice_made_through_one_server_is_refused_by_another(lab: Lab) -> None:
    """Two apps on one database (two replicas, or two workers) share what was chosen: the
    second click, served by the other app, takes nothing."""
    stand_in = lab.harness.stand_in
    for number, name in (("FIL-A", "Filament A"), ("FIL-B", "Filament B")):
        parts.create_part(
            lab.ctx, actor=lab.actors["manager"], part_number=number, name=name, quantity_in_stock=5
        )
    picks = shown_card(lab, "member", "use filament 2")
    choice = button_for(picks, "pick.choose", "FIL-B")
    click_and_see(lab, "member", "pick.choose", picks, value=choice)
    with SlackHarness(lab.ctx, stand_in=stand_in) as other:
        answered = len(stand_in.calls("response_url"))
        response = other.slack.block_action("UMEMBER", "pick.choose", message=picks, value=choice)
        assert response.status_code == 200, response.text
        answer = stand_in.wait_for("response_url", answered + 1)[answered].body
    assert "already chose" in everything_said(answer)
    taken = parts.find_part(lab.ctx, actor=lab.actors["member"], ref="FIL-B")
    assert taken.quantity_in_stock == 3  # taken once


NO_SUCH_ID = 10**30  # no row can have it; SQLite could not even bind it (OverflowError)


def test_buttons_with_an_id_or_page_no_row_can_have_answer_and_log_no_error(
    lab: Lab, caplog: pytest.LogCaptureFixture
) -> None:
    """Button values are read back as ``pack`` wrote them: an id or offset beyond any row's
    is out of date, like a deleted part's, not "Something went wrong" and a traceback."""
    for n in range(11):
        parts.create_part(
            lab.ctx, actor=lab.actors["manager"], part_number=f"P-{n:02}", name=f"Part {n}"
        )
    card = shown_card(lab, "manager", "part P-00")
    listing = shown_card(lab, "manager", "parts")
    before = lab_state(lab)
    caplog.set_level(logging.ERROR)
    for button in ("part.use", "part.history", "part.edit"):
        answer = click_and_see(lab, "manager", button, card, value={"id": NO_SUCH_ID})
        assert "out of date" in everything_said(answer), (button, answer)
    page = click_and_see(lab, "manager", "parts.page.next", listing, value={"o": NO_SUCH_ID})
    assert "P-00" in everything_said(page)  # read as the first page
    assert lab.harness.stand_in.calls("views.open") == []
    assert lab_state(lab) == before
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
