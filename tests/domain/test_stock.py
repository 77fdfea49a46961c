"""Stock moves: take, restock, count; one ledger row for every change, never below zero."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain import instruments, stock
from domain.errors import InsufficientStock, InvalidInput, NotFound
from domain.permissions import SYSTEM
from persistence.models import Part, StockMovement
from tests.factories import make_part, make_user


def _ledger(ctx, part_id):
    with ctx.db.session() as session:
        rows = session.scalars(
            select(StockMovement).where(StockMovement.part_id == part_id).order_by(StockMovement.id)
        ).all()
        return [(r.delta, r.quantity_after) for r in rows]


def _stored_quantity(ctx, part_id):
    with ctx.db.session() as session:
        return session.scalar(select(Part.quantity_in_stock).where(Part.id == part_id))


def test_take_lowers_stock_and_writes_one_ledger_row_with_who_why_and_where(ctx, clock):
    member = make_user(ctx, username="sara")
    instrument = instruments.create_instrument(ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    part = make_part(ctx, quantity=10)
    change = stock.adjust_stock(
        ctx,
        actor=member,
        part_id=part.id,
        delta=-3,
        reason=" source rebuild ",
        source="slack",
        instrument_id=instrument.id,
    )
    assert change.part.quantity_in_stock == 7 == _stored_quantity(ctx, part.id)
    m = change.movement
    assert (m.delta, m.quantity_after, m.reason, m.source) == (-3, 7, "source rebuild", "slack")
    assert (m.actor_id, m.actor_username) == (member.user_id, "sara")
    assert (m.instrument_id, m.instrument_name, m.created_at) == (
        instrument.id,
        "MAT253",
        clock.now,
    )
    assert not change.alert_opened
    assert not change.alert_resolved
    assert _ledger(ctx, part.id) == [(10, 10), (-3, 7)]


def test_restock_raises_stock_and_writes_one_ledger_row(ctx):
    part = make_part(ctx, quantity=0)
    change = stock.adjust_stock(
        ctx, actor=make_user(ctx), part_id=part.id, delta=25, reason="Delivery", source="api"
    )
    assert change.part.quantity_in_stock == 25
    assert _ledger(ctx, part.id) == [(25, 25)]


def test_stock_can_be_taken_down_to_exactly_zero(ctx):
    part = make_part(ctx, quantity=4)
    change = stock.adjust_stock(
        ctx, actor=SYSTEM, part_id=part.id, delta=-4, reason=None, source="slack"
    )
    assert change.part.quantity_in_stock == 0
    assert change.part.stock_status == "Out of stock"


def test_taking_more_than_there_is_is_refused_naming_what_is_available(ctx, refused):
    part, member = make_part(ctx, quantity=3), make_user(ctx)
    with refused(InsufficientStock) as refusal:
        stock.adjust_stock(
            ctx, actor=member, part_id=part.id, delta=-4, reason=None, source="slack"
        )
    error = refusal.error
    assert isinstance(error, InsufficientStock)
    assert (error.part_number, error.available, error.requested) == ("FIL-1", 3, 4)
    assert "3 pcs available" in str(error)
    assert "4 requested" in str(error)


def test_stock_moves_for_an_unknown_part_or_instrument_are_not_found(ctx, refused):
    part = make_part(ctx, quantity=10)
    with refused(NotFound):
        stock.adjust_stock(ctx, actor=SYSTEM, part_id=999_999, delta=-1, reason=None, source="api")
    with refused(NotFound):
        stock.adjust_stock(ctx, actor=SYSTEM, part_id=999_999, delta=1, reason=None, source="api")
    with refused(NotFound):
        stock.adjust_stock(
            ctx,
            actor=SYSTEM,
            part_id=part.id,
            delta=-1,
            reason=None,
            source="api",
            instrument_id=999_999,
        )
    with refused(NotFound):
        stock.count_stock(ctx, actor=SYSTEM, part_id=999_999, quantity=1, source="api")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"delta": 0}, "quantity"),
        ({"delta": True}, "quantity"),
        ({"delta": 1.5}, "quantity"),
        ({"delta": -100_001}, "quantity"),
        ({"delta": 100_001}, "quantity"),
        ({"reason": "x" * 501}, "reason"),
        ({"reason": "tab\tok but \x00 is not"}, "reason"),
        ({"source": "email"}, "source"),
    ],
)
def test_adjust_stock_refuses_bad_input_naming_the_field(ctx, refused, change, field):
    part = make_part(ctx, quantity=10)
    call = {"delta": -1, "reason": None, "source": "slack", **change}
    with refused(InvalidInput, field=field):
        stock.adjust_stock(ctx, actor=SYSTEM, part_id=part.id, **call)


def test_count_stock_sets_the_quantity_and_records_the_difference(ctx):
    member = make_user(ctx)
    part = make_part(ctx, quantity=10)
    down = stock.count_stock(ctx, actor=member, part_id=part.id, quantity=7, source="slack")
    assert (down.movement.delta, down.movement.quantity_after) == (-3, 7)
    assert down.movement.reason == "Stock count"
    up = stock.count_stock(
        ctx, actor=member, part_id=part.id, quantity=12, reason="Found a box", source="api"
    )
    assert (up.movement.delta, up.movement.reason, up.part.quantity_in_stock) == (
        5,
        "Found a box",
        12,
    )
    assert _ledger(ctx, part.id) == [(10, 10), (-3, 7), (5, 12)]
    assert _stored_quantity(ctx, part.id) == 12
    assert down.counted  # told as a count, whatever the difference
    assert up.counted
    taken = stock.adjust_stock(
        ctx, actor=member, part_id=part.id, delta=-1, reason=None, source="api"
    )
    assert not taken.counted


def test_a_count_that_confirms_the_stock_records_a_zero_difference(ctx):
    part = make_part(ctx, quantity=10)
    change = stock.count_stock(ctx, actor=SYSTEM, part_id=part.id, quantity=10, source="api")
    assert change.movement.delta == 0
    assert _ledger(ctx, part.id) == [(10, 10), (0, 10)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": -1}, "quantity"),
        ({"quantity": 100_001}, "quantity"),
        ({"quantity": "7"}, "quantity"),
        ({"source": "fax"}, "source"),
        ({"reason": "r" * 501}, "reason"),
    ],
)
def test_count_stock_refuses_bad_input_naming_the_field(ctx, refused, change, field):
    part = make_part(ctx, quantity=10)
    with refused(InvalidInput, field=field):
        stock.count_stock(
            ctx, actor=SYSTEM, part_id=part.id, **{"quantity": 3, "source": "api", **change}
        )


def test_every_change_is_one_ledger_row_and_the_ledger_adds_up_to_the_stock(ctx):
    member = make_user(ctx)
    part = make_part(ctx, quantity=5)
    moves = [-2, 4, -7, 10, -1]
    for delta in moves:
        stock.adjust_stock(
            ctx, actor=member, part_id=part.id, delta=delta, reason=None, source="api"
        )
    with pytest.raises(InsufficientStock):
        stock.adjust_stock(ctx, actor=member, part_id=part.id, delta=-99, reason=None, source="api")
    stock.count_stock(ctx, actor=member, part_id=part.id, quantity=3, source="api")
    ledger = _ledger(ctx, part.id)
    assert [delta for delta, _ in ledger] == [5, *moves, -6]
    running = 0
    for delta, after in ledger:
        running += delta
        assert after == running
    assert running == _stored_quantity(ctx, part.id) == 3


def test_part_history_is_newest_first_and_pages(ctx, clock):
    part = make_part(ctx, quantity=10)
    for delta in (-1, -2, -3):
        clock.advance(minutes=1)
        stock.adjust_stock(
            ctx, actor=SYSTEM, part_id=part.id, delta=delta, reason=None, source="api"
        )
    first = stock.part_history(ctx, actor=SYSTEM, part_id=part.id, limit=2)
    assert [m.delta for m in first.items] == [-3, -2]
    assert first.has_more
    second = stock.part_history(ctx, actor=SYSTEM, part_id=part.id, offset=2, limit=2)
    assert [m.delta for m in second.items] == [-1, 10]
    assert not second.has_more
    assert second.has_previous
    with pytest.raises(NotFound):
        stock.part_history(ctx, actor=SYSTEM, part_id=999_999)
    with pytest.raises(InvalidInput) as caught:
        stock.part_history(ctx, actor=SYSTEM, part_id=part.id, limit=0)
    assert "limit" in caught.value.errors
