"""Part modals: add or edit a part, confirm a delete, find a part."""

from __future__ import annotations

from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import Block, context, section
from bot.blocks.inputs import (
    checkbox_input,
    modal,
    number_input,
    picker_input,
    text_input,
)
from bot.blocks.text import TEXT_INPUT_MAX_LENGTH
from bot.ids import ActionId, BlockId, CallbackId
from domain.results import PartView

# The longest value the domain accepts for each text field.
PART_NUMBER_MAX = 100
NAME_MAX = 200
CATEGORY_MAX = 100
MANUFACTURER_MAX = 100
UNIT_MAX = 20
LOCATION_MAX = 200


def _description(part: PartView | None) -> list[Block]:
    """The description input, unless the stored one is longer than a Slack input holds."""
    current = part.description if part else None
    if current and len(current) > TEXT_INPUT_MAX_LENGTH:
        return [context("The description is too long to edit here; it is left as it is.")]
    return [
        text_input(
            BlockId.DESCRIPTION, "Description", initial=current, multiline=True, optional=True
        )
    ]


def part_form_modal(
    part: PartView | None = None, *, channel_id: str | None = None
) -> dict[str, Any]:
    """Add a part (``part`` is ``None``) or edit one; its id is in private_metadata."""
    blocks: list[Block] = [
        text_input(
            BlockId.PART_NUMBER,
            "Part number",
            initial=part.part_number if part else None,
            max_length=PART_NUMBER_MAX,
            placeholder="FIL-1002",
        ),
        text_input(BlockId.NAME, "Name", initial=part.name if part else None, max_length=NAME_MAX),
        *_description(part),
        text_input(
            BlockId.CATEGORY,
            "Category",
            initial=part.category if part else None,
            max_length=CATEGORY_MAX,
            optional=True,
        ),
        text_input(
            BlockId.MANUFACTURER,
            "Manufacturer",
            initial=part.manufacturer if part else None,
            max_length=MANUFACTURER_MAX,
            optional=True,
        ),
        text_input(
            BlockId.UNIT,
            "Unit",
            initial=part.unit_of_measure if part else "pcs",
            max_length=UNIT_MAX,
            hint="How the part is counted: pcs, m, g, box…",
        ),
        text_input(
            BlockId.LOCATION,
            "Location",
            initial=part.location if part else None,
            max_length=LOCATION_MAX,
            optional=True,
        ),
        number_input(
            BlockId.MINIMUM,
            "Minimum stock",
            initial=part.minimum_stock_level if part else 0,
            min_value=0,
            hint="A low-stock alert opens when stock falls to this level (0: never).",
        ),
    ]
    if part is None:
        blocks.append(number_input(BlockId.INITIAL_STOCK, "Stock now", initial=0, min_value=0))
    blocks.append(
        checkbox_input(
            BlockId.CRITICAL,
            "Critical",
            text="Critical part",
            value="critical",
            checked=bool(part and part.is_critical),
        )
    )
    if part is None:
        blocks.append(
            picker_input(
                BlockId.INSTRUMENTS,
                "Used by",
                action_id=ActionId.INSTRUMENT_PICKER,
                placeholder="Type 2 letters of an instrument",
                optional=True,
                multi=True,
            )
        )
        return modal(
            "Add part",
            CallbackId.PART_ADD,
            blocks,
            submit="Add",
            metadata={"channel": channel_id},
        )
    return modal(
        "Edit part",
        CallbackId.PART_EDIT,
        blocks,
        submit="Save",
        metadata={"id": part.id, "channel": channel_id},
    )


def confirm_delete_modal(part: PartView, *, channel_id: str | None = None) -> dict[str, Any]:
    """Ask before deleting a part, with what goes with it."""
    text = (
        f":warning: Delete {lb.part_ref(part)}?\n"
        f"{lb.stock_line(part)}. Its stock history, instrument links and alerts are deleted "
        "with it. This cannot be undone."
    )
    return modal(
        "Delete part",
        CallbackId.PART_DELETE,
        [section(text)],
        submit="Delete",
        metadata={"id": part.id, "channel": channel_id},
    )


def find_part_modal(*, channel_id: str | None = None) -> dict[str, Any]:
    """Pick a part by typing part of its number or name; the card is shown on submit."""
    picker = picker_input(
        BlockId.PART, "Part", action_id=ActionId.PART_PICKER, placeholder="Type 2 letters or more"
    )
    return modal(
        "Find a part",
        CallbackId.PART_FIND,
        [picker],
        submit="Show",
        metadata={"channel": channel_id},
    )
