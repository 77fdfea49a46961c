"""``{prefix}/parts``: records, stock moves, links to instruments, search, ledger.

Routes are declared in the original API's order, which decides how paths match (so
``/parts/search`` without the slash is read as a part id and answers 422, as it did).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import Ctx, CurrentActor, ViewerActor
from api.schemas.common import MAX_ID, SearchText, errors, path_id
from api.schemas.parts import (
    MovementResponse,
    PartCreate,
    PartRecord,
    PartResponse,
    PartUpdate,
    StockUpdate,
)
from domain import part_listings, parts, stock

router = APIRouter(tags=["parts"])

PartId = Annotated[int, path_id("part")]
InstrumentId = Annotated[int, path_id("instrument")]
Skip = Annotated[int, Query(ge=0, le=MAX_ID, description="How many to skip.")]


@router.post(
    "/", status_code=201, response_model=PartResponse, responses=errors(401, 403, 404, 409)
)
def create_part(body: PartCreate, ctx: Ctx, actor: CurrentActor) -> PartResponse:
    """Create a part (managers and admins), linked to `instrument_ids` (or `instrument_id`).

    A missing `name` is a 422, not a 500. A taken part number (in any case) is a 409. The
    initial stock is written to the stock ledger.
    """
    listing = part_listings.create_part_with_uses(
        ctx, actor=actor, source="api", **body.domain_fields()
    )
    return PartResponse.of(listing)


@router.patch("/{part_id}", response_model=PartResponse, responses=errors(401, 403, 404, 409))
def update_part(part_id: PartId, body: PartUpdate, ctx: Ctx, actor: CurrentActor) -> PartResponse:
    """Change a part (managers and admins); the whole part object may be sent back.

    `quantity_in_stock` is absolute: when it differs from the stock, the difference is
    recorded in the stock ledger as a count (source `api`), in the same transaction as the
    other changes. Low-stock alerts are opened or resolved to match.
    """
    listing = part_listings.edit_part(
        ctx, actor=actor, part_id=part_id, source="api", **body.domain_changes()
    )
    return PartResponse.of(listing)


@router.post(
    "/{part_id}/instruments/{instrument_id}",
    response_model=PartResponse,
    responses=errors(400, 401, 403, 404, 409),
)
def link_instrument(
    part_id: PartId,
    instrument_id: InstrumentId,
    ctx: Ctx,
    actor: CurrentActor,
    quantity_required: Annotated[int, Query(ge=-MAX_ID, le=MAX_ID)] = 1,
    is_critical: bool = False,
) -> PartResponse:
    """Link the part to an instrument (managers and admins). 409 if they are linked already;
    a link removed earlier can be made again. 400 if `quantity_required` is below 1."""
    listing = part_listings.link_part_with_uses(
        ctx,
        actor=actor,
        part_id=part_id,
        instrument_id=instrument_id,
        quantity_required=quantity_required,
        is_critical=is_critical,
    )
    return PartResponse.of(listing)


@router.delete(
    "/{part_id}/instruments/{instrument_id}",
    response_model=None,
    responses=errors(401, 403, 404),
)
def unlink_instrument(
    part_id: PartId, instrument_id: InstrumentId, ctx: Ctx, actor: CurrentActor
) -> None:
    """Remove the link (managers and admins); answers 200 with `null`."""
    parts.unlink_part(ctx, actor=actor, instrument_id=instrument_id, part_id=part_id)


@router.put(
    "/{part_id}/instruments/{instrument_id}",
    response_model=PartRecord,
    responses=errors(400, 401, 403, 404),
)
def update_instrument_link(
    part_id: PartId,
    instrument_id: InstrumentId,
    ctx: Ctx,
    actor: CurrentActor,
    quantity_required: Annotated[int | None, Query(ge=-MAX_ID, le=MAX_ID)] = None,
    is_critical: bool | None = None,
) -> PartRecord:
    """Change a link's `quantity_required` and/or `is_critical` (at least one; else 400).
    Answers with the part's record, without its instruments."""
    use = parts.update_link(
        ctx,
        actor=actor,
        instrument_id=instrument_id,
        part_id=part_id,
        quantity_required=quantity_required,
        is_critical=is_critical,
    )
    return PartRecord.of(use.part)


@router.delete(
    "/{part_id}", status_code=204, response_class=Response, responses=errors(401, 403, 404)
)
def delete_part(part_id: PartId, ctx: Ctx, actor: CurrentActor) -> Response:
    """Delete a part with its links, ledger and alerts (managers and admins)."""
    parts.delete_part(ctx, actor=actor, part_id=part_id)
    return Response(status_code=204)


@router.post("/{part_id}/stock", response_model=PartResponse, responses=errors(401, 403, 404, 409))
def change_stock(part_id: PartId, body: StockUpdate, ctx: Ctx, actor: CurrentActor) -> PartResponse:
    """Add (positive) or take (negative) stock; every role may. The move and its `reason`
    are kept in the stock ledger (source `api`). Taking more than there is answers 409
    naming what is available, and changes nothing. A change of 0 is a 422."""
    listing = part_listings.adjust_stock_with_uses(
        ctx,
        actor=actor,
        part_id=part_id,
        delta=body.quantity_change,
        reason=body.reason,
        source="api",
    )
    return PartResponse.of(listing)


@router.get("/search/", response_model=list[PartResponse], responses=errors(400, 401, 403))
def search_parts(
    ctx: Ctx,
    actor: CurrentActor,
    q: Annotated[
        SearchText,
        Query(min_length=1, description="At least 2 characters once trimmed; one line."),
    ],
    skip: Skip = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[PartResponse]:
    """Active parts whose number, name, category or manufacturer hold every word of `q`,
    in any order and any case (Unicode case folding); a word of one or two characters
    must start a word. An exact part number comes first, then the order the parts were
    added. At most `limit` at a time: 50 unless asked for more (up to 200); page on with
    `skip`. A search answers at most 200 matches (when more match, the first 200 found),
    so pages past them are empty: add a word to narrow it. (The original returned every
    match at once.)"""
    page = part_listings.search_parts_with_uses(ctx, actor=actor, query=q, offset=skip, limit=limit)
    return [PartResponse.of(listing) for listing in page.items]


@router.get("/", response_model=list[PartResponse])
def list_parts(
    ctx: Ctx,
    actor: ViewerActor,
    instrument_id: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="Only parts linked to it; 0 means all.")
    ] = None,
    skip: Skip = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> list[PartResponse]:
    """Active parts by part number. Open: no token needed. The default `limit` (1000)
    returns a whole lab's parts at once, as the web UI expects."""
    page = part_listings.list_parts_with_uses(
        ctx, actor=actor, instrument_id=instrument_id or None, offset=skip, limit=limit
    )
    return [PartResponse.of(listing) for listing in page.items]


@router.get("/{part_id}", response_model=PartResponse, responses=errors(404))
def get_part(part_id: PartId, ctx: Ctx, actor: ViewerActor) -> PartResponse:
    """One part, active or not. Open: no token needed."""
    return PartResponse.of(part_listings.get_part_with_uses(ctx, actor=actor, part_id=part_id))


@router.get(
    "/{part_id}/history", response_model=list[MovementResponse], responses=errors(401, 403, 404)
)
def part_history(
    part_id: PartId,
    ctx: Ctx,
    actor: CurrentActor,
    skip: Skip = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[MovementResponse]:
    """Added: the part's stock ledger, newest first: who moved how much, why and from where."""
    page = stock.part_history(ctx, actor=actor, part_id=part_id, offset=skip, limit=limit)
    return [MovementResponse.of(row) for row in page.items]
