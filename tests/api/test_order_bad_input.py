"""Bad input to the ordering routes: each a 422 naming the field, and nothing written."""

from __future__ import annotations

import pytest

from domain import ordering, parts, suppliers
from domain.permissions import SYSTEM
from tests.api.support import assert_json_error, bearer


@pytest.fixture
def shop(ctx, lab):  # noqa: ARG001 - after the lab, whose parts come first
    """An active and a deactivated supplier, and a deactivated part."""
    active = suppliers.add_supplier(ctx, actor=SYSTEM, name="Thermo Fisher")
    gone = suppliers.add_supplier(ctx, actor=SYSTEM, name="Old Supplies")
    suppliers.update_supplier(ctx, actor=SYSTEM, supplier_id=gone.id, is_active=False)
    retired = parts.create_part(ctx, actor=SYSTEM, part_number="OLD-1", name="Old lamp")
    parts.deactivate_part(ctx, actor=SYSTEM, part_id=retired.id)
    return active.id, gone.id, retired.id


def _refused_field(response, field: str) -> str:
    detail = assert_json_error(response, 422)
    assert [problem["loc"][-1] for problem in detail] == [field], detail
    return detail[0]["msg"]


def test_bad_offers_are_refused_by_field_and_none_is_stored(client, ctx, lab, shop):
    active, gone, _retired = shop
    path = f"/api/parts/{lab.filament.id}/offers"
    manager = bearer(ctx, lab.manager)
    for fields, field, says in (
        ({"unit_price": "-0.01"}, "unit_price", "below zero"),
        ({"unit_price": -3}, "unit_price", "below zero"),
        ({"unit_price": "twelve"}, "unit_price", ""),
        ({"unit_price": "12.50", "currency": "XYZ"}, "currency", "ISO 4217"),
        ({"lead_time_days": 366}, "lead_time_days", "a year"),
        ({"lead_time_days": -1}, "lead_time_days", "between 0 and 365"),
        ({"pack_size": 0}, "pack_size", "between 1"),
        ({"minimum_order": -2}, "minimum_order", "between 1"),
        ({"order_url": "ftp://x"}, "order_url", "https://"),
        ({"supplier_id": gone}, "supplier_id", "deactivated"),
    ):
        body = {"supplier_id": active, **fields}
        message = _refused_field(client.post(path, json=body, headers=manager), field)
        assert says in message, (fields, message)
    assert suppliers.list_offers(ctx, actor=SYSTEM, part_id=lab.filament.id) == ()


def test_bad_requests_are_refused_by_field_and_none_is_stored(client, ctx, lab, shop):
    _active, gone, retired = shop
    member = bearer(ctx, lab.member)
    part_id = lab.filament.id
    for body, field, says in (
        ({"part_id": part_id, "quantity": 0}, "quantity", "between 1"),
        ({"part_id": part_id, "quantity": -4}, "quantity", "between 1"),
        ({"part_id": part_id, "urgency": "asap"}, "urgency", ""),
        ({"part_id": part_id, "supplier_id": gone}, "supplier_id", "deactivated"),
        ({"part_id": retired}, "part_id", "deactivated"),
    ):
        message = _refused_field(client.post("/api/orders/", json=body, headers=member), field)
        assert says in message, (body, message)
    assert ordering.list_orders(ctx, actor=SYSTEM).items == ()


def test_bad_order_details_are_refused_by_field_and_the_order_stays_approved(
    client, ctx, lab, shop
):
    active, gone, _retired = shop
    order = ordering.request_reorder(ctx, actor=lab.member, part_id=lab.filament.id).order
    manager = bearer(ctx, lab.manager)
    client.post(f"/api/orders/{order.id}/approve", headers=manager)
    before = ordering.get_order(ctx, actor=SYSTEM, order_id=order.id)
    path = f"/api/orders/{order.id}/order"
    for fields, field, says in (
        ({"quantity": 0}, "quantity", "between 1"),
        ({"unit_price": "-5"}, "unit_price", "below zero"),
        ({"unit_price": 5, "currency": "ABC"}, "currency", "ISO 4217"),
        ({"supplier_id": gone}, "supplier_id", "deactivated"),
        ({"expected_on": "2001-01-01"}, "expected_on", "past"),
    ):
        body = {"order_number": "PO-9", "supplier_id": active, **fields}
        message = _refused_field(client.post(path, json=body, headers=manager), field)
        assert says in message, (fields, message)
    assert ordering.get_order(ctx, actor=SYSTEM, order_id=order.id) == before


def test_a_zero_or_negative_receipt_is_refused_and_nothing_moves(client, ctx, lab, shop):
    active = shop[0]
    order = ordering.request_reorder(ctx, actor=lab.member, part_id=lab.filament.id).order
    manager = bearer(ctx, lab.manager)
    client.post(f"/api/orders/{order.id}/approve", headers=manager)
    placed = {"order_number": "PO-3", "supplier_id": active}
    assert client.post(f"/api/orders/{order.id}/order", json=placed, headers=manager).is_success
    for quantity in (0, -2):
        response = client.post(
            f"/api/orders/{order.id}/receive", json={"quantity": quantity}, headers=manager
        )
        assert "between 1" in _refused_field(response, "quantity")
    after = ordering.get_order(ctx, actor=SYSTEM, order_id=order.id).order
    assert (after.state, after.quantity_received, after.part.quantity_in_stock) == ("ordered", 0, 6)


def test_a_reason_is_required_to_reject_or_cancel(client, ctx, lab):
    order = ordering.request_reorder(ctx, actor=lab.member, part_id=lab.filament.id).order
    manager = bearer(ctx, lab.manager)
    for body in ({"reason": "  "}, {}):
        response = client.post(f"/api/orders/{order.id}/reject", json=body, headers=manager)
        _refused_field(response, "reason")
    assert ordering.get_order(ctx, actor=SYSTEM, order_id=order.id).order.state == "requested"


def test_bad_supplier_fields_are_refused_by_field(client, ctx, lab, shop):
    active = shop[0]
    manager = bearer(ctx, lab.manager)
    for body, field in (
        ({"name": " "}, "name"),
        ({"name": "Acme", "email": "not-an-address"}, "email"),
        ({"name": "Acme\nLtd"}, "name"),
    ):
        _refused_field(client.post("/api/suppliers/", json=body, headers=manager), field)
    for body, field in (({"name": None}, "name"), ({"is_active": None}, "is_active")):
        response = client.patch(f"/api/suppliers/{active}", json=body, headers=manager)
        _refused_field(response, field)
    names = [
        s.name for s in suppliers.list_suppliers(ctx, actor=SYSTEM, include_inactive=True).items
    ]
    assert sorted(names) == ["Old Supplies", "Thermo Fisher"]
