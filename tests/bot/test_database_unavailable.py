"""Slack, when the database cannot be written: a polite ephemeral, never a crash."""

from __future__ import annotations

import logging

from domain import alerts, parts
from domain.permissions import SYSTEM
from tests.bot.steps import click, everything_said, lab_state, replies_to
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
