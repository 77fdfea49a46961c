"""Managers and members acting on the same reorder at the same moment, on PostgreSQL."""

from __future__ import annotations

import pytest

from domain import order_steps, ordering, suppliers
from domain.errors import Conflict
from domain.permissions import SYSTEM
from persistence.models import PurchaseRequest, PurchaseRequestEvent
from tests.domain.test_concurrency import _together, pg_ctx  # noqa: F401 - the fixture
from tests.factories import make_part, make_user


@pytest.mark.parametrize("round_", range(5))
def test_approve_and_reject_at_once_exactly_one_wins(pg_ctx, round_):  # noqa: F811
    alice, bob = make_user(pg_ctx, "manager"), make_user(pg_ctx, "manager")
    part = make_part(pg_ctx, f"FIL-{round_}", "Filament")
    order = ordering.request_reorder(pg_ctx, actor=SYSTEM, part_id=part.id).order

    def step(i: int):
        if i % 2:
            return order_steps.approve_order(pg_ctx, actor=alice, order_id=order.id)
        return order_steps.reject_order(pg_ctx, actor=bob, order_id=order.id, reason="No")

    results = _together(2, step)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert f"is {winners[0].state} now" in str(losers[0])
    with pg_ctx.db.session() as session:
        row = session.get_one(PurchaseRequest, order.id)
        assert row.state == winners[0].state
        kinds = [
            e.kind for e in session.query(PurchaseRequestEvent).filter_by(request_id=order.id).all()
        ]
    assert sorted(kinds) == sorted(["requested", winners[0].state])


def test_many_requests_for_one_part_at_once_make_one_request(pg_ctx):  # noqa: F811
    members = [make_user(pg_ctx, "member") for _ in range(8)]
    part = make_part(pg_ctx, "ORING-1", "O-ring")
    suppliers.add_supplier(pg_ctx, actor=SYSTEM, name="Sigma")
    results = _together(
        8,
        lambda i: ordering.request_reorder(
            pg_ctx, actor=members[i], part_id=part.id, note=f"note {i}"
        ),
    )
    assert all(not isinstance(r, Exception) for r in results), results
    assert len({r.order.id for r in results}) == 1
    assert sum(not r.joined for r in results) == 1
    detail = ordering.get_order(pg_ctx, actor=SYSTEM, order_id=results[0].order.id)
    assert sorted(e.kind for e in detail.events) == ["joined"] * 7 + ["requested"]
    assert all(f"note {i}" in detail.order.note for i in range(8))
