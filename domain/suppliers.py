"""Suppliers, their offers for parts, and how much a part's reorder asks for.

Managers (``Action.MANAGE_SUPPLIERS``) add and change them; everyone who may view sees them.
A supplier is never deleted, only deactivated: its offers and past orders keep its name,
and no new offer, request or order may name it while it is inactive.
"""

from __future__ import annotations

from typing import Any

from domain import money
from domain import validation as v
from domain.context import DomainContext
from domain.errors import Conflict, InvalidInput, NotFound
from domain.order_results import OfferView, SupplierView
from domain.permissions import Action, Actor, require
from domain.results import Page, PartView
from persistence import suppliers as store
from persistence.db import Session
from persistence.models import Part, Supplier, SupplierOffer
from persistence.parts import part_by_id

MAX_LEAD_DAYS = 365
SUPPLIER_TEXT = {
    "name": 100,
    "website": 500,
    "email": 255,
    "phone": 50,
    "account_number": 100,
}


def _supplier_field(name: str, value: Any) -> Any:
    if name == "is_active":
        if not isinstance(value, bool):
            raise InvalidInput.field("is_active", "Active must be true or false.")
        return value
    if name == "notes":
        return v.text(value, field="notes", max_length=2000, required=False, multiline=True)
    if name == "email" and value not in (None, ""):
        return v.email(value)
    if name in SUPPLIER_TEXT:
        return v.text(value, field=name, max_length=SUPPLIER_TEXT[name], required=name == "name")
    raise InvalidInput.field(name, f"Suppliers have no field {name!r}.")


def _load_supplier(session: Session, supplier_id: int, *, lock: bool = False) -> Supplier:
    row = store.supplier_by_id(session, supplier_id, lock=lock)
    if row is None:
        raise NotFound("Supplier not found.")
    return row


def active_supplier(session: Session, supplier_id: int) -> Supplier:
    """The supplier, refused when it is deactivated (nothing new may name it)."""
    row = _load_supplier(session, supplier_id)
    if not row.is_active:
        raise InvalidInput.field(
            "supplier", f"{row.name} is deactivated: pick another supplier or reactivate it."
        )
    return row


def _unique_name(session: Session, name: str, *, other_than: int | None = None) -> None:
    found = store.supplier_named(session, name)
    if found is not None and found.id != other_than:
        raise Conflict(f"A supplier named {found.name} already exists.", field="name")


def add_supplier(ctx: DomainContext, *, actor: Actor, **fields: Any) -> SupplierView:
    require(actor, Action.MANAGE_SUPPLIERS)
    cleaned = v.each_field({"name": fields.pop("name", None), **fields}, _supplier_field)
    with ctx.transaction() as session:
        _unique_name(session, cleaned["name"])
        row = Supplier(is_active=True, created_at=ctx.now(), **cleaned)
        session.add(row)
        session.flush()
        return SupplierView.of(row)


def update_supplier(
    ctx: DomainContext, *, actor: Actor, supplier_id: int, **changes: Any
) -> SupplierView:
    """Change the fields given (``is_active=False`` deactivates it)."""
    require(actor, Action.MANAGE_SUPPLIERS)
    if "name" in changes and changes["name"] is None:
        raise InvalidInput.field("name", "Name is required.")
    cleaned = v.each_field(changes, _supplier_field)
    with ctx.transaction() as session:
        row = _load_supplier(session, supplier_id, lock=True)
        if "name" in cleaned:
            _unique_name(session, cleaned["name"], other_than=row.id)
        for name, value in cleaned.items():
            setattr(row, name, value)
        row.updated_at = ctx.now()
        session.flush()
        return SupplierView.of(row, store.count_offers(session, row.id))


def get_supplier(ctx: DomainContext, *, actor: Actor, supplier_id: int) -> SupplierView:
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        row = _load_supplier(session, supplier_id)
        return SupplierView.of(row, store.count_offers(session, row.id))


def find_supplier(ctx: DomainContext, *, actor: Actor, name: str) -> SupplierView:
    """The supplier named exactly so (any case), else the only one whose name contains it."""
    require(actor, Action.VIEW)
    wanted = v.lookup(name, field="supplier")
    if not wanted:
        raise InvalidInput.field("supplier", "Name the supplier.")
    with ctx.transaction() as session:
        row = store.supplier_named(session, wanted)
        if row is None:
            found = store.suppliers_like(session, v.like_pattern(wanted), limit=6)
            if len(found) != 1:
                names = ", ".join(s.name for s in found[:5])
                raise NotFound(
                    f"No supplier is named {wanted!r}."
                    + (f" Did you mean one of: {names}?" if names else "")
                )
            row = found[0]
        return SupplierView.of(row, store.count_offers(session, row.id))


def list_suppliers(
    ctx: DomainContext,
    *,
    actor: Actor,
    include_inactive: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> Page[SupplierView]:
    require(actor, Action.VIEW)
    offset, limit = v.paging(offset, limit)
    with ctx.transaction() as session:
        rows = store.suppliers_listed(
            session, active_only=not include_inactive, offset=offset, limit=limit + 1
        )
        items = tuple(SupplierView.of(row, count) for row, count in rows[:limit])
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)


# -- offers ------------------------------------------------------------------------------

OFFER_FIELDS = (
    "supplier_part_number",
    "unit_price",
    "currency",
    "pack_size",
    "minimum_order",
    "lead_time_days",
    "order_url",
    "is_preferred",
)


def lead_time(value: Any, *, field: str = "lead_time_days") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.field(field, "Lead time must be a whole number of days.")
    if value < 0 or value > MAX_LEAD_DAYS:
        raise InvalidInput.field(
            field, f"Lead time must be between 0 and {MAX_LEAD_DAYS} days (a year)."
        )
    return value


