"""Instruments: records, status (with its history) and the parts each one needs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from domain import maintenance
from domain import validation as v
from domain.context import DomainContext
from domain.errors import Ambiguous, Conflict, InvalidInput, NotFound
from domain.permissions import Action, Actor, require
from domain.results import InstrumentNeeds, InstrumentView, Page, PartUse, StatusChangeView
from domain.vocabulary import InstrumentStatus
from persistence import instruments as instrument_rows
from persistence.db import Session
from persistence.models import Instrument

_TEXT_LIMITS = {
    "name": 100,
    "model": 100,
    "manufacturer": 100,
    "serial_number": 100,
    "location": 200,
    "description": 5000,
}
_REQUIRED = {"name", "model"}
_MULTILINE = {"description"}
_DATES = {"next_maintenance_due", "next_calibration_due"}
_INTERVALS = {"maintenance_interval_days", "calibration_interval_days"}
HISTORY_MAX = 1000


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Every field checked; the errors of all bad fields together."""
    return v.each_field(fields, _clean_field)


def _clean_field(name: str, value: Any) -> Any:
    if name in _TEXT_LIMITS:
        return v.text(
            value,
            field=name,
            max_length=_TEXT_LIMITS[name],
            required=name in _REQUIRED,
            multiline=name in _MULTILINE,
        )
    if name in _DATES:
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            raise InvalidInput.field(name, f"{name.replace('_', ' ')} must be a date.")
        return value
    if name in _INTERVALS:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650
        ):
            raise InvalidInput.field(name, "Interval must be between 1 and 3650 days.")
        return value
    if name == "is_active":
        return bool(value)
    raise InvalidInput.field(name, f"Instruments have no field {name}.")


def _status(value: str) -> InstrumentStatus:
    try:
        return InstrumentStatus(value)
    except ValueError:
        raise InvalidInput.field(
            "status", "Status must be operational, maintenance or out_of_service."
        ) from None


def load(session: Session, instrument_id: int) -> Instrument:
    row = instrument_rows.instrument_by_id(session, instrument_id)
    if row is None:
        raise NotFound("Instrument not found.")
    return row


def create_instrument(ctx: DomainContext, *, actor: Actor, **fields: Any) -> InstrumentView:
    require(actor, Action.MANAGE_INSTRUMENTS)
    status = _status(fields.pop("status", InstrumentStatus.OPERATIONAL))
    cleaned = _clean({"name": None, "model": None, **fields})
    with ctx.transaction() as session:
        if instrument_rows.instrument_name_taken(session, cleaned["name"]):
            raise Conflict(f"An instrument named {cleaned['name']} already exists.", field="name")
        row = instrument_rows.add_instrument(session, status=status, is_active=True, **cleaned)
        return InstrumentView.of(row)


def get_instrument(ctx: DomainContext, *, actor: Actor, instrument_id: int) -> InstrumentView:
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        return InstrumentView.of(load(session, instrument_id))


def find_instrument(ctx: DomainContext, *, actor: Actor, ref: str) -> InstrumentView:
    """An instrument by exact name (any case), else by a unique name prefix."""
    require(actor, Action.VIEW)
    ref = v.lookup(ref, field="instrument")
    if not ref:
        raise InvalidInput.field("instrument", "Name an instrument.")
    with ctx.transaction() as session:
        [matches] = _matches(session, [ref])
    return _named(ref, matches)


# For a name: the instrument with exactly that name, and the active ones it starts.
_Matches = tuple[InstrumentView | None, tuple[InstrumentView, ...]]


def _matches(session: Session, refs: Sequence[str]) -> list[_Matches]:
    return [
        (InstrumentView.of(exact) if exact else None, tuple(map(InstrumentView.of, starting)))
        for exact, starting in instrument_rows.instrument_prefix_matches(session, refs)
    ]


def _named(ref: str, matches: _Matches) -> InstrumentView:
    """The instrument named exactly ``ref``, else the one active instrument whose name
    starts with it."""
    exact, starting = matches
    if exact is not None:
        return exact
    if not starting:
        raise NotFound(f"No instrument named {ref}.")
    if len(starting) > 1:
        raise Ambiguous(
            f"Several instruments match {ref}.", candidates=tuple((r.id, r.name) for r in starting)
        )
    return starting[0]


