"""Supplier, offer and reorder-level bodies and responses. Prices travel as decimal strings
(``"12.50"``) with their ISO 4217 currency; a body may send a price as a number or a string."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, Field

from api.schemas.common import MAX_ID, RequestBody, Timestamp
from domain.money import Money
from domain.order_results import OfferView, SupplierView
from domain.results import PartView

PRICE_TEXT = 'A decimal string with the currency\'s decimal places (`"12.50"`); null when unknown.'
PriceInput = Annotated[
    Decimal | None,
    Field(description='0 or more, as a number or a string (`12.5`, `"12.50"`); null: unknown.'),
]
CurrencyInput = Annotated[
    str | None, Field(description="An ISO 4217 code (`EUR`, `usd`); default the lab's currency.")
]


def price_text(price: Money | None) -> str | None:
    return price.decimal_text if price else None


def sent_fields(body: BaseModel) -> dict[str, Any]:
    """The fields a body carried, as sent (null included): a partial change."""
    return body.model_dump(include=body.model_fields_set)


class SupplierResponse(BaseModel):
    id: int
    name: str
    website: str | None
    email: str | None
    phone: str | None
    account_number: str | None
    notes: str | None
    is_active: bool = Field(description="False once deactivated: no new offer or order names it.")
    offer_count: int = Field(description="How many parts it has offers for.")
    created_at: Timestamp
    updated_at: Timestamp | None

    @classmethod
    def of(cls, supplier: SupplierView) -> SupplierResponse:
        return cls(
            id=supplier.id,
            name=supplier.name,
            website=supplier.website,
            email=supplier.email,
            phone=supplier.phone,
            account_number=supplier.account_number,
            notes=supplier.notes,
            is_active=supplier.is_active,
            offer_count=supplier.offer_count,
            created_at=supplier.created_at,
            updated_at=supplier.updated_at,
        )


class SupplierCreate(RequestBody):
    name: str = Field(description="Unique in any case; 1 to 100 characters, one line.")
    website: str | None = Field(default=None, description="Up to 500 characters.")
    email: str | None = Field(default=None, description="A contact e-mail address.")
    phone: str | None = Field(default=None, description="Up to 50 characters.")
    account_number: str | None = Field(default=None, description="The lab's account with them.")
    notes: str | None = Field(default=None, description="Up to 2,000 characters; may have lines.")


class SupplierUpdate(RequestBody):
    """Partial: only the fields sent change; a null text clears it. `is_active: false`
    deactivates the supplier (suppliers are never deleted), `true` reactivates it."""

    name: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    account_number: str | None = None
    notes: str | None = None
    is_active: bool | None = None


class OfferResponse(BaseModel):
    id: int
    part_id: int
    supplier_id: int
    supplier_name: str
    supplier_active: bool
    supplier_part_number: str | None
    unit_price: str | None = Field(description=f"Per pack. {PRICE_TEXT}")
    currency: str
    pack_size: int = Field(description="Units of the part in one pack (the order unit).")
    minimum_order: int = Field(description="The fewest packs the supplier sells.")
    lead_time_days: int | None
    order_url: str | None
    is_preferred: bool = Field(description="The part's one preferred offer.")

    @classmethod
    def of(cls, offer: OfferView) -> OfferResponse:
        return cls(
            id=offer.id,
            part_id=offer.part_id,
            supplier_id=offer.supplier_id,
            supplier_name=offer.supplier_name,
            supplier_active=offer.supplier_active,
            supplier_part_number=offer.supplier_part_number,
            unit_price=price_text(offer.price),
            currency=offer.currency,
            pack_size=offer.pack_size,
            minimum_order=offer.minimum_order,
            lead_time_days=offer.lead_time_days,
            order_url=offer.order_url,
            is_preferred=offer.is_preferred,
        )


class OfferFields(RequestBody):
    supplier_part_number: str | None = Field(default=None, description="Up to 100 characters.")
    unit_price: PriceInput = None
    currency: CurrencyInput = None
    pack_size: int | None = Field(default=None, description="1 to 100,000; default 1.")
    minimum_order: int | None = Field(default=None, description="In packs, 1 to 100,000.")
    lead_time_days: int | None = Field(default=None, description="0 to 365 days.")
    order_url: str | None = Field(default=None, description="Starts with https:// or http://.")
    is_preferred: bool | None = Field(
        default=None, description="True makes it the part's preferred offer (one per part)."
    )


class OfferCreate(OfferFields):
    supplier_id: int = Field(ge=1, le=MAX_ID, description="An active supplier.")

    def domain_fields(self) -> dict[str, Any]:
        return self.model_dump(exclude={"supplier_id"}, exclude_none=True)


class OfferUpdate(OfferFields):
    """Partial: only the fields sent change. A price in another currency needs the price
    sent again."""

    def domain_changes(self) -> dict[str, Any]:
        return sent_fields(self)


class ReorderLevels(RequestBody):
    """How much a reorder asks for: `target_stock` refills to that level; otherwise
    `reorder_quantity` is asked for. Both replace what was set (null or missing clears)."""

    reorder_quantity: int | None = Field(default=None, description="1 to 100,000, or null.")
    target_stock: int | None = Field(default=None, description="1 to 100,000, or null.")


class ReorderLevelsResponse(BaseModel):
    part_id: int
    part_number: str
    quantity_in_stock: int
    minimum_stock_level: int
    reorder_quantity: int | None
    target_stock: int | None

    @classmethod
    def of(cls, part: PartView) -> ReorderLevelsResponse:
        return cls(
            part_id=part.id,
            part_number=part.part_number,
            quantity_in_stock=part.quantity_in_stock,
            minimum_stock_level=part.minimum_stock_level,
            reorder_quantity=part.reorder_quantity,
            target_stock=part.target_stock,
        )
