"""Archiving and deleting instruments, archiving parts: the asking and the answers."""

from __future__ import annotations

from bot.blocks import labels as lb
from bot.blocks.elements import Message, actions, message, section
from bot.blocks.instruments import delete_instrument_button
from bot.ids import BlockId
from domain.results import InstrumentView, PartView


def render_confirm_instrument_delete(instrument: InstrumentView) -> Message:
    """``instrument delete``: the instrument, and a Delete button that asks once more."""
    line = f":warning: Delete the instrument *{lb.text(instrument.name)}*?"
    blocks = [
        section(line),
        section(f"{lb.instrument_ref(instrument)}\n{lb.status_label(instrument.status)}"),
        actions([delete_instrument_button(instrument)], block_id=BlockId.INSTRUMENT_ACTIONS),
    ]
    return message(line, blocks)


def render_instrument_archived(instrument: InstrumentView) -> Message:
    line = (
        f":file_cabinet: Archived the instrument {lb.instrument_ref(instrument)}: it keeps its "
        "history but is no longer listed or offered to pick."
    )
    return message(line, [section(line)])


def render_instrument_deleted(instrument: InstrumentView) -> Message:
    line = f":wastebasket: Deleted the instrument *{lb.text(instrument.name)}*."
    return message(line, [section(line)])


def render_part_archived(part: PartView) -> Message:
    line = (
        f":file_cabinet: Archived the part {lb.part_ref(part)}: it keeps its stock history but "
        "is no longer listed, searched or offered to pick."
    )
    return message(line, [section(line)])
