"""``{prefix}/suppliers``: where parts are bought (added). Everyone signed in reads them;
managers and admins add and change them. Suppliers are never deleted: ``PATCH`` with
``is_active: false`` deactivates one, which keeps its name on past offers and orders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Ctx, CurrentActor
from api.schemas.common import MAX_ID, errors, path_id
from api.schemas.suppliers import SupplierCreate, SupplierResponse, SupplierUpdate, sent_fields
from domain import suppliers

router = APIRouter(tags=["suppliers"])

SupplierId = Annotated[int, path_id("supplier")]


@router.get("/", response_model=list[SupplierResponse], responses=errors(401, 403))
def list_suppliers(
    ctx: Ctx,
    actor: CurrentActor,
    include_inactive: bool = False,
    skip: Annotated[int, Query(ge=0, le=MAX_ID, description="How many to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[SupplierResponse]:
    """Suppliers by name; deactivated ones only with `include_inactive`."""
    page = suppliers.list_suppliers(
        ctx, actor=actor, include_inactive=include_inactive, offset=skip, limit=limit
    )
    return [SupplierResponse.of(supplier) for supplier in page.items]


@router.post("/", status_code=201, response_model=SupplierResponse, responses=errors(401, 403, 409))
def create_supplier(body: SupplierCreate, ctx: Ctx, actor: CurrentActor) -> SupplierResponse:
    """Add a supplier (managers and admins). A name taken in any case is a 409."""
    supplier = suppliers.add_supplier(ctx, actor=actor, **body.model_dump(exclude_none=True))
    return SupplierResponse.of(supplier)


@router.get("/{supplier_id}", response_model=SupplierResponse, responses=errors(401, 403, 404))
def read_supplier(supplier_id: SupplierId, ctx: Ctx, actor: CurrentActor) -> SupplierResponse:
    """One supplier, active or not, with how many offers it has."""
    return SupplierResponse.of(suppliers.get_supplier(ctx, actor=actor, supplier_id=supplier_id))


@router.patch(
    "/{supplier_id}", response_model=SupplierResponse, responses=errors(401, 403, 404, 409)
)
def update_supplier(
    supplier_id: SupplierId, body: SupplierUpdate, ctx: Ctx, actor: CurrentActor
) -> SupplierResponse:
    """Change the fields sent (managers and admins); `is_active: false` deactivates the
    supplier, so that no new offer or order may name it. There is no `DELETE`."""
    supplier = suppliers.update_supplier(
        ctx, actor=actor, supplier_id=supplier_id, **sent_fields(body)
    )
    return SupplierResponse.of(supplier)
