"""Turning the text after ``/farlab`` into words, quantities and names."""

from __future__ import annotations

import difflib
import html
import re
import shlex
from typing import Literal

from domain import validation
from domain.errors import InvalidInput
from domain.validation import MAX_QUANTITY

MAX_TEXT = 2000
# A mention as Slack escapes it with should_escape: <#C123|name>, <#C123>, <@U123|name>.
_MENTION = re.compile(r"<([#@])([A-Z0-9]{2,})(?:\|[^<>]*)?>")
_ID_PREFIXES = {"#": "CG", "@": "UW"}
_KEPT = "\x00"
_KEPT_WORD = re.compile(_KEPT + r"(\d+)" + _KEPT)
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def words(text: str) -> list[str]:
    """Split command text like a shell would (quotes group words); Slack's &amp; etc. undone.

    Channel and user mentions Slack sends (``<#C123|lab>``, ``<@U123|jane>``) stay whole,
    one word each, as sent: they are set aside before the text is unescaped and split, so
    a quote or an entity in a mention's label changes nothing (see ``mention_id``).
    Text holding NUL or an unpaired surrogate is refused before anything reads it.
    """
    validation.storable(text or "", field="command_text")
    kept: list[str] = []

    def set_aside(found: re.Match[str]) -> str:
        kept.append(found.group(0))
        return f" {_KEPT}{len(kept) - 1}{_KEPT} "

    text = html.unescape(_MENTION.sub(set_aside, text or "")).translate(_QUOTES).strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput.field(
            "text", f"That command is too long ({len(text):,} characters; at most {MAX_TEXT:,})."
        )
    try:
        split = shlex.split(text)
    except ValueError:
        split = text.split()
    if not kept:
        return split
    return [_KEPT_WORD.sub(lambda m: kept[int(m.group(1))], word) for word in split]


def mention_id(word: str, kind: Literal["#", "@"]) -> str | None:
    """The id in a channel (``#``) or user (``@``) mention as Slack escapes them:
    ``<#C123|lab>`` -> ``C123``, ``<@U123|jane>`` -> ``U123``; None for any other word."""
    found = _MENTION.fullmatch(word.strip())
    if found is None or found.group(1) != kind:
        return None
    ident = found.group(2)
    return ident if ident[0] in _ID_PREFIXES[kind] else None


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
