"""Token, auth helper and health responses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


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
    """The process and its database; more keys may follow (e.g. the scheduler's state)."""

    model_config = ConfigDict(extra="allow")

    status: str = "healthy"
    database: str = "connected"
    user_count: int
    timestamp: float
