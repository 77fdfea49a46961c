"""Reorder request (order) bodies and responses: the request, each step's body, the order
with its timeline, a receipt, and a part's order history."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import MAX_ID, RequestBody, Timestamp
from api.schemas.suppliers import CurrencyInput, PriceInput, price_text
from domain.order_results import OrderDetail, OrderEventView, OrderView, PartOrderHistory, Receipt
from domain.results import PartView
from domain.vocabulary import OrderState

Urgency = Literal["normal", "urgent"]
QUANTITY_TEXT = "In the part's unit, 1 to 100,000."


class StateFilter(StrEnum):
    """An order state, or `open`: requested, approved or ordered."""

    OPEN = "open"
    REQUESTED = OrderState.REQUESTED.value
    APPROVED = OrderState.APPROVED.value
    REJECTED = OrderState.REJECTED.value
    ORDERED = OrderState.ORDERED.value
    RECEIVED = OrderState.RECEIVED.value
    CANCELLED = OrderState.CANCELLED.value


class OrderPart(BaseModel):
    """The part ordered, with its stock now."""

    id: int
    part_number: str
    name: str
    unit_of_measure: str
    quantity_in_stock: int
    minimum_stock_level: int
    is_active: bool

    @classmethod
    def of(cls, part: PartView) -> OrderPart:
        return cls(
            id=part.id,
            part_number=part.part_number,
            name=part.name,
            unit_of_measure=part.unit_of_measure,
            quantity_in_stock=part.quantity_in_stock,
            minimum_stock_level=part.minimum_stock_level,
            is_active=part.is_active,
        )


class OrderResponse(BaseModel):
    id: int
    part: OrderPart
    state: OrderState = Field(
        description="requested, approved, rejected, ordered, received or cancelled."
    )
    is_open: bool = Field(description="Requested, approved or ordered: under way.")
    quantity: int = Field(description=f"Asked for (or ordered). {QUANTITY_TEXT}")
    quantity_received: int
    outstanding: int = Field(description="Still to come: quantity less received (never < 0).")
    urgency: Urgency
    note: str | None = Field(description="Signed lines, `username: text`, one per note.")
    requested_by: str | None = Field(description="Username; null for FarLab or a gone account.")
    requested_by_id: int | None
    supplier_id: int | None
    supplier_name: str | None
    unit_price: str | None = Field(description='Per pack, a decimal string (`"12.50"`).')
    currency: str | None
    pack_size: int
    packs: int = Field(description="Packs to order: quantity rounded up to whole packs.")
    estimated_cost: str | None = Field(description="Packs times the price, a decimal string.")
    decided_by: str | None = Field(description="Who approved or rejected it.")
    decided_at: Timestamp | None
    reason: str | None = Field(description="Why it was rejected or cancelled.")
    order_number: str | None
    ordered_at: Timestamp | None
    expected_on: date | None
    is_overdue: bool = Field(description="Ordered and past its expected date.")
    received_at: Timestamp | None
    created_at: Timestamp
    updated_at: Timestamp | None
    version: int = Field(description="Goes up with every change.")

    @classmethod
    def of(cls, order: OrderView, today: date) -> OrderResponse:
        return cls(
            id=order.id,
            part=OrderPart.of(order.part),
            state=order.state,
            is_open=order.is_open,
            quantity=order.quantity,
            quantity_received=order.quantity_received,
            outstanding=order.outstanding,
            urgency=order.urgency,  # type: ignore[arg-type]
            note=order.note,
            requested_by=order.requested_by,
            requested_by_id=order.requested_by_id,
            supplier_id=order.supplier_id,
            supplier_name=order.supplier_name,
            unit_price=price_text(order.price),
            currency=order.price.currency if order.price else None,
            pack_size=order.pack_size,
            packs=order.packs,
            estimated_cost=price_text(order.estimated_cost),
            decided_by=order.decided_by,
            decided_at=order.decided_at,
            reason=order.reason,
            order_number=order.order_number,
            ordered_at=order.ordered_at,
            expected_on=order.expected_on,
            is_overdue=order.is_overdue(today),
            received_at=order.received_at,
            created_at=order.created_at,
            updated_at=order.updated_at,
            version=order.version,
        )


class RequestedOrder(OrderResponse):
    joined: bool = Field(
        description="True: the part had a request under way already, and this one joined "
        "it (its note was added; nothing else changed)."
    )


class OrderEvent(BaseModel):
    kind: str = Field(
        description="requested, joined, edited, approved, rejected, ordered, received, "
        "cancelled or overdue."
    )
    actor: str | None = Field(description="Username; null for FarLab itself.")
    quantity: int | None
    note: str | None
    at: Timestamp

    @classmethod
    def of(cls, event: OrderEventView) -> OrderEvent:
        return cls(
            kind=event.kind,
            actor=event.actor,
            quantity=event.quantity,
            note=event.note,
            at=event.at,
        )


class OrderWithEvents(OrderResponse):
    events: list[OrderEvent] = Field(description="The timeline, oldest first.")

    @classmethod
    def of_detail(cls, detail: OrderDetail, today: date) -> OrderWithEvents:
        order = OrderResponse.of(detail.order, today)
        return cls(**dict(order), events=[OrderEvent.of(e) for e in detail.events])


class ReceiptResponse(BaseModel):
    order: OrderResponse
    quantity: int = Field(description="Received by this receipt.")
    quantity_in_stock: int = Field(description="The part's stock after it.")
    alert_resolved: bool = Field(description="The part's low-stock alert was resolved by it.")

    @classmethod
    def of(cls, receipt: Receipt, today: date) -> ReceiptResponse:
        return cls(
            order=OrderResponse.of(receipt.order, today),
            quantity=receipt.quantity,
            quantity_in_stock=receipt.part.quantity_in_stock,
            alert_resolved=receipt.alert_resolved,
        )


class OrderHistoryResponse(BaseModel):
    orders: list[OrderResponse] = Field(description="The part's last orders, newest first.")
    observed_lead_days: float | None = Field(
        description="Average days from ordered to fully received, over the last received ones."
    )
    observed_from: int = Field(description="How many received orders that average is over.")
    offer_lead_days: int | None = Field(description="The preferred offer's lead time.")

    @classmethod
    def of(cls, history: PartOrderHistory, today: date) -> OrderHistoryResponse:
        return cls(
            orders=[OrderResponse.of(order, today) for order in history.orders],
            observed_lead_days=history.observed_lead_days,
            observed_from=history.observed_from,
            offer_lead_days=history.offer_lead_days,
        )


# -- bodies ------------------------------------------------------------------------------


class OrderRequest(RequestBody):
    part_id: int = Field(ge=1, le=MAX_ID, description="An active part.")
    quantity: int | None = Field(
        default=None, description=f"{QUANTITY_TEXT} Default: the suggested quantity."
    )
    note: str | None = Field(default=None, description="Up to 2,000 characters; may have lines.")
    urgency: Urgency | None = Field(default=None, description="Default normal.")
    supplier_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="An active supplier; default the preferred."
    )


class OrderEdit(RequestBody):
    """Before it is ordered. Give at least one; a note is added to the notes."""

    quantity: int | None = Field(default=None, description=QUANTITY_TEXT)
    supplier_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    urgency: Urgency | None = None
    note: str | None = None


class ApproveBody(RequestBody):
    note: str | None = Field(default=None, description="Kept in the timeline.")


class ReasonBody(RequestBody):
    reason: str = Field(description="Required: 1 to 2,000 characters; told to the requester.")


class OrderedBody(RequestBody):
    order_number: str = Field(description="The PO or supplier's order number; 1 to 100.")
    supplier_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Default the planned supplier (one is needed)."
    )
    expected_on: date | None = Field(default=None, description="Today up to a year ahead.")
    unit_price: PriceInput = None
    currency: CurrencyInput = None
    quantity: int | None = Field(default=None, description=f"As ordered. {QUANTITY_TEXT}")


class ReceiveBody(RequestBody):
    quantity: int = Field(description=f"Received now. {QUANTITY_TEXT}")
    confirm_over: bool = Field(
        default=False,
        description="True to receive more than is still to come (without it: a 422 on "
        "`quantity` asking to confirm).",
    )
    note: str | None = None
