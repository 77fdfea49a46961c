"""What the API adds to the original: ledger, alert actions, status, links, paging, users."""

from __future__ import annotations

from datetime import timedelta

from domain import alerts, stock
from domain.permissions import SYSTEM
from tests.api.support import TIMESTAMP, assert_json_error, bearer
from tests.factories import PASSWORD


def test_history_lists_the_ledger_newest_first(client, ctx, clock, lab):
    headers = bearer(ctx, lab.member)
    clock.advance(minutes=1)
    client.post(
        f"/api/parts/{lab.gasket.id}/stock",
        json={"quantity_change": -3, "reason": "Kiel rebuild"},
        headers=headers,
    )
    rows = client.get(f"/api/parts/{lab.gasket.id}/history", headers=headers).json()
    assert [(r["delta"], r["quantity_after"], r["reason"], r["source"]) for r in rows] == [
        (-3, 37, "Kiel rebuild", "api"),
        (40, 40, "Initial stock", "system"),
    ]
    assert rows[0]["actor_username"] == lab.member.username
    assert TIMESTAMP.match(rows[0]["created_at"])
    assert (
        len(client.get(f"/api/parts/{lab.gasket.id}/history?limit=1", headers=headers).json()) == 1
    )


def test_an_edit_repeating_the_quantity_writes_no_ledger_row(client, ctx, lab):
    headers = bearer(ctx, lab.manager)
    response = client.patch(
        f"/api/parts/{lab.gasket.id}",
        json={"quantity_in_stock": 40, "minimum_stock_level": 50, "category": "Seals"},
        headers=headers,
    )
    assert response.json()["category"] == "Seals"
    assert response.json()["is_low_stock"] is True
    assert len(stock.part_history(ctx, actor=SYSTEM, part_id=lab.gasket.id).items) == 1
    [alert] = alerts.list_alerts(ctx, actor=SYSTEM, active_only=True).items
    assert alert.part_id == lab.gasket.id
    raised = client.patch(
        f"/api/parts/{lab.gasket.id}", json={"quantity_in_stock": 60}, headers=headers
    )
    assert raised.json()["stock_status"] == "In stock"
    assert alerts.list_alerts(ctx, actor=SYSTEM, active_only=True).items == ()


def test_an_edit_ignores_number_links_and_critical_flag(client, ctx, lab):
    response = client.patch(
        f"/api/parts/{lab.gasket.id}",
        json={"part_number": "NEW-1", "instrument_ids": [], "is_critical": True, "id": 5},
        headers=bearer(ctx, lab.manager),
    )
    body = response.json()
    assert (body["part_number"], body["is_critical"], len(body["instruments"])) == (
        "GSK-7",
        False,
        2,
    )


def test_alerts_can_be_acknowledged_snoozed_and_resolved(client, ctx, clock, lab):
    headers = bearer(ctx, lab.manager)
    alert = alerts.raise_alert(
        ctx, actor=SYSTEM, message="Gauge drifting", instrument_id=lab.kiel.id
    )
    base = f"/api/alerts/{alert.id}"
    acked = client.post(f"{base}/acknowledge", headers=headers).json()
    assert (acked["status"], acked["is_active"], acked["part_id"]) == ("acknowledged", True, None)
    assert acked["instrument_name"] == "Kiel IV"
    assert TIMESTAMP.match(acked["acknowledged_at"])
    assert assert_json_error(client.post(f"{base}/acknowledge", headers=headers), 409)
    snoozed = client.post(f"{base}/snooze", json={"minutes": 90}, headers=headers).json()
    assert snoozed["snoozed_until"] == (clock.now + timedelta(minutes=90)).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ"
    )
    until = (clock.now + timedelta(days=2)).isoformat()
    assert client.post(f"{base}/snooze", json={"until": until}, headers=headers).status_code == 200
    for bad in ({}, {"minutes": 5, "until": until}, {"until": "2030-01-01T00:00:00"}):
        assert assert_json_error(client.post(f"{base}/snooze", json=bad, headers=headers), 422)
    resolved = client.post(f"{base}/resolve", json={"note": "Recalibrated"}, headers=headers).json()
    assert (resolved["is_resolved"], resolved["is_active"], resolved["resolution_note"]) == (
        True,
        False,
        "Recalibrated",
    )
    assert TIMESTAMP.match(resolved["resolved_at"])
    assert assert_json_error(client.post(f"{base}/resolve", headers=headers), 409)
    assert client.get("/api/alerts/").json() == []
    assert [a["id"] for a in client.get("/api/alerts/?active_only=false").json()] == [alert.id]


