"""Pieces every schema shares: timestamps on the wire, id bounds, error bodies, and the
text every request may carry."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Path
from pydantic import (
    BaseModel,
    BeforeValidator,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from domain import validation
from domain.errors import InvalidInput

MAX_ID = 2_147_483_647  # ids are 32-bit on PostgreSQL; larger ones can never exist


def format_timestamp(value: datetime) -> str:
    """ISO 8601 in UTC, always with microseconds and a ``Z``: 2026-11-23T20:14:16.431157Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


Timestamp = Annotated[
    datetime,
    PlainSerializer(format_timestamp, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def _storable(value: Any, info: ValidationInfo) -> Any:
    """A text value that can be stored and encoded (no NUL, no unpaired surrogate)."""
    if isinstance(value, str):
        try:
            validation.storable(value, field=info.field_name or "value")
        except InvalidInput as exc:
            raise ValueError(exc.message) from None
    return value


def _one_line_query(value: Any) -> Any:
    """A search: one line of text (the domain's rule for looking things up)."""
    if isinstance(value, str):
        try:
            validation.lookup(value, field="query")
        except InvalidInput as exc:
            raise ValueError(exc.message) from None
    return value


SearchText = Annotated[str, BeforeValidator(_one_line_query)]
"""A query parameter searched for: control characters, NUL and unpaired surrogates are
a 422 naming the parameter, before the route runs."""


class RequestBody(BaseModel):
    """Every JSON request body. A text field holding NUL (which PostgreSQL cannot store) or
    an unpaired surrogate (``"\\ud800"``: JSON can carry it, UTF-8 cannot encode it) is a
    422 naming the field, before the route runs; which other characters a field may hold
    (one line or several) is the domain's rule, and is a 422 naming the field too."""

    @field_validator("*", mode="before")
    @classmethod
    def _text_is_storable(cls, value: Any, info: ValidationInfo) -> Any:
        return _storable(value, info)


def one_of(title: str, *values: StrEnum) -> WithJsonSchema:
    """An enum field documented inline as its string values (as a ``Literal`` would be)."""
    return WithJsonSchema(
        {"enum": [value.value for value in values], "title": title, "type": "string"}
    )


def path_id(what: str) -> Any:
    return Path(ge=1, le=MAX_ID, description=f"The {what}'s id.")


class ErrorMessage(BaseModel):
    """Every refusal: ``detail`` is a sentence to show the person who acted."""

    detail: str


_ERROR_TEXT = {
    400: "The request cannot be carried out as asked (the message says why).",
    401: "No valid bearer token: missing, malformed, tampered with or expired. "
    "The response carries `WWW-Authenticate: Bearer`.",
    403: "The account's role may not do this, or the account is inactive.",
    404: "Something the request names does not exist.",
    409: "The change conflicts with existing data (a taken number or name, a link that "
    "exists, or not enough stock: the message says how much is available).",
    413: "The uploaded file is over the size limit.",
    429: "Too many sign-in tries for this username from this address, or for the username: "
    "locked for a while (`Retry-After`).",
    503: "The database cannot be reached.",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the refusals a route can give."""
    return {code: {"model": ErrorMessage, "description": _ERROR_TEXT[code]} for code in codes}
