"""``serve`` keys the sign-in throttle by the real client: the connection's address, or
X-Forwarded-For only from the proxies in FARLAB_TRUSTED_PROXIES (loopback is not trusted
unless named: uvicorn's own default would trust 127.0.0.1)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.harness import free_port

ROOT = Path(__file__).resolve().parents[2]
PROXY = "127.0.0.2"  # a trusted proxy; connections from 127.0.0.1 are not


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FARLAB_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
        SECRET_KEY="serve-test-secret-key-0123456789abcdefghijkl",
        BCRYPT_ROUNDS="4",
        LOG_LEVEL="WARNING",
        FARLAB_TRUSTED_PROXIES=f"{PROXY}, 192.0.2.0/24",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--no-scheduler", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            output = proc.stdout.read().decode() if proc.stdout else ""
            proc.kill()
            pytest.fail(f"serve did not come up: {output}")
        time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


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
