"""Frozen results the services return. ORM rows are turned into these before they leave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Generic, TypeVar

from domain.vocabulary import AlertStatus, InstrumentStatus, Role
from persistence import models as m

if TYPE_CHECKING:
    from domain.order_results import OfferView, OnOrder, PartOrderHistory

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    offset: int
    limit: int
    has_more: bool

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


@dataclass(frozen=True)
class PartMatches(Page["PartView"]):
    """A page of search matches; ``more_than`` is set when more parts match than a search
    answers (those answered are then the first found: ``domain.parts.search_parts``)."""

    more_than: int | None = None


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    phone: str | None
    department: str | None
    position: str | None
    notes: str | None
    role: Role
    is_active: bool
    has_password: bool
    last_login: datetime | None
    created_at: datetime
    updated_at: datetime | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @classmethod
    def of(cls, row: m.User) -> UserView:
        return cls(
            id=row.id,
            username=row.username,
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            phone=row.phone,
            department=row.department,
            position=row.position,
            notes=row.notes,
            role=Role(row.role),
            is_active=row.is_active,
            has_password=row.password_hash is not None,
            last_login=row.last_login,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@dataclass(frozen=True)
class SlackIdentityView:
    team_id: str
    slack_user_id: str
    user_id: int
    linked_at: datetime
    linked_by_id: int | None

    @classmethod
    def of(cls, row: m.SlackIdentity) -> SlackIdentityView:
        return cls(
            team_id=row.team_id,
            slack_user_id=row.slack_user_id,
            user_id=row.user_id,
            linked_at=row.linked_at,
            linked_by_id=row.linked_by_id,
        )


@dataclass(frozen=True)
class InstrumentView:
    id: int
    name: str
    model: str
    manufacturer: str | None
    serial_number: str | None
    location: str | None
    description: str | None
    status: InstrumentStatus
    next_maintenance_due: date | None
    next_calibration_due: date | None
    maintenance_interval_days: int | None
    calibration_interval_days: int | None
    is_active: bool
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, row: m.Instrument) -> InstrumentView:
        return cls(
            id=row.id,
            name=row.name,
            model=row.model,
            manufacturer=row.manufacturer,
            serial_number=row.serial_number,
            location=row.location,
            description=row.description,
            status=InstrumentStatus(row.status),
            next_maintenance_due=row.next_maintenance_due,
            next_calibration_due=row.next_calibration_due,
            maintenance_interval_days=row.maintenance_interval_days,
            calibration_interval_days=row.calibration_interval_days,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@dataclass(frozen=True)
class StatusChangeView:
    instrument_id: int
    old_status: str
    new_status: str
    note: str | None
    changed_by_id: int | None
    changed_at: datetime
    changed_by: str | None = None  # the username; None: FarLab itself, or a deleted account


@dataclass(frozen=True)
class PartView:
    id: int
    part_number: str
    name: str
    description: str | None
    category: str | None
    manufacturer: str | None
    unit_of_measure: str
    location: str | None
    quantity_in_stock: int
    minimum_stock_level: int
    is_critical: bool
    is_active: bool
    created_at: datetime
    updated_at: datetime | None
    reorder_quantity: int | None = None
    target_stock: int | None = None
    # The part's request under way, when the service that read the part asked for it
    # (``domain.ordering.with_on_order``); None: none under way, or not read.
    on_order: OnOrder | None = None

    @property
    def is_low_stock(self) -> bool:
        return self.minimum_stock_level > 0 and self.quantity_in_stock <= self.minimum_stock_level

    @property
    def is_covered_by_order(self) -> bool:
        """Whether an order on its way (ordered, not only requested or approved) brings the
        stock back above the minimum: the rule ``persistence.orders.covering_order`` keeps
        in SQL, by which such an alert is not re-notified."""
        return (
            self.on_order is not None
            and self.on_order.state == "ordered"
            and self.quantity_in_stock + self.on_order.quantity > self.minimum_stock_level
        )

    @property
    def stock_status(self) -> str:
        if self.quantity_in_stock == 0:
            return "Out of stock"
        if self.quantity_in_stock <= self.minimum_stock_level:
            return "Low stock"
        return "In stock"

    @classmethod
    def of(cls, row: m.Part) -> PartView:
        return cls(
            id=row.id,
            part_number=row.part_number,
            name=row.name,
            description=row.description,
            category=row.category,
            manufacturer=row.manufacturer,
            unit_of_measure=row.unit_of_measure,
            location=row.location,
            quantity_in_stock=row.quantity_in_stock,
            minimum_stock_level=row.minimum_stock_level,
            is_critical=row.is_critical,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
            reorder_quantity=row.reorder_quantity,
            target_stock=row.target_stock,
        )


@dataclass(frozen=True)
class PartUse:
    """One link between an instrument and a part, seen from either side."""

    link_id: int
    instrument_id: int
    instrument_name: str
    instrument_model: str
    instrument_location: str | None
    instrument_status: str
    part: PartView
    quantity_required: int
    is_critical: bool
    is_active: bool

    @property
    def is_short(self) -> bool:
        """The part is low, or there is less of it than this instrument needs."""
        return self.part.is_low_stock or self.part.quantity_in_stock < self.quantity_required

    @classmethod
    def of(cls, link: m.InstrumentPart, instrument: m.Instrument, part: m.Part) -> PartUse:
        return cls(
            link_id=link.id,
            instrument_id=instrument.id,
            instrument_name=instrument.name,
            instrument_model=instrument.model,
            instrument_location=instrument.location,
            instrument_status=instrument.status,
            part=PartView.of(part),
            quantity_required=link.quantity_required,
            is_critical=link.is_critical,
            is_active=link.is_active,
        )


@dataclass(frozen=True)
class MovementView:
    id: int
    part_id: int
    delta: int
    quantity_after: int
    reason: str | None
    actor_id: int | None
    actor_username: str | None
    source: str
    instrument_id: int | None
    instrument_name: str | None
    created_at: datetime


@dataclass(frozen=True)
class PartDetail:
    part: PartView
    uses: tuple[PartUse, ...]
    recent_movements: tuple[MovementView, ...]
    offers: tuple[OfferView, ...] = ()  # the preferred one first
    orders: PartOrderHistory | None = None


@dataclass(frozen=True)
class InstrumentNeeds:
    instrument: InstrumentView
    parts: tuple[PartUse, ...]

    @property
    def critical_short(self) -> tuple[PartUse, ...]:
        return tuple(use for use in self.parts if use.is_critical and use.is_short)


@dataclass(frozen=True)
class InstrumentCard:
    """What an instrument's card shows: the parts it needs and its latest status changes."""

    needs: InstrumentNeeds
    recent_changes: tuple[StatusChangeView, ...]


