"""Reorder requests and their timelines: found, locked, listed; what is on order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, Select, exists, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from persistence.models import (
    OPEN_ORDER,
    Alert,
    Part,
    PurchaseRequest,
    PurchaseRequestEvent,
    Supplier,
    User,
)

OPEN_STATES = ("requested", "approved", "ordered")

_requester = aliased(User)
_decider = aliased(User)


def _with_names() -> Select[Any]:
    """(request, part, requester's username, supplier's name, decider's username)."""
    return (
        select(PurchaseRequest, Part, _requester.username, Supplier.name, _decider.username)
        .join(Part, Part.id == PurchaseRequest.part_id)
        .outerjoin(_requester, _requester.id == PurchaseRequest.requested_by_id)
        .outerjoin(Supplier, Supplier.id == PurchaseRequest.supplier_id)
        .outerjoin(_decider, _decider.id == PurchaseRequest.decided_by_id)
    )


def order_named(session: Session, order_id: int) -> Row[Any] | None:
    return session.execute(_with_names().where(PurchaseRequest.id == order_id)).one_or_none()


def lock_order(session: Session, order_id: int) -> PurchaseRequest | None:
    """The request, locked for the rest of the transaction (its state is re-read)."""
    return session.get(PurchaseRequest, order_id, with_for_update=True, populate_existing=True)


def open_order_of_part(
    session: Session, part_id: int, *, lock: bool = False
) -> PurchaseRequest | None:
    stmt = select(PurchaseRequest).where(
        PurchaseRequest.part_id == part_id, PurchaseRequest.state.in_(OPEN_STATES)
    )
    if lock:
        stmt = stmt.with_for_update()
    return session.scalars(stmt.execution_options(populate_existing=True)).one_or_none()


def orders_listed(
    session: Session,
    *,
    states: Sequence[str],
    part_id: int | None,
    offset: int,
    limit: int,
) -> list[Row[Any]]:
    """Named rows, newest first, of any of ``states`` (empty: any) and of a part if given."""
    stmt = _with_names()
    if states:
        stmt = stmt.where(PurchaseRequest.state.in_(list(states)))
    if part_id is not None:
        stmt = stmt.where(PurchaseRequest.part_id == part_id)
    stmt = stmt.order_by(PurchaseRequest.created_at.desc(), PurchaseRequest.id.desc())
    return list(session.execute(stmt.offset(offset).limit(limit)).all())


def add_event(
    session: Session,
    *,
    request_id: int,
    kind: str,
    actor_id: int | None,
    now: datetime,
    quantity: int | None = None,
    note: str | None = None,
) -> None:
    session.add(
        PurchaseRequestEvent(
            request_id=request_id,
            kind=kind,
            actor_id=actor_id,
            quantity=quantity,
            note=note,
            created_at=now,
        )
    )


def events_of(session: Session, request_id: int) -> list[Row[Any]]:
    """(event, actor's username) oldest first."""
    stmt = (
        select(PurchaseRequestEvent, User.username)
        .outerjoin(User, User.id == PurchaseRequestEvent.actor_id)
        .where(PurchaseRequestEvent.request_id == request_id)
        .order_by(PurchaseRequestEvent.id)
    )
    return list(session.execute(stmt).all())


def on_order(session: Session, part_ids: Sequence[int]) -> dict[int, PurchaseRequest]:
    """Part id -> its open request, for the parts that have one (one indexed lookup)."""
    if not part_ids:
        return {}
    stmt = select(PurchaseRequest).where(
        PurchaseRequest.part_id.in_(list(part_ids)), text(OPEN_ORDER)
    )
    return {row.part_id: row for row in session.scalars(stmt)}


def received_lead_times(session: Session, part_id: int, *, limit: int) -> list[float]:
    """Days from ordered to fully received of the part's last received orders."""
    stmt = (
        select(PurchaseRequest.ordered_at, PurchaseRequest.received_at)
        .where(
            PurchaseRequest.part_id == part_id,
            PurchaseRequest.state == "received",
            PurchaseRequest.ordered_at.is_not(None),
            PurchaseRequest.received_at.is_not(None),
        )
        .order_by(PurchaseRequest.received_at.desc())
        .limit(limit)
    )
    return [
        (received - ordered).total_seconds() / 86400 for ordered, received in session.execute(stmt)
    ]


def count_open(session: Session) -> dict[str, int]:
    stmt = (
        select(PurchaseRequest.state, func.count())
        .where(text(OPEN_ORDER))
        .group_by(PurchaseRequest.state)
    )
    return {state: int(n) for state, n in session.execute(stmt)}


def insert_request(session: Session, row: PurchaseRequest) -> bool:
    """Add the request; False (and nothing added) when the part already has one under way
    (another request won the race for ``uq_purchase_requests_open_part``)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        if "uq_purchase_requests_open_part" in str(exc.orig) or (
            "purchase_requests.part_id" in str(exc.orig)
        ):
            return False
        raise
    return True


def covering_order(part_id: Any) -> ColumnElement[bool]:
    """The part (``part_id``, a column) has an order on its way that covers its shortfall:
    ordered, and its stock plus what is still to come is above its minimum."""
    return (
        exists()
        .where(
            PurchaseRequest.part_id == part_id,
            PurchaseRequest.state == "ordered",
            Part.id == part_id,
            Part.quantity_in_stock + PurchaseRequest.quantity - PurchaseRequest.quantity_received
            > Part.minimum_stock_level,
        )
        .correlate_except(PurchaseRequest, Part)
    )


class CoveredRow(NamedTuple):
    alert_id: int
    part_number: str
    part_name: str
    order_id: int
    outstanding: int
    unit: str
    expected_on: date | None


def covered_low_stock(session: Session, *, limit: int) -> tuple[int, list[CoveredRow]]:
    """How many open low-stock alerts an order covers, and the first ``limit`` of them
    (soonest expected first)."""
    where = (
        Alert.kind == "low_stock",
        Alert.status != "resolved",
        PurchaseRequest.part_id == Alert.part_id,
        PurchaseRequest.state == "ordered",
        Part.id == Alert.part_id,
        Part.quantity_in_stock + PurchaseRequest.quantity - PurchaseRequest.quantity_received
        > Part.minimum_stock_level,
    )
    total = session.scalar(
        select(func.count()).select_from(Alert, PurchaseRequest, Part).where(*where)
    )
    rows = session.execute(
        select(
            Alert.id,
            Part.part_number,
            Part.name,
            PurchaseRequest.id,
            PurchaseRequest.quantity - PurchaseRequest.quantity_received,
            Part.unit_of_measure,
            PurchaseRequest.expected_on,
        )
        .where(*where)
        .order_by(PurchaseRequest.expected_on.is_(None), PurchaseRequest.expected_on, Alert.id)
        .limit(limit)
    ).all()
    return int(total or 0), [CoveredRow(*row) for row in rows]
