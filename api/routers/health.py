"""``GET /`` and ``GET /health`` (outside the API prefix, no auth)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import Ctx
from api.schemas.auth import Health, Welcome
from api.schemas.common import errors
from domain import users

API_VERSION = "0.1.0"
log = logging.getLogger("farlab.api")
router = APIRouter(tags=["health"])


@router.get("/", response_model=Welcome)
def welcome() -> Welcome:
    return Welcome(
        message="Welcome to FARLAB Inventory Management System",
        version=API_VERSION,
        status="running",
        docs="/docs",
    )


@router.get("/health", response_model=Health, responses=errors(503))
def health(ctx: Ctx, request: Request) -> Health | JSONResponse:
    """The database is reachable (with the number of accounts); other parts of the process
    add their own keys, such as the scheduler's state. 503 when the database is not."""
    try:
        user_count = users.count_users(ctx)
    except Exception:
        log.exception("Health check: the database cannot be reached")
        return JSONResponse({"detail": "Database connection failed"}, status_code=503)
    extra: Callable[[], dict[str, object]] | None = request.app.state.health_extra
    base = {"user_count": user_count, "timestamp": ctx.now().timestamp()}
    return Health.model_validate({**base, **(extra() if extra else {})})
