"""``{prefix}/parts/{id}/offers``, ``.../reorder-levels`` and ``.../orders/history``
(added): where a part is bought, how much a reorder asks for, and its last orders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import Ctx, CurrentActor
from api.schemas.common import errors, path_id
from api.schemas.orders import OrderHistoryResponse
from api.schemas.suppliers import (
    OfferCreate,
    OfferResponse,
    OfferUpdate,
    ReorderLevels,
    ReorderLevelsResponse,
)
from domain import ordering, suppliers
from domain.context import DomainContext
from domain.errors import NotFound
from domain.permissions import Actor

router = APIRouter()

PartId = Annotated[int, path_id("part")]
OfferId = Annotated[int, path_id("offer")]


def _offer_of_part(ctx: DomainContext, actor: Actor, part_id: int, offer_id: int) -> None:
    """404 unless the offer is one of the part's (an offer is addressed under its part)."""
    offers = suppliers.list_offers(ctx, actor=actor, part_id=part_id)
    if all(offer.id != offer_id for offer in offers):
        raise NotFound("Offer not found.")


@router.get(
    "/{part_id}/offers",
    tags=["suppliers"],
    response_model=list[OfferResponse],
    responses=errors(401, 403, 404),
)
def list_offers(part_id: PartId, ctx: Ctx, actor: CurrentActor) -> list[OfferResponse]:
    """The part's offers, the preferred one first."""
    return [OfferResponse.of(o) for o in suppliers.list_offers(ctx, actor=actor, part_id=part_id)]


@router.post(
    "/{part_id}/offers",
    tags=["suppliers"],
    status_code=201,
    response_model=OfferResponse,
    responses=errors(401, 403, 404, 409),
)
def create_offer(
    part_id: PartId, body: OfferCreate, ctx: Ctx, actor: CurrentActor
) -> OfferResponse:
    """Add an active supplier's offer for the part (managers and admins): its price per
    pack, pack size, minimum order in packs, lead time. `is_preferred` makes it the part's
    one preferred offer (another stops being so). 409 if the supplier has an offer for the
    part already; a deactivated supplier is a 422 on `supplier_id`."""
    offer = suppliers.add_offer(
        ctx, actor=actor, part_id=part_id, supplier_id=body.supplier_id, **body.domain_fields()
    )
    return OfferResponse.of(offer)


@router.patch(
    "/{part_id}/offers/{offer_id}",
    tags=["suppliers"],
    response_model=OfferResponse,
    responses=errors(401, 403, 404),
)
def update_offer(
    part_id: PartId, offer_id: OfferId, body: OfferUpdate, ctx: Ctx, actor: CurrentActor
) -> OfferResponse:
    """Change the fields sent (managers and admins)."""
    _offer_of_part(ctx, actor, part_id, offer_id)
    offer = suppliers.update_offer(ctx, actor=actor, offer_id=offer_id, **body.domain_changes())
    return OfferResponse.of(offer)


@router.delete(
    "/{part_id}/offers/{offer_id}",
    tags=["suppliers"],
    status_code=204,
    response_class=Response,
    responses=errors(401, 403, 404),
)
def delete_offer(part_id: PartId, offer_id: OfferId, ctx: Ctx, actor: CurrentActor) -> Response:
    """Remove the offer (managers and admins); past orders keep their supplier and price."""
    _offer_of_part(ctx, actor, part_id, offer_id)
    suppliers.remove_offer(ctx, actor=actor, offer_id=offer_id)
    return Response(status_code=204)


@router.put(
    "/{part_id}/reorder-levels",
    tags=["suppliers"],
    response_model=ReorderLevelsResponse,
    responses=errors(401, 403, 404),
)
def set_reorder_levels(
    part_id: PartId, body: ReorderLevels, ctx: Ctx, actor: CurrentActor
) -> ReorderLevelsResponse:
    """How much a reorder of the part asks for (managers and admins): enough to refill to
    `target_stock`, else `reorder_quantity`; with neither, twice the minimum less the
    stock. Then rounded up to whole packs and the minimum order of the preferred offer."""
    part = suppliers.set_reorder_levels(
        ctx,
        actor=actor,
        part_id=part_id,
        reorder_quantity=body.reorder_quantity,
        target_stock=body.target_stock,
    )
    return ReorderLevelsResponse.of(part)


@router.get(
    "/{part_id}/orders/history",
    tags=["orders"],
    response_model=OrderHistoryResponse,
    responses=errors(401, 403, 404),
)
def part_order_history(
    part_id: PartId,
    ctx: Ctx,
    actor: CurrentActor,
    limit: Annotated[int, Query(ge=1, le=50, description="How many orders.")] = 5,
) -> OrderHistoryResponse:
    """The part's last orders and the lead time its received orders actually took (from
    ordered to fully received), beside the preferred offer's lead time."""
    history = ordering.part_order_history(ctx, actor=actor, part_id=part_id, limit=limit)
    return OrderHistoryResponse.of(history, ctx.now().date())
