"""The fast paths of the Slack app's busiest commands give the same answers as the slow
paths, in one statement on PostgreSQL: a take or restock by part number, and the part card."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select

from domain import instruments, parts, stock
from domain.context import DomainContext
from domain.permissions import SYSTEM
from persistence.models import Alert, Part, StockMovement
from tests.factories import make_user


def _part(ctx: DomainContext, number: str = "FIL-1", quantity: int = 10, minimum: int = 0) -> Any:
    return parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number=number,
        name="Rhenium filament",
        quantity_in_stock=quantity,
        minimum_stock_level=minimum,
        unit_of_measure="pcs",
    )


def _statements(ctx: DomainContext) -> tuple[list[str], Any]:
    seen: list[str] = []

    def record(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement.split()[0].upper())

    event.listen(ctx.db.engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(ctx.db.engine, "before_cursor_execute", record)


def _table(ctx: DomainContext, model: Any) -> list[Any]:
    with ctx.db.session() as session:
        return list(session.execute(select(model).order_by(model.id)).scalars())


def test_a_take_by_number_moves_stock_and_writes_its_ledger_row_like_adjust_stock(
    ctx: DomainContext, clock
):
    member = make_user(ctx, username="sara")
    part = _part(ctx)
    clock.advance(minutes=1)
    change = stock.adjust_stock_by_number(
        ctx, actor=member, part_number="fil-1", delta=-3, reason="Kiel rebuild", source="slack"
    )
    assert change is not None
    assert change.part.id == part.id
    assert change.part.quantity_in_stock == 7
    moved = change.movement
    assert (moved.delta, moved.quantity_after, moved.reason, moved.source) == (
        -3,
        7,
        "Kiel rebuild",
        "slack",
    )
    assert (moved.actor_id, moved.actor_username, moved.created_at) == (
        member.user_id,
        "sara",
        clock.now,
    )
    rows = _table(ctx, StockMovement)
    assert [(r.id, r.delta, r.quantity_after, r.actor_id, r.created_at) for r in rows[-1:]] == [
        (moved.id, -3, 7, member.user_id, clock.now)
    ]
    assert stock.part_history(ctx, actor=SYSTEM, part_id=part.id, limit=1).items[0] == moved


def test_a_take_by_number_changes_nothing_when_the_number_is_unknown_or_stock_short(
    ctx: DomainContext,
):
    part = _part(ctx, quantity=2)
    before = (_table(ctx, StockMovement), [(p.id, p.quantity_in_stock) for p in _table(ctx, Part)])
    for number, delta in (("NOPE-1", -1), ("FIL-1", -3), ("Rhenium filament", -1)):
        assert (
            stock.adjust_stock_by_number(
                ctx, actor=SYSTEM, part_number=number, delta=delta, reason=None, source="slack"
            )
            is None
        )
    after = (_table(ctx, StockMovement), [(p.id, p.quantity_in_stock) for p in _table(ctx, Part)])
    assert [(m.id, m.delta) for m in after[0]] == [(m.id, m.delta) for m in before[0]]
    assert after[1] == before[1] == [(part.id, 2)]


def test_a_take_by_number_that_reaches_the_minimum_opens_the_low_stock_alert(ctx: DomainContext):
    part = _part(ctx, quantity=6, minimum=5)
    change = stock.adjust_stock_by_number(
        ctx, actor=SYSTEM, part_number="FIL-1", delta=-1, reason=None, source="slack"
    )
    assert change is not None
    assert change.alert_opened
    assert [(a.part_id, a.kind, a.status) for a in _table(ctx, Alert)] == [
        (part.id, "low_stock", "open")
    ]


@pytest.mark.postgres_only
def test_on_postgresql_a_take_by_number_is_one_statement(ctx: DomainContext):
    _part(ctx)
    seen, stop = _statements(ctx)
    try:
        stock.adjust_stock_by_number(
            ctx, actor=SYSTEM, part_number="FIL-1", delta=-1, reason=None, source="slack"
        )
    finally:
        stop()
    assert seen == ["WITH"]


def test_the_part_card_by_number_is_the_part_detail_in_one_statement(ctx: DomainContext, clock):
    member = make_user(ctx, username="sara")
    part = _part(ctx, quantity=40)
    mat = instruments.create_instrument(ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    kiel = instruments.create_instrument(ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    parts.link_part(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id)
    parts.link_part(ctx, actor=SYSTEM, instrument_id=kiel.id, part_id=part.id, is_critical=True)
    for minutes in range(1, 8):
        clock.advance(minutes=minutes)
        stock.adjust_stock(
            ctx,
            actor=member,
            part_id=part.id,
            delta=-1,
            reason=f"run {minutes}",
            source="slack",
            instrument_id=mat.id if minutes % 2 else None,
        )
    slow = parts.part_detail(ctx, actor=SYSTEM, part_id=part.id)
    seen, stop = _statements(ctx)
    try:
        fast = parts.detail_by_number(ctx, actor=SYSTEM, number="fil-1")
    finally:
        stop()
    assert fast == slow
    assert [u.instrument_name for u in fast.uses] == ["Kiel IV", "MAT253"]  # critical first
    assert [m.reason for m in fast.recent_movements] == [f"run {n}" for n in (7, 6, 5, 4, 3)]
    assert fast.recent_movements[0].instrument_name == "MAT253"
    assert fast.recent_movements[0].actor_username == "sara"
    assert [s for s in seen if s not in ("BEGIN",)] == ["SELECT"]
    assert parts.detail_by_number(ctx, actor=SYSTEM, number="NOPE-1") is None
