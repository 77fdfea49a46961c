"""The HTTP process: Slack's /slack/events beside the REST API, link pages and health."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from slack_bolt import App, BoltRequest

from api.deps import is_admin_request
from domain.context import DomainContext
from domain.health import database_problem

log = logging.getLogger("farlab.http")

# Slack requests dispatched at once; the others wait their turn on the event loop. The work
# is mostly Python holding the GIL, so more threads add contention, not throughput: at 16
# concurrent commands the thread pool's 40 threads gave about twice this limit's p99
# (bench/slack.py). A few are kept so one waiting on the database does not stall the rest.
SLACK_THREADS = 4


def add_slack_routes(web: FastAPI, bolt_app: App) -> None:
    """Serve Slack at /slack/events: one URL for commands, interactivity, options, events.

    The Bolt app runs with ``process_before_response=True`` in the thread pool, so its
    answer is the HTTP response (no 10 ms ack polling) and the event loop never blocks;
    the signature is always verified by Bolt. At most ``SLACK_THREADS`` run at once.
    """
    limiter: anyio.CapacityLimiter | None = None

    async def slack_events(request: Request) -> Response:
        nonlocal limiter
        if limiter is None:  # made on the event loop that serves the requests
            limiter = anyio.CapacityLimiter(SLACK_THREADS)
        body = (await request.body()).decode("utf-8", errors="replace")
        headers: dict[str, str | Sequence[str]] = {}
        for key, value in request.headers.items():
            headers[key] = [*headers.get(key, ()), value]
        bolt_request = BoltRequest(body=body, query=request.url.query, headers=headers)
        bolt_response = await anyio.to_thread.run_sync(
            bolt_app.dispatch, bolt_request, limiter=limiter
        )
        return Response(
            status_code=bolt_response.status,
            content=bolt_response.body,
            headers={k: v[0] for k, v in bolt_response.headers.items() if v},
        )

    web.add_api_route("/slack/events", slack_events, methods=["POST"], include_in_schema=False)


def add_healthz(
    web: FastAPI, ctx: DomainContext, extra: Callable[[], dict[str, Any]] | None = None
) -> None:
    """``GET /healthz``: 200 when the database is reachable, is the file that was opened
    (SQLite) and takes a write; else 503 with a short ``reason``. ``extra``'s keys (the
    scheduler's state, with job errors) are shown only to an admin's bearer token."""

    def healthz(request: Request) -> JSONResponse:
        problem = database_problem(ctx)
        if problem is not None:
            body = {"status": "unhealthy", "database": "unavailable", "reason": problem}
            return JSONResponse(body, status_code=503)
        body = {"status": "ok", "database": "ok"}
        if extra is not None and is_admin_request(ctx, request):
            body.update(extra())
        return JSONResponse(body)

    web.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
