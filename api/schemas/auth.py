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
