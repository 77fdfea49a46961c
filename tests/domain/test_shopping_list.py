"""The shopping list, requesting a supplier's parts at once, and alerts an order covers."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from domain import alert_reminders, exports, order_steps, ordering, shopping_list, suppliers
from domain.errors import Forbidden
from domain.permissions import SYSTEM
from persistence import outbox
from persistence.models import Alert
from tests.factories import make_part, make_user


@pytest.fixture
def shop(ctx):
    manager = make_user(ctx, "manager")
    thermo = suppliers.add_supplier(ctx, actor=manager, name="Thermo")
    sigma = suppliers.add_supplier(ctx, actor=manager, name="Sigma")
    fil = make_part(ctx, "FIL-1", "Filament", quantity=1, minimum=4)  # low
    ring = make_part(ctx, "RING-1", "O-ring", quantity=0, minimum=10)  # low
    cap = make_part(ctx, "CAP-1", "Cap", quantity=2, minimum=3)  # low, no offer
    make_part(ctx, "OK-1", "Plenty", quantity=50, minimum=3)  # not low
    suppliers.add_offer(
        ctx,
        actor=manager,
        part_id=fil.id,
        supplier_id=thermo.id,
        pack_size=5,
        unit_price="10.00",
        currency="EUR",
        is_preferred=True,
    )
    suppliers.add_offer(
        ctx,
        actor=manager,
        part_id=ring.id,
        supplier_id=thermo.id,
        pack_size=25,
        minimum_order=2,
        unit_price="4.50",
        currency="EUR",
        is_preferred=True,
    )
    suppliers.add_offer(  # an offer that is not preferred does not place the part
        ctx, actor=manager, part_id=cap.id, supplier_id=sigma.id, unit_price="1"
    )
    return manager, thermo, fil, ring, cap


def test_low_parts_without_a_request_are_grouped_by_preferred_supplier(ctx, shop):
    manager, _thermo, fil, _ring, _cap = shop
    found = shopping_list.shopping_list(ctx, actor=manager)
    assert [(g.supplier_name, [line.part_number for line in g.lines]) for g in found.groups] == [
        ("Thermo", ["RING-1", "FIL-1"]),  # the emptiest first: 0 of 10, then 1 of 4
        (None, ["CAP-1"]),
    ]
    thermo_group = found.groups[0]
    ring_line, fil_line = thermo_group.lines
    # FIL-1: 2*4-1 = 7 wanted -> 2 packs of 5 = 10, 20.00; RING-1: 20 -> at least 2 packs of 25
    assert (fil_line.quantity, fil_line.packs, str(fil_line.cost)) == (10, 2, "20.00 EUR")
    assert (ring_line.quantity, ring_line.packs, str(ring_line.cost)) == (50, 2, "9.00 EUR")
    assert [str(m) for m in thermo_group.totals] == ["29.00 EUR"]
    assert found.groups[1].unpriced == 1
    ordering.request_reorder(ctx, actor=manager, part_id=fil.id)
    after = shopping_list.shopping_list(ctx, actor=manager)
    assert [line.part_number for g in after.groups for line in g.lines] == ["RING-1", "CAP-1"]


def test_request_all_of_a_supplier_makes_one_request_per_part(ctx, shop):
    _manager, thermo, _fil, _ring, _cap = shop
    member = make_user(ctx, "member")
    done = shopping_list.request_group(ctx, actor=member, supplier_id=thermo.id)
    assert done.supplier_name == "Thermo"
    assert [(o.part.part_number, o.quantity, o.supplier_name) for o in done.orders] == [
        ("FIL-1", 10, "Thermo"),
        ("RING-1", 50, "Thermo"),
    ]
    assert done.left == 0
    again = shopping_list.request_group(ctx, actor=member, supplier_id=thermo.id)
    assert again.orders == ()
    no_supplier = shopping_list.request_group(ctx, actor=member, supplier_id=None)
    assert [o.part.part_number for o in no_supplier.orders] == ["CAP-1"]
    assert shopping_list.shopping_list(ctx, actor=member).groups == ()


def test_request_all_is_refused_to_a_viewer(ctx, shop, refused):
    from domain.permissions import Actor, Role

    _manager, thermo, *_ = shop
    with refused(Forbidden):
        shopping_list.request_group(
            ctx, actor=Actor(None, "anonymous", Role.VIEWER), supplier_id=thermo.id
        )


def test_the_shopping_list_exports_as_csv(ctx, shop):
    manager, *_ = shop
    export = exports.export_table(ctx, actor=manager, kind="shopping-list")
    with export.content:
        rows = list(csv.DictReader(io.StringIO(export.content.read().decode("utf-8-sig"))))
    assert export.file_name.startswith("farlab-shopping-list-")
    assert [
        (r["supplier"], r["part_number"], r["quantity"], r["estimated_cost"]) for r in rows
    ] == [
        ("Thermo", "RING-1", "50", "9.00"),  # as the list: the emptiest first
        ("Thermo", "FIL-1", "10", "20.00"),
        ("", "CAP-1", "4", ""),
    ]


def _covered(ctx, shop):
    manager, thermo, fil, _ring, _cap = shop
    order = ordering.request_reorder(ctx, actor=manager, part_id=fil.id, quantity=10).order
    order_steps.approve_order(ctx, actor=manager, order_id=order.id)
    order_steps.mark_ordered(
        ctx,
        actor=manager,
        order_id=order.id,
        order_number="PO-1",
        supplier_id=thermo.id,
        expected_on=ctx.now().date() + timedelta(days=3),
    )
    return order


def _deliver_everything(ctx, clock):
    """Mark every open alert as posted long ago (as the outbox would have)."""
    with ctx.transaction() as session:
        for row in session.query(Alert).all():
            row.delivered_at = row.last_notified_at = clock.now - timedelta(days=2)
            row.channel_id, row.message_ts = "CLAB", f"1.{row.id}"


def test_an_alert_whose_shortfall_an_order_covers_is_not_renotified(ctx, clock, shop):
    _manager, _thermo, fil, ring, _cap = shop
    _deliver_everything(ctx, clock)
    order = _covered(ctx, shop)

    def due():
        with ctx.transaction() as session:
            rows = outbox.due_reminders(
                session, now=clock.now, cutoff=clock.now - timedelta(hours=24), limit=100
            )
            return {session.get(Alert, r[0]).part_id for r in rows}

    assert fil.id not in due()
    assert ring.id in due()  # no order: reminded as before
    summary = alert_reminders.daily_summary(ctx)
    assert summary.covered_count == 1
    [covered] = summary.covered
    assert (covered.part_number, covered.order_id, covered.coming) == ("FIL-1", order.id, 10)
    assert all(n.alert.part_id != fil.id for n in summary.worst)
    # An order too small to cover the shortfall does not silence the alert.
    order_steps.receive_order(ctx, actor=SYSTEM, order_id=order.id, quantity=1)
    with ctx.transaction() as session:
        session.query(Alert).filter_by(part_id=fil.id).one()  # still open: 2 <= 4


def test_an_order_that_does_not_cover_the_shortfall_leaves_reminders_on(ctx, clock, shop):
    manager, thermo, fil, _ring, _cap = shop
    _deliver_everything(ctx, clock)
    order = ordering.request_reorder(ctx, actor=manager, part_id=fil.id, quantity=2).order
    order_steps.approve_order(ctx, actor=manager, order_id=order.id)
    order_steps.mark_ordered(
        ctx, actor=manager, order_id=order.id, order_number="PO-2", supplier_id=thermo.id
    )  # 1 in stock + 2 coming = 3, not above the minimum of 4
    with ctx.transaction() as session:
        rows = outbox.due_reminders(
            session, now=clock.now, cutoff=clock.now - timedelta(hours=24), limit=100
        )
        assert fil.id in {session.get(Alert, r[0]).part_id for r in rows}
    assert alert_reminders.daily_summary(ctx).covered_count == 0


def test_a_group_is_counted_and_costed_in_full_when_only_its_first_lines_are_kept(ctx, shop):
    manager, *_ = shop
    found = shopping_list.shopping_list(ctx, actor=manager, lines_per_group=1)
    thermo_group = found.groups[0]
    assert [line.part_number for line in thermo_group.lines] == ["RING-1"]
    assert thermo_group.count == 2
    assert [str(m) for m in thermo_group.totals] == ["29.00 EUR"]  # both parts' cost
    assert found.parts == 3


def test_the_short_list_agrees_with_the_full_one(ctx, shop):
    """Slack's list reads the figures apart from the lines it shows (the covering indexes
    on PostgreSQL): it must say what the full list says."""
    manager, thermo, *_ = shop
    sigma = suppliers.add_supplier(ctx, actor=manager, name="Sigma 2")
    for n in range(12):
        part = make_part(ctx, f"MIX-{n:02d}", f"Mixed {n}", quantity=n % 4, minimum=5 + n % 3)
        if n % 4:
            suppliers.set_reorder_levels(
                ctx,
                actor=manager,
                part_id=part.id,
                reorder_quantity=n + 3 if n % 2 else None,
                target_stock=None if n % 2 else 30,
            )
        if n % 3:
            suppliers.add_offer(
                ctx,
                actor=manager,
                part_id=part.id,
                supplier_id=(thermo if n % 2 else sigma).id,
                pack_size=1 + n % 4,
                minimum_order=1 + n % 2,
                unit_price=None if n == 5 else f"{n}.25",
                currency="CHF" if n % 5 == 0 else "EUR",
                is_preferred=True,
            )
    full = shopping_list.shopping_list(ctx, actor=manager)
    short = shopping_list.shopping_list(ctx, actor=manager, lines_per_group=3)
    assert [(g.supplier_name, g.count, g.totals, g.unpriced) for g in short.groups] == [
        (g.supplier_name, g.count, g.totals, g.unpriced) for g in full.groups
    ]
    assert [g.lines for g in short.groups] == [g.lines[:3] for g in full.groups]