@dataclass(frozen=True)
class AlertView:
    id: int
    kind: str
    part_id: int | None
    part_number: str | None
    part_name: str | None
    instrument_id: int | None
    instrument_name: str | None
    message: str
    severity: str
    status: str
    current_stock: int | None
    threshold_stock: int | None
    created_at: datetime
    created_by_id: int | None
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    resolved_at: datetime | None
    resolved_by_id: int | None
    resolution_note: str | None
    snoozed_until: datetime | None
    channel_id: str | None
    message_ts: str | None
    delivered_at: datetime | None
    delivery_attempts: int
    last_error: str | None

    @property
    def is_resolved(self) -> bool:
        return self.status == AlertStatus.RESOLVED

    @classmethod
    def of(
        cls, row: m.Alert, part: m.Part | None = None, instrument: m.Instrument | None = None
    ) -> AlertView:
        return cls(
            id=row.id,
            kind=row.kind,
            part_id=row.part_id,
            part_number=part.part_number if part else None,
            part_name=part.name if part else None,
            instrument_id=row.instrument_id,
            instrument_name=instrument.name if instrument else None,
            message=row.message,
            severity=row.severity,
            status=row.status,
            current_stock=row.current_stock,
            threshold_stock=row.threshold_stock,
            created_at=row.created_at,
            created_by_id=row.created_by_id,
            acknowledged_at=row.acknowledged_at,
            acknowledged_by_id=row.acknowledged_by_id,
            resolved_at=row.resolved_at,
            resolved_by_id=row.resolved_by_id,
            resolution_note=row.resolution_note,
            snoozed_until=row.snoozed_until,
            channel_id=row.channel_id,
            message_ts=row.message_ts,
            delivered_at=row.delivered_at,
            delivery_attempts=row.delivery_attempts,
            last_error=row.last_error,
        )


@dataclass(frozen=True)
class StockChange:
    """What one stock move did: the part afterwards, its ledger row, any alert it touched."""

    part: PartView
    movement: MovementView
    alert_opened: bool
    alert_resolved: bool
    # A stocktake: the quantity was counted and set, not taken or added.
    counted: bool = False


@dataclass(frozen=True)
class AlertSummary:
    total_alerts: int
    open_alerts: int
    acknowledged_alerts: int
    resolved_alerts: int
    low_stock_parts: int
    critical_parts_low: int
    out_of_stock_parts: int

    @property
    def active_alerts(self) -> int:
        return self.open_alerts + self.acknowledged_alerts


@dataclass(frozen=True)
class LowStockEvaluation:
    opened: int
    resolved: int


@dataclass(frozen=True)
class PartListing:
    """A part with the instruments that use it: its active links, critical ones first."""

    part: PartView
    uses: tuple[PartUse, ...]


@dataclass(frozen=True)
class LinkView:
    """One instrument-part link as it is stored."""

    id: int
    instrument_id: int
    part_id: int
    quantity_required: int
    is_critical: bool
    is_active: bool
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, row: m.InstrumentPart) -> LinkView:
        return cls(
            id=row.id,
            instrument_id=row.instrument_id,
            part_id=row.part_id,
            quantity_required=row.quantity_required,
            is_critical=row.is_critical,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
