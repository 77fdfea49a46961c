"""Every refusal is JSON with a message, with the status the contract (or a fix) names."""

from __future__ import annotations

import pytest

from api import create_api
from domain import stock
from domain.permissions import SYSTEM
from tests.api.support import UI_ORIGIN, assert_json_error, bearer, ui_headers


def test_a_taken_part_number_is_409_in_any_case(client, ctx, lab):
    response = client.post(
        "/api/parts/",
        json={"part_number": "fil-1", "name": "Another filament"},
        headers=bearer(ctx, lab.manager),
    )
    assert assert_json_error(response, 409) == "A part with number fil-1 already exists."


def test_missing_fields_are_422_in_pydantic_v2_style(client, ctx, lab):
    response = client.post(
        "/api/parts/", json={"name": "No number"}, headers=bearer(ctx, lab.manager)
    )
    [error] = assert_json_error(response, 422)
    assert (error["type"], error["loc"], error["msg"]) == (
        "missing",
        ["body", "part_number"],
        "Field required",
    )


def test_a_part_without_a_name_is_422_not_500(client, ctx, lab):
    response = client.post(
        "/api/parts/", json={"part_number": "X-1"}, headers=bearer(ctx, lab.manager)
    )
    [error] = assert_json_error(response, 422)
    assert error["loc"] == ["body", "name"]
    assert error["msg"] == "Value error, Name is required."


def test_a_null_name_in_an_edit_is_422(client, ctx, lab):
    response = client.patch(
        f"/api/parts/{lab.filament.id}", json={"name": None}, headers=bearer(ctx, lab.manager)
    )
    assert assert_json_error(response, 422)[0]["loc"] == ["body", "name"]


def test_taking_more_than_there_is_is_409_naming_what_is_available(client, ctx, lab):
    response = client.post(
        f"/api/parts/{lab.filament.id}/stock",
        json={"quantity_change": -7, "reason": "Stock adjustment via UI"},
        headers=ui_headers(bearer(ctx, lab.member)),
    )
    assert assert_json_error(response, 409) == (
        "Not enough stock of FIL-1: 6 pcs available, 7 requested."
    )
    assert response.headers["access-control-allow-origin"] == UI_ORIGIN
    assert [
        m.delta for m in stock.part_history(ctx, actor=SYSTEM, part_id=lab.filament.id).items
    ] == [6]


def test_a_stock_change_of_zero_or_out_of_range_is_422(client, ctx, lab):
    headers = bearer(ctx, lab.member)
    for change in (0, 10_001, "many"):
        response = client.post(
            f"/api/parts/{lab.filament.id}/stock", json={"quantity_change": change}, headers=headers
        )
        assert assert_json_error(response, 422)[0]["loc"][0] == "body"


@pytest.mark.parametrize(
    ("method", "path", "body", "detail"),
    [
        ("GET", "/api/parts/999999", None, "Part not found."),
        ("PATCH", "/api/parts/999999", {"name": "x"}, "Part not found."),
        ("DELETE", "/api/parts/999999", None, "Part not found."),
        ("POST", "/api/parts/999999/stock", {"quantity_change": 1}, "Part not found."),
        ("GET", "/api/parts/999999/history", None, "Part not found."),
        ("GET", "/api/instruments/999999", None, "Instrument not found."),
        ("PATCH", "/api/instruments/999999", {"location": "x"}, "Instrument not found."),
        ("DELETE", "/api/instruments/999999", None, "Instrument not found."),
        ("GET", "/api/users/999999", None, "User not found."),
        ("DELETE", "/api/users/999999", None, "User not found."),
        ("POST", "/api/alerts/999999/acknowledge", None, "Alert not found."),
        ("POST", "/api/alerts/999999/resolve", None, "Alert not found."),
        ("POST", "/api/alerts/999999/snooze", {"minutes": 5}, "Alert not found."),
    ],
)
def test_unknown_ids_are_404(client, ctx, lab, method, path, body, detail):
    response = client.request(method, path, json=body, headers=bearer(ctx, lab.admin))
    assert assert_json_error(response, 404) == detail


def test_creating_a_part_for_an_unknown_instrument_creates_nothing(client, ctx, lab):
    response = client.post(
        "/api/parts/",
        json={"part_number": "N-1", "name": "Nut", "instrument_ids": [lab.mat253.id, 999999]},
        headers=bearer(ctx, lab.manager),
    )
    assert assert_json_error(response, 404) == "Instrument with ID 999999 not found."
    assert client.get("/api/parts/search/?q=N-1", headers=bearer(ctx, lab.manager)).json() == []


def test_instruments_need_no_manufacturer_or_serial_but_names_and_serials_are_unique(
    client, ctx, lab
):
    headers = bearer(ctx, lab.manager)
    created = client.post(
        "/api/instruments/", json={"name": "Delta V", "model": "Plus"}, headers=headers
    )
    assert created.status_code == 201, created.text
    assert (created.json()["manufacturer"], created.json()["serial_number"]) == (None, None)
    assert created.json()["parts"] == []
    assert created.json()["status"] == "operational"
    again = client.post(
        "/api/instruments/", json={"name": "delta v", "model": "X"}, headers=headers
    )
    assert assert_json_error(again, 409)
    first = {"name": "Picarro", "model": "L2140", "serial_number": "SN-1"}
    assert client.post("/api/instruments/", json=first, headers=headers).status_code == 201
    second = {**first, "name": "Picarro 2"}
    detail = assert_json_error(client.post("/api/instruments/", json=second, headers=headers), 409)
    assert "serial number" in detail


def test_a_bug_is_a_json_500_that_the_browser_may_read(ctx):
    from fastapi.testclient import TestClient

    app = create_api(ctx, cors_origins=[UI_ORIGIN])

    def broken() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/api/broken", broken)
    with TestClient(app) as client:
        response = client.get("/api/broken", headers={"Origin": UI_ORIGIN})
    assert assert_json_error(response, 500) == "Internal server error"
    assert response.headers["access-control-allow-origin"] == UI_ORIGIN
    assert "x-process-time" in response.headers


def test_unknown_paths_and_methods_answer_json(client):
    assert assert_json_error(client.get("/api/nothing"), 404) == "Not Found"
    assert assert_json_error(client.put("/api/parts/"), 405) == "Method Not Allowed"


def test_search_and_link_refusals_keep_the_original_400s(client, ctx, lab):
    headers = bearer(ctx, lab.manager)
    assert assert_json_error(client.get("/api/parts/search/?q=%20a%20", headers=headers), 400)
    assert assert_json_error(client.get("/api/parts/search/?q=", headers=headers), 422)
    link = f"/api/parts/{lab.filament.id}/instruments/{lab.kiel.id}"
    assert assert_json_error(
        client.post(link, params={"quantity_required": 0}, headers=headers), 400
    )
    change = f"/api/parts/{lab.filament.id}/instruments/{lab.mat253.id}"
    assert assert_json_error(client.put(change, headers=headers), 400)


@pytest.mark.usefixtures("ctx", "lab")
def test_list_paging_is_checked(client):
    assert assert_json_error(client.get("/api/alerts/?limit=-1"), 422)
    assert assert_json_error(client.get("/api/alerts/?skip=-1"), 422)
    assert assert_json_error(client.get("/api/parts/?limit=1001"), 422)
    assert assert_json_error(client.get("/api/parts/?instrument_id=x"), 422)
