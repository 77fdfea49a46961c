"""The baseline for bench/slack.py: a bare Bolt app whose ``/farlab`` listener only acks.

The fastest bare Bolt set-up: ``AsyncApp``
with ``process_before_response=True`` behind the FastAPI async adapter, one uvicorn worker
(or ``--workers N`` processes, each building its app with ``create_from_env``).
``AsyncApp`` calls ``auth.test`` on its first request (it cannot at construction), so its
client points at the Slack stand-in the benchmark runs. The signing secret is read from
``SLACK_SIGNING_SECRET``, as the real server reads it.

    .venv/bin/python -m bench.bare_bolt_app --port 8101 --api-url http://127.0.0.1:PORT/api/
    .venv/bin/python -m bench.bare_bolt_app --port 8101 --api-url ... --workers 2
"""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def build_bare_app(signing_secret: str, api_url: str) -> FastAPI:
    client = AsyncWebClient(token="xoxb-bench-bare", base_url=api_url)
    bolt = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        process_before_response=True,
    )

    @bolt.command("/farlab")
    async def handle_farlab_command(ack: AsyncAck) -> None:
        await ack()

    handler = AsyncSlackRequestHandler(bolt)
    web = FastAPI()

    @web.post("/slack/events")
    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)

    @web.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return web


# How main tells the worker processes (each built by ``create_from_env``) the stand-in's URL.
API_URL_ENV = "BENCH_SLACK_API_URL"


def create_from_env() -> FastAPI:
    """One worker process's app: the secret from ``SLACK_SIGNING_SECRET``, the stand-in's
    Web API URL from ``BENCH_SLACK_API_URL``."""
    return build_bare_app(os.environ["SLACK_SIGNING_SECRET"], os.environ[API_URL_ENV])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True, help="the Slack stand-in's Web API URL")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    secret = os.environ.get("SLACK_SIGNING_SECRET")
    if not secret:
        print("error: SLACK_SIGNING_SECRET is not set", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    config = {"host": args.host, "port": args.port, "log_level": "warning", "access_log": False}
    if args.workers > 1:
        os.environ[API_URL_ENV] = args.api_url
        uvicorn.run(
            "bench.bare_bolt_app:create_from_env", factory=True, workers=args.workers, **config
        )
        return 0
    uvicorn.run(build_bare_app(secret, args.api_url), **config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
