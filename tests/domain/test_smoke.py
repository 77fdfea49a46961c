import pytest

from domain import alerts, parts, stock
from domain.errors import InsufficientStock
from tests.factories import make_user


def test_use_below_minimum_opens_one_alert_and_restock_resolves_it(ctx):
    manager = make_user(ctx, "manager")
    member = make_user(ctx, "member")
    part = parts.create_part(
        ctx,
        actor=manager,
        part_number="FIL-1",
        name="Rhenium filament",
        quantity_in_stock=6,
        minimum_stock_level=5,
    )
    change = stock.adjust_stock(
        ctx, actor=member, part_id=part.id, delta=-1, reason="MAT253 source", source="slack"
    )
    assert change.part.quantity_in_stock == 5
    assert change.alert_opened
    stock.adjust_stock(ctx, actor=member, part_id=part.id, delta=-2, reason=None, source="slack")
    open_alerts = alerts.list_alerts(ctx, actor=member, active_only=True)
    assert [a.part_id for a in open_alerts.items] == [part.id]
    with pytest.raises(InsufficientStock) as refused:
        stock.adjust_stock(
            ctx, actor=member, part_id=part.id, delta=-4, reason=None, source="slack"
        )
    assert (refused.value.available, refused.value.requested) == (3, 4)
    assert parts.get_part(ctx, actor=member, part_id=part.id).quantity_in_stock == 3
    change = stock.adjust_stock(
        ctx, actor=member, part_id=part.id, delta=10, reason=None, source="api"
    )
    assert change.alert_resolved
    assert alerts.list_alerts(ctx, actor=member, active_only=True).items == ()
    history = stock.part_history(ctx, actor=member, part_id=part.id)
    assert sum(m.delta for m in history.items) == 13
