"""Suppliers and their offers for parts: found, listed, locked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session

from persistence.models import Supplier, SupplierOffer


def supplier_by_id(session: Session, supplier_id: int, *, lock: bool = False) -> Supplier | None:
    return session.get(Supplier, supplier_id, with_for_update=lock)


def supplier_named(session: Session, name: str) -> Supplier | None:
    """The supplier with exactly this name, in any case."""
    return session.scalars(
        select(Supplier).where(func.lower(Supplier.name) == name.lower())
    ).one_or_none()


def suppliers_like(session: Session, pattern: str, *, limit: int) -> list[Supplier]:
    """Suppliers whose lower-cased name is LIKE ``pattern``, by name."""
    stmt = select(Supplier).where(func.lower(Supplier.name).like(pattern, escape="\\"))
    return list(session.scalars(stmt.order_by(func.lower(Supplier.name)).limit(limit)))


def suppliers_listed(
    session: Session, *, active_only: bool, offset: int, limit: int
) -> list[Row[Any]]:
    """(supplier, number of offers) by name."""
    offers = (
        select(func.count(SupplierOffer.id))
        .where(SupplierOffer.supplier_id == Supplier.id)
        .scalar_subquery()
    )
    stmt = select(Supplier, offers)
    if active_only:
        stmt = stmt.where(Supplier.is_active.is_(True))
    stmt = stmt.order_by(func.lower(Supplier.name), Supplier.id).offset(offset).limit(limit)
    return list(session.execute(stmt).all())


def count_offers(session: Session, supplier_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(SupplierOffer.id)).where(SupplierOffer.supplier_id == supplier_id)
        )
        or 0
    )


def offers_of_part(session: Session, part_id: int) -> list[Row[Any]]:
    """(offer, supplier) of the part: the preferred one first, then by supplier name."""
    stmt = (
        select(SupplierOffer, Supplier)
        .join(Supplier, Supplier.id == SupplierOffer.supplier_id)
        .where(SupplierOffer.part_id == part_id)
        .order_by(SupplierOffer.is_preferred.desc(), func.lower(Supplier.name))
    )
    return list(session.execute(stmt).all())


def offer_by_id(session: Session, offer_id: int, *, lock: bool = False) -> SupplierOffer | None:
    return session.get(SupplierOffer, offer_id, with_for_update=lock)


def offer_of(session: Session, part_id: int, supplier_id: int) -> SupplierOffer | None:
    return session.scalars(
        select(SupplierOffer).where(
            SupplierOffer.part_id == part_id, SupplierOffer.supplier_id == supplier_id
        )
    ).one_or_none()


def preferred_offers(session: Session, part_ids: Sequence[int]) -> dict[int, Row[Any]]:
    """Part id -> (offer, supplier) of its preferred offer, for those that have one."""
    if not part_ids:
        return {}
    stmt = (
        select(SupplierOffer, Supplier)
        .join(Supplier, Supplier.id == SupplierOffer.supplier_id)
        .where(SupplierOffer.part_id.in_(list(part_ids)), SupplierOffer.is_preferred.is_(True))
    )
    return {row[0].part_id: row for row in session.execute(stmt)}


def clear_preferred(session: Session, part_id: int, *, keep_id: int | None) -> None:
    """No offer of the part but ``keep_id`` is preferred any more (flushed first)."""
    stmt = update(SupplierOffer).where(
        SupplierOffer.part_id == part_id, SupplierOffer.is_preferred.is_(True)
    )
    if keep_id is not None:
        stmt = stmt.where(SupplierOffer.id != keep_id)
    session.execute(stmt.values(is_preferred=False).execution_options(synchronize_session=False))
