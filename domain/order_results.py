"""Frozen results of suppliers, offers and reorder requests (``domain.suppliers``,
``domain.ordering``): ORM rows are turned into these before they leave the domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.money import Money, money
from domain.results import PartView
from domain.vocabulary import OPEN_ORDER_STATES, OrderState
from persistence import models as m


@dataclass(frozen=True)
class SupplierView:
    id: int
    name: str
    website: str | None
    email: str | None
    phone: str | None
    account_number: str | None
    notes: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime | None
    offer_count: int = 0

    @classmethod
    def of(cls, row: m.Supplier, offer_count: int = 0) -> SupplierView:
        return cls(
            id=row.id,
            name=row.name,
            website=row.website,
            email=row.email,
            phone=row.phone,
            account_number=row.account_number,
            notes=row.notes,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
            offer_count=offer_count,
        )


@dataclass(frozen=True)
class OfferView:
    id: int
    part_id: int
    supplier_id: int
    supplier_name: str
    supplier_active: bool
    supplier_part_number: str | None
    price: Money | None  # per pack
    currency: str
    pack_size: int
    minimum_order: int  # in packs
    lead_time_days: int | None
    order_url: str | None
    is_preferred: bool

    @classmethod
    def of(cls, row: m.SupplierOffer, supplier: m.Supplier) -> OfferView:
        return cls(
            id=row.id,
            part_id=row.part_id,
            supplier_id=row.supplier_id,
            supplier_name=supplier.name,
            supplier_active=supplier.is_active,
            supplier_part_number=row.supplier_part_number,
            price=money(row.unit_price_minor, row.currency),
            currency=row.currency,
            pack_size=row.pack_size,
            minimum_order=row.minimum_order,
            lead_time_days=row.lead_time_days,
            order_url=row.order_url,
            is_preferred=row.is_preferred,
        )


@dataclass(frozen=True)
class OnOrder:
    """What is coming for a part: the open request's state, quantity still to come, and
    (once ordered) when it is expected."""

    order_id: int
    state: OrderState
    quantity: int  # still to come (ordered minus received), in the part's unit
    expected_on: date | None


@dataclass(frozen=True)
class OrderView:
    id: int
    part: PartView
    state: OrderState
    quantity: int
    quantity_received: int
    urgency: str
    note: str | None
    requested_by: str | None  # username; None: FarLab itself or a deleted account
    requested_by_id: int | None
    created_at: datetime
    updated_at: datetime | None
    supplier_id: int | None
    supplier_name: str | None
    price: Money | None  # per pack
    pack_size: int
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    order_number: str | None
    ordered_at: datetime | None
    expected_on: date | None
    received_at: datetime | None
    version: int

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ORDER_STATES

    @property
    def outstanding(self) -> int:
        """Still to come once ordered (never below zero: more may have been received)."""
        return max(self.quantity - self.quantity_received, 0)

    @property
    def packs(self) -> int:
        return -(-self.quantity // self.pack_size)

    @property
    def estimated_cost(self) -> Money | None:
        return self.price.times(self.packs) if self.price else None

    def is_overdue(self, today: date) -> bool:
        return (
            self.state == OrderState.ORDERED
            and self.expected_on is not None
            and self.expected_on < today
        )


@dataclass(frozen=True)
class OrderEventView:
    kind: str
    actor: str | None
    quantity: int | None
    note: str | None
    at: datetime


@dataclass(frozen=True)
class OrderDetail:
    order: OrderView
    events: tuple[OrderEventView, ...]


@dataclass(frozen=True)
class RequestOutcome:
    """A reorder request made: a new one, or ``joined`` to the part's open request."""

    order: OrderView
    joined: bool


@dataclass(frozen=True)
class ReorderSuggestion:
    """What the request form starts from: how much, from whom, and any open request."""

    part: PartView
    quantity: int
    offer: OfferView | None
    open_order: OrderView | None


@dataclass(frozen=True)
class Receipt:
    """A receipt booked: the order after it, and the part's stock after the restock."""

    order: OrderView
    part: PartView
    quantity: int
    alert_resolved: bool


@dataclass(frozen=True)
class PartOrderHistory:
    """A part's last orders and the lead time observed (ordered -> fully received)."""

    orders: tuple[OrderView, ...]
    observed_lead_days: float | None
    observed_from: int  # how many received orders the average is taken over
    offer_lead_days: int | None  # the preferred offer's lead time, for comparison
