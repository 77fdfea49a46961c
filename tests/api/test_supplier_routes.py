"""Suppliers, a part's offers and its reorder levels over REST."""

from __future__ import annotations

from domain import ordering, suppliers
from domain.permissions import SYSTEM
from tests.api.support import TIMESTAMP, assert_json_error, bearer


def test_suppliers_are_added_read_changed_and_deactivated_never_deleted(client, ctx, lab):
    manager = bearer(ctx, lab.manager)
    made = client.post(
        "/api/suppliers/",
        json={"name": "Thermo Fisher", "email": "orders@thermo.example", "notes": "Net 30\nEU"},
        headers=manager,
    )
    assert made.status_code == 201, made.text
    supplier = made.json()
    assert (supplier["is_active"], supplier["offer_count"], supplier["notes"]) == (
        True,
        0,
        "Net 30\nEU",
    )
    assert TIMESTAMP.match(supplier["created_at"])
    taken = client.post("/api/suppliers/", json={"name": "thermo fisher"}, headers=manager)
    assert "already exists" in assert_json_error(taken, 409)

    path = f"/api/suppliers/{supplier['id']}"
    changed = client.patch(path, json={"phone": "+46 8 1", "is_active": False}, headers=manager)
    assert (changed.json()["phone"], changed.json()["is_active"]) == ("+46 8 1", False)
    assert changed.json()["email"] == "orders@thermo.example"  # not sent: unchanged
    member = bearer(ctx, lab.member)
    assert client.get("/api/suppliers/", headers=member).json() == []
    listed = client.get("/api/suppliers/", params={"include_inactive": True}, headers=member)
    assert [s["name"] for s in listed.json()] == ["Thermo Fisher"]
    assert client.get(path, headers=member).json()["is_active"] is False
    assert client.delete(path, headers=bearer(ctx, lab.admin)).status_code == 405
    assert_json_error(client.get("/api/suppliers/999999", headers=member), 404)


def test_a_part_has_offers_with_one_preferred_and_prices_as_decimal_strings(client, ctx, lab):
    thermo = suppliers.add_supplier(ctx, actor=SYSTEM, name="Thermo Fisher")
    sigma = suppliers.add_supplier(ctx, actor=SYSTEM, name="Sigma")
    manager = bearer(ctx, lab.manager)
    path = f"/api/parts/{lab.filament.id}/offers"
    first = client.post(
        path,
        json={"supplier_id": thermo.id, "unit_price": 12.5, "is_preferred": True},
        headers=manager,
    ).json()
    assert (first["unit_price"], first["currency"], first["is_preferred"]) == ("12.50", "EUR", True)
    second = client.post(
        path,
        json={"supplier_id": sigma.id, "unit_price": "1200", "currency": "jpy", "pack_size": 10},
        headers=manager,
    ).json()
    assert (second["unit_price"], second["currency"], second["pack_size"]) == ("1200", "JPY", 10)
    again = client.post(path, json={"supplier_id": thermo.id}, headers=manager)
    assert "already has an offer" in assert_json_error(again, 409)

    preferred = client.patch(f"{path}/{second['id']}", json={"is_preferred": True}, headers=manager)
    assert preferred.json()["is_preferred"] is True
    offers = client.get(path, headers=bearer(ctx, lab.member)).json()
    assert [(o["supplier_name"], o["is_preferred"]) for o in offers] == [
        ("Sigma", True),
        ("Thermo Fisher", False),
    ]
    cleared = client.patch(f"{path}/{first['id']}", json={"unit_price": None}, headers=manager)
    assert cleared.json()["unit_price"] is None

    elsewhere = f"/api/parts/{lab.gasket.id}/offers/{first['id']}"
    assert_json_error(client.patch(elsewhere, json={"pack_size": 2}, headers=manager), 404)
    assert_json_error(client.delete(elsewhere, headers=manager), 404)
    removed = client.delete(f"{path}/{first['id']}", headers=manager)
    assert (removed.status_code, removed.content) == (204, b"")
    assert [o["id"] for o in client.get(path, headers=manager).json()] == [second["id"]]
    assert_json_error(client.get("/api/parts/999999/offers", headers=manager), 404)


def test_reorder_levels_set_what_a_request_asks_for(client, ctx, lab):
    manager = bearer(ctx, lab.manager)
    path = f"/api/parts/{lab.filament.id}/reorder-levels"
    levels = client.put(path, json={"reorder_quantity": 12, "target_stock": None}, headers=manager)
    assert levels.status_code == 200, levels.text
    assert (levels.json()["reorder_quantity"], levels.json()["target_stock"]) == (12, None)
    order = client.post(
        "/api/orders/", json={"part_id": lab.filament.id}, headers=bearer(ctx, lab.member)
    ).json()
    assert order["quantity"] == 12
    client.put(path, json={"target_stock": 30}, headers=manager)  # replaces both
    stored = ordering.suggest_reorder(ctx, actor=SYSTEM, part_id=lab.filament.id)
    assert (stored.part.reorder_quantity, stored.part.target_stock, stored.quantity) == (
        None,
        30,
        24,
    )
    bad = client.put(path, json={"reorder_quantity": 0}, headers=manager)
    assert assert_json_error(bad, 422)[0]["loc"] == ["body", "reorder_quantity"]
    refused = client.put(path, json={"target_stock": 5}, headers=bearer(ctx, lab.member))
    assert_json_error(refused, 403)
    assert ordering.suggest_reorder(ctx, actor=SYSTEM, part_id=lab.filament.id).quantity == 24
