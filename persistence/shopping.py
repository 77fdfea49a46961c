"""The shopping list's question, asked once: every low part with no request under way, with
its preferred offer and supplier (when it has one)."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Select, and_, exists, func, not_, select
from sqlalchemy.orm import Session

from persistence.low_stock import is_low
from persistence.models import Part, PurchaseRequest, Supplier, SupplierOffer
from persistence.orders import OPEN_STATES


class ShoppingRow(NamedTuple):
    part_id: int
    part_number: str
    name: str
    unit: str
    stock: int
    minimum: int
    reorder_quantity: int | None
    target_stock: int | None
    supplier_id: int | None
    supplier_name: str | None
    supplier_active: bool | None
    supplier_part_number: str | None
    unit_price_minor: int | None
    currency: str | None
    pack_size: int | None
    minimum_order: int | None
    lead_time_days: int | None
    order_url: str | None


def _shopping() -> Select[Any]:
    under_way = exists().where(
        PurchaseRequest.part_id == Part.id, PurchaseRequest.state.in_(OPEN_STATES)
    )
    return (
        select(
            Part.id,
            Part.part_number,
            Part.name,
            Part.unit_of_measure,
            Part.quantity_in_stock,
            Part.minimum_stock_level,
            Part.reorder_quantity,
            Part.target_stock,
            Supplier.id,
            Supplier.name,
            Supplier.is_active,
            SupplierOffer.supplier_part_number,
            SupplierOffer.unit_price_minor,
            SupplierOffer.currency,
            SupplierOffer.pack_size,
            SupplierOffer.minimum_order,
            SupplierOffer.lead_time_days,
            SupplierOffer.order_url,
        )
        .outerjoin(
            SupplierOffer,
            # As the partial index ``uq_supplier_offers_preferred`` is written, to be used.
            and_(SupplierOffer.part_id == Part.id, SupplierOffer.is_preferred),
        )
        .outerjoin(Supplier, Supplier.id == SupplierOffer.supplier_id)
        .where(is_low(), not_(under_way))
    )


# PostgreSQL's estimate of the low parts is far too high (it cannot know how often
# ``quantity_in_stock <= minimum_stock_level``: a third, it guesses, where 1% is usual), so
# it would merge-join every preferred offer (800,000 at 1M parts, 300 ms). Looking up each
# low part's offer by the partial index instead takes 10,000 probes (under 60 ms); for
# this statement only, without JIT or parallel workers, which those estimates would start.
PLAN = {
    "enable_mergejoin": "off",
    "enable_hashjoin": "off",
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
}


def _planned(session: Session, stmt: Select[Any]) -> list[Any]:
    """The rows as plain Core rows (no ORM loading: thousands of them)."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return list(conn.execute(stmt).all())
    before = session.execute(select(*(func.current_setting(k) for k in PLAN))).one()
    session.execute(select(*(func.set_config(k, v, True) for k, v in PLAN.items())))
    try:
        return list(conn.execute(stmt).all())  # fetched at once, not row by row
    finally:
        session.execute(
            select(*(func.set_config(k, v, True) for k, v in zip(PLAN, before, strict=True)))
        )


def shopping_rows(
    session: Session, *, supplier_id: int | None = None, without_supplier: bool = False
) -> list[ShoppingRow]:
    """By supplier name (those with none last), then part number; of one supplier (or of
    those with no preferred supplier) when asked."""
    stmt = _shopping()
    if supplier_id is not None:
        stmt = stmt.where(Supplier.id == supplier_id)
    elif without_supplier:
        stmt = stmt.where(Supplier.id.is_(None))
    stmt = stmt.order_by(
        Supplier.id.is_(None), func.lower(Supplier.name), Supplier.id, Part.part_number
    )
    return [ShoppingRow._make(row) for row in _planned(session, stmt)]


class LevelRow(NamedTuple):
    """What the shopping list's figures need of a part: read from the covering indexes."""

    part_id: int
    stock: int
    minimum: int
    reorder_quantity: int | None
    target_stock: int | None
    supplier_id: int | None
    pack_size: int | None
    minimum_order: int | None
    unit_price_minor: int | None
    currency: str | None


def shopping_levels(session: Session) -> list[LevelRow]:
    """Every low part with no request under way: its levels and its preferred offer's
    terms, in no order (on PostgreSQL from ``ix_parts_low_stock`` and
    ``uq_supplier_offers_preferred`` alone, which carry these columns)."""
    under_way = exists().where(
        PurchaseRequest.part_id == Part.id, PurchaseRequest.state.in_(OPEN_STATES)
    )
    stmt = (
        select(
            Part.id,
            Part.quantity_in_stock,
            Part.minimum_stock_level,
            Part.reorder_quantity,
            Part.target_stock,
            SupplierOffer.supplier_id,
            SupplierOffer.pack_size,
            SupplierOffer.minimum_order,
            SupplierOffer.unit_price_minor,
            SupplierOffer.currency,
        )
        .outerjoin(
            SupplierOffer,
            and_(SupplierOffer.part_id == Part.id, SupplierOffer.is_preferred),
        )
        .where(is_low(), not_(under_way))
    )
    return [LevelRow._make(row) for row in _planned(session, stmt)]


def suppliers_by_id(session: Session) -> dict[int, tuple[str, bool]]:
    """Supplier id -> (name, active), for all of them (a lab has tens, not thousands)."""
    rows = session.connection().execute(select(Supplier.id, Supplier.name, Supplier.is_active))
    return {supplier_id: (name, bool(active)) for supplier_id, name, active in rows}


def shopping_rows_of(session: Session, part_ids: list[int]) -> dict[int, ShoppingRow]:
    """The full rows of these parts (the lines a list shows), by part id."""
    if not part_ids:
        return {}
    stmt = _shopping().where(Part.id.in_(part_ids))
    return {row[0]: ShoppingRow._make(row) for row in session.connection().execute(stmt)}
