"""Ordering over REST, on SQLite and PostgreSQL: the whole loop from a low part to parts on
the shelf, the refused steps (409 naming the state) and receiving more than ordered."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from api import create_api
from domain import ordering
from domain.permissions import SYSTEM
from tests.api.support import assert_json_error, bearer


@pytest.fixture
def thermo(client, ctx, lab):
    """A supplier with a preferred offer for the filament: packs of 5 at 12.50 EUR."""
    manager = bearer(ctx, lab.manager)
    supplier = client.post("/api/suppliers/", json={"name": "Thermo Fisher"}, headers=manager)
    assert supplier.status_code == 201, supplier.text
    offer = client.post(
        f"/api/parts/{lab.filament.id}/offers",
        json={
            "supplier_id": supplier.json()["id"],
            "unit_price": "12.50",
            "currency": "eur",
            "pack_size": 5,
            "lead_time_days": 14,
            "is_preferred": True,
        },
        headers=manager,
    )
    assert offer.status_code == 201, offer.text
    return supplier.json()


def _request(client, ctx, actor, part_id, **fields):
    return client.post(
        "/api/orders/", json={"part_id": part_id, **fields}, headers=bearer(ctx, actor)
    )


def _step(client, ctx, actor, order_id, step, body=None):
    return client.post(f"/api/orders/{order_id}/{step}", json=body, headers=bearer(ctx, actor))


@pytest.mark.usefixtures("thermo")
def test_the_whole_loop_from_a_low_part_to_parts_on_the_shelf(client, ctx, clock, lab):
    member, manager = lab.member, lab.manager
    part_id = lab.filament.id  # 6 in stock, minimum 5
    taken = client.post(
        f"/api/parts/{part_id}/stock",
        json={"quantity_change": -3, "reason": "Run 12"},
        headers=bearer(ctx, member),
    )
    assert taken.json()["quantity_in_stock"] == 3
    [alert] = [a for a in client.get("/api/alerts/").json() if a["part_id"] == part_id]
    assert (alert["kind"], alert["status"]) == ("low_stock", "open")

    requested = _request(client, ctx, member, part_id, note="Runs next week", urgency="urgent")
    assert requested.status_code == 201, requested.text
    order = requested.json()
    assert (order["state"], order["joined"], order["urgency"]) == ("requested", False, "urgent")
    # twice the minimum less the stock (7), rounded up to whole packs of 5
    assert (order["quantity"], order["packs"], order["supplier_name"]) == (10, 2, "Thermo Fisher")
    assert (order["unit_price"], order["currency"], order["estimated_cost"]) == (
        "12.50",
        "EUR",
        "25.00",
    )
    again = _request(client, ctx, lab.admin, part_id, note="Me too")
    assert (again.status_code, again.json()["joined"], again.json()["id"]) == (
        200,
        True,
        order["id"],
    )
    signed = f"{member.username}: Runs next week\n{lab.admin.username}: Me too"
    assert again.json()["note"] == signed

    approved = _step(client, ctx, manager, order["id"], "approve", {"note": "Fine"})
    assert (approved.status_code, approved.json()["state"]) == (200, "approved")
    assert approved.json()["decided_by"] == manager.username
    expected = (clock.now + timedelta(days=14)).date().isoformat()
    ordered = _step(
        client,
        ctx,
        manager,
        order["id"],
        "order",
        {"order_number": "PO-881", "expected_on": expected, "unit_price": 12, "quantity": 10},
    )
    assert ordered.status_code == 200, ordered.text
    assert (ordered.json()["state"], ordered.json()["outstanding"]) == ("ordered", 10)
    assert (ordered.json()["unit_price"], ordered.json()["estimated_cost"]) == ("12.00", "24.00")
    assert ordered.json()["expected_on"] == expected
    listed = client.get("/api/orders/", params={"state": "open"}, headers=bearer(ctx, member))
    assert [o["id"] for o in listed.json()] == [order["id"]]

    clock.advance(days=9)
    first = _step(client, ctx, manager, order["id"], "receive", {"quantity": 2})
    assert first.status_code == 200, first.text
    assert (first.json()["quantity_in_stock"], first.json()["alert_resolved"]) == (5, False)
    assert (first.json()["order"]["state"], first.json()["order"]["outstanding"]) == ("ordered", 8)
    clock.advance(days=1)
    last = _step(client, ctx, manager, order["id"], "receive", {"quantity": 8})
    assert (last.json()["quantity_in_stock"], last.json()["alert_resolved"]) == (13, True)
    assert (last.json()["order"]["state"], last.json()["order"]["outstanding"]) == ("received", 0)

    ledger = client.get(f"/api/parts/{part_id}/history", headers=bearer(ctx, member)).json()
    receipts = [(m["delta"], m["source"], m["reason"]) for m in ledger[:2]]
    label = f"Order #{order['id']} (PO-881) received"
    assert receipts == [(8, "order", label), (2, "order", label)]
    assert client.get(f"/api/alerts/{alert['id']}").json()["status"] == "resolved"
    assert client.get(f"/api/parts/{part_id}").json()["quantity_in_stock"] == 13

    detail = client.get(f"/api/orders/{order['id']}", headers=bearer(ctx, member)).json()
    assert detail["state"] == "received"
    timeline = [(e["kind"], e["actor"], e["quantity"]) for e in detail["events"]]
    who = {member.username: "member", manager.username: "manager", lab.admin.username: "admin"}
    assert [(kind, who[actor], n) for kind, actor, n in timeline] == [
        ("requested", "member", 10),
        ("joined", "admin", None),
        ("approved", "manager", None),
        ("ordered", "manager", 10),
        ("received", "manager", 2),
        ("received", "manager", 8),
    ]
    history = client.get(f"/api/parts/{part_id}/orders/history", headers=bearer(ctx, member))
    assert history.json()["observed_lead_days"] == 10.0
    assert (history.json()["observed_from"], history.json()["offer_lead_days"]) == (1, 14)


def _ordered(client, ctx, lab, thermo, quantity=10):
    order = _request(client, ctx, lab.member, lab.filament.id, quantity=quantity).json()
    _step(client, ctx, lab.manager, order["id"], "approve")
    body = {"order_number": "PO-1", "supplier_id": thermo["id"]}
    assert _step(client, ctx, lab.manager, order["id"], "order", body).status_code == 200
    return order


def test_receiving_more_than_ordered_is_a_422_until_confirmed(client, ctx, lab, thermo):
    order = _ordered(client, ctx, lab, thermo, quantity=5)
    over = _step(client, ctx, lab.manager, order["id"], "receive", {"quantity": 7})
    [problem] = assert_json_error(over, 422)
    assert problem["loc"] == ["body", "quantity"]
    assert "confirm_over: true" in problem["msg"]
    assert client.get(f"/api/parts/{lab.filament.id}").json()["quantity_in_stock"] == 6
    confirmed = _step(
        client, ctx, lab.manager, order["id"], "receive", {"quantity": 7, "confirm_over": True}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["quantity_in_stock"], confirmed.json()["order"]["state"]) == (
        13,
        "received",
    )


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("approve", None),
        ("reject", {"reason": "No budget"}),
        ("order", {"order_number": "PO-2"}),
        ("receive", {"quantity": 1}),
        ("cancel", {"reason": "Not needed"}),
    ],
)
def test_a_step_from_the_wrong_state_is_a_409_naming_the_state(client, ctx, lab, step, body):
    order = _request(client, ctx, lab.member, lab.filament.id, quantity=3).json()
    _step(client, ctx, lab.manager, order["id"], "reject", {"reason": "Use the old stock"})
    refused = _step(client, ctx, lab.manager, order["id"], step, body)
    assert f"Order #{order['id']} is rejected now" in assert_json_error(refused, 409)
    edit = client.patch(
        f"/api/orders/{order['id']}", json={"quantity": 4}, headers=bearer(ctx, lab.manager)
    )
    assert "is rejected now" in assert_json_error(edit, 409)
    after = ordering.get_order(ctx, actor=SYSTEM, order_id=order["id"])
    assert (after.order.state, after.order.quantity, len(after.events)) == ("rejected", 3, 2)


def test_members_request_but_do_not_approve_and_anonymous_do_neither(client, ctx, lab):
    order = _request(client, ctx, lab.member, lab.filament.id).json()
    refused = _step(client, ctx, lab.member, order["id"], "approve")
    assert "member" in assert_json_error(refused, 403)
    assert_json_error(client.post(f"/api/orders/{order['id']}/approve"), 401)
    assert_json_error(client.get("/api/orders/"), 401)
    assert ordering.get_order(ctx, actor=SYSTEM, order_id=order["id"]).order.state == "requested"


def test_four_eyes_keeps_a_manager_from_approving_their_own_request(ctx, lab):
    four_eyes = replace(ctx, four_eyes=True)
    client = TestClient(create_api(four_eyes, cors_origins=[]))
    order = _request(client, ctx, lab.manager, lab.filament.id).json()
    refused = _step(client, ctx, lab.manager, order["id"], "approve")
    assert "another manager" in assert_json_error(refused, 403)
    assert _step(client, ctx, lab.admin, order["id"], "approve").json()["state"] == "approved"


def test_edit_then_cancel_with_a_reason_and_the_list_filters(client, ctx, lab, thermo):
    order = _request(client, ctx, lab.member, lab.gasket.id, quantity=20).json()
    manager = bearer(ctx, lab.manager)
    edited = client.patch(
        f"/api/orders/{order['id']}",
        json={"quantity": 25, "supplier_id": thermo["id"], "note": "Bigger batch"},
        headers=manager,
    )
    assert (edited.json()["quantity"], edited.json()["supplier_id"]) == (25, thermo["id"])
    nothing = client.patch(f"/api/orders/{order['id']}", json={}, headers=manager)
    assert "Nothing to change" in str(assert_json_error(nothing, 422))
    _step(client, ctx, lab.manager, order["id"], "approve")
    cancelled = _step(client, ctx, lab.manager, order["id"], "cancel", {"reason": "Found some"})
    assert (cancelled.json()["state"], cancelled.json()["reason"]) == ("cancelled", "Found some")
    listing = {
        state: [o["id"] for o in client.get("/api/orders/", params=params, headers=manager).json()]
        for state, params in (
            ("open", {"state": "open"}),
            ("cancelled", {"state": "cancelled"}),
            ("of the filament", {"part_id": lab.filament.id}),
        )
    }
    assert listing == {"open": [], "cancelled": [order["id"]], "of the filament": []}
    assert_json_error(client.get("/api/orders/", params={"state": "lost"}, headers=manager), 422)
