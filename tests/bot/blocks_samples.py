"""Realistic domain results for the Block Kit builder tests, and checks on what they build."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks.basic_components import Option
from slack_sdk.models.views import View

from bot.blocks.limits import check_message, check_options, check_view
from domain.results import (
    AlertView,
    InstrumentView,
    MovementView,
    Page,
    PartUse,
    PartView,
    StatusChangeView,
    UserView,
)

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
TODAY = date(2025, 3, 14)

HOSTILE = [
    "<!channel>",
    "<@U123>",
    "a & b",
    "*bold* _x_ ~y~",
    "Kühlfalle 🧪 Å 漢字",
    "x" * 3000,
]


def part(**changes: Any) -> PartView:
    base = PartView(
        id=12,
        part_number="FIL-1002",
        name="Rhenium filament",
        description="Thoriated rhenium filament for the MAT253 ion source.",
        category="Ion source",
        manufacturer="Thermo Fisher",
        unit_of_measure="pcs",
        location="Cabinet B3",
        quantity_in_stock=3,
        minimum_stock_level=5,
        is_critical=True,
        is_active=True,
        created_at=NOW - timedelta(days=400),
        updated_at=NOW,
    )
    return replace(base, **changes)


def hostile_part(text: str, **changes: Any) -> PartView:
    """A part whose every user-supplied string is ``text``."""
    return part(
        part_number=text,
        name=text,
        description=text,
        category=text,
        manufacturer=text,
        unit_of_measure=text,
        location=text,
        **changes,
    )


def instrument(**changes: Any) -> InstrumentView:
    base = InstrumentView(
        id=3,
        name="MAT253",
        model="MAT 253 Plus",
        manufacturer="Thermo Fisher",
        serial_number="MAT-0815",
        location="Isotope lab, room 2.14",
        description="Gas source isotope ratio mass spectrometer.",
        status="operational",
        next_maintenance_due=date(2025, 3, 1),
        next_calibration_due=date(2025, 6, 30),
        maintenance_interval_days=90,
        calibration_interval_days=180,
        is_active=True,
        created_at=NOW - timedelta(days=900),
        updated_at=None,
    )
    return replace(base, **changes)


def status_change(**changes: Any) -> StatusChangeView:
    base = StatusChangeView(
        instrument_id=3,
        old_status="operational",
        new_status="maintenance",
        note=None,
        changed_by_id=7,
        changed_at=NOW - timedelta(days=2),
        changed_by="mia",
    )
    return replace(base, **changes)


def hostile_instrument(text: str, **changes: Any) -> InstrumentView:
    return instrument(
        name=text,
        model=text,
        manufacturer=text,
        serial_number=text,
        location=text,
        description=text,
        **changes,
    )


def use(
    of: PartView | None = None,
    by: InstrumentView | None = None,
    *,
    quantity: int = 2,
    critical: bool = True,
) -> PartUse:
    of = of or part()
    by = by or instrument()
    return PartUse(
        link_id=of.id * 100 + by.id,
        instrument_id=by.id,
        instrument_name=by.name,
        instrument_model=by.model,
        instrument_location=by.location,
        instrument_status=by.status,
        part=of,
        quantity_required=quantity,
        is_critical=critical,
        is_active=True,
    )


def movement(**changes: Any) -> MovementView:
    base = MovementView(
        id=501,
        part_id=12,
        delta=-2,
        quantity_after=3,
        reason="filament change",
        actor_id=7,
        actor_username="alice",
        source="slack",
        instrument_id=3,
        instrument_name="MAT253",
        created_at=NOW,
    )
    return replace(base, **changes)


def alert(**changes: Any) -> AlertView:
    base = AlertView(
        id=40,
        kind="low_stock",
        part_id=12,
        part_number="FIL-1002",
        part_name="Rhenium filament",
        instrument_id=None,
        instrument_name=None,
        message="FIL-1002 Rhenium filament is low: 3 pcs left, minimum 5.",
        severity="warning",
        status="open",
        current_stock=3,
        threshold_stock=5,
        created_at=NOW - timedelta(hours=5),
        created_by_id=None,
        acknowledged_at=None,
        acknowledged_by_id=None,
        resolved_at=None,
        resolved_by_id=None,
        resolution_note=None,
        snoozed_until=None,
        channel_id=None,
        message_ts=None,
        delivered_at=None,
        delivery_attempts=0,
        last_error=None,
    )
    return replace(base, **changes)


def user(**changes: Any) -> UserView:
    base = UserView(
        id=7,
        username="alice",
        email="alice@lab.example.org",
        first_name="Alice",
        last_name="Lindqvist",
        phone=None,
        department="Stable isotopes",
        position="Lab manager",
        notes=None,
        role="manager",
        is_active=True,
        has_password=True,
        last_login=NOW,
        created_at=NOW - timedelta(days=30),
        updated_at=None,
    )
    return replace(base, **changes)


def page(items: Any, *, offset: int = 0, limit: int = 25, has_more: bool = False) -> Page[Any]:
    return Page(items=tuple(items), offset=offset, limit=limit, has_more=has_more)


def many_parts(n: int) -> list[PartView]:
    return [
        part(id=i + 1, part_number=f"P-{i:04d}", name=f"Part {i}", quantity_in_stock=i % 7)
        for i in range(n)
    ]


# --- checks -------------------------------------------------------------------------------


def assert_blocks_parse(blocks: list[dict[str, Any]]) -> None:
    """slack_sdk knows every block, validates it recursively, and drops nothing from it."""
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, block
        assert parsed.to_dict() == block


def assert_valid_message(msg: Mapping[str, Any], *, mentions: bool = False) -> None:
    assert set(msg) == {"text", "blocks"}
    assert isinstance(msg["text"], str)
    assert msg["text"].strip()
    assert_blocks_parse(msg["blocks"])
    check_message(msg)
    assert_safe_mrkdwn(msg, mentions=mentions)


def assert_valid_view(view: dict[str, Any], *, mentions: bool = False) -> None:
    assert View(**view).to_dict() == view
    assert_blocks_parse(view["blocks"])
    check_view(view)
    assert_safe_mrkdwn(view, mentions=mentions)
    block_ids = [b["block_id"] for b in view["blocks"] if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))


def assert_valid_options(options: list[dict[str, Any]]) -> None:
    for opt in options:
        assert Option(**opt).to_dict() == opt
    check_options(options)


def texts(obj: Any, kind: str = "mrkdwn") -> Iterator[str]:
    """Every text of the given text-object type anywhere in a message or view."""
    if isinstance(obj, dict):
        if obj.get("type") == kind and isinstance(obj.get("text"), str):
            yield obj["text"]
        for value in obj.values():
            yield from texts(value, kind)
    elif isinstance(obj, list):
        for value in obj:
            yield from texts(value, kind)


_DATE = re.compile(r"<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^<>]*>")
_MENTION = re.compile(r"<(?:@U|#[CG])[A-Z0-9]+>")  # a person, or a channel


def assert_safe_mrkdwn(obj: Mapping[str, Any], *, mentions: bool = False) -> None:
    """No ``<`` or ``>`` in mrkdwn but the date tokens (and, if allowed, the mentions) the
    builders make themselves."""
    shown = [*texts(dict(obj)), obj.get("text", "")]
    for text in shown:
        rest = _DATE.sub("", text)
        if mentions:
            rest = _MENTION.sub("", rest)
        assert "<" not in rest, text
        assert ">" not in rest, text


def action_ids(obj: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(obj, dict):
        if isinstance(obj.get("action_id"), str):
            found.add(obj["action_id"])
        for value in obj.values():
            found |= action_ids(value)
    elif isinstance(obj, list):
        for value in obj:
            found |= action_ids(value)
    return found


def buttons(msg: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every button, in order: accessories and actions elements."""
    found = []
    for block in msg["blocks"]:
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
        found += [e for e in block.get("elements", ()) if e.get("type") == "button"]
    return found


def pager_buttons(msg: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The Previous/Next (and Add) buttons of a paged list."""
    found = [blk for blk in msg["blocks"] if blk.get("block_id") == "pager"]
    return found[0]["elements"] if found else []
