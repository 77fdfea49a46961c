"""An unsigned, oversized body sent to /slack/events of a real ``python -m bot serve``.

For each way of sending it (with Content-Length, and chunked without one) a fresh server
(SQLite, the Slack stand-in) is started, one small request warms it up, then the body is
streamed from a generator. Printed: the answer's status, the time until it came, how much
of the body the client got to send, and the server's peak resident memory (VmHWM) before
and after.

    .venv/bin/python -m bench.slack_oversized              # 200 MB
    .venv/bin/python -m bench.slack_oversized --mb 50
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.slack_setup import start_ours
from slack_stand_in import SlackStandIn

SIGNING_SECRET = "bench-oversized-signing-secret"
SECRET_KEY = "bench-oversized-secret-key-0123456789abcdef"
CHUNK = 1024 * 1024


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _body(total: int, sent: list[int]) -> Iterator[bytes]:
    chunk = b"payload=" + b"x" * (CHUNK - 8)
    while sum(sent) < total:
        sent.append(len(chunk))
        yield chunk


def measure(workdir: Path, api_url: str, total: int, *, chunked: bool) -> str:
    server = start_ours(
        workdir,
        db_url=f"sqlite:///{workdir / ('chunked' if chunked else 'length')}.db",
        api_url=api_url,
        signing_secret=SIGNING_SECRET,
        secret_key=SECRET_KEY,
    )
    try:
        server.wait_healthy()
        url = f"{server.url}/slack/events"
        httpx.post(url, content=b"payload=%7B%7D", timeout=10)  # warm up: one small request
        before = _peak_rss_mb(server.process.pid)
        sent: list[int] = []
        headers = {"content-type": "application/x-www-form-urlencoded"}
        if not chunked:
            headers["content-length"] = str(total)
        started = time.perf_counter()
        try:
            answer = httpx.post(url, content=_body(total, sent), headers=headers, timeout=120)
            outcome = f"{answer.status_code} {answer.text[:60]}"
        except httpx.HTTPError as exc:
            outcome = f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        after = _peak_rss_mb(server.process.pid)
        errors = sum(
            "ERROR" in line or "Traceback" in line for line in server.log_text().splitlines()
        )
    finally:
        server.stop()
    how = "chunked, no Content-Length" if chunked else "with Content-Length"
    return (
        f"{how:28} {outcome:50} {elapsed:6.2f} s  sent {sum(sent) / CHUNK:6.0f} MiB  "
        f"peak RSS {before:6.0f} -> {after:6.0f} MiB  error lines {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="body size in MiB")
    args = parser.parse_args()
    stand_in = SlackStandIn().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for chunked in (False, True):
                print(measure(Path(tmp), stand_in.base_url, args.mb * CHUNK, chunked=chunked))
    finally:
        stand_in.stop()


if __name__ == "__main__":
    main()
