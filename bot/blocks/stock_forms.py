"""Stock modals: Use, Restock and Count, opened from a part's buttons or from App Home."""

from __future__ import annotations

from typing import Any, Literal

from bot.blocks import labels as lb
from bot.blocks.elements import Block, section
from bot.blocks.inputs import modal, number_input, picker_input, text_input
from bot.ids import ActionId, BlockId, CallbackId
from domain.results import PartView

REASON_MAX = 500

StockKind = Literal["use", "restock", "count"]

# kind -> (title, submit, callback id, quantity label)
_FORMS: dict[str, tuple[str, str, CallbackId, str]] = {
    "use": ("Use a part", "Take", CallbackId.STOCK_USE, "How many to take"),
    "restock": ("Restock a part", "Restock", CallbackId.STOCK_RESTOCK, "How many to add"),
    "count": ("Count stock", "Save count", CallbackId.STOCK_COUNT, "How many are there now"),
}


def stock_modal(
    kind: StockKind, part: PartView | None = None, *, channel_id: str | None = None
) -> dict[str, Any]:
    """The Use/Restock/Count form for ``part``, or with a part picker when ``part`` is None."""
    title, submit, callback_id, quantity_label = _FORMS[kind]
    blocks: list[Block] = []
    if part is None:
        blocks.append(
            picker_input(
                BlockId.PART,
                "Part",
                action_id=ActionId.PART_PICKER,
                placeholder="Type 2 letters of its number or name",
            )
        )
    else:
        where = f" · :round_pushpin: {lb.text(part.location)}" if part.location else ""
        blocks.append(section(f"{lb.part_ref(part)}\n{lb.stock_line(part)}{where}"))
    blocks.append(
        number_input(
            BlockId.QUANTITY,
            quantity_label,
            initial=part.quantity_in_stock if kind == "count" and part else None,
            min_value=0 if kind == "count" else 1,
        )
    )
    if kind == "use":
        blocks.append(
            picker_input(
                BlockId.INSTRUMENT,
                "For instrument",
                action_id=ActionId.INSTRUMENT_PICKER,
                placeholder="Type 2 letters of its name",
                optional=True,
            )
        )
    blocks.append(
        text_input(
            BlockId.REASON,
            "Reason",
            max_length=REASON_MAX,
            optional=True,
            placeholder="filament change" if kind == "use" else None,
        )
    )
    metadata = {"id": part.id if part else None, "channel": channel_id}
    return modal(title, callback_id, blocks, submit=submit, metadata=metadata)
