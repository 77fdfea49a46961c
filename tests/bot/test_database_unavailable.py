"""Slack, when the database cannot be written: a polite ephemeral, never a crash."""

from __future__ import annotations

import logging

from domain import parts
from domain.permissions import SYSTEM
from tests.bot.steps import everything_said, lab_state
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
