"""The parts that need restocking, most urgent first, on both databases."""

from __future__ import annotations

from domain import parts
from domain.low_stock_parts import list_parts_needing_stock
from domain.permissions import SYSTEM
from tests.factories import make_part


def _numbers(page):
    return [p.part_number for p in page.items]


def test_low_parts_come_out_of_stock_first_then_critical_then_by_share_of_minimum(ctx):
    make_part(ctx, "OK-1", "Plenty", quantity=9, minimum=2)
    make_part(ctx, "NOMIN-0", "No minimum, none left", quantity=0)
    make_part(ctx, "LOW-3OF4", "Three of four", quantity=3, minimum=4)
    make_part(ctx, "LOW-2OF10", "Two of ten", quantity=2, minimum=10)
    make_part(ctx, "OUT-A", "Out", quantity=0, minimum=1)
    make_part(ctx, "CRIT-4OF4", "Critical at minimum", quantity=4, minimum=4, is_critical=True)
    make_part(ctx, "OUT-CRIT", "Out and critical", quantity=0, minimum=5, is_critical=True)
    make_part(ctx, "AT-MIN", "At minimum", quantity=5, minimum=5)
    low = list_parts_needing_stock(ctx, actor=SYSTEM)
    assert _numbers(low) == [
        "OUT-CRIT",
        "OUT-A",
        "CRIT-4OF4",
        "LOW-2OF10",
        "LOW-3OF4",
        "AT-MIN",
    ]
    out = list_parts_needing_stock(ctx, actor=SYSTEM, out_only=True)
    assert _numbers(out) == ["OUT-CRIT", "OUT-A", "NOMIN-0"]  # a part with a minimum first


def test_low_parts_page_and_leave_out_inactive_parts(ctx):
    for n in range(5):
        make_part(ctx, f"LOW-{n}", "Low", quantity=1, minimum=3)
    gone = make_part(ctx, "GONE-0", "Retired, none left", quantity=0, minimum=3)
    parts.deactivate_part(ctx, actor=SYSTEM, part_id=gone.id)
    page = list_parts_needing_stock(ctx, actor=SYSTEM, offset=2, limit=2)
    assert (_numbers(page), page.has_more) == (["LOW-2", "LOW-3"], True)
    last = list_parts_needing_stock(ctx, actor=SYSTEM, offset=4, limit=2)
    assert (_numbers(last), last.has_more) == (["LOW-4"], False)
    assert list_parts_needing_stock(ctx, actor=SYSTEM, out_only=True).items == ()