def test_instrument_status_is_set_with_put_or_post(client, ctx, lab):
    headers = bearer(ctx, lab.manager)
    path = f"/api/instruments/{lab.mat253.id}/status"
    put = client.put(path, json={"status": "maintenance", "note": "Source clean"}, headers=headers)
    assert put.json()["status"] == "maintenance"
    assert len(put.json()["parts"]) == 2
    post = client.post(path, json={"status": "operational"}, headers=headers)
    assert post.json()["status"] == "operational"
    assert assert_json_error(client.put(path, json={"status": "broken"}, headers=headers), 422)


def test_instruments_list_their_parts_with_the_parts_own_critical_flag(client, ctx, lab):
    headers = bearer(ctx, lab.manager)
    client.put(
        f"/api/parts/{lab.filament.id}/instruments/{lab.mat253.id}",
        params={"is_critical": True, "quantity_required": 2},
        headers=headers,
    )
    [kiel, mat] = client.get("/api/instruments/").json()
    assert [p["part_number"] for p in kiel["parts"]] == ["GSK-7"]
    filament = mat["parts"][0]
    assert list(filament)[:5] == ["id", "part_number", "name", "quantity_in_stock", "is_critical"]
    assert (filament["is_critical"], filament["critical_for_instrument"]) == (False, True)
    assert filament["quantity_required"] == 2


def test_part_links_can_be_made_changed_and_removed(client, ctx, lab):
    headers = bearer(ctx, lab.manager)
    link = f"/api/parts/{lab.filament.id}/instruments/{lab.kiel.id}"
    made = client.post(link, params={"quantity_required": 3, "is_critical": True}, headers=headers)
    assert {i["id"] for i in made.json()["instruments"]} == {lab.mat253.id, lab.kiel.id}
    assert assert_json_error(client.post(link, headers=headers), 409)
    changed = client.put(link, params={"quantity_required": 4}, headers=headers)
    assert list(changed.json()) == [
        "name", "part_number", "category", "quantity_in_stock", "unit_of_measure", "is_active",
        "updated_at", "description", "id", "manufacturer", "minimum_stock_level", "is_critical",
        "created_at", "location",
    ]  # fmt: skip
    removed = client.delete(link, headers=headers)
    assert (removed.status_code, removed.json()) == (200, None)
    assert client.get(f"/api/parts/?instrument_id={lab.kiel.id}").json()[0]["id"] == lab.gasket.id
    assert client.post(link, headers=headers).status_code == 200


def test_the_doubled_instruments_path_links_and_answers_the_stored_link(client, ctx, lab):
    headers = bearer(ctx, lab.manager)
    path = f"/api/instruments/instruments/{lab.kiel.id}/parts/{lab.filament.id}"
    body = {"instrument_id": 0, "part_id": 0, "quantity_required": 2, "installation_notes": "x"}
    assert assert_json_error(client.post(path, json=body, headers=headers), 422)
    response = client.post(path, json={**body, "instrument_id": 1, "part_id": 1}, headers=headers)
    assert response.status_code == 200, response.text
    stored = response.json()
    assert list(stored) == [
        "instrument_id", "part_id", "quantity_required", "is_critical", "installation_notes",
        "id", "is_active", "created_at", "updated_at",
    ]  # fmt: skip
    assert (stored["instrument_id"], stored["part_id"], stored["quantity_required"]) == (
        lab.kiel.id,
        lab.filament.id,
        2,
    )
    assert stored["installation_notes"] is None
    assert TIMESTAMP.match(stored["created_at"])
    assert assert_json_error(
        client.post(path, json=body | {"instrument_id": 1, "part_id": 1}, headers=headers), 409
    )


def test_low_stock_lists_active_parts_at_or_below_their_minimum(client, ctx, lab):
    client.post(
        f"/api/parts/{lab.filament.id}/stock",
        json={"quantity_change": -2},
        headers=bearer(ctx, lab.member),
    )
    assert [p["id"] for p in client.get("/api/alerts/low-stock").json()] == [lab.filament.id]


