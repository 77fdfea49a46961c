"""Every call the original web UI makes (contract section 8), replayed as it makes it."""

from __future__ import annotations

import time

import jwt
import pytest

from domain import alerts, stock
from domain.permissions import SYSTEM
from tests.api.support import (
    PART_FIELDS,
    TIMESTAMP,
    UI_ORIGIN,
    assert_json_error,
    bearer,
    ui_headers,
)
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD


def _login(client, username, password=PASSWORD):
    return client.post(
        "/api/token",
        content=f"username={username}&password={password}",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": UI_ORIGIN},
    )


@pytest.mark.usefixtures("ctx")
def test_1_login_with_a_form_gives_a_bearer_token_for_the_user_id(client, lab):
    started = time.monotonic()
    response = _login(client, lab.member.username)
    assert time.monotonic() - started >= 0.1
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == UI_ORIGIN
    body = response.json()
    assert list(body) == ["access_token", "token_type"]
    assert body["token_type"] == "bearer"
    claims = jwt.decode(
        body["access_token"], TEST_SECRET, algorithms=["HS256"], options={"verify_aud": False}
    )
    assert (claims["sub"], claims["username"]) == (str(lab.member.user_id), lab.member.username)
    assert claims["exp"] - claims["iat"] == 30 * 60
    assert {"iat", "jti", "exp", "username"} <= set(claims)


def test_1_login_refusals_are_401_invalid_credentials_and_take_100_ms(client, lab):
    for username, password in [(lab.member.username, "Wrong-Horse-1"), ("nobody", PASSWORD)]:
        started = time.monotonic()
        response = _login(client, username, password)
        assert time.monotonic() - started >= 0.1
        assert assert_json_error(response, 401) == "Invalid credentials"
        assert response.headers["www-authenticate"] == "Bearer"


def test_1_login_rejects_a_json_body_with_422(client, lab):
    response = client.post(
        "/api/token", json={"username": lab.member.username, "password": PASSWORD}
    )
    detail = assert_json_error(response, 422)
    assert {e["loc"][-1] for e in detail} == {"username", "password"}


@pytest.mark.usefixtures("ctx")
def test_2_users_me_gives_id_username_and_email(client, lab):
    token = _login(client, lab.member.username).json()["access_token"]
    response = client.get("/api/users/me", headers=ui_headers({"Authorization": f"Bearer {token}"}))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["username"], body["email"]) == (
        lab.member.user_id,
        lab.member.username,
        f"{lab.member.username}@lab.example",
    )
    assert TIMESTAMP.match(body["last_login"])


def test_3_instruments_list_is_open_and_has_mat253(client, lab, ctx):
    for auth in ({}, bearer(ctx, lab.member)):
        response = client.get("/api/instruments/", headers=ui_headers(auth))
        assert response.status_code == 200
        names = {i["name"].lower(): i["id"] for i in response.json()}
        assert names == {"mat253": lab.mat253.id, "kiel iv": lab.kiel.id}


def test_4_parts_of_an_instrument_have_the_fields_the_table_and_form_read(client, lab):
    response = client.get(f"/api/parts/?instrument_id={lab.mat253.id}", headers=ui_headers())
    assert response.status_code == 200
    rows = response.json()
    assert [p["part_number"] for p in rows] == ["FIL-1", "GSK-7"]
    filament = rows[0]
    assert list(filament)[: len(PART_FIELDS)] == PART_FIELDS
    assert (filament["id"], filament["name"], filament["quantity_in_stock"]) == (
        lab.filament.id,
        "Rhenium filament",
        6,
    )
    assert (filament["stock_status"], filament["manufacturer"]) == ("In stock", "Thermo")
    assert filament["minimum_stock_level"] == 5
    assert filament["is_low_stock"] is False
    assert [i["id"] for i in filament["instruments"]] == [lab.mat253.id]
    assert list(filament["instruments"][0])[:4] == ["id", "name", "model", "location"]
    assert TIMESTAMP.match(filament["created_at"])
    assert filament["updated_at"] is None
    kiel_parts = client.get(f"/api/parts/?instrument_id={lab.kiel.id}", headers=ui_headers())
    assert [p["part_number"] for p in kiel_parts.json()] == ["GSK-7"]


def test_5_creating_a_part_with_the_forms_body(client, lab, ctx):
    body = {
        "part_number": "VAC-9",
        "name": "Turbo pump seal",
        "quantity_in_stock": 3,
        "minimum_stock_level": 2,
        "stock_status": "New",
        "manufacturer": "Pfeiffer",
        "instrument_id": lab.mat253.id,
        "instrument_ids": [lab.mat253.id, lab.kiel.id],
        "is_critical": False,
    }
    response = client.post("/api/parts/", json=body, headers=ui_headers(bearer(ctx, lab.manager)))
    assert response.status_code == 201, response.text
    created = response.json()
    assert list(created)[: len(PART_FIELDS)] == PART_FIELDS
    assert {i["id"] for i in created["instruments"]} == {lab.mat253.id, lab.kiel.id}
    assert (created["stock_status"], created["is_critical"]) == ("In stock", False)
    history = stock.part_history(ctx, actor=SYSTEM, part_id=created["id"]).items
    assert [(m.delta, m.source) for m in history] == [(3, "api")]


