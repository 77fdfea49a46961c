"""Slack, when the database cannot be written: a polite ephemeral, never a crash."""

from __future__ import annotations

import logging

import pytest

from domain import alerts, parts
from domain.permissions import SYSTEM
from tests.bot.steps import (
    click,
    everything_said,
    lab_state,
    modal_from_click,
    next_reply,
    replies_to,
    shown_card,
    submit,
)
from tests.database_faults import unwritable

CANNOT_SAVE = "FarLab cannot save changes right now"


def test_a_command_that_changes_stock_says_farlab_cannot_save_changes(lab, caplog):
    parts.create_part(
        lab.ctx, actor=SYSTEM, part_number="FIL-1", name="Filament", quantity_in_stock=5
    )
    before = lab_state(lab) if lab.ctx.db.dialect != "sqlite" else None
    with unwritable(lab.ctx.db):
        answer = lab.command("member", "use FIL-1 2")
    assert answer["response_type"] == "ephemeral"
    assert CANNOT_SAVE in everything_said(answer)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    if before is not None:  # PostgreSQL takes writes again: nothing was changed
        assert lab_state(lab) == before


def test_a_button_pressed_while_the_database_cannot_be_written_is_answered_politely(lab, caplog):
    part = parts.create_part(
        lab.ctx, actor=SYSTEM, part_number="FIL-2", name="Filament", quantity_in_stock=5
    )
    alert = alerts.raise_alert(lab.ctx, actor=SYSTEM, message="low", part_id=part.id)
    stand_in = lab.harness.stand_in
    before = lab_state(lab) if lab.ctx.db.dialect != "sqlite" else None
    told = len(replies_to(stand_in, "manager")) + len(stand_in.calls("response_url"))
    with unwritable(lab.ctx.db):
        click(lab, "manager", "alert.acknowledge", value={"id": alert.id})
        stand_in.wait_until(
            lambda: (
                len(replies_to(stand_in, "manager")) + len(stand_in.calls("response_url")) > told
            )
        )
    said = [everything_said(m) for m in replies_to(stand_in, "manager")]
    said += [everything_said(call.body) for call in stand_in.calls("response_url")]
    assert any(CANNOT_SAVE in text for text in said), said
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    if before is not None:  # PostgreSQL takes writes again: nothing was changed
        assert lab_state(lab) == before


def test_a_form_and_a_click_say_farlab_cannot_save_changes_and_log_no_error(lab, caplog):
    """The replay guard's claim is the first write of every such request: when it cannot be
    written, the request is answered as one that failed so (it ended in a plain-text 500
    with a traceback), and nothing runs."""
    part = parts.create_part(
        lab.ctx, actor=SYSTEM, part_number="FIL-1", name="Filament", quantity_in_stock=5
    )
    card = shown_card(lab, "member", f"part {part.part_number}")
    form = modal_from_click(lab, "member", "part.use", card)
    before = lab_state(lab) if lab.ctx.db.dialect != "sqlite" else None
    seen = len(replies_to(lab.harness.stand_in, "member"))
    opened = len(lab.harness.stand_in.calls("views.open"))
    with unwritable(lab.ctx.db):
        ack = submit(lab, "member", form, {"How many to take": "2"})
        click(lab, "member", "part.use", card)
        said = everything_said(next_reply(lab, "member", seen))
    assert ack["response_action"] == "errors", ack
    assert CANNOT_SAVE in " ".join(ack["errors"].values())
    assert CANNOT_SAVE in said
    assert len(lab.harness.stand_in.calls("views.open")) == opened  # the click ran nothing
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    if before is not None:
        assert lab_state(lab) == before


@pytest.mark.postgres_only  # SQLite's fault deletes the database: nothing to send it to again
def test_a_command_refused_while_the_database_was_down_runs_when_sent_again(lab):
    """Nothing was claimed while the database was down, so Slack's retry (or the person's)
    is handled once it is back."""
    part = parts.create_part(
        lab.ctx, actor=SYSTEM, part_number="FIL-3", name="Filament", quantity_in_stock=5
    )
    slack = lab.harness.slack
    with unwritable(lab.ctx.db):
        refused = slack.command("UMEMBER", "use FIL-3 2")
    assert CANNOT_SAVE in refused.text
    again = slack.resend(refused.request)
    assert again.status_code == 200, again.text
    assert "Took 2" in again.text, again.text
    assert parts.get_part(lab.ctx, actor=SYSTEM, part_id=part.id).quantity_in_stock == 3