def test_lists_page_with_skip_and_limit(client, ctx, lab):
    assert [p["part_number"] for p in client.get("/api/parts/?skip=1&limit=1").json()] == ["GSK-7"]
    assert len(client.get("/api/parts/?instrument_id=0").json()) == 2
    assert [i["name"] for i in client.get("/api/instruments/?limit=1").json()] == ["Kiel IV"]
    headers = bearer(ctx, lab.admin)
    everyone = client.get("/api/users/", headers=headers).json()
    assert [u["role"] for u in everyone] == ["admin", "manager", "member"]
    assert [u["is_admin"] for u in everyone] == [True, False, False]
    second = client.get("/api/users/?skip=1&limit=1", headers=headers).json()
    assert [u["username"] for u in second] == [lab.manager.username]


def test_admins_create_accounts_with_a_role_and_is_admin_is_ignored(client, ctx, lab):
    headers = bearer(ctx, lab.admin)
    body = {
        "username": "rita",
        "email": "rita@lab.example",
        "first_name": "Rita",
        "last_name": "Levi",
        "password": "Montalcini-1909",
        "is_admin": True,
    }
    created = client.post("/api/users/", json=body, headers=headers).json()
    assert (created["role"], created["is_admin"], created["full_name"]) == (
        "member",
        False,
        "Rita Levi",
    )
    manager = client.post(
        "/api/users/",
        json={**body, "username": "moses", "email": "mo@lab.example", "role": "manager"},
        headers=headers,
    ).json()
    assert manager["role"] == "manager"
    taken = client.post("/api/users/", json={**body, "email": "other@lab.example"}, headers=headers)
    assert "already taken" in assert_json_error(taken, 400)
    weak = {**body, "username": "rita2", "email": "r2@lab.example", "password": "Password123"}
    [error] = assert_json_error(client.post("/api/users/", json=weak, headers=headers), 422)
    assert error["loc"] == ["body", "password"]
    assert "too common" in error["msg"]
    short = {**weak, "username": "x1", "password": "Short1"}
    errors = assert_json_error(client.post("/api/users/", json=short, headers=headers), 422)
    assert {e["loc"][-1] for e in errors} == {"username", "password"}


def test_a_member_cannot_tell_a_taken_email_from_a_free_one(client, ctx, lab):
    headers = bearer(ctx, lab.member)
    answers = [
        client.patch("/api/users/me", json={"email": address}, headers=headers)
        for address in (f"{lab.admin.username}@lab.example", "free.address@lab.example")
    ]
    taken, free = answers
    assert (taken.status_code, taken.json()) == (free.status_code, free.json())
    assert assert_json_error(taken, 403) == (
        "Your role (member) may not change e-mail addresses. Ask a FarLab admin."
    )
    assert client.get("/api/users/me", headers=headers).json()["email"] == (
        f"{lab.member.username}@lab.example"
    )
    admin = bearer(ctx, lab.admin)
    taken_by_member = {"email": f"{lab.member.username}@lab.example"}
    assert assert_json_error(
        client.patch("/api/users/me", json=taken_by_member, headers=admin), 409
    )


def test_people_change_their_profile_and_password(client, ctx, lab):
    headers = bearer(ctx, lab.member)
    profile = client.patch(
        "/api/users/me", json={"phone": "+47 555", "username": "x"}, headers=headers
    )
    assert (profile.json()["phone"], profile.json()["username"]) == ("+47 555", lab.member.username)
    wrong = {"current_password": "Not-It-123", "new_password": "Brand-New-77"}
    refused = client.patch("/api/users/me/password", json=wrong, headers=headers)
    assert assert_json_error(refused, 401) == "Current password is incorrect."
    weak = {"current_password": PASSWORD, "new_password": "alllowercase"}
    [error] = assert_json_error(
        client.patch("/api/users/me/password", json=weak, headers=headers), 422
    )
    assert error["loc"] == ["body", "new_password"]
    assert error["msg"].startswith("Value error, ")
    good = {"current_password": PASSWORD, "new_password": "Brand-New-77"}
    changed = client.patch("/api/users/me/password", json=good, headers=headers)
    assert (changed.status_code, changed.content) == (204, b"")
    login = client.post(
        "/api/token", data={"username": lab.member.username, "password": "Brand-New-77"}
    )
    assert login.status_code == 200


def test_the_last_admin_cannot_deactivate_or_delete_themself(client, ctx, lab):
    headers = bearer(ctx, lab.admin)
    assert assert_json_error(
        client.patch("/api/users/me", json={"is_active": False}, headers=headers), 409
    )
    assert assert_json_error(client.delete(f"/api/users/{lab.admin.user_id}", headers=headers), 403)