def test_6_editing_sends_the_whole_part_back_and_a_new_quantity_is_a_count(client, lab, ctx):
    part = client.get(f"/api/parts/{lab.filament.id}").json()
    form = {
        **part,
        "part_number": part["part_number"],
        "name": "Rhenium filament, ribbon",
        "quantity_in_stock": 4,
        "minimum_stock_level": 5,
        "stock_status": part["stock_status"],
        "manufacturer": part["manufacturer"] or "",
    }
    payload = {
        **form,
        "instrument_ids": [i["id"] for i in part["instruments"]],
        "is_critical": form.get("is_critical") or False,
        "instrument_id": lab.mat253.id,
    }
    response = client.patch(
        f"/api/parts/{lab.filament.id}", json=payload, headers=ui_headers(bearer(ctx, lab.manager))
    )
    assert response.status_code == 200, response.text
    edited = response.json()
    assert (edited["name"], edited["quantity_in_stock"]) == ("Rhenium filament, ribbon", 4)
    assert edited["stock_status"] == "Low stock"
    assert edited["is_low_stock"] is True
    assert TIMESTAMP.match(edited["updated_at"])
    latest = stock.part_history(ctx, actor=SYSTEM, part_id=lab.filament.id).items[0]
    assert (latest.delta, latest.quantity_after, latest.source) == (-2, 4, "api")
    assert [a.part_id for a in alerts.list_alerts(ctx, actor=SYSTEM).items] == [lab.filament.id]


def test_7_deleting_a_part_answers_204_and_members_see_the_403_detail(client, lab, ctx):
    refused = client.delete(
        f"/api/parts/{lab.filament.id}", headers=ui_headers(bearer(ctx, lab.member))
    )
    assert "may not manage parts" in assert_json_error(refused, 403)
    response = client.delete(
        f"/api/parts/{lab.filament.id}", headers=ui_headers(bearer(ctx, lab.manager))
    )
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/parts/{lab.filament.id}").status_code == 404


def test_8_plus_and_minus_buttons_answer_the_full_part_and_keep_the_reason(client, lab, ctx):
    headers = ui_headers(bearer(ctx, lab.member))
    for change, expected in [(-1, 5), (+1, 6), (-1, 5)]:
        response = client.post(
            f"/api/parts/{lab.filament.id}/stock",
            json={"quantity_change": change, "reason": "Stock adjustment via UI"},
            headers=headers,
        )
        assert response.status_code == 200
        assert list(response.json())[: len(PART_FIELDS)] == PART_FIELDS
        assert (response.json()["id"], response.json()["quantity_in_stock"]) == (
            lab.filament.id,
            expected,
        )
    history = stock.part_history(ctx, actor=SYSTEM, part_id=lab.filament.id).items
    assert [(m.delta, m.reason, m.source, m.actor_id) for m in history[:3]] == [
        (-1, "Stock adjustment via UI", "api", lab.member.user_id),
        (1, "Stock adjustment via UI", "api", lab.member.user_id),
        (-1, "Stock adjustment via UI", "api", lab.member.user_id),
    ]


def test_9_search_finds_by_name_or_number_and_refuses_one_character(client, lab, ctx):
    headers = ui_headers(bearer(ctx, lab.member))
    response = client.get("/api/parts/search/?q=gasket", headers=headers)
    assert response.status_code == 200
    [found] = response.json()
    assert (found["id"], found["part_number"], found["quantity_in_stock"]) == (
        lab.gasket.id,
        "GSK-7",
        40,
    )
    assert found["stock_status"] == "In stock"
    assert {(i["id"], i["name"]) for i in found["instruments"]} == {
        (lab.mat253.id, "MAT253"),
        (lab.kiel.id, "Kiel IV"),
    }
    assert [p["id"] for p in client.get("/api/parts/search/?q=fil-", headers=headers).json()] == [
        lab.filament.id
    ]
    short = client.get("/api/parts/search/?q=g", headers=headers)
    assert "at least 2 characters" in assert_json_error(short, 400)


def test_10_and_11_alert_list_and_summary_after_a_part_goes_low(client, lab, ctx):
    headers = ui_headers(bearer(ctx, lab.member))
    client.post(
        f"/api/parts/{lab.filament.id}/stock",
        json={"quantity_change": -1, "reason": "Stock adjustment via UI"},
        headers=headers,
    )
    response = client.get("/api/alerts/?active_only=true", headers=headers)
    assert response.status_code == 200
    [alert] = response.json()
    assert (alert["part_id"], alert["current_stock"], alert["threshold_stock"]) == (
        lab.filament.id,
        5,
        5,
    )
    assert alert["message"]
    assert isinstance(alert["id"], int)
    assert TIMESTAMP.match(alert["created_at"])
    assert list(alert)[:9] == [
        "part_id",
        "message",
        "current_stock",
        "threshold_stock",
        "id",
        "is_active",
        "is_resolved",
        "created_at",
        "resolved_at",
    ]
    summary = client.get("/api/alerts/summary", headers=headers).json()
    assert {k: summary[k] for k in list(summary)[:5]} == {
        "total_alerts": 1,
        "active_alerts": 1,
        "resolved_alerts": 0,
        "critical_parts_low": 0,
        "out_of_stock_parts": 0,
    }


@pytest.mark.usefixtures("lab")
def test_collections_without_their_slash_redirect_with_307(client):
    for path in ("/api/parts", "/api/instruments", "/api/alerts", "/api/users"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 307
        assert response.headers["location"] == f"http://testserver{path}/"


def test_search_without_its_slash_is_read_as_a_part_id(client, lab, ctx):
    response = client.get("/api/parts/search?q=gasket", headers=bearer(ctx, lab.member))
    assert assert_json_error(response, 422)[0]["loc"] == ["path", "part_id"]
