"""The REST sign-in shares the lockout: five refused passwords lock the name for a while."""

from __future__ import annotations

from tests.api.support import assert_json_error
from tests.helpers import PASSWORD


def _sign_in(client, username, password):
    return client.post("/api/token", data={"username": username, "password": password})


def test_five_wrong_passwords_lock_the_rest_sign_in_even_with_the_right_one(client, clock, lab):
    name = lab.member.username
    for _ in range(4):
        assert_json_error(_sign_in(client, name, "Wrong-Horse-9"), 401)
    assert_json_error(_sign_in(client, name, "Wrong-Horse-9"), 429)  # the fifth locks
    locked = _sign_in(client, name, PASSWORD)
    assert_json_error(locked, 429)
    assert "15 more minutes" in locked.json()["detail"]
    assert locked.headers["Retry-After"] == "900"
    assert _sign_in(client, lab.manager.username, PASSWORD).status_code == 200
    clock.advance(minutes=15)
    assert _sign_in(client, name, PASSWORD).status_code == 200
