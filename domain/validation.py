"""Small checks shared by the services; each failure names the field and the rule."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from domain.errors import InvalidInput

MAX_QUANTITY = 100_000
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,49}$")


def text(
    value: str | None, *, field: str, max_length: int, required: bool = True, min_length: int = 1
) -> str | None:
    """Strip a text field and check its length; ``None``/blank is allowed when not required."""
    if value is None or not value.strip():
        if required:
            raise InvalidInput.field(field, f"{_label(field)} is required.")
        return None
    value = value.strip()
    if len(value) < min_length:
        raise InvalidInput.field(
            field, f"{_label(field)} must be at least {min_length} characters."
        )
    if len(value) > max_length:
        raise InvalidInput.field(field, f"{_label(field)} must be at most {max_length} characters.")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise InvalidInput.field(field, f"{_label(field)} contains control characters.")
    return value


def required_text(value: str | None, *, field: str, max_length: int, min_length: int = 1) -> str:
    result = text(value, field=field, max_length=max_length, min_length=min_length)
    assert result is not None
    return result


def quantity(value: int, *, field: str = "quantity", allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.field(field, f"{_label(field)} must be a whole number.")
    low = 0 if allow_zero else 1
    if value < low or value > MAX_QUANTITY:
        raise InvalidInput.field(
            field, f"{_label(field)} must be between {low} and {MAX_QUANTITY:,}."
        )
    return value


def username(value: str) -> str:
    value = (value or "").strip()
    if not USERNAME.match(value):
        raise InvalidInput.field(
            "username",
            "Username must be 3-50 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter or digit.",
        )
    return value


def email(value: str) -> str:
    try:
        return validate_email((value or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidInput.field("email", f"Email is not valid: {exc}") from exc


def paging(offset: int, limit: int, *, max_limit: int = 200) -> tuple[int, int]:
    if offset < 0:
        raise InvalidInput.field("offset", "Offset must be 0 or more.")
    if limit < 1 or limit > max_limit:
        raise InvalidInput.field("limit", f"Limit must be between 1 and {max_limit}.")
    return offset, limit


def like_pattern(text: str, *, anywhere: bool = True) -> str:
    """A lower-cased LIKE pattern matching ``text`` literally (use with ``escape="\\"``):
    anywhere in the value, or only at its start."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%" if anywhere else f"{escaped}%"


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()
