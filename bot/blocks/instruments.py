"""Instruments: the paged list, the instrument card, link and status replies, picker options."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import (
    Block,
    Message,
    actions,
    button,
    confirm,
    context,
    header,
    message,
    option,
    page_footer,
    section,
    sections_of_lines,
    within,
)
from bot.blocks.instrument_history import latest_changes
from bot.blocks.text import MESSAGE_MAX_BLOCKS, SELECT_OPTIONS_MAX
from bot.ids import ActionId, BlockId
from domain.results import InstrumentNeeds, InstrumentView, Page, PartUse, StatusChangeView

NEEDS_MAX_BLOCKS = 30
CRITICAL_MAX_BLOCKS = 5
CHANGES_MAX_BLOCKS = 2


def _due(instrument: InstrumentView, today: date | None) -> list[str]:
    due = []
    if instrument.next_maintenance_due:
        due.append(f"maintenance {lb.day(instrument.next_maintenance_due, today)}")
    if instrument.next_calibration_due:
        due.append(f"calibration {lb.day(instrument.next_calibration_due, today)}")
    return due


def _instrument_item(instrument: InstrumentView, today: date | None) -> list[Block]:
    details = [lb.status_label(instrument.status)]
    if instrument.location:
        details.append(f":round_pushpin: {lb.text(instrument.location)}")
    details += _due(instrument, today)
    return [
        section(
            f"{lb.instrument_ref(instrument)}\n{' · '.join(details)}",
            accessory=button("View", ActionId.INSTRUMENT_VIEW, value={"id": instrument.id}),
        )
    ]


def render_instruments_page(
    page: Page[InstrumentView], *, can_manage: bool = False, today: date | None = None
) -> Message:
    """One section per instrument with status and due dates, then Previous/Next."""
    blocks: list[Block] = [header("Instruments")]
    items, shown = within((_instrument_item(i, today) for i in page.items), MESSAGE_MAX_BLOCKS - 3)
    blocks += items
    blocks += page_footer(
        page,
        shown,
        next_id=ActionId.INSTRUMENTS_NEXT,
        previous_id=ActionId.INSTRUMENTS_PREVIOUS,
        state={},
        empty=section("No instruments yet."),
        buttons=[button("Add instrument", ActionId.INSTRUMENT_ADD)] if can_manage else (),
    )
    return message(f"{shown} instruments", blocks)


def _need_line(use: PartUse) -> str:
    mark = ":rotating_light: " if use.is_critical and use.is_short else ""
    mark = mark or (":warning: " if use.is_short else "")
    line = f"• {mark}{lb.part_ref(use.part)} · needs {use.quantity_required}"
    line += f" · {lb.stock_line(use.part)}"
    return line + (" · critical" if use.is_critical else "")


def _instrument_facts(instrument: InstrumentView, today: date | None) -> list[str]:
    facts = [
        f"*Status*\n{lb.status_label(instrument.status)}",
        f"*Model*\n{lb.text(instrument.model) or '-'}",
        f"*Location*\n{lb.text(instrument.location) or '-'}",
    ]
    if instrument.manufacturer:
        facts.append(f"*Manufacturer*\n{lb.text(instrument.manufacturer, 100)}")
    if instrument.serial_number:
        facts.append(f"*Serial number*\n{lb.text(instrument.serial_number, 100)}")
    for label, due, every in (
        ("maintenance", instrument.next_maintenance_due, instrument.maintenance_interval_days),
        ("calibration", instrument.next_calibration_due, instrument.calibration_interval_days),
    ):
        interval = f" (every {every} days)" if every else ""
        facts.append(f"*Next {label}*\n{lb.day(due, today)}{interval}")
    return facts


def instrument_buttons(
    instrument: InstrumentView, *, can_manage: bool, has_parts: bool = True
) -> list[dict[str, Any]]:
    """Parts and History for everyone; Set status, Edit, Archive and Delete for managers
    (the domain checks each again when it is pressed)."""
    value, name = {"id": instrument.id}, lb.text(instrument.name)
    shown = [button("Parts", ActionId.INSTRUMENT_PARTS, value=value)] if has_parts else []
    shown.append(button("History", ActionId.INSTRUMENT_HISTORY, value=value))
    if not can_manage:
        return shown
    shown += [
        button("Set status", ActionId.INSTRUMENT_STATUS, value=value),
        button("Edit", ActionId.INSTRUMENT_EDIT, value=value),
    ]
    if instrument.is_active:
        archive = confirm(
            "Archive this instrument?",
            f"{name} is kept with its history, but no longer listed or offered to pick.",
            ok="Archive",
        )
        shown.append(button("Archive", ActionId.INSTRUMENT_ARCHIVE, value=value, confirm=archive))
    shown.append(delete_instrument_button(instrument))
    return shown


def delete_instrument_button(instrument: InstrumentView) -> dict[str, Any]:
    dialog = confirm(
        "Delete this instrument?",
        f"{lb.text(instrument.name)} is deleted for good, with its part links, status "
        "history, alerts and alert route; stock moves made for it are kept.",
        ok="Delete",
        style="danger",
    )
    return button(
        "Delete",
        ActionId.INSTRUMENT_DELETE,
        value={"id": instrument.id},
        style="danger",
        confirm=dialog,
    )


def render_instrument_card(
    needs: InstrumentNeeds,
    *,
    changes: Sequence[StatusChangeView] = (),
    can_manage: bool = False,
    today: date | None = None,
) -> Message:
    """Status, location, due dates, the latest status changes, the parts it needs with
    stock (critical low parts first), and its buttons."""
    instrument = needs.instrument
    blocks: list[Block] = [
        header(instrument.name),
        section(fields=_instrument_facts(instrument, today)),
    ]
    if not instrument.is_active:
        blocks.append(context(":no_entry_sign: This instrument is archived."))
    if instrument.description:
        blocks.append(section(lb.paragraph(instrument.description, 2000)))
    blocks += latest_changes(changes, CHANGES_MAX_BLOCKS)
    short = needs.critical_short
    if short:
        lines = [":rotating_light: *Critical parts running low*"]
        lines += [f"• {lb.part_ref(u.part)} · {lb.stock_line(u.part)}" for u in short]
        critical, shown = sections_of_lines(lines, CRITICAL_MAX_BLOCKS)
        blocks += critical
        if shown < len(lines):
            blocks.append(context(f"and {len(lines) - shown} more critical parts low"))
    if needs.parts:
        lines = ["*Parts it needs*", *(_need_line(u) for u in needs.parts)]
        room = min(NEEDS_MAX_BLOCKS, MESSAGE_MAX_BLOCKS - len(blocks) - 2)
        parts, shown = sections_of_lines(lines, room)
        blocks += parts
        if shown < len(lines):
            blocks.append(context(f"and {len(lines) - shown} more parts"))
    else:
        blocks.append(section("*Parts it needs*\nNo parts are linked to this instrument."))
    buttons = instrument_buttons(instrument, can_manage=can_manage, has_parts=bool(needs.parts))
    blocks.append(actions(buttons, block_id=BlockId.INSTRUMENT_ACTIONS))
    fallback = f"{lb.text(instrument.name)}: {lb.status_label(instrument.status)}"
    if short:
        fallback += f", {len(short)} critical parts low"
    return message(fallback, blocks)


def _needed_part_item(use: PartUse) -> list[Block]:
    needs = f"needs {use.quantity_required}{' · critical' if use.is_critical else ''}"
    return [
        section(
            f"{lb.part_ref(use.part)} · {needs}\n{lb.stock_line(use.part)}",
            accessory=button("View", ActionId.PART_VIEW, value={"id": use.part.id}),
        )
    ]


def render_instrument_parts(needs: InstrumentNeeds) -> Message:
    """The parts an instrument needs, critical first, each with a View button (its card
    has Use and Restock)."""
    instrument = needs.instrument
    blocks: list[Block] = [header(f"Parts for {instrument.name}")]
    items, shown = within(
        (_needed_part_item(u) for u in needs.parts), MESSAGE_MAX_BLOCKS - len(blocks) - 1
    )
    blocks += items
    if not needs.parts:
        blocks.append(section("No parts are linked to this instrument."))
    elif shown < len(needs.parts):
        blocks.append(context(f"and {len(needs.parts) - shown} more parts"))
    return message(f"{shown} parts for {lb.text(instrument.name)}", blocks)


def render_link_changed(use: PartUse, *, linked: bool = True) -> Message:
    """The reply to ``instrument link`` (or, with ``linked=False``, ``instrument unlink``)."""
    instrument = f"*{lb.text(use.instrument_name)}*"
    if not linked:
        text = f":link: Unlinked {lb.part_ref(use.part)} from {instrument}."
        return message(text, [section(text)])
    text = (
        f":link: Linked {lb.part_ref(use.part)} to {instrument}: "
        f"needs {use.quantity_required}{' · critical' if use.is_critical else ''}"
        f" · {lb.stock_line(use.part)}"
    )
    return message(text, [section(text)])


def render_instrument_status_changed(
    instrument: InstrumentView, note: str | None = None
) -> Message:
    """The reply to ``instrument status``."""
    text = f"*{lb.text(instrument.name)}* is now {lb.status_label(instrument.status)}"
    if note:
        text += f": _{lb.text(note, lb.MESSAGE_BUDGET)}_"
    return message(text, [section(text)])


def options_for_instruments(instruments: Iterable[InstrumentView]) -> list[dict[str, Any]]:
    """Options for the instrument picker: ``MAT253`` / ``Thermo MAT 253 · operational``."""
    options = []
    for instrument in instruments:
        status = instrument.status.replace("_", " ")
        about = f"{instrument.model} · {status}" if instrument.model else status
        options.append(option(instrument.name, str(instrument.id), about))
        if len(options) == SELECT_OPTIONS_MAX:
            break
    return options
