"""How refusals reach the client: one JSON ``{"detail": ...}`` body for every error.

Domain errors map to statuses here, once for the whole API. A few routes answer a refusal
with the status the original API used for it; they say so with ``status_for``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from domain.errors import (
    AccountInactive,
    AuthError,
    Conflict,
    DomainError,
    Forbidden,
    InsufficientStock,
    InvalidInput,
    NotFound,
    Unavailable,
)

BEARER = {"WWW-Authenticate": "Bearer"}
# The first matching class decides; subclasses come before their bases.
_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (AccountInactive, 403),
    (AuthError, 401),
    (NotFound, 404),
    (Forbidden, 403),
    (InvalidInput, 422),
    (InsufficientStock, 409),
    (Conflict, 409),
    (Unavailable, 503),
)


def status_of(exc: DomainError) -> int:
    return next((status for cls, status in _STATUS if isinstance(exc, cls)), 409)


def validation_detail(exc: InvalidInput) -> list[dict[str, Any]]:
    """A refused value in the same shape as a request validation error (pydantic v2)."""
    problems = exc.errors or {"": exc.message}
    return [
        {
            "type": "value_error",
            "loc": ["body", field] if field else ["body"],
            "msg": f"Value error, {message}",
        }
        for field, message in problems.items()
    ]


def encodable(value: Any) -> Any:
    """``value`` with every unpaired surrogate in its texts written as its escape
    (``\\ud800``), so that an answer echoing what was sent can be encoded as UTF-8."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list | tuple):
        return [encodable(item) for item in value]
    if isinstance(value, dict):
        return {encodable(key): encodable(item) for key, item in value.items()}
    return value


async def handle_request_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 (pydantic v2 style), which echoes the refused ``input``: encodable."""
    assert isinstance(exc, RequestValidationError)
    detail = encodable(jsonable_encoder(exc.errors()))
    return JSONResponse({"detail": detail}, status_code=422)


async def handle_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    status = status_of(exc)
    if isinstance(exc, InvalidInput):
        return JSONResponse({"detail": encodable(validation_detail(exc))}, status_code=status)
    if isinstance(exc, AccountInactive):
        return JSONResponse({"detail": "Account is inactive"}, status_code=status)
    if isinstance(exc, AuthError):
        body = {"detail": "Could not validate credentials"}
        return JSONResponse(body, status_code=status, headers=BEARER)
    return JSONResponse({"detail": encodable(exc.message)}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, handle_domain_error)
    app.add_exception_handler(RequestValidationError, handle_request_validation_error)


@contextmanager
def status_for(
    status: int, error: type[DomainError], *, field: str | None = None
) -> Iterator[None]:
    """Answer ``error`` (about ``field``, if given) with ``status`` and its message."""
    try:
        yield
    except error as exc:
        if field is not None and field not in getattr(exc, "errors", {}):
            raise
        headers = BEARER if status == 401 else None
        raise HTTPException(status, exc.message, headers=headers) from exc
