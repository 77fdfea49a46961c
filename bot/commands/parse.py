"""Turning the text after ``/farlab`` into words, quantities and names."""

from __future__ import annotations

import difflib
import html
import shlex

from domain.errors import InvalidInput
from domain.validation import MAX_QUANTITY

MAX_TEXT = 2000
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def words(text: str) -> list[str]:
    """Split command text like a shell would (quotes group words); Slack's &amp; etc. undone."""
    text = html.unescape(text or "").translate(_QUOTES).strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput.field(
            "text", f"That command is too long ({len(text):,} characters; at most {MAX_TEXT:,})."
        )
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def quantity(word: str, *, allow_zero: bool = False) -> int:
    low = 0 if allow_zero else 1
    try:
        value = int(word)
    except ValueError:
        value = None
    if value is None or not low <= value <= MAX_QUANTITY or not word.strip("+").isdigit():
        raise InvalidInput.field(
            "quantity",
            f"Quantity must be a whole number from {low} to {MAX_QUANTITY:,} (got {word!r}).",
        )
    return value


def is_number(word: str) -> bool:
    return word.lstrip("+-").isdigit()


def split_at_quantity(args: list[str], usage: str) -> tuple[str, str, list[str]]:
    """``<part words> <qty> rest`` -> (part, qty word, rest); the part may be several words."""
    for i, word in enumerate(args):
        if i > 0 and is_number(word):
            return " ".join(args[:i]), word, args[i + 1 :]
    if len(args) >= 2:
        raise InvalidInput.field(
            "quantity", f"Quantity must be a whole number (got {args[-1]!r}). Usage: {usage}"
        )
    raise InvalidInput(f"Usage: {usage}")


def suggest(word: str, known: list[str]) -> str | None:
    matches = difflib.get_close_matches(word.lower(), known, n=1, cutoff=0.6)
    return matches[0] if matches else None
