"""Helpers for the API tests: the web UI's headers, bearer tokens, wire formats."""

from __future__ import annotations

import re
from typing import Any

import httpx

from domain.context import DomainContext
from domain.permissions import Actor
from tests.helpers import access_token

UI_ORIGIN = "http://localhost:5173"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")

PART_FIELDS = [
    "part_number",
    "name",
    "description",
    "category",
    "manufacturer",
    "quantity_in_stock",
    "minimum_stock_level",
    "is_active",
    "id",
    "stock_status",
    "is_low_stock",
    "created_at",
    "updated_at",
    "instruments",
]


def bearer(ctx: DomainContext, actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token(ctx, actor)}"}


def ui_headers(auth: dict[str, str] | None = None) -> dict[str, str]:
    """What the web UI sends with every call: JSON, its origin, the token if it has one."""
    return {"Content-Type": "application/json", "Origin": UI_ORIGIN, **(auth or {})}


def assert_json_error(response: httpx.Response, status: int) -> Any:
    """The response is a JSON error of that status; returns its ``detail``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()["detail"]
