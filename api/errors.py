"""How refusals reach the client: one JSON ``{"detail": ...}`` body for every error.

``ANSWERS`` is the one table from domain error to HTTP answer (status, detail, headers).
A few places answer some refusals as the original API did there: the bearer-token check
(``BEARER_CHECK``) and some routes (by route name); ``AT`` lists what they answer
differently, and anything they do not list is answered from ``ANSWERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from domain.errors import (
    AccountInactive,
    AccountLocked,
    AuthError,
    ConfirmationNeeded,
    Conflict,
    DomainError,
    Forbidden,
    InsufficientStock,
    InvalidInput,
    NotFound,
    TokenExpired,
    Unavailable,
)

BEARER = {"WWW-Authenticate": "Bearer"}


def _message(exc: Any) -> Any:
    return exc.message


def _no_headers(_exc: Any) -> dict[str, str]:
    return {}


def _bearer(_exc: Any) -> dict[str, str]:
    return BEARER


def _bearer_and_retry_after(exc: Any) -> dict[str, str]:
    return {**BEARER, "Retry-After": str(exc.minutes * 60)}


@dataclass(frozen=True)
class Answer:
    """How one kind of domain error is answered."""

    error: type[DomainError]
    status: int
    # A fixed ``detail``, or how to make it from the error (its message by default).
    detail: str | Callable[[Any], Any] = _message
    headers: Callable[[Any], dict[str, str]] = _no_headers
    # Only an ``InvalidInput`` about this field (others go on down the table).
    field: str | None = None

    def matches(self, exc: DomainError) -> bool:
        if not isinstance(exc, self.error):
            return False
        return self.field is None or self.field in getattr(exc, "errors", {})

    def body(self, exc: DomainError) -> dict[str, Any]:
        detail = self.detail if isinstance(self.detail, str) else self.detail(exc)
        return {"detail": encodable(detail)}


def _fields(exc: Any) -> Any:
    return validation_detail(exc)


# The domain names what a body sends as an id by the thing (``supplier``); REST by the id.
_BODY_IDS = {"part": "part_id", "supplier": "supplier_id"}


def _body_ids(exc: Any) -> Any:
    return validation_detail(exc, rename=_BODY_IDS)


def _query_fields(exc: Any) -> Any:
    return validation_detail(exc, where="query")


def _confirm_over(exc: Any) -> Any:
    detail = validation_detail(exc)
    for problem in detail:
        problem["msg"] += " Send it again with confirm_over: true to do so."
    return detail


# The first matching answer decides; subclasses come before their bases. Unlisted: 409.
ANSWERS: tuple[Answer, ...] = (
    Answer(AccountInactive, 403, "Account is inactive"),
    Answer(AuthError, 401, "Could not validate credentials", _bearer),
    Answer(NotFound, 404),
    Answer(Forbidden, 403),
    Answer(InvalidInput, 422, _fields),
    Answer(InsufficientStock, 409),
    Answer(Conflict, 409),
    Answer(Unavailable, 503),
)
OTHERWISE = Answer(DomainError, 409)

BEARER_CHECK = "bearer check"
"""Where a request's bearer token is checked (``answered_at(BEARER_CHECK)`` in deps)."""

_INVALID_CREDENTIALS = "Could not validate credentials"

# The places that answer some refusals as the original API did there, by route name.
AT: dict[str, tuple[Answer, ...]] = {
    # every refusal of the token is listed: a route open to anyone reads on without it
    BEARER_CHECK: (
        Answer(AccountInactive, 403, "Account is inactive"),
        Answer(TokenExpired, 401, "Token has expired", _bearer),
        Answer(AuthError, 401, _INVALID_CREDENTIALS, _bearer),
        Answer(NotFound, 401, _INVALID_CREDENTIALS, _bearer),  # the account is gone
    ),
    # sign-in: a locked name says for how long; every other refusal looks the same
    "login": (
        Answer(AccountLocked, 429, headers=_bearer_and_retry_after),
        Answer(AuthError, 401, "Invalid credentials", _bearer),
    ),
    "verify_token": (Answer(Forbidden, 403, "Not authorized to access documentation"),),
    "create_user": (Answer(Conflict, 400),),  # a taken username or e-mail address
    "change_password": (Answer(InvalidInput, 401, headers=_bearer, field="current_password"),),
    "link_instrument": (Answer(InvalidInput, 400),),
    "update_instrument_link": (Answer(InvalidInput, 400),),
    "search_parts": (Answer(InvalidInput, 400),),
    # ordering: a refused id is named as the body sends it; receiving more than ordered
    # says how to confirm it
    "create_offer": (Answer(InvalidInput, 422, _body_ids),),
    "request_order": (Answer(InvalidInput, 422, _body_ids),),
    "edit_order": (Answer(InvalidInput, 422, _body_ids),),
    "mark_ordered": (Answer(InvalidInput, 422, _body_ids),),
    "receive_order": (Answer(ConfirmationNeeded, 422, _confirm_over),),
    # usage and forecasts: what the domain refuses there is a query parameter
    **dict.fromkeys(
        (
            "part_usage",
            "part_usage_chart",
            "instrument_usage",
            "instrument_usage_chart",
            "usage_by_person",
            "shrinkage_by_part",
            "most_used_parts",
            "spend_by_instrument",
            "minimum_suggestions",
        ),
        (Answer(InvalidInput, 422, _query_fields),),
    ),
}


def answer_for(exc: DomainError, where: str | None = None) -> Answer:
    """The answer to ``exc`` raised at ``where`` (a route name or ``BEARER_CHECK``)."""
    for answer in (*AT.get(where or "", ()), *ANSWERS):
        if answer.matches(exc):
            return answer
    return OTHERWISE


def validation_detail(
    exc: InvalidInput, *, rename: dict[str, str] | None = None, where: str = "body"
) -> list[dict[str, Any]]:
    """A refused value in the same shape as a request validation error (pydantic v2), in
    the ``body`` or the ``query``; ``rename`` maps the domain's field names to the body's."""
    problems = exc.errors or {"": exc.message}
    names = rename or {}
    return [
        {
            "type": "value_error",
            "loc": [where, names.get(field, field)] if field else [where],
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


async def handle_request_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 (pydantic v2 style), which echoes the refused ``input``: encodable."""
    assert isinstance(exc, RequestValidationError)
    detail = encodable(jsonable_encoder(exc.errors()))
    return JSONResponse({"detail": detail}, status_code=422)


def _route_name(request: Request) -> str | None:
    route = request.scope.get("route")
    return getattr(route, "name", None)


async def handle_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    answer = answer_for(exc, _route_name(request))
    return JSONResponse(answer.body(exc), status_code=answer.status, headers=answer.headers(exc))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, handle_domain_error)
    app.add_exception_handler(RequestValidationError, handle_request_validation_error)


@contextmanager
def answered_at(where: str) -> Iterator[None]:
    """Answer the domain errors that ``where`` lists in ``AT`` as it says, right away.

    For a check that runs before the route (the bearer token): its refusals leave as an
    ``HTTPException``, which a route open to anyone catches to read as the anonymous viewer.
    """
    try:
        yield
    except DomainError as exc:
        answer = next((a for a in AT[where] if a.matches(exc)), None)
        if answer is None:
            raise
        detail = answer.body(exc)["detail"]
        raise HTTPException(answer.status, detail, headers=answer.headers(exc) or None) from exc
