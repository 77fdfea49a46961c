"""Load for bench/slack.py: signed Slack requests, sent by wrk or by a Python generator.

Both generators keep ``concurrency`` keep-alive connections busy for a fixed time (closed
loop), cycle through a pool of requests signed just before the run (Slack's v0 scheme, a
fresh timestamp well inside the 300 s window), and check every answer: HTTP 200, and a body
that is the real answer rather than an error message.
"""

from __future__ import annotations

import asyncio
import http.client
import multiprocessing
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slack_stand_in import slack_signature

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Check:
    """A real answer: HTTP 200, containing ``must`` (if set) and none of ``must_not``."""

    must: str = ""
    must_not: tuple[str, ...] = ()

    def bad(self, body: bytes) -> bool:
        text = body.decode("utf-8", errors="replace")
        return (bool(self.must) and self.must not in text) or any(m in text for m in self.must_not)


@dataclass
class LoadResult:
    concurrency: int
    seconds: float
    requests: int
    p50_ms: float
    p99_ms: float
    min_ms: float
    non_200: int = 0
    bad_answers: int = 0
    socket_errors: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non_200 + self.bad_answers + self.socket_errors


def signed_request(host: str, path: str, secret: str, body: str) -> bytes:
    """One complete HTTP/1.1 request as Slack sends it: form body, timestamp, v0 signature."""
    timestamp = str(int(time.time()))
    payload = body.encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {FORM}\r\n"
        f"Content-Length: {len(payload)}\r\nX-Slack-Request-Timestamp: {timestamp}\r\n"
        f"X-Slack-Signature: {slack_signature(secret, timestamp, body)}\r\n\r\n"
    )
    return head.encode() + payload


# --- wrk ------------------------------------------------------------------------------------

WRK_SCRIPT = """
local pool = dofile(%(pool)s)
local must = %(must)s
local must_not = %(must_not)s
local next_index = 0
non_200, bad_answers = 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  next_index = next_index %% #pool + 1
  return pool[next_index]
end

function response(status, headers, body)
  if status ~= 200 then
    non_200 = non_200 + 1
    return
  end
  body = body or ""
  local bad = must ~= "" and not string.find(body, must, 1, true)
  for _, marker in ipairs(must_not) do
    if string.find(body, marker, 1, true) then bad = true end
  end
  if bad then bad_answers = bad_answers + 1 end
end

function done(summary, latency, requests)
  local n200, bad = 0, 0
  for _, thread in ipairs(threads) do
    n200 = n200 + thread:get("non_200")
    bad = bad + thread:get("bad_answers")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%%d duration_us=%%d p50_us=%%d p99_us=%%d min_us=%%d non_200=%%d bad=%%d"
    .. " sock=%%d\\n",
    summary.requests, summary.duration, math.floor(latency:percentile(50)),
    math.floor(latency:percentile(99)), latency.min, n200, bad,
    e.connect + e.read + e.write + e.timeout))
end
"""


def _lua_string(data: bytes | str) -> str:
    text = data.decode() if isinstance(data, bytes) else data
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    return '"' + escaped.replace("\n", "\\n") + '"'


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    path = wrk_path()
    if path is None:
        return "wrk (not installed)"
    version = [path, "--version"]
    out = subprocess.run(version, capture_output=True, text=True, check=False)  # noqa: S603
    first = (out.stdout or out.stderr).splitlines()
    return first[0].split(" Copyright")[0].strip() if first else "wrk"


