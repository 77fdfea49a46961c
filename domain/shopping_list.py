"""The shopping list: every low part with no request under way, grouped by its preferred
supplier, with the quantity a request would ask for and what it would cost; and one step
to request a whole supplier's group at once.

One query (``persistence.shopping``) answers it; the quantities and sums are worked out
here from its rows, so the list, its CSV file and "request them all" agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from domain.context import DomainContext
from domain.errors import InvalidInput
from domain.money import Money
from domain.order_results import OrderView
from domain.ordering import refill_quantity, request_reorder
from domain.permissions import Action, Actor, require
from persistence.db import Session
from persistence.shopping import (
    LevelRow,
    ShoppingRow,
    shopping_levels,
    shopping_rows,
    shopping_rows_of,
    suppliers_by_id,
)

REQUEST_ALL_LIMIT = 50  # requests made by one "request them all" (each is posted)


@dataclass(frozen=True)
class ShoppingLine:
    part_id: int
    part_number: str
    name: str
    unit: str
    stock: int
    minimum: int
    quantity: int  # in the part's unit
    packs: int | None  # of the preferred offer's pack size, when there is an offer
    pack_size: int | None
    supplier_part_number: str | None
    price: Money | None  # per pack
    cost: Money | None  # of the packs
    lead_time_days: int | None
    order_url: str | None


@dataclass(frozen=True)
class ShoppingGroup:
    supplier_id: int | None  # None: parts with no preferred supplier
    supplier_name: str | None
    supplier_active: bool
    lines: tuple[ShoppingLine, ...]  # the first ones, or all (``shopping_list``)
    count: int  # parts in the group
    totals: tuple[Money, ...]  # one per currency, over every part of the group
    unpriced: int  # parts with no price

    @property
    def key(self) -> str:
        return str(self.supplier_id) if self.supplier_id is not None else "none"


@dataclass(frozen=True)
class ShoppingList:
    groups: tuple[ShoppingGroup, ...]

    @property
    def parts(self) -> int:
        return sum(g.count for g in self.groups)


@dataclass(frozen=True)
class GroupRequested:
    supplier_name: str | None
    orders: tuple[OrderView, ...]
    left: int  # parts of the group still without a request (over the limit)


def _line(row: ShoppingRow) -> ShoppingLine:
    quantity = refill_quantity(
        stock=row.stock,
        minimum=row.minimum,
        reorder_quantity=row.reorder_quantity,
        target_stock=row.target_stock,
        pack_size=row.pack_size,
        minimum_order=row.minimum_order,
    )
    packs = -(-quantity // row.pack_size) if row.pack_size else None
    price = (
        Money(row.unit_price_minor, row.currency)
        if row.unit_price_minor is not None and row.currency
        else None
    )
    return ShoppingLine(
        part_id=row.part_id,
        part_number=row.part_number,
        name=row.name,
        unit=row.unit,
        stock=row.stock,
        minimum=row.minimum,
        quantity=quantity,
        packs=packs,
        pack_size=row.pack_size,
        supplier_part_number=row.supplier_part_number,
        price=price,
        cost=price.times(packs) if price and packs else None,
        lead_time_days=row.lead_time_days,
        order_url=row.order_url,
    )


def urgency(stock: int, minimum: int, part_id: int) -> tuple[float, int]:
    """How a group's lines are ordered: the emptiest part (stock as a share of its
    minimum) first."""
    return (stock / minimum if minimum else 0.0, part_id)


def _costs(rows: Iterable[Any]) -> tuple[tuple[Money, ...], int]:
    """The estimated cost of the parts per currency, and how many have no price: plain
    integer work per row, so thousands are summed quickly."""
    totals: dict[str, int] = {}
    unpriced = 0
    for row in rows:
        quantity = refill_quantity(
            stock=row.stock,
            minimum=row.minimum,
            reorder_quantity=row.reorder_quantity,
            target_stock=row.target_stock,
            pack_size=row.pack_size,
            minimum_order=row.minimum_order,
        )
        if row.unit_price_minor is None or not row.currency or not row.pack_size:
            unpriced += 1
            continue
        packs = -(-quantity // row.pack_size)
        totals[row.currency] = totals.get(row.currency, 0) + packs * row.unit_price_minor
    return tuple(Money(minor, code) for code, minor in sorted(totals.items())), unpriced


def _group(rows: list[ShoppingRow], keep: int | None) -> ShoppingGroup:
    """One supplier's group (full rows): every part counted and costed, the most urgent
    ``keep`` (all when None) as lines."""
    totals, unpriced = _costs(rows)
    first = rows[0]
    ordered = sorted(rows, key=lambda r: urgency(r.stock, r.minimum, r.part_id))
    return ShoppingGroup(
        supplier_id=first.supplier_id,
        supplier_name=first.supplier_name,
        supplier_active=bool(first.supplier_active) if first.supplier_id else True,
        lines=tuple(_line(row) for row in (ordered if keep is None else ordered[:keep])),
        count=len(rows),
        totals=totals,
        unpriced=unpriced,
    )


def _grouped(rows: list[ShoppingRow], keep: int | None = None) -> Iterator[ShoppingGroup]:
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].supplier_id != rows[start].supplier_id:
            yield _group(rows[start:i], keep)
            start = i


def shopping_list(
    ctx: DomainContext, *, actor: Actor, lines_per_group: int | None = None
) -> ShoppingList:
    """Every low part with no request under way, by preferred supplier (by name, none
    last): each group counted and costed in full, with its most urgent
    ``lines_per_group`` parts as lines (all when None)."""
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        if lines_per_group is None:
            return ShoppingList(groups=tuple(_grouped(shopping_rows(session), None)))
        levels = shopping_levels(session)
        names = suppliers_by_id(session)
        by_supplier: dict[int | None, list[LevelRow]] = {}
        for level in levels:
            by_supplier.setdefault(level.supplier_id, []).append(level)
        kept = {
            key: sorted(group, key=lambda r: urgency(r.stock, r.minimum, r.part_id))[
                :lines_per_group
            ]
            for key, group in by_supplier.items()
        }
        full = shopping_rows_of(session, [r.part_id for group in kept.values() for r in group])
    groups = []
    for key, group in by_supplier.items():
        totals, unpriced = _costs(group)
        name, active = names.get(key, ("", True)) if key is not None else (None, True)
        groups.append(
            ShoppingGroup(
                supplier_id=key,
                supplier_name=name,
                supplier_active=active,
                lines=tuple(_line(full[r.part_id]) for r in kept[key] if r.part_id in full),
                count=len(group),
                totals=totals,
                unpriced=unpriced,
            )
        )
    groups.sort(key=lambda g: (g.supplier_id is None, (g.supplier_name or "").lower(), g.key))
    return ShoppingList(groups=tuple(groups))


def group_key(value: Any) -> int | None:
    """A group's key as a button carries it: a supplier's id, or ``none``."""
    if value == "none":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise InvalidInput("This button is out of date; run `/farlab shopping-list` again.")


def request_group(
    ctx: DomainContext, *, actor: Actor, supplier_id: int | None, note: str | None = None
) -> GroupRequested:
    """Request every part of one group (a supplier's, or those with none) in one
    transaction, up to ``REQUEST_ALL_LIMIT`` at a time, each at its suggested quantity."""
    require(actor, Action.REQUEST_REORDER)
    with ctx.transaction() as session:
        rows = shopping_rows(session, supplier_id=supplier_id, without_supplier=supplier_id is None)
        made = tuple(
            request_reorder(
                ctx, actor=actor, part_id=row.part_id, quantity=_line(row).quantity, note=note
            ).order
            for row in rows[:REQUEST_ALL_LIMIT]
        )
    name = rows[0].supplier_name if rows else None
    return GroupRequested(supplier_name=name, orders=made, left=max(len(rows) - len(made), 0))


def shopping_file_rows(session: Session) -> Iterator[tuple[Any, ...]]:
    """The export's rows (``domain.exports``), in the list's order, in its transaction."""
    for group in _grouped(shopping_rows(session)):
        for line in group.lines:
            yield (
                group.supplier_name or "",
                line.part_number,
                line.name,
                line.stock,
                line.minimum,
                line.unit,
                line.quantity,
                line.packs,
                line.pack_size,
                line.supplier_part_number,
                line.price.amount if line.price else None,
                line.price.currency if line.price else None,
                line.cost.amount if line.cost else None,
                line.lead_time_days,
                line.order_url,
            )


SHOPPING_HEADER = (
    "supplier",
    "part_number",
    "part_name",
    "in_stock",
    "minimum",
    "unit",
    "quantity",
    "packs",
    "pack_size",
    "supplier_part_number",
    "price_per_pack",
    "currency",
    "estimated_cost",
    "lead_time_days",
    "order_url",
)
