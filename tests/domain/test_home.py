"""App Home's summary: the account, open alerts for those who manage them, low parts and
instruments that are not operational."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from domain import alerts, instruments, parts
from domain.home import home_summary
from domain.permissions import SYSTEM
from tests.factories import make_user


def _lab_with_trouble(ctx):
    """One low part and one fine part, an open alert about the low one and a resolved one,
    one instrument in maintenance, one out of service and one operational."""
    low = parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number="FIL-1002",
        name="Rhenium filament",
        quantity_in_stock=1,
        minimum_stock_level=3,
    )
    parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number="ORG-7",
        name="Viton o-ring",
        quantity_in_stock=50,
        minimum_stock_level=3,
    )
    drifting = alerts.raise_alert(ctx, actor=SYSTEM, message="source drifting", part_id=low.id)
    done = alerts.raise_alert(ctx, actor=SYSTEM, message="old news", part_id=low.id)
    alerts.resolve_alert(ctx, actor=SYSTEM, alert_id=done.id)
    for name, status in (
        ("Kiel IV", "maintenance"),
        ("Delta V", "out_of_service"),
        ("MAT253", None),
    ):
        made = instruments.create_instrument(ctx, actor=SYSTEM, name=name, model=name)
        if status is not None:
            instruments.set_instrument_status(
                ctx, actor=SYSTEM, instrument_id=made.id, status=status, note="valve"
            )
    return low, drifting, done


def test_a_manager_sees_open_alerts_low_parts_and_instruments_down(ctx):
    low, drifting, done = _lab_with_trouble(ctx)
    manager = make_user(ctx, "manager")
    summary = home_summary(ctx, actor=manager)
    assert (summary.user.id, summary.user.username, summary.user.role) == (
        manager.user_id,
        manager.username,
        "manager",
    )
    assert summary.open_alerts is not None
    shown = {a.id: a for a in summary.open_alerts.items}
    assert shown[drifting.id].message == "source drifting"
    assert done.id not in shown  # resolved
    assert all(a.status != "resolved" for a in shown.values())
    # the low part's own alert and the status change's, newest first
    assert {a.kind for a in shown.values()} == {"manual", "low_stock", "maintenance"}
    assert [a.id for a in summary.open_alerts.items] == sorted(shown, reverse=True)
    assert [p.part_number for p in summary.low_parts.items] == ["FIL-1002"]
    assert summary.low_parts.items[0].id == low.id
    assert sorted((i.name, i.status) for i in summary.instruments_down) == [
        ("Delta V", "out_of_service"),
        ("Kiel IV", "maintenance"),
    ]


def test_a_member_gets_no_alerts_section_but_the_same_parts_and_instruments(ctx):
    _lab_with_trouble(ctx)
    member = make_user(ctx, "member")
    summary = home_summary(ctx, actor=member)
    assert (summary.user.id, summary.user.role) == (member.user_id, "member")
    assert summary.open_alerts is None
    assert [p.part_number for p in summary.low_parts.items] == ["FIL-1002"]
    assert sorted(i.name for i in summary.instruments_down) == ["Delta V", "Kiel IV"]


def test_a_quiet_lab_shows_an_empty_summary(ctx):
    admin = make_user(ctx, "admin")
    summary = home_summary(ctx, actor=admin)
    assert summary.user.username == admin.username
    assert summary.open_alerts is not None
    assert summary.open_alerts.items == ()
    assert summary.low_parts.items == ()
    assert summary.instruments_down == ()


def test_the_summary_is_read_in_one_transaction(ctx, database):
    _lab_with_trouble(ctx)
    manager = make_user(ctx, "manager")
    begun: list[Any] = []

    def count(connection: Any) -> None:
        begun.append(connection)

    event.listen(database.engine, "begin", count)
    try:
        summary = home_summary(ctx, actor=manager)
    finally:
        event.remove(database.engine, "begin", count)
    assert summary.open_alerts is not None
    assert summary.low_parts.items
    assert len(begun) == 1
