"""The reply to a stock move: what was done, what is left, and any alert it opened or closed."""

from __future__ import annotations

from typing import Literal

from bot.blocks import labels as lb
from bot.blocks.elements import Message, button, context, message, section
from bot.ids import ActionId
from domain.results import PartView, StockChange

StockKind = Literal["use", "restock", "count"]


def _left(part: PartView, word: str) -> str:
    """``3 left (minimum 5) :warning: low``."""
    text = f"{part.quantity_in_stock} {word}"
    if part.minimum_stock_level:
        text += f" (minimum {part.minimum_stock_level})"
    badge = lb.stock_badge(part)
    return f"{text} {badge}" if badge else text


def _kind(change: StockChange) -> StockKind:
    if change.counted:
        return "count"
    return "use" if change.movement.delta < 0 else "restock"


def counted_change(before: int, delta: int) -> str:
    """``was 12, -7`` (with a minus sign), ``was 2, +3`` or ``no change``: what a count found."""
    if delta == 0:
        return "no change"
    sign = "+" if delta > 0 else "\u2212"  # a minus sign, as people write it
    return f"was {before}, {sign}{abs(delta)}"


def _sentence(change: StockChange, kind: StockKind) -> str:
    part, move = change.part, change.movement
    unit = part.unit_of_measure
    if kind == "use":
        taken = f"Took {lb.amount(-move.delta, unit)} of {lb.part_ref(part)}"
        if move.instrument_name:
            taken += f" for *{lb.text(move.instrument_name)}*"
        return f"{taken} — {_left(part, 'left')}"
    if kind == "restock":
        added = f"Restocked {lb.amount(move.delta, unit)} of {lb.part_ref(part)}"
        return f"{added} — {_left(part, 'in stock')}"
    found = counted_change(move.quantity_after - move.delta, move.delta)
    counted = f"Counted {lb.part_ref(part)}: {lb.amount(part.quantity_in_stock, unit)} ({found})"
    if part.minimum_stock_level:
        counted += f" · minimum {part.minimum_stock_level}"
    badge = lb.stock_badge(part)
    return f"{counted} {badge}" if badge else counted


def render_stock_change(change: StockChange, kind: StockKind | None = None) -> Message:
    """``Took 2 pcs of FIL-1002 Rhenium filament for MAT253 — 3 left (minimum 5) :warning: low``,
    or for a count ``Counted FIL-1002 Rhenium filament: 5 pcs (was 12, -7)``.

    Without a ``kind``, a count reads as one (the change says it was counted); any other
    move by its sign.
    """
    text = _sentence(change, kind or _kind(change))
    blocks = [
        section(
            text,
            accessory=button("View part", ActionId.PART_VIEW, value={"id": change.part.id}),
        )
    ]
    notes = []
    if change.alert_opened:
        notes.append(":rotating_light: A low-stock alert is now open for this part.")
    if change.alert_resolved:
        notes.append(":white_check_mark: Its low-stock alert is resolved.")
    if change.movement.reason:
        notes.append(f"Reason: _{lb.text(change.movement.reason, lb.NOTE_BUDGET)}_")
    if notes:
        blocks.append(context(*notes))
    return message(text, blocks)
