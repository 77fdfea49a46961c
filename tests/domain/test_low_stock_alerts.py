"""Low-stock alerts follow the stock: opened at the minimum, resolved above it, one at a time."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from domain import alerts, parts, stock
from domain.permissions import SYSTEM
from persistence.models import Alert
from tests.factories import make_part, make_user


def _take(ctx, part_id, n, actor=SYSTEM):
    return stock.adjust_stock(
        ctx, actor=actor, part_id=part_id, delta=-n, reason=None, source="api"
    )


def _restock(ctx, part_id, n, actor=SYSTEM):
    return stock.adjust_stock(ctx, actor=actor, part_id=part_id, delta=n, reason=None, source="api")


def _low_stock_alerts(ctx, part_id):
    return alerts.list_alerts(ctx, actor=SYSTEM, kind="low_stock", part_id=part_id).items


def test_an_alert_opens_when_stock_falls_to_the_minimum_not_before(ctx, clock):
    part = make_part(ctx, quantity=7, minimum=5)
    assert not _take(ctx, part.id, 1).alert_opened
    assert _low_stock_alerts(ctx, part.id) == ()
    assert _take(ctx, part.id, 1).alert_opened
    (alert,) = _low_stock_alerts(ctx, part.id)
    assert (alert.status, alert.severity, alert.current_stock, alert.threshold_stock) == (
        "open",
        "warning",
        5,
        5,
    )
    assert alert.created_at == clock.now
    assert "FIL-1" in alert.message


def test_further_takes_keep_a_single_unresolved_alert(ctx):
    part = make_part(ctx, quantity=6, minimum=5)
    member = make_user(ctx)
    opened = [_take(ctx, part.id, 1, member).alert_opened for _ in range(4)]
    assert opened == [True, False, False, False]
    assert len(_low_stock_alerts(ctx, part.id)) == 1


def test_an_acknowledged_alert_still_counts_as_the_one_unresolved_alert(ctx):
    part = make_part(ctx, quantity=5, minimum=5)
    (alert,) = _low_stock_alerts(ctx, part.id)
    alerts.acknowledge_alert(ctx, actor=SYSTEM, alert_id=alert.id)
    assert not _take(ctx, part.id, 1).alert_opened
    assert [a.status for a in _low_stock_alerts(ctx, part.id)] == ["acknowledged"]


def test_a_restock_above_the_minimum_resolves_the_alert_automatically(ctx, clock):
    part = make_part(ctx, quantity=3, minimum=5)
    manager = make_user(ctx, "manager")
    still_low = _restock(ctx, part.id, 2, manager)
    assert not still_low.alert_resolved
    assert _low_stock_alerts(ctx, part.id)[0].status == "open"
    clock.advance(minutes=5)
    assert _restock(ctx, part.id, 1, manager).alert_resolved
    (alert,) = _low_stock_alerts(ctx, part.id)
    assert (alert.status, alert.resolved_at, alert.resolved_by_id) == (
        "resolved",
        clock.now,
        manager.user_id,
    )
    assert alert.resolution_note


def test_falling_low_again_after_a_resolution_opens_a_new_alert(ctx):
    part = make_part(ctx, quantity=5, minimum=5)
    _restock(ctx, part.id, 10)
    assert _take(ctx, part.id, 10).alert_opened
    assert [a.status for a in _low_stock_alerts(ctx, part.id)] == ["open", "resolved"]


def test_parts_without_a_minimum_never_alert_even_when_empty(ctx):
    part = make_part(ctx, quantity=2, minimum=0)
    assert not _take(ctx, part.id, 2).alert_opened
    assert _low_stock_alerts(ctx, part.id) == ()


def test_a_new_part_that_starts_low_opens_its_alert_at_once(ctx):
    part = make_part(ctx, quantity=0, minimum=2)
    (alert,) = _low_stock_alerts(ctx, part.id)
    assert alert.severity == "critical"
    assert alert.current_stock == 0


def test_a_critical_part_raises_a_critical_alert(ctx):
    part = make_part(ctx, quantity=3, minimum=2, is_critical=True)
    _take(ctx, part.id, 1)
    assert _low_stock_alerts(ctx, part.id)[0].severity == "critical"


def test_a_stock_count_opens_and_resolves_alerts_like_a_take_and_a_restock(ctx):
    part = make_part(ctx, quantity=20, minimum=5)
    down = stock.count_stock(ctx, actor=SYSTEM, part_id=part.id, quantity=4, source="api")
    assert down.alert_opened
    up = stock.count_stock(ctx, actor=SYSTEM, part_id=part.id, quantity=9, source="api")
    assert up.alert_resolved
    assert [a.status for a in _low_stock_alerts(ctx, part.id)] == ["resolved"]


def test_changing_the_minimum_opens_or_resolves_the_alert(ctx):
    part = make_part(ctx, quantity=4, minimum=2)
    parts.update_part(ctx, actor=SYSTEM, part_id=part.id, minimum_stock_level=4)
    assert [a.status for a in _low_stock_alerts(ctx, part.id)] == ["open"]
    parts.update_part(ctx, actor=SYSTEM, part_id=part.id, minimum_stock_level=3)
    assert [a.status for a in _low_stock_alerts(ctx, part.id)] == ["resolved"]


def test_deactivating_a_low_part_resolves_its_alert(ctx):
    part = make_part(ctx, quantity=1, minimum=2)
    parts.deactivate_part(ctx, actor=SYSTEM, part_id=part.id)
    assert [a.status for a in _low_stock_alerts(ctx, part.id)] == ["resolved"]


def _low_stock_row(part_id, status="open"):
    return Alert(
        kind="low_stock",
        part_id=part_id,
        message="Low stock",
        severity="warning",
        status=status,
        delivery_attempts=0,
    )


def test_the_database_refuses_a_second_unresolved_low_stock_alert_for_a_part(ctx, database):
    part = make_part(ctx, quantity=1, minimum=2)
    assert len(_low_stock_alerts(ctx, part.id)) == 1
    for status in ("open", "acknowledged"):
        with pytest.raises(IntegrityError), database.session() as session:
            session.add(_low_stock_row(part.id, status))
    with database.session() as session:  # resolved ones and other kinds are not limited
        session.add(_low_stock_row(part.id, "resolved"))
        session.add(_low_stock_row(part.id, "resolved"))
        session.add(
            Alert(
                kind="manual", part_id=part.id, message="Check", status="open", delivery_attempts=0
            )
        )
    with database.session() as session:
        unresolved = select(func.count()).where(
            Alert.part_id == part.id, Alert.kind == "low_stock", Alert.status != "resolved"
        )
        assert session.scalar(unresolved) == 1


@pytest.mark.parametrize(
    ("unit", "quantity", "reads"),
    [
        ("pcs", 1, "1 pc left"),
        ("pcs", 0, "0 pcs left"),
        ("pc", 2, "2 pcs left"),
        ("boxes", 1, "1 box left"),
        ("Box", 3, "3 Boxes left"),
        ("mL", 1, "1 mL left"),
        ("widgetz", 1, "1 widgetz left"),
    ],
)
def test_the_alert_message_reads_its_unit_as_people_do(ctx, unit, quantity, reads):
    """The message is written by one statement in SQL; it agrees with ``unit_for``."""
    part = make_part(ctx, quantity=quantity, minimum=5, unit_of_measure=unit)
    (alert,) = _low_stock_alerts(ctx, part.id)
    assert f"{reads}, minimum 5." in alert.message