def find_instrument_by_leading_words(
    ctx: DomainContext, *, actor: Actor, words: Sequence[str], picked_id: int | None = None
) -> tuple[InstrumentView, int]:
    """The instrument named by the longest leading run of ``words`` ("Kiel IV 2 ..."), and
    how many words name it. One transaction; every run is looked up in one query.

    Each run, longest first, names an instrument as ``find_instrument`` does; a run that
    names none or several is passed over, but several for the first word alone is
    ``Ambiguous``. ``picked_id``: the first word alone is that instrument's id (picked from
    a list), not a name.
    """
    require(actor, Action.VIEW)
    if not words:
        raise NotFound("No instrument named .")
    runs = [
        (count, v.lookup(" ".join(words[:count]), field="instrument"))
        for count in range(len(words), 0, -1)
    ]
    named = list(
        dict.fromkeys(
            ref for count, ref in runs if ref and not (count == 1 and picked_id is not None)
        )
    )
    with ctx.transaction() as session:
        found = dict(zip(named, _matches(session, named), strict=True))
        row = None if picked_id is None else instrument_rows.instrument_by_id(session, picked_id)
        picked = InstrumentView.of(row) if row else None
    for count, ref in runs:
        if count == 1 and picked_id is not None:
            if picked is not None:
                return picked, 1
            continue
        if not ref:
            raise InvalidInput.field("instrument", "Name an instrument.")
        try:
            return _named(ref, found[ref]), count
        except NotFound:
            continue
        except Ambiguous:
            if count == 1:
                raise
    raise NotFound(f"No instrument named {words[0]}.")


def list_instruments(
    ctx: DomainContext,
    *,
    actor: Actor,
    active_only: bool = True,
    status: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> Page[InstrumentView]:
    require(actor, Action.VIEW)
    offset, limit = v.paging(offset, limit, max_limit=1000)
    wanted = _status(status) if status is not None else None
    with ctx.transaction() as session:
        rows = instrument_rows.instruments_listed(
            session, active_only=active_only, status=wanted, offset=offset, limit=limit + 1
        )
        items = tuple(InstrumentView.of(r) for r in rows[:limit])
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)


def update_instrument(
    ctx: DomainContext, *, actor: Actor, instrument_id: int, **changes: Any
) -> InstrumentView:
    require(actor, Action.MANAGE_INSTRUMENTS)
    if "status" in changes:
        raise InvalidInput.field("status", "Use set_instrument_status to change the status.")
    cleaned = _clean(changes)
    with ctx.transaction() as session:
        row = load(session, instrument_id)
        if "name" in cleaned and instrument_rows.instrument_name_taken(
            session, cleaned["name"], except_id=row.id
        ):
            raise Conflict(f"An instrument named {cleaned['name']} already exists.", field="name")
        for name, value in cleaned.items():
            setattr(row, name, value)
        session.flush()
        return InstrumentView.of(row)


def set_instrument_status(
    ctx: DomainContext, *, actor: Actor, instrument_id: int, status: str, note: str | None = None
) -> InstrumentView:
    """Change the status and record who changed it, when, and why."""
    require(actor, Action.SET_INSTRUMENT_STATUS)
    status = _status(status)
    note = v.text(note, field="note", max_length=1000, required=False, multiline=True)
    with ctx.transaction() as session:
        row = load(session, instrument_id)
        instrument_rows.record_status_change(
            session,
            instrument_id=row.id,
            old_status=row.status,
            new_status=status,
            note=note,
            changed_by_id=actor.user_id,
            now=ctx.now(),
        )
        old_status, row.status = row.status, status
        maintenance.on_status_change(
            session,
            instrument=row,
            old=old_status,
            new=status,
            note=note,
            actor_id=actor.user_id,
            now=ctx.now(),
        )
        session.flush()
        return InstrumentView.of(row)


def status_history(
    ctx: DomainContext, *, actor: Actor, instrument_id: int, limit: int = 20
) -> tuple[StatusChangeView, ...]:
    """The latest ``limit`` status changes, newest first: from what, to what, who, why."""
    require(actor, Action.VIEW)
    _, limit = v.paging(0, limit, max_limit=HISTORY_MAX)
    with ctx.transaction() as session:
        load(session, instrument_id)
        rows = instrument_rows.status_changes_of(session, instrument_id, limit=limit)
        return tuple(
            StatusChangeView(
                instrument_id=r.instrument_id,
                old_status=r.old_status,
                new_status=r.new_status,
                note=r.note,
                changed_by_id=r.changed_by_id,
                changed_at=r.changed_at,
                changed_by=username,
            )
            for r, username in rows
        )


def deactivate_instrument(
    ctx: DomainContext, *, actor: Actor, instrument_id: int
) -> InstrumentView:
    return update_instrument(ctx, actor=actor, instrument_id=instrument_id, is_active=False)


def delete_instrument(ctx: DomainContext, *, actor: Actor, instrument_id: int) -> None:
    require(actor, Action.MANAGE_INSTRUMENTS)
    with ctx.transaction() as session:
        instrument_rows.delete_instrument(session, load(session, instrument_id))


def instrument_needs(ctx: DomainContext, *, actor: Actor, instrument_id: int) -> InstrumentNeeds:
    """The instrument and the parts it needs, critical ones first, with their stock."""
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        instrument = load(session, instrument_id)
        rows = instrument_rows.parts_needed_by(session, instrument_id)
        uses = tuple(PartUse.of(link, instrument, part) for link, part in rows)
        return InstrumentNeeds(instrument=InstrumentView.of(instrument), parts=uses)


# The field rules of an instrument's record, for imports that check many rows first.
clean_instrument_fields = _clean
