"""``{prefix}/instruments``: records, status, and the parts each instrument needs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import Ctx, CurrentActor, ViewerActor
from api.schemas.common import MAX_ID, errors, path_id
from api.schemas.instruments import (
    InstrumentCreate,
    InstrumentPartCreate,
    InstrumentPartResponse,
    InstrumentResponse,
    InstrumentStatusUpdate,
    InstrumentUpdate,
)
from domain import instrument_listings, instruments

router = APIRouter(tags=["instruments"])

InstrumentId = Annotated[int, path_id("instrument")]
PartId = Annotated[int, path_id("part")]


@router.get("/", response_model=list[InstrumentResponse])
def list_instruments(
    ctx: Ctx,
    actor: ViewerActor,
    skip: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> list[InstrumentResponse]:
    """Active instruments by name, each with the parts it needs. Open: no token needed.
    The default `limit` (1000) returns them all, as the web UI expects."""
    page = instrument_listings.list_instruments_with_parts(
        ctx, actor=actor, offset=skip, limit=limit
    )
    return [InstrumentResponse.of_needs(needs) for needs in page.items]


@router.get("/{instrument_id}", response_model=InstrumentResponse, responses=errors(404))
def get_instrument(instrument_id: InstrumentId, ctx: Ctx, actor: ViewerActor) -> InstrumentResponse:
    """One instrument, active or not, with the parts it needs. Open: no token needed."""
    needs = instruments.instrument_needs(ctx, actor=actor, instrument_id=instrument_id)
    return InstrumentResponse.of_needs(needs)


@router.post(
    "/", status_code=201, response_model=InstrumentResponse, responses=errors(401, 403, 409)
)
def create_instrument(body: InstrumentCreate, ctx: Ctx, actor: CurrentActor) -> InstrumentResponse:
    """Create an instrument (managers and admins). `manufacturer` and `serial_number` may
    be left out. A taken name (any case) or serial number is a 409."""
    view = instruments.create_instrument(ctx, actor=actor, **body.model_dump())
    return InstrumentResponse.of(view)


@router.patch(
    "/{instrument_id}", response_model=InstrumentResponse, responses=errors(401, 403, 404, 409)
)
def update_instrument(
    instrument_id: InstrumentId, body: InstrumentUpdate, ctx: Ctx, actor: CurrentActor
) -> InstrumentResponse:
    """Change an instrument (managers and admins); only the fields sent change."""
    needs = instrument_listings.update_instrument_with_parts(
        ctx, actor=actor, instrument_id=instrument_id, **body.domain_changes()
    )
    return InstrumentResponse.of_needs(needs)


@router.delete(
    "/{instrument_id}",
    status_code=204,
    response_class=Response,
    responses=errors(401, 403, 404),
)
def delete_instrument(instrument_id: InstrumentId, ctx: Ctx, actor: CurrentActor) -> Response:
    """Delete an instrument and its links (managers and admins)."""
    instruments.delete_instrument(ctx, actor=actor, instrument_id=instrument_id)
    return Response(status_code=204)


@router.post(
    "/instruments/{instrument_id}/parts/{part_id}",
    response_model=InstrumentPartResponse,
    responses=errors(401, 403, 404, 409),
)
def link_part(
    instrument_id: InstrumentId,
    part_id: PartId,
    body: InstrumentPartCreate,
    ctx: Ctx,
    actor: CurrentActor,
) -> InstrumentPartResponse:
    """Link a part to the instrument (managers and admins); the path really repeats
    `instruments`. The ids in the path are used; those in the body are only checked to be
    ids. 409 if they are linked already."""
    link = instrument_listings.link_part_as_stored(
        ctx,
        actor=actor,
        instrument_id=instrument_id,
        part_id=part_id,
        quantity_required=body.quantity_required,
        is_critical=body.is_critical,
    )
    return InstrumentPartResponse.of(link)


@router.put(
    "/{instrument_id}/status",
    response_model=InstrumentResponse,
    responses=errors(401, 403, 404),
)
@router.post(
    "/{instrument_id}/status",
    response_model=InstrumentResponse,
    responses=errors(401, 403, 404),
)
def set_status(
    instrument_id: InstrumentId, body: InstrumentStatusUpdate, ctx: Ctx, actor: CurrentActor
) -> InstrumentResponse:
    """Added: set the status (operational, maintenance, out_of_service) with a note; the
    change is kept in the instrument's history (managers and admins)."""
    needs = instrument_listings.set_status_with_parts(
        ctx, actor=actor, instrument_id=instrument_id, status=body.status, note=body.note
    )
    return InstrumentResponse.of_needs(needs)
