"""CORS for the web UI's origin only, X-Process-Time and nosniff everywhere, no-store on
tokens and accounts, the prefix and docs."""

from __future__ import annotations

import pytest

from api import create_api
from tests.api.support import UI_ORIGIN, bearer
from tests.factories import PASSWORD


def _preflight(client, origin, method="GET", path="/api/parts/"):
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )


def test_the_ui_origin_may_send_authorization_and_json_with_credentials(client):
    for method in ("GET", "POST", "PATCH", "DELETE", "PUT"):
        response = _preflight(client, UI_ORIGIN, method)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == UI_ORIGIN
        assert response.headers["access-control-allow-credentials"] == "true"
        allowed = response.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed
        assert "content-type" in allowed
        assert method in response.headers["access-control-allow-methods"]


def test_another_origin_is_refused(client):
    response = _preflight(client, "http://evil.example")
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    simple = client.get("/api/parts/", headers={"Origin": "http://evil.example"})
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers


def test_answers_to_the_ui_carry_its_origin(client, ctx, lab):
    response = client.get("/api/users/me", headers={"Origin": UI_ORIGIN, **bearer(ctx, lab.admin)})
    assert response.headers["access-control-allow-origin"] == UI_ORIGIN


def test_every_response_has_x_process_time(client):
    for response in (
        client.get("/"),
        client.get("/api/nothing"),
        client.get("/api/users/me"),
        _preflight(client, UI_ORIGIN),
    ):
        assert float(response.headers["x-process-time"]) >= 0


@pytest.mark.usefixtures("lab")
def test_prefix_and_origins_are_settings(ctx):
    from fastapi.testclient import TestClient

    app = create_api(ctx, api_prefix="/v2", cors_origins=["http://localhost:3000"])
    with TestClient(app) as client:
        assert client.get("/v2/instruments/").status_code == 200
        assert client.get("/api/instruments/").status_code == 404
        assert _preflight(client, "http://localhost:3000", path="/v2/parts/").status_code == 200
        assert _preflight(client, UI_ORIGIN, path="/v2/parts/").status_code == 400
        schema = client.get("/openapi.json").json()
        flow = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
        assert flow["password"]["tokenUrl"] == "/v2/token"


def test_docs_and_openapi_are_served(client):
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "FarLab REST API"
    assert "differs from the original API" in schema["info"]["description"]


def test_every_answer_says_nosniff(client, ctx, lab):
    answers = [
        client.get("/"),
        client.get("/health"),
        client.get("/api/parts/"),
        client.get("/api/parts/999999"),  # 404
        client.get("/api/users/me"),  # 401
        client.post("/api/instruments/", json={}, headers=bearer(ctx, lab.admin)),  # 422
        _preflight(client, "http://evil.example"),  # 400 from CORS
        client.get("/openapi.json"),
    ]
    for answer in answers:
        assert answer.headers["x-content-type-options"] == "nosniff", answer.request.url


def test_tokens_and_accounts_are_never_cached(client, ctx, lab):
    admin = bearer(ctx, lab.admin)
    private = [
        client.post("/api/token", data={"username": lab.member.username, "password": PASSWORD}),
        client.post("/api/token", data={"username": lab.member.username, "password": "no"}),
        client.get("/api/users/me", headers=bearer(ctx, lab.member)),
        client.get("/api/users/me"),
        client.get("/api/users/", headers=admin),
        client.get(f"/api/users/{lab.member.user_id}", headers=admin),
        client.patch("/api/users/me", json={"phone": "1"}, headers=bearer(ctx, lab.member)),
    ]
    for answer in private:
        assert answer.headers["cache-control"] == "no-store", answer.request.url
    assert "cache-control" not in client.get("/api/parts/").headers
