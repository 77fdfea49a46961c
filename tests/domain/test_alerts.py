"""Alerts: listing, raising, acknowledging, resolving, snoozing, counting and the scan."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from domain import alerts, instruments
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.permissions import SYSTEM
from persistence.models import Part
from tests.factories import make_alert, make_part, make_user


def test_raise_alert_about_a_part_records_who_and_the_stock(ctx, clock):
    member = make_user(ctx)
    part = make_part(ctx, quantity=4)
    alert = make_alert(
        ctx, actor=member, part_id=part.id, message="  Filament looks burnt ", severity="info"
    )
    assert (alert.kind, alert.status, alert.severity, alert.message) == (
        "manual",
        "open",
        "info",
        "Filament looks burnt",
    )
    assert (alert.part_id, alert.part_number, alert.current_stock) == (part.id, "FIL-1", 4)
    assert (alert.created_by_id, alert.created_at) == (member.user_id, clock.now)
    assert alerts.get_alert(ctx, actor=member, alert_id=alert.id) == alert


def test_raise_alert_about_an_instrument(ctx):
    instrument = instruments.create_instrument(ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    alert = make_alert(ctx, instrument_id=instrument.id, kind="maintenance")
    assert (alert.kind, alert.instrument_name, alert.part_id) == ("maintenance", "Kiel IV", None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"message": "  "}, "message"),
        ({"message": "m" * 2001}, "message"),
        ({"severity": "urgent"}, "severity"),
        ({"kind": "low_stock"}, "kind"),
        ({"part_id": None}, "subject"),
    ],
)
def test_raise_alert_refuses_bad_input_naming_the_field(ctx, refused, fields, field):
    part = make_part(ctx, quantity=10)
    with refused(InvalidInput, field=field):
        make_alert(ctx, **{"part_id": part.id, **fields})


def test_raise_alert_about_something_unknown_is_not_found(ctx, refused):
    with refused(NotFound):
        make_alert(ctx, part_id=999_999)
    with refused(NotFound):
        make_alert(ctx, instrument_id=999_999)


def test_list_alerts_filters_and_puts_the_newest_first(ctx, clock):
    instrument = instruments.create_instrument(ctx, actor=SYSTEM, name="MAT253", model="MAT")
    low = make_part(ctx, "LOW-1", quantity=1, minimum=2)  # opens a low_stock alert
    other = make_part(ctx, "OK-1", quantity=10)
    clock.advance(minutes=1)
    on_part = make_alert(ctx, part_id=other.id)
    clock.advance(minutes=1)
    on_instrument = make_alert(ctx, instrument_id=instrument.id, message="Vacuum drifts")
    alerts.resolve_alert(ctx, actor=SYSTEM, alert_id=on_part.id)

    def ids(**filters):
        return [a.id for a in alerts.list_alerts(ctx, actor=SYSTEM, **filters).items]

    (low_alert,) = ids(kind="low_stock")
    assert ids() == [on_instrument.id, on_part.id, low_alert]
    assert ids(active_only=True) == [on_instrument.id, low_alert]
    assert ids(status="resolved") == [on_part.id]
    assert ids(part_id=low.id) == [low_alert]
    assert ids(instrument_id=instrument.id) == [on_instrument.id]
    assert ids(kind="manual", active_only=True) == [on_instrument.id]
    assert ids(severity="warning") == [on_instrument.id, on_part.id, low_alert]
    assert ids(severity=("critical", "info")) == []
    assert ids(kind=["manual", "low_stock"], severity="warning", active_only=True) == [
        on_instrument.id,
        low_alert,
    ]
    page = alerts.list_alerts(ctx, actor=SYSTEM, limit=2)
    assert page.has_more
    assert len(page.items) == 2


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"status": "closed"}, "status"),
        ({"kind": "fire"}, "kind"),
        ({"kind": ["manual", "fire"]}, "kind"),
        ({"severity": "urgent"}, "severity"),
        ({"offset": -1}, "offset"),
    ],
)
def test_list_alerts_refuses_unknown_filter_values(ctx, filters, field):
    with pytest.raises(InvalidInput) as caught:
        alerts.list_alerts(ctx, actor=SYSTEM, **filters)
    assert field in caught.value.errors


def test_acknowledge_records_who_and_when_and_happens_once(ctx, clock, refused):
    manager = make_user(ctx, "manager")
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    clock.advance(minutes=3)
    acknowledged = alerts.acknowledge_alert(ctx, actor=manager, alert_id=alert.id)
    assert (acknowledged.status, acknowledged.acknowledged_by_id, acknowledged.acknowledged_at) == (
        "acknowledged",
        manager.user_id,
        clock.now,
    )
    with refused(Conflict):
        alerts.acknowledge_alert(ctx, actor=manager, alert_id=alert.id)


def test_resolve_keeps_the_note_and_a_resolved_alert_cannot_change_again(ctx, clock, refused):
    manager = make_user(ctx, "manager")
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    resolved = alerts.resolve_alert(
        ctx, actor=manager, alert_id=alert.id, note=" Replaced the filament "
    )
    assert (resolved.status, resolved.resolution_note) == ("resolved", "Replaced the filament")
    assert (resolved.resolved_by_id, resolved.resolved_at) == (manager.user_id, clock.now)
    with refused(Conflict):
        alerts.resolve_alert(ctx, actor=manager, alert_id=alert.id)
    with refused(Conflict):
        alerts.acknowledge_alert(ctx, actor=manager, alert_id=alert.id)
    with refused(Conflict):
        alerts.snooze_alert(ctx, actor=manager, alert_id=alert.id, until=clock.now + timedelta(1))


def test_resolve_refuses_an_overlong_note(ctx, refused):
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    with refused(InvalidInput, field="note"):
        alerts.resolve_alert(ctx, actor=SYSTEM, alert_id=alert.id, note="n" * 2001)


def test_snooze_hides_an_alert_until_a_time_at_most_thirty_days_ahead(ctx, clock):
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    until = clock.now + timedelta(days=30)
    assert (
        alerts.snooze_alert(ctx, actor=SYSTEM, alert_id=alert.id, until=until).snoozed_until
        == until
    )


@pytest.mark.parametrize(
    "offset",
    [timedelta(0), timedelta(minutes=-1), timedelta(days=30, seconds=1)],
    ids=["now", "past", "over-30-days"],
)
def test_snooze_refuses_a_time_that_is_not_ahead_or_too_far(ctx, clock, refused, offset):
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    with refused(InvalidInput, field="until"):
        alerts.snooze_alert(ctx, actor=SYSTEM, alert_id=alert.id, until=clock.now + offset)


@pytest.mark.usefixtures("clock")
def test_snooze_refuses_a_time_without_a_zone(ctx, refused):
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    naive = datetime(2100, 1, 1)
    with refused(InvalidInput, field="until"):
        alerts.snooze_alert(ctx, actor=SYSTEM, alert_id=alert.id, until=naive)


def test_snooze_for_minutes_or_seconds_up_to_thirty_days(ctx, clock):
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    by_minutes = alerts.snooze_alert(ctx, actor=SYSTEM, alert_id=alert.id, minutes=30 * 24 * 60)
    assert by_minutes.snoozed_until == clock.now + timedelta(days=30)
    by_seconds = alerts.snooze_alert(ctx, actor=SYSTEM, alert_id=alert.id, seconds=3600)
    assert by_seconds.snoozed_until == clock.now + timedelta(hours=1)


THIRTY_DAYS = 30 * 24 * 3600


@pytest.mark.parametrize(
    ("unit", "amount", "said"),
    [
        ("seconds", 10**12, "at most 30 days"),
        ("seconds", 10**30, "at most 30 days"),
        ("seconds", THIRTY_DAYS + 1, "at most 30 days"),
        ("minutes", 10**12, "at most 30 days"),
        ("minutes", THIRTY_DAYS // 60 + 1, "at most 30 days"),
        ("seconds", 0, "whole number of seconds"),
        ("minutes", -5, "whole number of minutes"),
        ("seconds", True, "whole number"),
        ("seconds", 1.5, "whole number"),
        ("seconds", "60", "whole number"),
    ],
)
def test_snooze_refuses_an_absurd_duration_before_computing_a_date(
    ctx, refused, unit, amount, said
):
    """``s=10**12`` in a Snooze button used to overflow the date (an OverflowError)."""
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    with refused(InvalidInput, field=unit) as refusal:
        alerts.snooze_alert(ctx, actor=SYSTEM, alert_id=alert.id, **{unit: amount})
    assert said in str(refusal.error)


def test_snooze_checks_the_role_before_the_duration(ctx, refused):
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    member = make_user(ctx, "member")
    for absurd in ({"seconds": 10**12}, {"minutes": -1}, {"seconds": "soon"}, {}):
        with refused(Forbidden):
            alerts.snooze_alert(ctx, actor=member, alert_id=alert.id, **absurd)


def test_snooze_takes_exactly_one_of_until_minutes_and_seconds(ctx, clock, refused):
    alert = make_alert(ctx, part_id=make_part(ctx, quantity=10).id)
    for given in (
        {},
        {"minutes": 5, "seconds": 5},
        {"until": clock.now + timedelta(1), "minutes": 5},
    ):
        with refused(InvalidInput):
            alerts.snooze_alert(ctx, actor=SYSTEM, alert_id=alert.id, **given)


def test_acting_on_an_unknown_alert_is_not_found(ctx, clock):
    for call in (
        lambda: alerts.get_alert(ctx, actor=SYSTEM, alert_id=999_999),
        lambda: alerts.acknowledge_alert(ctx, actor=SYSTEM, alert_id=999_999),
        lambda: alerts.resolve_alert(ctx, actor=SYSTEM, alert_id=999_999),
        lambda: alerts.snooze_alert(
            ctx, actor=SYSTEM, alert_id=999_999, until=clock.now + timedelta(days=1)
        ),
    ):
        with pytest.raises(NotFound):
            call()


def test_summary_counts_alerts_by_status_and_low_parts(ctx):
    make_part(ctx, "OK-1", quantity=10, minimum=2)
    make_part(ctx, "LOW-1", quantity=2, minimum=2)  # low: open alert
    make_part(ctx, "OUT-1", quantity=0, minimum=1)  # low and out of stock: open alert
    crit = make_part(ctx, "CRIT-1", quantity=1, minimum=3, is_critical=True)  # low, critical
    make_part(ctx, "ZERO-1", quantity=0, minimum=0)  # out of stock, no minimum, no alert
    (crit_alert,) = alerts.list_alerts(ctx, actor=SYSTEM, part_id=crit.id).items
    alerts.acknowledge_alert(ctx, actor=SYSTEM, alert_id=crit_alert.id)
    manual = make_alert(ctx, part_id=crit.id)
    alerts.resolve_alert(ctx, actor=SYSTEM, alert_id=manual.id)
    summary = alerts.alert_summary(ctx, actor=SYSTEM)
    assert (summary.total_alerts, summary.open_alerts) == (4, 2)
    assert (summary.acknowledged_alerts, summary.resolved_alerts) == (1, 1)
    assert summary.active_alerts == 3
    assert (summary.low_stock_parts, summary.critical_parts_low) == (3, 1)
    assert summary.out_of_stock_parts == 2


def test_evaluate_low_stock_opens_missing_alerts_and_resolves_stale_ones(ctx, database):
    became_low = make_part(ctx, "A-1", quantity=3, minimum=0)
    recovered = make_part(ctx, "B-1", quantity=1, minimum=2)  # has an open alert
    make_part(ctx, "C-1", quantity=1, minimum=2)  # low with its alert: left alone
    with database.session() as session:  # changed behind the services' back, e.g. an import
        session.execute(update(Part).where(Part.id == became_low.id).values(minimum_stock_level=5))
        session.execute(update(Part).where(Part.id == recovered.id).values(quantity_in_stock=9))
    result = alerts.evaluate_low_stock(ctx)
    assert (result.opened, result.resolved) == (1, 1)
    active = alerts.list_alerts(ctx, actor=SYSTEM, kind="low_stock", active_only=True).items
    assert sorted(a.part_number or "" for a in active) == ["A-1", "C-1"]
    again = alerts.evaluate_low_stock(ctx)
    assert (again.opened, again.resolved) == (0, 0)
