"""The REST sign-in's throttle: five tries per name and client address, then 429; the
client address is the connection's, or X-Forwarded-For from a trusted proxy only."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from ipaddress import ip_network

from api import create_api
from domain.context import DomainContext
from tests.api.support import UI_ORIGIN, assert_json_error
from tests.factories import PASSWORD, make_user

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx serves the tests as well
    warnings.filterwarnings("ignore", message=".*httpx2")
    from fastapi.testclient import TestClient

WRONG = "Wrong-Horse-9"
PROXY, OTHER_PROXY = "10.0.0.5", "10.0.0.6"


def _sign_in(client, username, password, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        "/api/token", data={"username": username, "password": password}, headers=headers
    )


@contextmanager
def _from(ctx: DomainContext, peer: str, trusted: str = "") -> Iterator[TestClient]:
    """A client whose connection comes from ``peer``, to an API trusting ``trusted``."""
    proxies = [ip_network(net) for net in trusted.split(",") if net]
    app = create_api(ctx, cors_origins=[UI_ORIGIN], trusted_proxies=proxies)
    with TestClient(app, client=(peer, 40000)) as client:
        yield client


def test_five_wrong_passwords_lock_the_rest_sign_in_even_with_the_right_one(client, clock, lab):
    name = lab.member.username
    for _ in range(4):
        assert_json_error(_sign_in(client, name, WRONG), 401)
    assert_json_error(_sign_in(client, name, WRONG), 429)  # the fifth locks
    locked = _sign_in(client, name, PASSWORD)
    assert_json_error(locked, 429)
    assert "15 more minutes" in locked.json()["detail"]
    assert locked.headers["Retry-After"] == "900"
    assert _sign_in(client, lab.manager.username, PASSWORD).status_code == 200
    clock.advance(minutes=15)
    assert _sign_in(client, name, PASSWORD).status_code == 200


def test_a_strangers_five_failures_do_not_lock_the_owner_at_another_address(ctx):
    make_user(ctx, "admin", username="boss")
    with _from(ctx, "203.0.113.66") as stranger, _from(ctx, "192.0.2.10") as owner:
        answers = [_sign_in(stranger, "boss", WRONG).status_code for _ in range(6)]
        assert answers == [401] * 4 + [429] * 2
        assert _sign_in(owner, "boss", PASSWORD).status_code == 200
        assert_json_error(_sign_in(stranger, "boss", PASSWORD), 429)


def test_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy(ctx):
    make_user(ctx, username="sara")
    with _from(ctx, "203.0.113.66", trusted=f"{PROXY}/32") as direct:
        for i in range(5):  # a new made-up address on each try changes nothing
            _sign_in(direct, "sara", WRONG, forwarded_for=f"198.51.100.{i}")
        locked = _sign_in(direct, "sara", PASSWORD, forwarded_for="198.51.100.99")
        assert_json_error(locked, 429)
        assert locked.headers["Retry-After"] == "900"


def test_forwarded_for_is_honoured_from_a_trusted_proxy(ctx):
    make_user(ctx, username="sara")
    trusted = "10.0.0.0/29"
    with _from(ctx, PROXY, trusted) as proxy, _from(ctx, OTHER_PROXY, trusted) as other:
        for _ in range(5):
            _sign_in(proxy, "sara", WRONG, forwarded_for="203.0.113.66")
        assert_json_error(_sign_in(other, "sara", PASSWORD, forwarded_for="203.0.113.66"), 429)
        # The right-most address that is not a trusted proxy is the client; one made up
        # further left by the client itself is not believed.
        chain = "203.0.113.66, 192.0.2.10, 10.0.0.3"
        assert _sign_in(other, "sara", PASSWORD, forwarded_for=chain).status_code == 200
        spoofed = "192.0.2.10, 203.0.113.66"
        assert_json_error(_sign_in(proxy, "sara", PASSWORD, forwarded_for=spoofed), 429)
        # Without the header, the proxy itself is the client.
        assert _sign_in(proxy, "sara", PASSWORD).status_code == 200
