"""Small checks shared by the services; each failure names the field and the rule.

Which characters text may hold:

- every text refuses NUL (PostgreSQL cannot store it) and unpaired surrogates (such as
  ``"\\ud800"``, which JSON can carry but UTF-8 cannot encode);
- one-line text (names, numbers, places, usernames, searches) also refuses the control
  characters (Unicode category Cc: line breaks and tabs among them) and the Unicode line
  and paragraph separators (U+2028, U+2029), so a name cannot start a line of its own in a
  Slack message, and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069), so a name cannot display reversed (``"\u202eevil.exe"``);
- multi-line text (descriptions, notes, reasons, alert messages) keeps newlines and tabs
  and refuses the other control characters.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from email_validator import EmailNotValidError, validate_email

from domain.errors import InvalidInput

MAX_QUANTITY = 100_000
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,49}")

_SURROGATES = "\ud800-\udfff"
_UNSTORABLE = re.compile(f"[\x00{_SURROGATES}]")
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_NOT_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI_CONTROLS}{_SURROGATES}]")
_NOT_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_SURROGATES}]")
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def each_field(fields: Mapping[str, Any], check: Callable[[str, Any], Any]) -> dict[str, Any]:
    """``{name: check(name, value)}`` for every field, or one ``InvalidInput`` naming every
    field that failed its check, so a form shows all its errors at once, not one a try."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in fields.items():
        try:
            cleaned[name] = check(name, value)
        except InvalidInput as error:
            for field, message in (error.errors or {name: error.message}).items():
                errors.setdefault(field, message)
    if errors:
        raise InvalidInput(" ".join(errors.values()), errors=errors)
    return cleaned


def characters(value: str, *, field: str, multiline: bool = False) -> str:
    """``value`` if it holds only characters its kind of text may hold (see above)."""
    found = (_NOT_MULTILINE if multiline else _NOT_ONE_LINE).search(value)
    if found is not None:
        raise InvalidInput.field(field, f"{_label(field)} contains {_describe(found.group())}.")
    return value


def storable(value: str, *, field: str) -> str:
    """``value`` if it can be stored and encoded at all (no NUL, no unpaired surrogate):
    the check for secrets such as passwords, whose characters are otherwise their own."""
    found = _UNSTORABLE.search(value)
    if found is not None:
        raise InvalidInput.field(field, f"{_label(field)} contains {_describe(found.group())}.")
    return value


def credentials(username: str | None, password: str | None) -> tuple[str, str]:
    """A sign-in's username (one line, stripped) and password (storable), checked before
    anything is looked up or counted."""
    if password is not None:
        _require_str(password, "password")
    return lookup(username, field="username"), storable(password or "", field="password")


def lookup(value: str | None, *, field: str) -> str:
    """Text to find something by (a search, a number, a name), stripped; may be empty."""
    if value is None:
        return ""
    _require_str(value, field)
    return characters(value.strip(), field=field)


def text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    required: bool = True,
    min_length: int = 1,
    multiline: bool = False,
) -> str | None:
    """Strip a text field and check its length and characters; ``None``/blank is allowed
    when not required. One line unless ``multiline``."""
    if value is not None:
        _require_str(value, field)
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
    return characters(value, field=field, multiline=multiline)


def required_text(
    value: str | None, *, field: str, max_length: int, min_length: int = 1, multiline: bool = False
) -> str:
    result = text(
        value, field=field, max_length=max_length, min_length=min_length, multiline=multiline
    )
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
    value = lookup(value, field="username")
    if not USERNAME.fullmatch(value):
        raise InvalidInput.field(
            "username",
            "Username must be 3-50 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter or digit.",
        )
    return value


def email(value: str) -> str:
    try:
        address = lookup(value, field="email")
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidInput.field("email", f"Email is not valid: {exc}") from exc


def closest(word: object, known: Sequence[str]) -> str | None:
    """The one of ``known`` that ``word`` most likely misspells (any case), or None."""
    if not isinstance(word, str) or not word.strip():
        return None
    found = difflib.get_close_matches(word.strip().lower(), known, n=1, cutoff=0.6)
    return found[0] if found else None


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


def _require_str(value: object, field: str) -> None:
    if not isinstance(value, str):
        raise InvalidInput.field(field, f"{_label(field)} must be text.")


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"an unpaired surrogate ({code}), which is not a character"
    if char in _LINE_BREAKS:
        return f"a line break ({code}); it must be one line"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"a text-direction control ({code})"
    return f"a control character ({code})"


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()
