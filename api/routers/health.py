"""``GET /`` and ``GET /health`` (outside the API prefix; admins see more of /health)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import Ctx, is_admin_request
from api.schemas.auth import Health, HealthFailure, JobStatus, SchedulerHealth, Welcome
from domain import users
from domain.errors import Unavailable
from domain.health import database_problem

API_VERSION = "0.1.0"
# What the composition root gives for /health/scheduler: detailed (an admin asks) -> body.
SchedulerReport = Callable[[bool], dict[str, object]]
router = APIRouter(tags=["health"])


@router.get("/", response_model=Welcome)
def welcome() -> Welcome:
    return Welcome(
        message="Welcome to FARLAB Inventory Management System",
        version=API_VERSION,
        status="running",
        docs="/docs",
    )


@router.get("/health/scheduler", response_model=SchedulerHealth)
def scheduler_health(request: Request) -> SchedulerHealth:
    """The scheduled low-stock check, in the original's shape (which always said it had
    never run): `scheduler_running` is true when this process runs the scheduler or
    another process ran the check recently; `issues` says what is wrong, and
    `scheduler_healthy` is true when nothing is. Open; an admin's bearer token adds the
    last error's text."""
    report: SchedulerReport | None = request.app.state.scheduler_health
    if report is None:
        return SchedulerHealth(
            scheduler_healthy=False,
            issues=["This service runs no scheduler"],
            job_status=JobStatus(),
            scheduler_running=False,
        )
    detailed = is_admin_request(request.app.state.ctx, request)
    return SchedulerHealth.model_validate(report(detailed))


@router.get(
    "/health",
    response_model=Health,
    response_model_exclude_unset=True,
    responses={503: {"model": HealthFailure, "description": HealthFailure.__doc__}},
)
def health(ctx: Ctx, request: Request) -> Health | JSONResponse:
    """Whether the service is up: its database is reachable, is the file it opened (SQLite)
    and takes a write. 503 with a short `reason` when it is not. With an admin's bearer
    token the answer adds the number of accounts and the scheduler's state."""
    problem = database_problem(ctx)
    if problem is not None:
        body = HealthFailure(reason=problem).model_dump()
        return JSONResponse(body, status_code=503)
    base: dict[str, object] = {
        "status": "healthy",
        "database": "connected",
        "timestamp": ctx.now().timestamp(),
    }
    if not is_admin_request(ctx, request):
        return Health.model_validate(base)
    try:
        base["user_count"] = users.count_users(ctx)
    except Unavailable as exc:
        return JSONResponse(HealthFailure(reason=exc.reason).model_dump(), status_code=503)
    extra: Callable[[], dict[str, object]] | None = request.app.state.health_extra
    return Health.model_validate({**base, **(extra() if extra else {})})
