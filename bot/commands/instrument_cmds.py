"""Instrument commands: instruments, instrument <name>|add|edit|status|link|unlink."""

from __future__ import annotations

import re

from bot import blocks
from bot.blocks.archiving import render_confirm_instrument_delete, render_instrument_archived
from bot.blocks.instrument_history import render_status_history
from bot.commands import lookup
from bot.commands.base import CommandRequest, Message
from bot.commands.parse import is_number, quantity
from domain import instrument_listings, instruments, parts
from domain.errors import InvalidInput
from domain.permissions import Action, can, require
from domain.results import InstrumentView
from domain.vocabulary import InstrumentStatus

USAGE = (
    "/farlab instrument <name> | instrument add | instrument edit <name> | "
    "instrument status <name> operational|maintenance|out of service [note] | "
    "instrument link <name> <part> [qty] [critical] | instrument unlink <name> <part> | "
    "instrument history <name> | instrument archive <name> | instrument delete <name>"
)


def handle_instruments_command(req: CommandRequest, _args: list[str]) -> Message:
    page = instruments.list_instruments(req.ctx, actor=req.actor, limit=20)
    return blocks.render_instruments_page(page, can_manage=_can_manage(req))


def handle_instrument_command(req: CommandRequest, args: list[str]) -> Message | None:
    if not args:
        raise InvalidInput(f"Usage: {USAGE}")
    verb, rest = args[0].lower(), args[1:]
    if verb == "add" and not rest:
        require(req.actor, Action.MANAGE_INSTRUMENTS)
        req.open_modal(blocks.instrument_form_modal(channel_id=req.channel_id))
        return None
    if verb == "edit" and rest:
        require(req.actor, Action.MANAGE_INSTRUMENTS)
        found = lookup.instrument(req, " ".join(rest), rerun=("instrument", "edit"))
        req.open_modal(blocks.instrument_form_modal(found, channel_id=req.channel_id))
        return None
    if verb == "status" and rest:
        return _status(req, rest)
    if verb == "link" and rest:
        return _link(req, rest)
    if verb == "unlink" and rest:
        return _unlink(req, rest)
    if verb in _BY_NAME and rest:
        found = lookup.instrument(req, " ".join(rest), rerun=("instrument", verb))
        return _BY_NAME[verb](req, found)
    found = lookup.instrument(req, " ".join(args), rerun=("instrument",))
    card = instrument_listings.instrument_card(req.ctx, actor=req.actor, instrument_id=found.id)
    return blocks.render_instrument_card(
        card.needs, changes=card.recent_changes, can_manage=_can_manage(req)
    )


def _history(req: CommandRequest, found: InstrumentView) -> Message:
    changes = instruments.status_history(
        req.ctx, actor=req.actor, instrument_id=found.id, limit=instruments.HISTORY_MAX
    )
    return render_status_history(found, changes)


def _archive(req: CommandRequest, found: InstrumentView) -> Message:
    archived = instruments.deactivate_instrument(req.ctx, actor=req.actor, instrument_id=found.id)
    return render_instrument_archived(archived)


def _ask_to_delete(req: CommandRequest, found: InstrumentView) -> Message:
    require(req.actor, Action.MANAGE_INSTRUMENTS)  # refuse now, not at the button
    return render_confirm_instrument_delete(found)


# instrument <verb> <name>: the verbs that act on one instrument named by the rest
_BY_NAME = {"history": _history, "archive": _archive, "delete": _ask_to_delete}


def _can_manage(req: CommandRequest) -> bool:
    return can(req.actor, Action.MANAGE_INSTRUMENTS)


def _status(req: CommandRequest, args: list[str]) -> Message:
    found_status = status_in(args)
    if found_status is None or found_status[0] == 0:
        raise InvalidInput.field(
            "status",
            "Give the instrument, then a status: operational, maintenance or out of service.",
        )
    at, end, status = found_status
    found = lookup.instrument(
        req, " ".join(args[:at]), rerun=("instrument", "status"), rest=tuple(args[at:])
    )
    updated = instruments.set_instrument_status(
        req.ctx,
        actor=req.actor,
        instrument_id=found.id,
        status=status,
        note=" ".join(args[end:]) or None,
    )
    return blocks.render_instrument_status_changed(updated)


def status_in(args: list[str]) -> tuple[int, int, InstrumentStatus] | None:
    """Where the first status is said in ``args`` (start, end, which), in plain words and
    any case: ``out of service``, ``Out-Of-Service``, ``out_of_service``, ``maintenance``."""
    spelled = {tuple(s.value.split("_")): s for s in InstrumentStatus}
    longest = max(len(words) for words in spelled)
    for start in range(len(args)):
        said: list[str] = []
        for end in range(start + 1, min(start + longest, len(args)) + 1):
            said += [w for w in re.split(r"[\s_-]+", args[end - 1].lower()) if w]
            if tuple(said) in spelled:
                return start, end, spelled[tuple(said)]
    return None


def _link(req: CommandRequest, args: list[str]) -> Message:
    found, rest = lookup.instrument_prefix(req, args, rerun=("instrument", "link"))
    critical = bool(rest) and rest[-1].lower() == "critical"
    if critical:
        rest = rest[:-1]
    qty = 1
    if len(rest) >= 2 and is_number(rest[-1]):
        qty = quantity(rest[-1])
        rest = rest[:-1]
    if not rest:
        raise InvalidInput(f"Name the part to link. Usage: {USAGE}")
    part = lookup.part(req, " ".join(rest), rerun=("instrument", "link", f"#{found.id}"))
    use = parts.link_part(
        req.ctx,
        actor=req.actor,
        instrument_id=found.id,
        part_id=part.id,
        quantity_required=qty,
        is_critical=critical,
    )
    return blocks.render_link_changed(use, linked=True)


def _unlink(req: CommandRequest, args: list[str]) -> Message:
    found, rest = lookup.instrument_prefix(req, args, rerun=("instrument", "unlink"))
    if not rest:
        raise InvalidInput(f"Name the part to unlink. Usage: {USAGE}")
    part = lookup.part(req, " ".join(rest), rerun=("instrument", "unlink", f"#{found.id}"))
    parts.unlink_part(req.ctx, actor=req.actor, instrument_id=found.id, part_id=part.id)
    return blocks.render_notice(f"Unlinked {part.part_number} from {found.name}.")
