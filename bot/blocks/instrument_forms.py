"""Instrument modals: add or edit an instrument, and set its status."""

from __future__ import annotations

from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import Block, context, section
from bot.blocks.inputs import date_input, modal, number_input, select_input, text_input
from bot.blocks.text import TEXT_INPUT_MAX_LENGTH
from bot.ids import BlockId, CallbackId
from domain.results import InstrumentView

NAME_MAX = 100
MODEL_MAX = 100
MANUFACTURER_MAX = 100
SERIAL_MAX = 100
LOCATION_MAX = 200
NOTE_MAX = 1000
INTERVAL_MAX_DAYS = 3650

STATUSES = (
    ("operational", "Operational"),
    ("maintenance", "Maintenance"),
    ("out_of_service", "Out of service"),
)


def _description(instrument: InstrumentView | None) -> Block:
    current = instrument.description if instrument else None
    if current and len(current) > TEXT_INPUT_MAX_LENGTH:
        return context("The description is too long to edit here; it is left as it is.")
    return text_input(
        BlockId.DESCRIPTION, "Description", initial=current, multiline=True, optional=True
    )


def _optional_text(block_id: BlockId, label: str, value: str | None, max_length: int) -> Block:
    return text_input(block_id, label, initial=value, max_length=max_length, optional=True)


def instrument_form_modal(
    instrument: InstrumentView | None = None, *, channel_id: str | None = None
) -> dict[str, Any]:
    """Add an instrument (``instrument`` is ``None``) or edit one; its id is in private_metadata.

    The status is chosen when adding; afterwards it changes through the status modal, which
    records who changed it and why.
    """
    i = instrument
    blocks: list[Block] = [
        text_input(BlockId.NAME, "Name", initial=i.name if i else None, max_length=NAME_MAX),
        text_input(BlockId.MODEL, "Model", initial=i.model if i else None, max_length=MODEL_MAX),
        _optional_text(
            BlockId.MANUFACTURER, "Manufacturer", i.manufacturer if i else None, MANUFACTURER_MAX
        ),
        _optional_text(
            BlockId.SERIAL_NUMBER, "Serial number", i.serial_number if i else None, SERIAL_MAX
        ),
        _optional_text(BlockId.LOCATION, "Location", i.location if i else None, LOCATION_MAX),
        _description(i),
        date_input(
            BlockId.MAINTENANCE_DUE,
            "Next maintenance",
            initial=i.next_maintenance_due if i else None,
        ),
        number_input(
            BlockId.MAINTENANCE_INTERVAL,
            "Maintenance every (days)",
            initial=i.maintenance_interval_days if i else None,
            min_value=1,
            max_value=INTERVAL_MAX_DAYS,
            optional=True,
        ),
        date_input(
            BlockId.CALIBRATION_DUE,
            "Next calibration",
            initial=i.next_calibration_due if i else None,
        ),
        number_input(
            BlockId.CALIBRATION_INTERVAL,
            "Calibration every (days)",
            initial=i.calibration_interval_days if i else None,
            min_value=1,
            max_value=INTERVAL_MAX_DAYS,
            optional=True,
        ),
    ]
    if i is None:
        blocks.insert(
            2, select_input(BlockId.STATUS, "Status", choices=STATUSES, initial="operational")
        )
        return modal(
            "Add instrument",
            CallbackId.INSTRUMENT_ADD,
            blocks,
            submit="Add",
            metadata={"channel": channel_id},
        )
    return modal(
        "Edit instrument",
        CallbackId.INSTRUMENT_EDIT,
        blocks,
        submit="Save",
        metadata={"id": i.id, "channel": channel_id},
    )


def instrument_status_modal(
    instrument: InstrumentView, *, channel_id: str | None = None
) -> dict[str, Any]:
    """Set an instrument's status, with an optional note for its status history."""
    blocks: list[Block] = [
        section(f"{lb.instrument_ref(instrument)}\nNow {lb.status_label(instrument.status)}"),
        select_input(BlockId.STATUS, "New status", choices=STATUSES, initial=instrument.status),
        text_input(BlockId.NOTE, "Note", max_length=NOTE_MAX, multiline=True, optional=True),
    ]
    return modal(
        "Set status",
        CallbackId.INSTRUMENT_STATUS,
        blocks,
        submit="Set status",
        metadata={"id": instrument.id, "channel": channel_id},
    )
