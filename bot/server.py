"""The HTTP process: Slack's /slack/events beside the REST API, link pages and health."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from slack_bolt import App, BoltRequest
from starlette.concurrency import run_in_threadpool

from domain.context import DomainContext

log = logging.getLogger("farlab.http")


def add_slack_routes(web: FastAPI, bolt_app: App) -> None:
    """Serve Slack at /slack/events: one URL for commands, interactivity, options, events.

    The Bolt app runs with ``process_before_response=True`` in the thread pool, so its
    answer is the HTTP response (no 10 ms ack polling) and the event loop never blocks;
    the signature is always verified by Bolt.
    """

    async def slack_events(request: Request) -> Response:
        body = (await request.body()).decode("utf-8", errors="replace")
        headers: dict[str, str | Sequence[str]] = {}
        for key, value in request.headers.items():
            headers[key] = [*headers.get(key, ()), value]
        bolt_request = BoltRequest(body=body, query=request.url.query, headers=headers)
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return Response(
            status_code=bolt_response.status,
            content=bolt_response.body,
            headers={k: v[0] for k, v in bolt_response.headers.items() if v},
        )

    web.add_api_route("/slack/events", slack_events, methods=["POST"], include_in_schema=False)


def add_healthz(
    web: FastAPI, ctx: DomainContext, extra: Callable[[], dict[str, Any]] | None = None
) -> None:
    def healthz() -> JSONResponse:
        try:
            ctx.db.ping()
            database = "ok"
        except Exception as exc:  # any database failure means unhealthy
            log.warning("health check: database unreachable: %s", exc)
            database = "unreachable"
        body: dict[str, Any] = {"status": "ok" if database == "ok" else "unhealthy"}
        body["database"] = database
        if extra is not None:
            body.update(extra())
        return JSONResponse(body, status_code=200 if database == "ok" else 503)

    web.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