def _offer_field(name: str, value: Any) -> Any:
    if name == "supplier_part_number":
        return v.text(value, field=name, max_length=100, required=False)
    if name == "order_url":
        url = v.text(value, field=name, max_length=500, required=False)
        if url is not None and not url.lower().startswith(("https://", "http://")):
            raise InvalidInput.field(name, "Order URL must start with https:// or http://.")
        return url
    if name in ("pack_size", "minimum_order"):
        return v.quantity(value, field=name)
    if name == "lead_time_days":
        return lead_time(value)
    if name == "is_preferred":
        if not isinstance(value, bool):
            raise InvalidInput.field(name, "Preferred must be true or false.")
        return value
    if name in ("unit_price", "currency"):
        return value  # checked together below
    raise InvalidInput.field(name, f"Offers have no field {name!r}.")


def _priced(cleaned: dict[str, Any], row: SupplierOffer | None, default: str) -> None:
    """Turn ``unit_price`` (and ``currency``) into ``unit_price_minor``/``currency``."""
    if "currency" in cleaned or row is None:
        cleaned["currency"] = money.currency(cleaned.get("currency") or default)
    code = cleaned.get("currency") or (row.currency if row else default)
    if "unit_price" in cleaned:
        cleaned["unit_price_minor"] = money.to_minor(cleaned.pop("unit_price"), code)
    elif (
        row is not None
        and "currency" in cleaned
        and row.unit_price_minor is not None
        and cleaned["currency"] != row.currency
    ):
        raise InvalidInput.field("unit_price", "Give the price again when changing its currency.")


def _active_part(session: Session, part_id: int) -> Part:
    part = part_by_id(session, part_id)
    if part is None:
        raise NotFound("Part not found.")
    return part


def list_offers(ctx: DomainContext, *, actor: Actor, part_id: int) -> tuple[OfferView, ...]:
    """The part's offers, the preferred one first."""
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        _active_part(session, part_id)
        return offers_of(session, part_id)


def offers_of(session: Session, part_id: int) -> tuple[OfferView, ...]:
    """For other services' reads in their own transaction: ``list_offers``."""
    return tuple(OfferView.of(o, s) for o, s in store.offers_of_part(session, part_id))


def _offer_view(session: Session, row: SupplierOffer) -> OfferView:
    supplier = _load_supplier(session, row.supplier_id)
    return OfferView.of(row, supplier)


def add_offer(
    ctx: DomainContext, *, actor: Actor, part_id: int, supplier_id: int, **fields: Any
) -> OfferView:
    """A supplier's offer for a part; ``is_preferred`` makes it the part's one preferred
    offer (another preferred offer stops being so)."""
    require(actor, Action.MANAGE_SUPPLIERS)
    cleaned = v.each_field(fields, _offer_field)
    _priced(cleaned, None, ctx.currency)
    with ctx.transaction() as session:
        _active_part(session, part_id)
        supplier = active_supplier(session, supplier_id)
        if store.offer_of(session, part_id, supplier_id) is not None:
            raise Conflict(
                f"{supplier.name} already has an offer for this part: change that one.",
                field="supplier",
            )
        if cleaned.get("is_preferred"):
            store.clear_preferred(session, part_id, keep_id=None)
        row = SupplierOffer(
            part_id=part_id,
            supplier_id=supplier_id,
            pack_size=cleaned.pop("pack_size", 1),
            minimum_order=cleaned.pop("minimum_order", 1),
            is_preferred=cleaned.pop("is_preferred", False),
            created_at=ctx.now(),
            **cleaned,
        )
        session.add(row)
        session.flush()
        return OfferView.of(row, supplier)


def update_offer(ctx: DomainContext, *, actor: Actor, offer_id: int, **changes: Any) -> OfferView:
    require(actor, Action.MANAGE_SUPPLIERS)
    cleaned = v.each_field(changes, _offer_field)
    with ctx.transaction() as session:
        row = store.offer_by_id(session, offer_id, lock=True)
        if row is None:
            raise NotFound("Offer not found.")
        _priced(cleaned, row, row.currency)
        if cleaned.get("is_preferred"):
            store.clear_preferred(session, row.part_id, keep_id=row.id)
        for name, value in cleaned.items():
            setattr(row, name, value)
        row.updated_at = ctx.now()
        session.flush()
        return _offer_view(session, row)


def remove_offer(ctx: DomainContext, *, actor: Actor, offer_id: int) -> OfferView:
    require(actor, Action.MANAGE_SUPPLIERS)
    with ctx.transaction() as session:
        row = store.offer_by_id(session, offer_id, lock=True)
        if row is None:
            raise NotFound("Offer not found.")
        view = _offer_view(session, row)
        session.delete(row)
        session.flush()
        return view


def set_reorder_levels(
    ctx: DomainContext,
    *,
    actor: Actor,
    part_id: int,
    reorder_quantity: int | None,
    target_stock: int | None,
) -> PartView:
    """How much a reorder of the part asks for: a fixed quantity, or enough to refill to a
    target level (None clears either)."""
    require(actor, Action.MANAGE_SUPPLIERS)

    def check(name: str, value: Any) -> int | None:
        return None if value is None else v.quantity(value, field=name)

    cleaned = v.each_field(
        {"reorder_quantity": reorder_quantity, "target_stock": target_stock}, check
    )
    with ctx.transaction() as session:
        part = _active_part(session, part_id)
        part.reorder_quantity = cleaned["reorder_quantity"]
        part.target_stock = cleaned["target_stock"]
        part.updated_at = ctx.now()
        session.flush()
        return PartView.of(part)
