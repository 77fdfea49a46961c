"""Slack, when the database cannot be written: a polite ephemeral, never a crash."""

from __future__ import annotations

import logging

from domain import parts
from domain.permissions import SYSTEM
from tests.bot.steps import everything_said, lab_state, modal_from_click, shown_card
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


def _filament(lab):
    return parts.create_part(
        lab.ctx, actor=SYSTEM, part_number="FIL-1", name="Filament", quantity_in_stock=5
    )


def test_a_form_submitted_while_the_database_is_down_shows_why_in_the_form(lab, caplog):
    """The replay guard's claim is the first write: it must fail as politely as the rest."""
    _filament(lab)
    card = shown_card(lab, "member", "part FIL-1")
    form = modal_from_click(lab, "member", "part.use", card)
    with unwritable(lab.ctx.db):
        answer = lab.harness.slack.submit_modal("UMEMBER", form, {"How many to take": "2"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["response_action"] == "errors"
    assert any(CANNOT_SAVE in text for text in body["errors"].values())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_button_pressed_while_the_database_is_down_is_answered_politely(lab, caplog):
    _filament(lab)
    stand_in = lab.harness.stand_in
    card = shown_card(lab, "member", "part FIL-1")
    answered = len(stand_in.calls("response_url"))
    with unwritable(lab.ctx.db):
        pressed = lab.harness.slack.block_action("UMEMBER", "part.use", message=card)
        assert pressed.status_code == 200, pressed.text
        [reply] = stand_in.wait_for("response_url", answered + 1)[answered:]
    assert CANNOT_SAVE in everything_said(reply.body)
    assert not stand_in.calls("views.open")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_command_refused_while_the_database_was_down_runs_when_sent_again(lab):
    """Nothing was claimed while the database was down, so Slack's retry (or the person's)
    is handled once it is back. PostgreSQL only: SQLite's fault deletes the database."""
    part = _filament(lab)
    if lab.ctx.db.dialect == "sqlite":
        return
    slack = lab.harness.slack
    with unwritable(lab.ctx.db):
        refused = slack.command("UMEMBER", "use FIL-1 2")
    assert CANNOT_SAVE in refused.text
    again = slack.resend(refused.request)
    assert again.status_code == 200 and "Took 2" in again.text, again.text
    assert parts.get_part(lab.ctx, actor=SYSTEM, part_id=part.id).quantity_in_stock == 3
