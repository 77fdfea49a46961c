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
    return "use" if change.movement.delta < 0 else "restock" if change.movement.delta else "count"


def _sentence(change: StockChange, kind: StockKind) -> str:
    part, move = change.part, change.movement
    unit = lb.text(part.unit_of_measure, 20)
    if kind == "use":
        taken = f"Took {-move.delta} {unit} of {lb.part_ref(part)}"
        if move.instrument_name:
            taken += f" for *{lb.text(move.instrument_name)}*"
        return f"{taken} — {_left(part, 'left')}"
    if kind == "restock":
        added = f"Restocked {move.delta} {unit} of {lb.part_ref(part)}"
        return f"{added} — {_left(part, 'in stock')}"
    before = move.quantity_after - move.delta
    counted = f"Counted {lb.part_ref(part)}: {_left(part, unit)}"
    return f"{counted} — was {before}, {lb.signed(move.delta)}"


def render_stock_change(change: StockChange, kind: StockKind | None = None) -> Message:
    """``Took 2 pcs of FIL-1002 Rhenium filament for MAT253 — 3 left (minimum 5) :warning: low``.

    Pass ``kind="count"`` for a count: without a kind, the move's sign decides (a count that
    lowered the stock would read as a use).
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
