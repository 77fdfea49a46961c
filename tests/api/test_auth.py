"""Bearer tokens: expiry, tampering, inactive and deleted accounts, and the auth helpers."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from domain import users
from domain.permissions import SYSTEM
from tests.api.support import assert_json_error, bearer
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD


def _token(headers):
    return headers["Authorization"].removeprefix("Bearer ")


def _me(client, token):
    return client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})


def _refused(response, detail):
    assert assert_json_error(response, 401) == detail
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_works_for_30_minutes_then_says_it_expired(client, ctx, clock, lab):
    token = _token(bearer(ctx, lab.member))
    clock.advance(minutes=29, seconds=59)
    assert _me(client, token).status_code == 200
    clock.advance(seconds=1)
    _refused(_me(client, token), "Token has expired")


def test_an_expired_token_still_reads_the_open_routes_as_anonymous(client, ctx, clock, lab):
    headers = bearer(ctx, lab.member)
    clock.advance(hours=1)
    assert client.get("/api/parts/", headers=headers).status_code == 200
    assert client.get("/api/alerts/summary", headers=headers).status_code == 200
    assert (
        client.post(
            f"/api/parts/{lab.filament.id}/stock", json={"quantity_change": 1}, headers=headers
        ).status_code
        == 401
    )


def _resign(token: str, **changes) -> str:
    """The token with its claims changed but its original signature kept."""
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    raw = json.dumps(claims, separators=(",", ":")).encode()
    return ".".join([head, base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), signature])


def _forged(claims: dict, key: str = TEST_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


@pytest.mark.parametrize(
    "tamper",
    [
        "signature",
        "subject",
        "other key",
        "no signature",
        "username subject",
        "no subject",
        "wrong audience",
        "garbage",
    ],
)
def test_tampered_or_forged_tokens_are_refused(client, ctx, clock, lab, tamper):
    token = _token(bearer(ctx, lab.member))
    now = int(clock.now.timestamp())
    claims = {"sub": str(lab.member.user_id), "aud": "access", "iat": now, "jti": "j"}
    claims["exp"] = now + 600
    bad = {
        "signature": token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "subject": _resign(token, sub=str(lab.admin.user_id)),
        "other key": _forged(claims, key="another-secret-key-that-is-long-enough-0123"),
        "no signature": _forged(claims, key="", algorithm="none"),
        "username subject": _forged({**claims, "sub": lab.member.username}),
        "no subject": _forged({k: v for k, v in claims.items() if k != "sub"}),
        "wrong audience": _forged({**claims, "aud": "link"}),
        "garbage": "not-a-token",
    }[tamper]
    _refused(_me(client, bad), "Could not validate credentials")


@pytest.mark.usefixtures("lab")
def test_missing_or_non_bearer_authorization_is_not_authenticated(client):
    _refused(client.get("/api/users/me"), "Not authenticated")
    _refused(
        client.get("/api/users/me", headers={"Authorization": "Basic abc"}), "Not authenticated"
    )


def test_a_deactivated_account_gets_403_with_its_token_and_401_at_sign_in(client, ctx, lab):
    headers = bearer(ctx, lab.member)
    response = client.patch("/api/users/me", json={"is_active": False}, headers=headers)
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert assert_json_error(client.get("/api/users/me", headers=headers), 403) == (
        "Account is inactive"
    )
    login = client.post("/api/token", data={"username": lab.member.username, "password": PASSWORD})
    assert assert_json_error(login, 401) == "Invalid credentials"


def test_a_token_of_a_deleted_account_is_refused(client, ctx, lab):
    headers = bearer(ctx, lab.member)
    users.delete_user(ctx, actor=lab.admin, user_id=lab.member.user_id)
    _refused(client.get("/api/users/me", headers=headers), "Could not validate credentials")


def test_signing_in_records_last_login(client, ctx, clock, lab):
    login = client.post("/api/token", data={"username": lab.member.username, "password": PASSWORD})
    assert login.status_code == 200
    assert users.get_user(ctx, actor=SYSTEM, user_id=lab.member.user_id).last_login == clock.now


def test_a_grant_type_other_than_password_is_refused(client, lab):
    response = client.post(
        "/api/token",
        data={"username": lab.member.username, "password": PASSWORD, "grant_type": "token"},
    )
    assert assert_json_error(response, 422)[0]["loc"] == ["body", "grant_type"]


def test_verify_token_is_for_admins_only(client, ctx, lab):
    ok = client.get("/api/auth/verify-token", headers=bearer(ctx, lab.admin))
    assert ok.json() == {"status": "authorized", "user": lab.admin.username}
    refused = client.get("/api/auth/verify-token", headers=bearer(ctx, lab.manager))
    assert assert_json_error(refused, 403) == "Not authorized to access documentation"


def test_validate_says_whose_token_it_is(client, ctx, lab):
    response = client.post("/api/auth/validate", headers=bearer(ctx, lab.manager))
    assert response.json() == {
        "valid": True,
        "user_id": lab.manager.user_id,
        "username": lab.manager.username,
        "is_admin": False,
        "is_active": True,
        "role": "manager",
    }
    assert client.get("/api/auth/health").json() == {
        "status": "healthy",
        "service": "authentication",
    }
