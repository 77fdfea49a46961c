"""The rows the forecast services read and write one part at a time: a part and what is
on order for it, its preferred lead time, and the minimums set from suggestions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from persistence import low_stock
from persistence.models import (
    Part,
    PartForecast,
    PartMinimumChange,
    PurchaseRequest,
    SupplierOffer,
    User,
)


def part(session: Session, part_id: int) -> Part | None:
    return session.get(Part, part_id)


def ordered_remaining_of(session: Session, part_ids: Sequence[int]) -> dict[int, int]:
    """What is still to come on each part's ordered reorder (parts with none left out)."""
    if not part_ids:
        return {}
    rows = session.execute(
        select(
            PurchaseRequest.part_id,
            func.sum(PurchaseRequest.quantity - PurchaseRequest.quantity_received),
        )
        .where(PurchaseRequest.part_id.in_(list(part_ids)), PurchaseRequest.state == "ordered")
        .group_by(PurchaseRequest.part_id)
    )
    return {part_id: max(int(left), 0) for part_id, left in rows}


def ordered_remaining(session: Session, part_id: int) -> int:
    return ordered_remaining_of(session, [part_id]).get(part_id, 0)


def lead_time(session: Session, part_id: int) -> int | None:
    """The preferred offer's lead time, if it gives one."""
    return session.execute(
        select(SupplierOffer.lead_time_days).where(
            SupplierOffer.part_id == part_id, SupplierOffer.is_preferred
        )
    ).scalar_one_or_none()


def lock_parts_with_forecasts(
    session: Session, part_ids: Sequence[int]
) -> dict[int, tuple[Part, PartForecast]]:
    """The active parts named, locked (in id order), with their stored forecasts."""
    rows = session.execute(
        select(Part, PartForecast)
        .join(PartForecast, PartForecast.part_id == Part.id)
        .where(Part.id.in_(list(part_ids)), Part.is_active)
        .order_by(Part.id)
        .with_for_update(of=Part)
    ).tuples()
    return {found.id: (found, forecast) for found, forecast in rows}


def set_minimum(
    session: Session,
    found: Part,
    minimum: int,
    *,
    weekly_rate: float | None,
    lead_time_days: int | None,
    actor_id: int | None,
    now: datetime,
) -> PartMinimumChange:
    """Set the part's minimum and record the change."""
    change = PartMinimumChange(
        part_id=found.id,
        old_minimum=found.minimum_stock_level,
        new_minimum=minimum,
        weekly_rate=weekly_rate,
        lead_time_days=lead_time_days,
        actor_id=actor_id,
        created_at=now,
    )
    found.minimum_stock_level = minimum
    found.updated_at = now
    session.add(change)
    return change


def settle_low_stock(
    session: Session, part_ids: Sequence[int], *, now: datetime, actor_id: int | None
) -> None:
    """After minimums changed: open the low-stock alerts now due and resolve the stale."""
    for part_id in part_ids:
        low_stock.open_low_stock_alerts(session, now=now, part_id=part_id)
        low_stock.resolve_stale_low_stock_alerts(
            session, now=now, part_id=part_id, resolved_by_id=actor_id
        )


def changes(
    session: Session, *, part_id: int | None = None, ids: Sequence[int] | None = None, limit: int
) -> list[Row[Any]]:
    """Minimum changes with the part's number and the actor's name, newest first."""
    stmt = (
        select(PartMinimumChange, Part.part_number, User.username)
        .join(Part, Part.id == PartMinimumChange.part_id)
        .outerjoin(User, User.id == PartMinimumChange.actor_id)
        .order_by(PartMinimumChange.created_at.desc(), PartMinimumChange.id.desc())
        .limit(limit)
    )
    if part_id is not None:
        stmt = stmt.where(PartMinimumChange.part_id == part_id)
    if ids is not None:
        stmt = stmt.where(PartMinimumChange.id.in_(list(ids)))
    return list(session.execute(stmt))
