"""``{prefix}/orders``: reorder requests and their steps (added), with the same state
machine and role table as Slack:

requested -> approved | rejected; approved -> ordered | cancelled;
ordered -> received (in one or more receipts) | cancelled.

Members (and up) request and read; managers and admins take the steps. Any other step is
a 409 naming the order's state now.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.deps import Ctx, CurrentActor
from api.schemas.common import MAX_ID, ErrorMessage, errors, path_id
from api.schemas.orders import (
    ApproveBody,
    OrderedBody,
    OrderEdit,
    OrderRequest,
    OrderResponse,
    OrderWithEvents,
    ReasonBody,
    ReceiptResponse,
    ReceiveBody,
    RequestedOrder,
    StateFilter,
)
from domain import order_steps, ordering
from domain.context import DomainContext

router = APIRouter(tags=["orders"])

OrderId = Annotated[int, path_id("order")]
STEP_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ErrorMessage,
        "description": "The order is not in a state this step starts from: the message names "
        "its state now (e.g. `Order #4 is rejected now: it cannot be approved.`).",
    }
}
STEP_ERRORS: dict[int | str, dict[str, Any]] = {**errors(401, 403, 404), **STEP_CONFLICT}


def _today(ctx: DomainContext) -> Any:
    return ctx.now().date()


@router.get("/", response_model=list[OrderResponse], responses=errors(401, 403))
def list_orders(
    ctx: Ctx,
    actor: CurrentActor,
    state: Annotated[StateFilter | None, Query(description="A state, or `open`.")] = None,
    part_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this part's.")] = None,
    skip: Annotated[int, Query(ge=0, le=MAX_ID, description="How many to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
) -> list[OrderResponse]:
    """Orders, newest first: all of them, or those in `state` (`open`: requested, approved
    or ordered), of one part with `part_id`."""
    page = ordering.list_orders(
        ctx,
        actor=actor,
        states=state.value if state else None,
        part_id=part_id,
        offset=skip,
        limit=limit,
    )
    return [OrderResponse.of(order, _today(ctx)) for order in page.items]


@router.post(
    "/",
    status_code=201,
    response_model=RequestedOrder,
    responses={
        200: {"model": RequestedOrder, "description": "Joined the part's open request."},
        201: {"model": RequestedOrder, "description": "A new request."},
        **errors(401, 403, 404),
    },
)
def request_order(
    body: OrderRequest, response: Response, ctx: Ctx, actor: CurrentActor
) -> RequestedOrder:
    """Ask for more of a part (members and up): the suggested quantity unless `quantity`
    is given, from the preferred offer's supplier unless `supplier_id` is. A part has one
    request under way at most: when it has one, this joins it (200, `joined: true`, the
    note added, nothing else changed); otherwise 201. An inactive part (`part_id`) or a
    deactivated supplier (`supplier_id`) is a 422."""
    outcome = ordering.request_reorder(
        ctx,
        actor=actor,
        part_id=body.part_id,
        quantity=body.quantity,
        note=body.note,
        urgency_level=body.urgency,
        supplier_id=body.supplier_id,
    )
    if outcome.joined:
        response.status_code = 200
    order = OrderResponse.of(outcome.order, _today(ctx))
    return RequestedOrder(**dict(order), joined=outcome.joined)


@router.get("/{order_id}", response_model=OrderWithEvents, responses=errors(401, 403, 404))
def read_order(order_id: OrderId, ctx: Ctx, actor: CurrentActor) -> OrderWithEvents:
    """One order with its timeline: requested, approved, ordered, received (who, when)."""
    detail = ordering.get_order(ctx, actor=actor, order_id=order_id)
    return OrderWithEvents.of_detail(detail, _today(ctx))


@router.patch("/{order_id}", response_model=OrderResponse, responses=STEP_ERRORS)
def edit_order(order_id: OrderId, body: OrderEdit, ctx: Ctx, actor: CurrentActor) -> OrderResponse:
    """Change a requested or approved order (managers and admins): `quantity`,
    `supplier_id` (its offer's pack size and price come with it), `urgency`; a `note` is
    added to the notes. Nothing to change is a 422."""
    order = order_steps.edit_order(
        ctx,
        actor=actor,
        order_id=order_id,
        quantity=body.quantity,
        supplier_id=body.supplier_id,
        urgency_level=body.urgency,
        note=body.note,
    )
    return OrderResponse.of(order, _today(ctx))


@router.post("/{order_id}/approve", response_model=OrderResponse, responses=STEP_ERRORS)
def approve_order(
    order_id: OrderId, ctx: Ctx, actor: CurrentActor, body: ApproveBody | None = None
) -> OrderResponse:
    """Approve a requested order (managers and admins). With four-eyes approval on, the
    requester may not approve their own request (403). The requester is told in Slack."""
    note = body.note if body else None
    order = order_steps.approve_order(ctx, actor=actor, order_id=order_id, note=note)
    return OrderResponse.of(order, _today(ctx))


@router.post("/{order_id}/reject", response_model=OrderResponse, responses=STEP_ERRORS)
def reject_order(
    order_id: OrderId, body: ReasonBody, ctx: Ctx, actor: CurrentActor
) -> OrderResponse:
    """Reject a requested order with a `reason` (managers and admins); the requester is
    told in Slack, with the reason."""
    order = order_steps.reject_order(ctx, actor=actor, order_id=order_id, reason=body.reason)
    return OrderResponse.of(order, _today(ctx))


@router.post("/{order_id}/order", response_model=OrderResponse, responses=STEP_ERRORS)
def mark_ordered(
    order_id: OrderId, body: OrderedBody, ctx: Ctx, actor: CurrentActor
) -> OrderResponse:
    """Mark an approved order as ordered (managers and admins): its `order_number`, the
    supplier (the planned one unless `supplier_id` names another; one is needed), the
    `expected_on` date, the price per pack (`unit_price`, `currency`) and the `quantity`
    as ordered. The part's low-stock alert then shows what is on order."""
    order = order_steps.mark_ordered(
        ctx,
        actor=actor,
        order_id=order_id,
        order_number=body.order_number,
        supplier_id=body.supplier_id,
        expected_on=body.expected_on,
        unit_price=body.unit_price,
        currency=body.currency,
        quantity=body.quantity,
    )
    return OrderResponse.of(order, _today(ctx))


@router.post(
    "/{order_id}/receive",
    response_model=ReceiptResponse,
    responses={
        **STEP_ERRORS,
        422: {
            "description": "A refused value. Receiving more than is still to come without "
            "`confirm_over: true` is a 422 on `quantity` that says so; send it again with "
            "`confirm_over: true` to receive it anyway.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
            },
        },
    },
)
def receive_order(
    order_id: OrderId, body: ReceiveBody, ctx: Ctx, actor: CurrentActor
) -> ReceiptResponse:
    """Book a receipt of an ordered order, all of it or a part (managers and admins). The
    part is restocked in the same transaction (a ledger row of source `order` whose reason
    names the order), its low-stock alert is resolved once the stock is above the minimum,
    and the order is received once all of it has come."""
    receipt = order_steps.receive_order(
        ctx,
        actor=actor,
        order_id=order_id,
        quantity=body.quantity,
        confirm_over=body.confirm_over,
        note=body.note,
    )
    return ReceiptResponse.of(receipt, _today(ctx))


@router.post("/{order_id}/cancel", response_model=OrderResponse, responses=STEP_ERRORS)
def cancel_order(
    order_id: OrderId, body: ReasonBody, ctx: Ctx, actor: CurrentActor
) -> OrderResponse:
    """Cancel an approved or ordered order with a `reason` (managers and admins); what was
    received of it stays in stock."""
    order = order_steps.cancel_order(ctx, actor=actor, order_id=order_id, reason=body.reason)
    return OrderResponse.of(order, _today(ctx))