def run_wrk(
    url: str, pool: list[bytes], concurrency: int, seconds: int, check: Check
) -> LoadResult:
    """wrk, one thread, ``concurrency`` connections, for ``seconds`` (whole seconds)."""
    path = wrk_path()
    if path is None:
        raise RuntimeError("wrk is not installed")
    with tempfile.TemporaryDirectory(prefix="farlab-wrk-") as tmp:
        pool_file = Path(tmp) / "pool.lua"
        pool_file.write_text("return {\n" + ",\n".join(_lua_string(r) for r in pool) + "\n}\n")
        script = Path(tmp) / "load.lua"
        script.write_text(
            WRK_SCRIPT
            % {
                "pool": _lua_string(str(pool_file)),
                "must": _lua_string(check.must),
                "must_not": "{" + ", ".join(_lua_string(m) for m in check.must_not) + "}",
            }
        )
        command = [path, "-t1", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s"]
        out = subprocess.run(  # noqa: S603 - wrk from PATH, our own script
            [*command, "-s", str(script), url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures:\n{out.stdout}\n{out.stderr}")
    f = {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}
    return LoadResult(
        concurrency=concurrency,
        seconds=f["duration_us"] / 1e6,
        requests=f["requests"],
        p50_ms=f["p50_us"] / 1000,
        p99_ms=f["p99_us"] / 1000,
        min_ms=f["min_us"] / 1000,
        non_200=f["non_200"],
        bad_answers=f["bad"],
        socket_errors=f["sock"],
    )


# --- the Python generator -------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def _connection(
    port: int, pool: list[bytes], start: int, stop_at: float, check: Check, out: dict[str, Any]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    index = start
    try:
        while time.perf_counter() < stop_at:
            request = pool[index % len(pool)]
            index += 1
            began = time.perf_counter()
            try:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                body = await reader.readexactly(length) if length else b""
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                out["socket_errors"] += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            out["latencies"].append(time.perf_counter() - began)
            if head[9:12] != b"200":
                out["non_200"] += 1
            elif check.bad(body):
                out["bad_answers"] += 1
    finally:
        writer.close()


async def _drive(
    port: int, pool: list[bytes], concurrency: int, seconds: float, check: Check
) -> dict[str, Any]:
    out: dict[str, Any] = {"latencies": [], "non_200": 0, "bad_answers": 0, "socket_errors": 0}
    began = time.perf_counter()
    stop_at = began + seconds
    step = max(1, len(pool) // concurrency)
    await asyncio.gather(
        *(_connection(port, pool, i * step, stop_at, check, out) for i in range(concurrency))
    )
    out["seconds"] = time.perf_counter() - began
    return out


def _python_process(
    port: int, pool: list[bytes], concurrency: int, seconds: float, check: Check, conn: Any
) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # plain asyncio is slower but still measures
        pass
    out = asyncio.run(_drive(port, pool, concurrency, seconds, check))
    latencies = out.pop("latencies")
    out["requests"] = len(latencies)
    out["p50_ms"] = percentile(latencies, 50) * 1000
    out["p99_ms"] = percentile(latencies, 99) * 1000
    out["min_ms"] = min(latencies, default=0.0) * 1000
    conn.send(out)


def run_python(
    port: int, pool: list[bytes], concurrency: int, seconds: float, check: Check
) -> LoadResult:
    """asyncio (uvloop) keep-alive connections in a separate process (its own GIL)."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_python_process, args=(port, pool, concurrency, seconds, check, send)
    )
    process.start()
    if not receive.poll(seconds + 60):
        process.kill()
        raise RuntimeError("the Python load generator did not report")
    out = receive.recv()
    process.join(10)
    return LoadResult(concurrency=concurrency, **out)


# --- the event-loop probe -------------------------------------------------------------------


class LoopProbe:
    """Asks the server for a path it answers on its event loop (a 404), every ``interval``
    seconds on its own connection: if request work blocked the loop, these would wait too."""

    def __init__(self, port: int, path: str = "/bench-loop-probe", interval: float = 0.02):
        self.port, self.path, self.interval = port, path, interval
        self.latencies: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="loop-probe", daemon=True)

    def __enter__(self) -> LoopProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 99) * 1000

    def _run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            while not self._stop.wait(self.interval):
                began = time.perf_counter()
                conn.request("GET", self.path)
                conn.getresponse().read()
                self.latencies.append(time.perf_counter() - began)
        finally:
            conn.close()
