"""Compact JSON for button values and a modal's private_metadata, and reading it back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.blocks.text import BUTTON_VALUE_MAX
from domain.tokens import MAX_ID


def pack(data: Mapping[str, Any], *, limit: int = BUTTON_VALUE_MAX) -> str:
    """``{"c":"part","id":12}``: no spaces, non-ASCII kept as is, ``None`` entries dropped.

    Raises ``ValueError`` when the result would be longer than ``limit``.
    """
    text = json.dumps(
        {k: v for k, v in data.items() if v is not None},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    if len(text) > limit:
        raise ValueError(f"packed value is {len(text)} characters; the limit is {limit}")
    return text


def unpack(text: str | None) -> dict[str, Any]:
    """The dict ``pack`` wrote; ``{}`` for an empty, malformed or non-object value."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def packed_id(value: Any) -> int | None:
    """An id as ``pack`` wrote it (a whole number from 1 to the largest id a row can have),
    or None for anything else: a value that is not one, or that no row can ever have."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        return None
    return value


def packed_offset(value: Any) -> int:
    """A page offset as ``pack`` wrote it; 0 for anything else."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        return 0
    return value
