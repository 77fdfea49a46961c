"""Token, auth helper and health responses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the scheme, not a secret)


class VerifyTokenResponse(BaseModel):
    status: Literal["authorized"] = "authorized"
    user: str


class ValidateResponse(BaseModel):
    valid: bool
    user_id: int
    username: str
    is_admin: bool
    is_active: bool
    role: str


class ServiceHealth(BaseModel):
    status: Literal["healthy"] = "healthy"
    service: str


class Welcome(BaseModel):
    message: str
    version: str
    status: str
    docs: str


class JobStatus(BaseModel):
    """The scheduled low-stock check's record, whichever process ran it."""

    last_run: str | None = Field(default=None, description="When the latest run ended (ISO).")
    last_success: str | None = None
    last_failure: str | None = None
    last_error: str | None = Field(default=None, description="With an admin's token only.")
    failure_count: int = 0
    total_runs: int = 0
    average_duration: float | None = Field(default=None, description="Seconds per run.")


class SchedulerHealth(BaseModel):
    """`GET /health/scheduler`, in the original's shape."""

    scheduler_healthy: bool
    issues: list[str]
    job_status: JobStatus
    scheduler_running: bool


class Health(BaseModel):
    """The process and its database can serve (the database is reachable and writable).

    An admin's bearer token adds `user_count` and more keys (e.g. the scheduler's state,
    with each job's last error); without one, only `status`, `database` and `timestamp`.
    """

    model_config = ConfigDict(extra="allow")

    status: str = "healthy"
    database: str = "connected"
    user_count: int | None = Field(None, description="Admins only.")
    timestamp: float


class HealthFailure(BaseModel):
    """503: the database cannot be reached or written; `reason` says which, briefly."""

    detail: str = "Database connection failed"
    reason: str
