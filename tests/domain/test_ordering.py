"""Suppliers, offers and reorder requests through the domain, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from domain import alerts, order_steps, ordering, stock, suppliers
from domain.errors import ConfirmationNeeded, Conflict, Forbidden, InvalidInput, NotFound
from domain.permissions import SYSTEM
from domain.vocabulary import OrderState
from persistence.models import StockMovement
from tests.factories import make_part, make_user


@pytest.fixture
def world(ctx):
    manager = make_user(ctx, "manager")
    member = make_user(ctx, "member")
    part = make_part(ctx, "FIL-1", "Rhenium filament", quantity=10, minimum=4)
    thermo = suppliers.add_supplier(ctx, actor=manager, name="Thermo Fisher")
    return manager, member, part, thermo


def _take(ctx, actor, part_id, n):
    return stock.adjust_stock(
        ctx, actor=actor, part_id=part_id, delta=-n, reason=None, source="api"
    )


def test_the_suggestion_refills_to_twice_the_minimum_in_whole_packs(ctx, world):
    manager, member, part, thermo = world
    _take(ctx, member, part.id, 7)  # 3 left, minimum 4: 2*4-3 = 5 wanted
    assert ordering.suggest_reorder(ctx, actor=member, part_id=part.id).quantity == 5
    suppliers.add_offer(
        ctx,
        actor=manager,
        part_id=part.id,
        supplier_id=thermo.id,
        pack_size=10,
        minimum_order=2,
        unit_price="12.50",
        currency="eur",
        is_preferred=True,
    )
    suggestion = ordering.suggest_reorder(ctx, actor=member, part_id=part.id)
    assert suggestion.quantity == 20  # 1 pack wanted, but at least 2 packs of 10
    assert suggestion.offer.supplier_name == "Thermo Fisher"
    assert str(suggestion.offer.price) == "12.50 EUR"
    suppliers.set_reorder_levels(
        ctx, actor=manager, part_id=part.id, reorder_quantity=None, target_stock=33
    )
    assert ordering.suggest_reorder(ctx, actor=member, part_id=part.id).quantity == 30


def test_a_second_request_joins_the_open_one_with_its_note(ctx, world):
    manager, member, part, _thermo = world
    first = ordering.request_reorder(ctx, actor=member, part_id=part.id, quantity=8, note="Low")
    second = ordering.request_reorder(ctx, actor=manager, part_id=part.id, note="Need 2 more")
    assert not first.joined
    assert second.joined
    assert second.order.id == first.order.id
    assert second.order.quantity == 8
    assert second.order.note == f"{member.username}: Low\n{manager.username}: Need 2 more"
    detail = ordering.get_order(ctx, actor=member, order_id=first.order.id)
    assert [e.kind for e in detail.events] == ["requested", "joined"]


def test_the_whole_loop_restocks_with_an_order_ledger_row_and_resolves_the_alert(ctx, world):
    manager, member, part, thermo = world
    _take(ctx, member, part.id, 8)  # 2 left, minimum 4: a low-stock alert opens
    [alert] = alerts.list_alerts(ctx, actor=member, active_only=True).items
    request = ordering.request_reorder(
        ctx, actor=member, part_id=part.id, quantity=10, urgency_level="urgent"
    ).order
    assert request.state is OrderState.REQUESTED
    assert request.urgency == "urgent"
    approved = order_steps.approve_order(ctx, actor=manager, order_id=request.id)
    assert approved.state is OrderState.APPROVED
    assert approved.decided_by == manager.username
    expected = ctx.now().date() + timedelta(days=14)
    ordered = order_steps.mark_ordered(
        ctx,
        actor=manager,
        order_id=request.id,
        order_number="PO-7",
        supplier_id=thermo.id,
        expected_on=expected,
        unit_price="99.90",
        currency="CHF",
    )
    assert ordered.state is OrderState.ORDERED
    assert (ordered.supplier_name, ordered.expected_on, str(ordered.price)) == (
        "Thermo Fisher",
        expected,
        "99.90 CHF",
    )
    on_order = ordering.on_order(ctx, actor=member, part_ids=[part.id])[part.id]
    assert (on_order.quantity, on_order.expected_on) == (10, expected)

    first = order_steps.receive_order(ctx, actor=manager, order_id=request.id, quantity=4)
    assert first.order.state is OrderState.ORDERED
    assert first.part.quantity_in_stock == 6
    assert first.alert_resolved  # 6 is above the minimum of 4
    assert ordering.on_order(ctx, actor=member, part_ids=[part.id])[part.id].quantity == 6
    last = order_steps.receive_order(ctx, actor=manager, order_id=request.id, quantity=6)
    assert last.order.state is OrderState.RECEIVED
    assert last.part.quantity_in_stock == 12
    assert ordering.on_order(ctx, actor=member, part_ids=[part.id]) == {}
    assert alerts.get_alert(ctx, actor=member, alert_id=alert.id).status == "resolved"

    with ctx.db.session() as session:
        ledger = session.execute(
            select(StockMovement.delta, StockMovement.source, StockMovement.reason)
            .where(StockMovement.source == "order")
            .order_by(StockMovement.id)
        ).all()
    assert ledger == [
        (4, "order", f"Order #{request.id} (PO-7) received"),
        (6, "order", f"Order #{request.id} (PO-7) received"),
    ]
    timeline = ordering.get_order(ctx, actor=member, order_id=request.id).events
    assert [(e.kind, e.actor, e.quantity) for e in timeline] == [
        ("requested", member.username, 10),
        ("approved", manager.username, None),
        ("ordered", manager.username, 10),
        ("received", manager.username, 4),
        ("received", manager.username, 6),
    ]


def test_every_other_step_is_refused_naming_the_state_now(ctx, world, refused):
    manager, member, part, _thermo = world
    order = ordering.request_reorder(ctx, actor=member, part_id=part.id).order
    with refused(Conflict, field="state") as refusal:
        order_steps.mark_ordered(ctx, actor=manager, order_id=order.id, order_number="PO-1")
    assert f"Order #{order.id} is requested now" in str(refusal.error)
    order_steps.reject_order(ctx, actor=manager, order_id=order.id, reason="Use the old ones")
    for step in (
        lambda: order_steps.approve_order(ctx, actor=manager, order_id=order.id),
        lambda: order_steps.cancel_order(ctx, actor=manager, order_id=order.id, reason="x"),
        lambda: order_steps.receive_order(ctx, actor=manager, order_id=order.id, quantity=1),
    ):
        with refused(Conflict, field="state") as refusal:
            step()
        assert "is rejected now" in str(refusal.error)
    with refused(NotFound):
        order_steps.approve_order(ctx, actor=manager, order_id=order.id + 100)


def test_members_request_but_only_managers_decide(ctx, world, refused):
    _manager, member, part, _thermo = world
    order = ordering.request_reorder(ctx, actor=member, part_id=part.id).order
    with refused(Forbidden):
        order_steps.approve_order(ctx, actor=member, order_id=order.id)


def test_with_four_eyes_the_requester_cannot_approve_their_own_request(ctx, world, refused):
    manager, _member, part, _thermo = world
    strict = replace(ctx, four_eyes=True)
    order = ordering.request_reorder(strict, actor=manager, part_id=part.id).order
    with refused(Forbidden) as refusal:
        order_steps.approve_order(strict, actor=manager, order_id=order.id)
    assert "another manager must approve" in str(refusal.error)
    other = make_user(ctx, "manager")
    assert order_steps.approve_order(strict, actor=other, order_id=order.id).state == "approved"
    # Without four eyes, a manager may approve their own request.
    mine = ordering.request_reorder(
        ctx, actor=manager, part_id=make_part(ctx, "FIL-2", "Other").id
    ).order
    assert order_steps.approve_order(ctx, actor=manager, order_id=mine.id).state == "approved"


def _ordered(ctx, manager, member, part, thermo, quantity=10):
    order = ordering.request_reorder(ctx, actor=member, part_id=part.id, quantity=quantity).order
    order_steps.approve_order(ctx, actor=manager, order_id=order.id)
    return order_steps.mark_ordered(
        ctx, actor=manager, order_id=order.id, order_number="PO-9", supplier_id=thermo.id
    )


def test_receiving_more_than_ordered_asks_for_confirmation(ctx, world, refused):
    manager, member, part, thermo = world
    order = _ordered(ctx, manager, member, part, thermo, quantity=5)
    with refused(ConfirmationNeeded, field="quantity") as refusal:
        order_steps.receive_order(ctx, actor=manager, order_id=order.id, quantity=7)
    assert "more than the 5 still to come" in str(refusal.error)
    done = order_steps.receive_order(
        ctx, actor=manager, order_id=order.id, quantity=7, confirm_over=True
    )
    assert done.order.state == "received"
    assert done.part.quantity_in_stock == 17


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"unit_price": "-1"}, "unit_price"),
        ({"unit_price": "abc"}, "unit_price"),
        ({"currency": "XYZ"}, "currency"),
        ({"lead_time_days": 366}, "lead_time_days"),
        ({"lead_time_days": -1}, "lead_time_days"),
        ({"pack_size": 0}, "pack_size"),
        ({"order_url": "javascript:alert(1)"}, "order_url"),
    ],
)
def test_bad_offers_are_refused_naming_the_field(ctx, world, refused, fields, field):
    manager, _member, part, thermo = world
    with refused(InvalidInput, field=field):
        suppliers.add_offer(ctx, actor=manager, part_id=part.id, supplier_id=thermo.id, **fields)


def test_bad_requests_and_receipts_are_refused_with_nothing_written(ctx, world, refused):
    manager, member, part, thermo = world
    for quantity in (0, -3):
        with refused(InvalidInput, field="quantity"):
            ordering.request_reorder(ctx, actor=member, part_id=part.id, quantity=quantity)
    with refused(InvalidInput, field="urgency"):
        ordering.request_reorder(ctx, actor=member, part_id=part.id, urgency_level="asap")
    order = _ordered(ctx, manager, member, part, thermo)
    for quantity in (0, -1):
        with refused(InvalidInput, field="quantity"):
            order_steps.receive_order(ctx, actor=manager, order_id=order.id, quantity=quantity)


def test_a_deactivated_supplier_or_part_is_refused(ctx, world, refused):
    manager, member, part, thermo = world
    suppliers.update_supplier(ctx, actor=manager, supplier_id=thermo.id, is_active=False)
    with refused(InvalidInput, field="supplier") as refusal:
        suppliers.add_offer(ctx, actor=manager, part_id=part.id, supplier_id=thermo.id)
    assert "Thermo Fisher is deactivated" in str(refusal.error)
    with refused(InvalidInput, field="supplier"):
        ordering.request_reorder(ctx, actor=member, part_id=part.id, supplier_id=thermo.id)
    order = ordering.request_reorder(ctx, actor=member, part_id=part.id).order
    order_steps.approve_order(ctx, actor=manager, order_id=order.id)
    with refused(InvalidInput, field="supplier"):
        order_steps.mark_ordered(
            ctx, actor=manager, order_id=order.id, order_number="PO-1", supplier_id=thermo.id
        )
    idle = make_part(ctx, "OLD-1", "Retired pump", is_active=False)
    with refused(InvalidInput, field="part") as refusal:
        ordering.request_reorder(ctx, actor=member, part_id=idle.id)
    assert "OLD-1 is deactivated" in str(refusal.error)


def test_supplier_names_are_unique_in_any_case(ctx, world, refused):
    manager, _member, _part, _thermo = world
    with refused(Conflict, field="name"):
        suppliers.add_supplier(ctx, actor=manager, name="THERMO fisher")
    with refused(InvalidInput, field="email"):
        suppliers.add_supplier(ctx, actor=manager, name="Sigma", email="not-an-address")


def test_one_preferred_offer_per_part(ctx, world):
    manager, _member, part, thermo = world
    sigma = suppliers.add_supplier(ctx, actor=manager, name="Sigma")
    suppliers.add_offer(
        ctx, actor=manager, part_id=part.id, supplier_id=thermo.id, is_preferred=True
    )
    suppliers.add_offer(
        ctx, actor=manager, part_id=part.id, supplier_id=sigma.id, is_preferred=True
    )
    offers = suppliers.list_offers(ctx, actor=manager, part_id=part.id)
    assert [(o.supplier_name, o.is_preferred) for o in offers] == [
        ("Sigma", True),
        ("Thermo Fisher", False),
    ]


def test_the_history_averages_the_lead_time_actually_observed(ctx, clock, world):
    manager, member, part, thermo = world
    suppliers.add_offer(
        ctx,
        actor=manager,
        part_id=part.id,
        supplier_id=thermo.id,
        lead_time_days=7,
        is_preferred=True,
    )
    for days in (10, 14):
        order = _ordered(ctx, manager, member, part, thermo, quantity=2)
        clock.advance(days=days)
        order_steps.receive_order(ctx, actor=manager, order_id=order.id, quantity=2)
    history = ordering.part_order_history(ctx, actor=member, part_id=part.id)
    assert (history.observed_lead_days, history.observed_from, history.offer_lead_days) == (
        12.0,
        2,
        7,
    )
    assert [o.state for o in history.orders] == ["received", "received"]


def test_a_system_request_has_no_requester(ctx, world):
    _manager, _member, part, _thermo = world
    order = ordering.request_reorder(ctx, actor=SYSTEM, part_id=part.id).order
    assert order.requested_by is None
    assert order.requested_by_id is None
