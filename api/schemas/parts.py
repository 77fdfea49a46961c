"""Part bodies and responses. Field names and order follow the original API; our extra
read-only fields come after them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from api.schemas.common import MAX_ID, RequestBody, Timestamp
from domain.results import MovementView, PartListing, PartUse, PartView

Quantity = Annotated[int, Field(ge=0, le=100_000)]
InstrumentId = Annotated[int, Field(ge=1, le=MAX_ID)]


class PartInstrument(BaseModel):
    """An instrument that uses the part (an active link)."""

    id: int
    name: str
    model: str
    location: str | None
    quantity_required: int = Field(description="Added: how many the instrument needs.")
    is_critical: bool = Field(description="Added: the part is critical for this instrument.")

    @classmethod
    def of(cls, use: PartUse) -> PartInstrument:
        return cls(
            id=use.instrument_id,
            name=use.instrument_name,
            model=use.instrument_model,
            location=use.instrument_location,
            quantity_required=use.quantity_required,
            is_critical=use.is_critical,
        )


class PartResponse(BaseModel):
    part_number: str
    name: str
    description: str | None
    category: str | None
    manufacturer: str | None
    quantity_in_stock: int
    minimum_stock_level: int
    is_active: bool
    id: int
    stock_status: Literal["In stock", "Low stock", "Out of stock"]
    is_low_stock: bool = Field(description="Stock at or below a minimum above zero.")
    created_at: Timestamp
    updated_at: Timestamp | None = Field(description="Null until the first change.")
    instruments: list[PartInstrument]
    unit_of_measure: str = Field(description="Added, read-only.")
    location: str | None = Field(description="Added, read-only: where the part is kept.")
    is_critical: bool = Field(description="Added, read-only: the part's own critical flag.")

    @classmethod
    def of(cls, listing: PartListing) -> PartResponse:
        part = listing.part
        return cls(
            part_number=part.part_number,
            name=part.name,
            description=part.description,
            category=part.category,
            manufacturer=part.manufacturer,
            quantity_in_stock=part.quantity_in_stock,
            minimum_stock_level=part.minimum_stock_level,
            is_active=part.is_active,
            id=part.id,
            stock_status=part.stock_status,  # type: ignore[arg-type]
            is_low_stock=part.is_low_stock,
            created_at=part.created_at,
            updated_at=part.updated_at,
            instruments=[PartInstrument.of(use) for use in listing.uses],
            unit_of_measure=part.unit_of_measure,
            location=part.location,
            is_critical=part.is_critical,
        )


class PartRecord(BaseModel):
    """The part's stored record, without instruments (the link update answers with it)."""

    name: str
    part_number: str
    category: str | None
    quantity_in_stock: int
    unit_of_measure: str
    is_active: bool
    updated_at: Timestamp | None
    description: str | None
    id: int
    manufacturer: str | None
    minimum_stock_level: int
    is_critical: bool
    created_at: Timestamp
    location: str | None = Field(description="Added, read-only.")

    @classmethod
    def of(cls, part: PartView) -> PartRecord:
        return cls(
            name=part.name,
            part_number=part.part_number,
            category=part.category,
            quantity_in_stock=part.quantity_in_stock,
            unit_of_measure=part.unit_of_measure,
            is_active=part.is_active,
            updated_at=part.updated_at,
            description=part.description,
            id=part.id,
            manufacturer=part.manufacturer,
            minimum_stock_level=part.minimum_stock_level,
            is_critical=part.is_critical,
            created_at=part.created_at,
            location=part.location,
        )


class PartCreate(RequestBody):
    """Other fields (`is_critical`, `unit_of_measure`, `stock_status`, ...) are ignored."""

    part_number: str = Field(min_length=1, max_length=100)
    name: str | None = Field(default=None, min_length=1, max_length=200, description="Required.")
    description: str | None = Field(default=None, max_length=5000)
    category: str | None = Field(default=None, max_length=100)
    manufacturer: str | None = Field(default=None, max_length=100)
    quantity_in_stock: Quantity | None = Field(default=None, description="Null means 0.")
    minimum_stock_level: Quantity | None = Field(default=None, description="Null means 0.")
    is_active: bool | None = None
    instrument_id: InstrumentId | None = Field(
        default=None, description="Used when `instrument_ids` is empty."
    )
    instrument_ids: list[InstrumentId] | None = Field(
        default=None, description="Instruments to link; each must exist."
    )

    def domain_fields(self) -> dict[str, Any]:
        ids = self.instrument_ids or ([self.instrument_id] if self.instrument_id else [])
        fields: dict[str, Any] = {
            "part_number": self.part_number,
            "name": self.name,
            "description": self.description,
            "category": self.category,
            "manufacturer": self.manufacturer,
            "quantity_in_stock": self.quantity_in_stock or 0,
            "minimum_stock_level": self.minimum_stock_level or 0,
            "instrument_ids": tuple(ids),
        }
        if self.is_active is not None:
            fields["is_active"] = self.is_active
        return fields


class PartUpdate(RequestBody):
    """Partial. Other fields (`part_number`, `instrument_ids`, `is_critical`, `id`, ...)
    are ignored, so a whole part object can be sent back."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    category: str | None = Field(default=None, max_length=100)
    manufacturer: str | None = Field(default=None, max_length=100)
    quantity_in_stock: Quantity | None = Field(
        default=None, description="Absolute; a change is recorded in the ledger as a count."
    )
    minimum_stock_level: Quantity | None = None
    is_active: bool | None = None

    def domain_changes(self) -> dict[str, Any]:
        """The fields sent; a null number or flag means "unchanged", a null text clears it."""
        changes = self.model_dump(include=self.model_fields_set)
        for name in ("quantity_in_stock", "minimum_stock_level", "is_active"):
            if changes.get(name, 0) is None:
                del changes[name]
        return changes


class StockUpdate(RequestBody):
    quantity_change: int = Field(
        ge=-10_000, le=10_000, description="Added (positive) or taken (negative); not 0."
    )
    reason: str | None = Field(default=None, max_length=500, description="Kept in the ledger.")


class MovementResponse(BaseModel):
    """One row of a part's stock ledger."""

    id: int
    part_id: int
    delta: int
    quantity_after: int
    reason: str | None
    source: str = Field(description="Where the move was made: slack, api, import or system.")
    actor_id: int | None
    actor_username: str | None
    instrument_id: int | None
    instrument_name: str | None
    created_at: Timestamp

    @classmethod
    def of(cls, row: MovementView) -> MovementResponse:
        return cls(
            id=row.id,
            part_id=row.part_id,
            delta=row.delta,
            quantity_after=row.quantity_after,
            reason=row.reason,
            source=row.source,
            actor_id=row.actor_id,
            actor_username=row.actor_username,
            instrument_id=row.instrument_id,
            instrument_name=row.instrument_name,
            created_at=row.created_at,
        )
