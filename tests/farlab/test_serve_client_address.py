"""``serve`` keys the sign-in throttle by the real client: the connection's address, or
X-Forwarded-For only from the proxies in FARLAB_TRUSTED_PROXIES (loopback is not trusted
unless named: uvicorn's own default would trust 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.farlab.serve_process import serve_env, serving

PROXY = "127.0.0.2"  # a trusted proxy; connections from 127.0.0.1 are not


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    env = serve_env(tmp_path, FARLAB_TRUSTED_PROXIES=f"{PROXY}, 192.0.2.0/24")
    with serving(env, tmp_path / "serve.log", "--no-scheduler") as (url, _):
        yield url


def _client(url: str, local_address: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=local_address)
    return httpx.Client(base_url=url, transport=transport, timeout=10)


def _statuses(client: httpx.Client, times: int, forwarded_for: str) -> list[int]:
    return [
        client.post(
            "/api/token",
            data={"username": "nobody", "password": "Wrong-Horse-9"},
            headers={"X-Forwarded-For": forwarded_for},
        ).status_code
        for _ in range(times)
    ]


def test_serve_believes_forwarded_for_only_from_a_trusted_proxy(served: str):
    with _client(served, "127.0.0.1") as direct, _client(served, PROXY) as proxy:
        assert _statuses(direct, 5, "203.0.113.1") == [401] * 4 + [429]
        assert _statuses(direct, 1, "203.0.113.2") == [429]  # not believed from 127.0.0.1
        assert _statuses(proxy, 5, "203.0.113.1") == [401] * 4 + [429]
        assert _statuses(proxy, 1, "203.0.113.2") == [401]  # believed from the proxy
        assert _statuses(proxy, 1, "203.0.113.2, 192.0.2.7") == [401]  # 192.0.2.0/24 trusted
        assert _statuses(proxy, 3, "203.0.113.2") == [401, 401, 429]
