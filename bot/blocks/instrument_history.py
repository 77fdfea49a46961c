"""An instrument's status history: the latest changes on its card, and the whole list."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks import labels as lb
from bot.blocks.elements import Block, Message, context, header, message, section, sections_of_lines
from bot.blocks.text import MESSAGE_MAX_BLOCKS
from domain.results import InstrumentView, StatusChangeView


def change_line(change: StatusChangeView) -> str:
    """``• <when> :wrench: maintenance (was operational) · mia · _source cleaning_``."""
    who = lb.text(change.changed_by, 100) if change.changed_by else "FarLab"
    line = (
        f"• {lb.when(change.changed_at)} {lb.status_label(change.new_status)}"
        f" (was {lb.status_word(change.old_status)}) · {who}"
    )
    if change.note:
        line += f" · _{lb.text(change.note, lb.NOTE_BUDGET)}_"
    return line


def latest_changes(changes: Sequence[StatusChangeView], max_blocks: int) -> list[Block]:
    """The card's part: the latest changes, newest first (nothing when there are none)."""
    if not changes:
        return []
    lines = ["*Latest status changes*", *(change_line(c) for c in changes)]
    return sections_of_lines(lines, max_blocks)[0]


def render_status_history(
    instrument: InstrumentView, changes: Sequence[StatusChangeView]
) -> Message:
    """``instrument history``: every status change, newest first, as many as a message holds."""
    blocks: list[Block] = [
        header(f"Status history of {instrument.name}"),
        section(f"{lb.instrument_ref(instrument)}\nNow {lb.status_label(instrument.status)}"),
    ]
    if not changes:
        blocks.append(section("No status changes are recorded for this instrument yet."))
        return message(f"No status changes of {lb.text(instrument.name)} yet.", blocks)
    lines = [change_line(c) for c in changes]
    shown_blocks, shown = sections_of_lines(lines, MESSAGE_MAX_BLOCKS - len(blocks) - 1)
    blocks += shown_blocks
    if shown < len(lines):
        blocks.append(context(f"and {len(lines) - shown} older changes not shown"))
    count = f"{len(changes)} status change{'' if len(changes) == 1 else 's'}"
    return message(f"{count} of {lb.text(instrument.name)}", blocks)
