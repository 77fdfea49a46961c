"""Instrument bodies and responses, in the original API's field order plus our additions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from api.schemas.common import MAX_ID, RequestBody, Timestamp, one_of
from domain.results import InstrumentNeeds, InstrumentView, LinkView, PartUse
from domain.vocabulary import InstrumentStatus


class InstrumentPart(BaseModel):
    """A part the instrument needs (an active link)."""

    id: int
    part_number: str
    name: str
    quantity_in_stock: int
    is_critical: bool = Field(description="The part's own critical flag.")
    quantity_required: int = Field(description="Added: how many the instrument needs.")
    critical_for_instrument: bool = Field(
        description="Added: the link marks the part critical for this instrument."
    )

    @classmethod
    def of(cls, use: PartUse) -> InstrumentPart:
        return cls(
            id=use.part.id,
            part_number=use.part.part_number,
            name=use.part.name,
            quantity_in_stock=use.part.quantity_in_stock,
            is_critical=use.part.is_critical,
            quantity_required=use.quantity_required,
            critical_for_instrument=use.is_critical,
        )


class InstrumentResponse(BaseModel):
    name: str
    model: str
    manufacturer: str | None
    serial_number: str | None
    location: str | None
    description: str | None
    id: int
    is_active: bool
    created_at: Timestamp
    updated_at: Timestamp | None = Field(description="Null until the first change.")
    parts: list[InstrumentPart]
    status: Annotated[InstrumentStatus, one_of("Status", *InstrumentStatus)] = Field(
        description="Added: operational, maintenance or out of service."
    )

    @classmethod
    def of(cls, view: InstrumentView, uses: tuple[PartUse, ...] = ()) -> InstrumentResponse:
        return cls(
            name=view.name,
            model=view.model,
            manufacturer=view.manufacturer,
            serial_number=view.serial_number,
            location=view.location,
            description=view.description,
            id=view.id,
            is_active=view.is_active,
            created_at=view.created_at,
            updated_at=view.updated_at,
            parts=[InstrumentPart.of(use) for use in uses],
            status=view.status,
        )

    @classmethod
    def of_needs(cls, needs: InstrumentNeeds) -> InstrumentResponse:
        return cls.of(needs.instrument, needs.parts)


class InstrumentCreate(RequestBody):
    name: str = Field(min_length=1, max_length=100)
    model: str = Field(min_length=1, max_length=100)
    manufacturer: str | None = Field(default=None, max_length=100)
    serial_number: str | None = Field(default=None, max_length=100, description="Unique.")
    location: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=5000)


class InstrumentUpdate(RequestBody):
    """Partial; only the fields sent are changed (a null text clears it)."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    model: str | None = Field(default=None, min_length=1, max_length=100)
    manufacturer: str | None = Field(default=None, max_length=100)
    serial_number: str | None = Field(default=None, max_length=100)
    location: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    is_active: bool | None = None

    def domain_changes(self) -> dict[str, Any]:
        changes = self.model_dump(include=self.model_fields_set)
        if changes.get("is_active", False) is None:
            del changes["is_active"]
        return changes


class InstrumentStatusUpdate(RequestBody):
    status: Literal["operational", "maintenance", "out_of_service"]
    note: str | None = Field(default=None, max_length=1000, description="Why; kept in history.")


class InstrumentPartCreate(RequestBody):
    """Body of the link route under the doubled path; the ids in the path are the ones used."""

    instrument_id: int = Field(ge=1, le=MAX_ID)
    part_id: int = Field(ge=1, le=MAX_ID)
    quantity_required: int = Field(default=1, ge=1, le=100_000)
    is_critical: bool = False
    installation_notes: str | None = Field(default=None, description="Accepted, not stored.")


class InstrumentPartResponse(BaseModel):
    instrument_id: int
    part_id: int
    quantity_required: int
    is_critical: bool
    installation_notes: None = None
    id: int
    is_active: bool
    created_at: Timestamp
    updated_at: Timestamp | None

    @classmethod
    def of(cls, link: LinkView) -> InstrumentPartResponse:
        return cls(
            instrument_id=link.instrument_id,
            part_id=link.part_id,
            quantity_required=link.quantity_required,
            is_critical=link.is_critical,
            id=link.id,
            is_active=link.is_active,
            created_at=link.created_at,
            updated_at=link.updated_at,
        )
