"""Instruments together with the parts they need, as lists and detail pages show them.

Each service answers with ``InstrumentNeeds`` (see ``instruments.instrument_needs``); the
links of a whole page of instruments are read in one query. Changes go through
``instruments`` and ``parts``; these services add the reading back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain import instruments, parts
from domain.context import DomainContext
from domain.errors import NotFound
from domain.permissions import Actor
from domain.results import (
    InstrumentCard,
    InstrumentNeeds,
    InstrumentView,
    LinkView,
    Page,
    PartUse,
)
from persistence.instruments import parts_needed_by_each
from persistence.parts import link_by_id


def _with_parts(ctx: DomainContext, views: Sequence[InstrumentView]) -> tuple[InstrumentNeeds, ...]:
    if not views:
        return ()
    ids = [view.id for view in views]
    with ctx.transaction() as session:
        rows = parts_needed_by_each(session, ids)
        found: dict[int, list[PartUse]] = {}
        for link, instrument, part in rows:
            found.setdefault(instrument.id, []).append(PartUse.of(link, instrument, part))
    return tuple(InstrumentNeeds(instrument=v, parts=tuple(found.get(v.id, ()))) for v in views)


CARD_CHANGES = 3


def instrument_card(
    ctx: DomainContext, *, actor: Actor, instrument_id: int, changes: int = CARD_CHANGES
) -> InstrumentCard:
    """The instrument, the parts it needs and its latest ``changes`` status changes."""
    needs = instruments.instrument_needs(ctx, actor=actor, instrument_id=instrument_id)
    recent = instruments.status_history(
        ctx, actor=actor, instrument_id=instrument_id, limit=changes
    )
    return InstrumentCard(needs=needs, recent_changes=recent)


def list_instruments_with_parts(
    ctx: DomainContext,
    *,
    actor: Actor,
    active_only: bool = True,
    offset: int = 0,
    limit: int = 1000,
) -> Page[InstrumentNeeds]:
    """``list_instruments`` (by name), each with the parts it needs."""
    page = instruments.list_instruments(
        ctx, actor=actor, active_only=active_only, offset=offset, limit=limit
    )
    return Page(
        items=_with_parts(ctx, page.items),
        offset=page.offset,
        limit=page.limit,
        has_more=page.has_more,
    )


def update_instrument_with_parts(
    ctx: DomainContext, *, actor: Actor, instrument_id: int, **changes: Any
) -> InstrumentNeeds:
    """``update_instrument``, answered with the parts the instrument needs."""
    view = instruments.update_instrument(ctx, actor=actor, instrument_id=instrument_id, **changes)
    return _with_parts(ctx, [view])[0]


def set_status_with_parts(
    ctx: DomainContext, *, actor: Actor, instrument_id: int, status: str, note: str | None = None
) -> InstrumentNeeds:
    """``set_instrument_status``, answered with the parts the instrument needs."""
    view = instruments.set_instrument_status(
        ctx, actor=actor, instrument_id=instrument_id, status=status, note=note
    )
    return _with_parts(ctx, [view])[0]


def link_part_as_stored(
    ctx: DomainContext,
    *,
    actor: Actor,
    instrument_id: int,
    part_id: int,
    quantity_required: int = 1,
    is_critical: bool = False,
) -> LinkView:
    """``link_part``, answered with the link as stored (with its timestamps)."""
    use = parts.link_part(
        ctx,
        actor=actor,
        instrument_id=instrument_id,
        part_id=part_id,
        quantity_required=quantity_required,
        is_critical=is_critical,
    )
    with ctx.transaction() as session:
        row = link_by_id(session, use.link_id)
        if row is None:  # removed again between the two statements
            raise NotFound("The link was removed.")
        return LinkView.of(row)
