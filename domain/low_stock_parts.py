"""The parts that need restocking, most urgent first: ``/farlab parts low`` and ``out``,
and App Home; each with what is on order for it."""

from __future__ import annotations

from domain import validation as v
from domain.context import DomainContext
from domain.ordering import with_on_order
from domain.permissions import Action, Actor, require
from domain.results import Page, PartView
from persistence import parts as part_rows


def list_parts_needing_stock(
    ctx: DomainContext,
    *,
    actor: Actor,
    out_only: bool = False,
    offset: int = 0,
    limit: int = 25,
) -> Page[PartView]:
    """Active parts at or below their minimum stock (the rule low-stock alerts follow:
    a minimum above zero), or with ``out_only`` every active part at zero.

    Most urgent first: out of stock, then critical parts, then the lowest stock relative to
    the minimum (2 of 10 before 3 of 4; parts without a minimum last), then by part
    number.
    """
    require(actor, Action.VIEW)
    offset, limit = v.paging(offset, limit, max_limit=1000)
    with ctx.transaction() as session:
        rows = part_rows.parts_needing_stock(
            session, out_only=out_only, offset=offset, limit=limit + 1
        )
        items = with_on_order(session, (PartView.of(r) for r in rows[:limit]))
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)
