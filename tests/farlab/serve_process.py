"""A real ``python -m bot serve`` process for the tests: its environment, start and stop."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from console.harness import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "serve-test-secret-key-0123456789abcdefghijkl"


def serve_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This process's environment without Slack or FarLab settings, on an SQLite file in
    ``tmp_path``, with ``extra`` on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FARLAB_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
        SECRET_KEY=SECRET,
        BCRYPT_ROUNDS="4",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


@contextmanager
def serving(
    env: dict[str, str], log: Path, *args: str, timeout: float = 60
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``serve`` on a free port with ``args``, its output in ``log``: its URL and process
    once ``/healthz`` answers 200; stopped afterwards. A serve that does not come up fails
    the test with its output."""
    port = free_port()
    with log.open("wb") as output:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port), *args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, url, log, timeout)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_healthy(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"serve did not come up: {log.read_text(errors='replace')}")
        time.sleep(0.1)
