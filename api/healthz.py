"""``GET /healthz``: whether this process can use its database, for load balancers and
container health checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.deps import is_admin_request
from domain.context import DomainContext
from domain.health import database_problem


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
