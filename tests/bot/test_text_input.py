"""Text no layer chokes on, through Slack: NUL bytes and unpaired surrogates in command text,
form fields and picker searches, line breaks in one-line fields, and an absurd Snooze
button get a clear answer naming the field, log no error, and change nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from bot.blocks import pack
from bot.ids import ActionId
from domain import alerts, parts
from domain.results import PartView
from tests.bot.alerting import Jobs, alert_row, low_part, posted, scheduler_for
from tests.bot.conftest import Lab
from tests.bot.steps import (
    everything_said,
    lab_state,
    modal_from_click,
    replies_to,
    say,
    shown_card,
    submit,
)

FAKE_RESOLVED = "Septa\n:white_check_mark: *Resolved by admin*"


@pytest.fixture
def errors_logged(caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
    """The ERROR records logged so far by the test (the app runs in the test process)."""
    caplog.set_level(logging.ERROR)
    return lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def _filament(lab: Lab) -> PartView:
    return parts.create_part(
        lab.ctx,
        actor=lab.actors["manager"],
        part_number="FIL-1002",
        name="Rhenium filament",
        quantity_in_stock=10,
    )


def test_command_text_with_nul_is_refused_naming_it_and_changes_nothing(lab: Lab, errors_logged):
    """On PostgreSQL these reached the driver: "Something went wrong" and a traceback."""
    _filament(lab)
    before = lab_state(lab)
    for text in (
        "part FIL\x00-1002",
        "use FIL-1002\x00 1",
        "parts fil\x00",
        "instrument MAT\x00",
        "restock FIL-1002 2 because\x00",
    ):
        answer = say(lab, "manager", text)
        assert answer["response_type"] == "ephemeral", text
        said = everything_said(answer)
        assert "Command text contains a control character (U+0000)" in said, (text, said)
    assert lab_state(lab) == before
    assert errors_logged() == []


def test_command_text_with_the_bytes_of_a_surrogate_is_read_and_answered(lab: Lab, errors_logged):
    """A form-encoded body carries bytes; those of U+D800 are not UTF-8 and are read as
    U+FFFD, so the name is simply not found."""
    _filament(lab)
    before = lab_state(lab)
    answer = say(lab, "member", "use FIL\ud800 1")
    assert "No part matches FIL" in everything_said(answer)
    assert lab_state(lab) == before
    assert errors_logged() == []


def _part_form(lab: Lab) -> dict[str, Any]:
    return modal_from_click(lab, "manager", "part.add", shown_card(lab, "manager", "parts"))


@pytest.mark.parametrize(
    ("answers", "field", "said"),
    [
        ({"Name": "Septa\x00"}, "name", "Name contains a control character (U+0000)"),
        ({"Name": FAKE_RESOLVED}, "name", "Name contains a line break (U+000A)"),
        ({"Part number": "SEP\ud800-1"}, "part_number", "Part number contains an unpaired"),
        ({"Location": "Shelf\u20283"}, "location", "Location contains a line break (U+2028)"),
        ({"Description": "Blue\x00"}, "description", "Description contains a control"),
    ],
    ids=["nul", "fake-resolved-line", "surrogate", "line-separator", "nul-description"],
)
def test_a_bad_character_in_a_part_form_is_shown_on_its_field(
    lab: Lab, errors_logged, answers, field, said
):
    form = _part_form(lab)
    before = lab_state(lab)
    ack = submit(lab, "manager", form, {"Part number": "SEP-1", "Name": "Septa", **answers})
    assert ack["response_action"] == "errors", ack
    assert list(ack["errors"]) == [field], ack
    assert ack["errors"][field].startswith(said), ack
    assert lab.harness.stand_in.modals("UMANAGER")[-1]["id"] == form["id"]  # still open
    assert lab_state(lab) == before
    assert errors_logged() == []


def test_a_description_keeps_its_lines(lab: Lab) -> None:
    form = _part_form(lab)
    answers = {"Part number": "SEP-1", "Name": "Septa", "Description": "Blue\n\tsoft"}
    assert submit(lab, "manager", form, answers) == {}
    assert parts.find_part(lab.ctx, actor=lab.actors["manager"], ref="SEP-1").description == (
        "Blue\n\tsoft"
    )


@pytest.mark.parametrize("reason", ["swap\x00", "swap\ud800"], ids=["nul", "surrogate"])
def test_a_bad_character_in_a_reason_is_shown_on_its_field(lab: Lab, errors_logged, reason):
    part = _filament(lab)
    form = modal_from_click(lab, "member", "part.use", shown_card(lab, "member", "part FIL-1002"))
    before = lab_state(lab)
    ack = submit(lab, "member", form, {"How many to take": "2", "Reason": reason})
    assert ack["response_action"] == "errors", ack
    assert list(ack["errors"]) == ["reason"], ack
    assert ack["errors"]["reason"].startswith("Reason contains")
    assert lab_state(lab) == before
    assert parts.get_part(lab.ctx, actor=lab.actors["member"], part_id=part.id).quantity_in_stock
    assert errors_logged() == []


@pytest.mark.parametrize("typed", ["FIL\x00", "FIL\ud800"], ids=["nul", "surrogate"])
def test_a_picker_search_with_a_bad_character_offers_nothing_and_logs_no_error(
    lab: Lab, errors_logged, typed
):
    _filament(lab)
    response = lab.harness.slack.block_suggestion("UMEMBER", ActionId.PART_PICKER, typed)
    assert response.status_code == 200
    assert response.json() == {"options": []}
    assert errors_logged() == []


@pytest.fixture
def alert_message(lab: Lab) -> dict[str, Any]:
    """A low-stock alert posted in its channel, with its Snooze menu."""
    part = low_part(lab.ctx, "FIL-1002", category="Filaments")
    lab.command("manager", "alerts route Filaments <#CFILAMENTS|filaments>")
    Jobs(scheduler_for(lab.ctx, lab.harness.stand_in)).deliver()
    [message] = posted(lab.harness.stand_in, "CFILAMENTS")
    assert alert_row(lab.ctx, part_id=part.id).status == "open"
    return message


def _snooze(lab: Lab, role: str, message: dict[str, Any], seconds: Any) -> str:
    """Pick a forged Snooze option; what the person is then told."""
    stand_in = lab.harness.stand_in
    seen = len(replies_to(stand_in, role))
    alert_id = alert_row(lab.ctx, kind="low_stock").id
    value = pack({"id": alert_id, "s": seconds})
    option = {"text": {"type": "plain_text", "text": "forever"}, "value": value}
    response = lab.harness.slack.block_action(
        f"U{role.upper()}", ActionId.ALERT_MESSAGE_SNOOZE, message=message, selected_option=option
    )
    assert response.status_code == 200, response.text
    stand_in.wait_until(lambda: len(replies_to(stand_in, role)) > seen)
    return everything_said(replies_to(stand_in, role)[seen])


@pytest.mark.parametrize("seconds", [10**12, 10**30, -1, "soon"])
def test_an_absurd_snooze_is_refused_for_a_manager_and_forbidden_to_a_member(
    lab: Lab, errors_logged, alert_message, seconds
):
    """``s=10**12`` overflowed the date before anything was checked: a traceback, and a
    member got "Something went wrong" instead of being told they may not snooze."""
    before = alert_row(lab.ctx, kind="low_stock")
    said = _snooze(lab, "manager", alert_message, seconds)
    assert "at most 30 days" in said or "whole number of seconds" in said, said
    said = _snooze(lab, "member", alert_message, seconds)
    assert "may not" in said, said
    assert "snooze" in said, said
    after = alert_row(lab.ctx, kind="low_stock")
    assert (
        (after.snoozed_until, after.status)
        == (before.snoozed_until, before.status)
        == (
            None,
            "open",
        )
    )
    assert lab.harness.stand_in.calls("chat.update") == []
    assert errors_logged() == []


def test_a_snooze_of_thirty_days_is_accepted(lab: Lab, alert_message) -> None:
    _snooze_ok = 30 * 24 * 3600
    stand_in = lab.harness.stand_in
    option = {
        "text": {"type": "plain_text", "text": "30 days"},
        "value": pack({"id": alert_row(lab.ctx, kind="low_stock").id, "s": _snooze_ok}),
    }
    lab.harness.slack.block_action(
        "UMANAGER", ActionId.ALERT_MESSAGE_SNOOZE, message=alert_message, selected_option=option
    )
    stand_in.wait_for("chat.update")
    snoozed = alerts.get_alert(
        lab.ctx, actor=lab.actors["manager"], alert_id=alert_row(lab.ctx, kind="low_stock").id
    )
    assert snoozed.snoozed_until is not None
