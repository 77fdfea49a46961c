"""The ordering builders: on-order lines, the Request reorder modal, orders, suppliers,
offers and the part card's ordering sections; valid Block Kit, escaped, within limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from bot import blocks as b
from bot.blocks.alert_message import covered_text
from bot.blocks.offers import history_blocks, lead_time_text, offer_modal, reorder_levels_modal
from bot.blocks.ordering import (
    on_order_text,
    render_order_timeline,
    render_orders_page,
    render_request_made,
    reorder_modal,
)
from bot.blocks.suppliers import render_suppliers_page, supplier_modal
from bot.ids import ActionId
from domain.money import Money
from domain.notices import AlertCause, AlertNotice
from domain.order_results import (
    OfferView,
    OnOrder,
    OrderDetail,
    OrderEventView,
    OrderView,
    PartOrderHistory,
    ReorderSuggestion,
    RequestOutcome,
    SupplierView,
)
from domain.results import PartDetail
from domain.vocabulary import OrderState
from tests.bot import blocks_samples as s


def offer(**changes: Any) -> OfferView:
    base = OfferView(
        id=3,
        part_id=12,
        supplier_id=5,
        supplier_name="Sigma",
        supplier_active=True,
        supplier_part_number="R-12",
        price=Money(1250, "EUR"),
        currency="EUR",
        pack_size=10,
        minimum_order=2,
        lead_time_days=7,
        order_url="https://sigma.example/r-12",
        is_preferred=True,
    )
    return replace(base, **changes)


def order(**changes: Any) -> OrderView:
    base = OrderView(
        id=4,
        part=s.part(),
        state=OrderState.REQUESTED,
        quantity=20,
        quantity_received=0,
        urgency="normal",
        note="sara: for the Kiel rebuild",
        requested_by="sara",
        requested_by_id=3,
        created_at=s.NOW,
        updated_at=None,
        supplier_id=5,
        supplier_name="Sigma",
        price=Money(1250, "EUR"),
        pack_size=10,
        decided_by=None,
        decided_at=None,
        reason=None,
        order_number=None,
        ordered_at=None,
        expected_on=None,
        received_at=None,
        version=1,
    )
    return replace(base, **changes)


def supplier(**changes: Any) -> SupplierView:
    base = SupplierView(
        id=5,
        name="Sigma",
        website="https://sigma.example",
        email="orders@sigma.example",
        phone="+49 30 1234",
        account_number="A-77",
        notes="Ask for Jana.",
        is_active=True,
        created_at=s.NOW,
        updated_at=None,
        offer_count=3,
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("state", "expected", "said"),
    [
        (OrderState.ORDERED, date(2026, 1, 12), "on order: 10 pcs (expected 12 Jan 2026)"),
        (OrderState.ORDERED, None, "on order: 10 pcs"),
        (OrderState.APPROVED, None, "approved: 10 pcs, not yet ordered"),
        (OrderState.REQUESTED, None, "requested: 10 pcs, awaiting approval"),
    ],
)
def test_the_on_order_line_says_what_state_the_order_is_in(state, expected, said):
    assert on_order_text(OnOrder(4, state, 10, expected), "pcs") == said


def test_search_results_show_the_on_order_line():
    coming = s.part(on_order=OnOrder(4, OrderState.ORDERED, 10, date(2026, 1, 12)))
    shown = b.render_parts_page(s.page([coming, s.part(id=13)]))
    s.assert_valid_message(shown)
    said = "\n".join(s.texts(shown))
    assert said.count(":package:") == 1
    assert "on order: 10 pcs (expected 12 Jan 2026) · order #4" in said


def test_an_alert_is_covered_only_when_the_order_brings_stock_above_the_minimum():
    def notice(quantity: int, state: OrderState = OrderState.ORDERED) -> AlertNotice:
        part = s.part(
            quantity_in_stock=3,
            minimum_stock_level=5,
            on_order=OnOrder(4, state, quantity, date(2026, 1, 12)),
        )
        alert = s.alert(part_id=part.id)
        return AlertNotice(alert, part, (), AlertCause(kind="scan"), None, None, None, None)

    assert covered_text(notice(2)) is None  # 3 + 2 is not above 5
    assert covered_text(notice(3)) == ":truck: Covered by order #4 (expected 12 Jan 2026)"
    # Only an order placed covers it: a request, even approved, may still not be ordered.
    assert covered_text(notice(10, OrderState.APPROVED)) is None
    assert covered_text(notice(10, OrderState.REQUESTED)) is None


def test_the_reorder_modal_shows_the_offer_and_its_estimated_cost():
    view = reorder_modal(ReorderSuggestion(s.part(), 30, offer(), None), channel_id="C1")
    s.assert_valid_view(view)
    said = "\n".join(s.texts(view))
    assert "packs of 10, minimum order 2 packs, 12.50 EUR a pack, lead time 7 days" in said
    assert "estimated *37.50 EUR* for 30" in said
    assert b.unpack(view["private_metadata"]) == {"id": 12, "channel": "C1"}
    inputs = [blk["block_id"] for blk in view["blocks"] if blk["type"] == "input"]
    assert inputs == ["quantity", "urgency", "note"]


def test_the_reorder_modal_of_a_part_under_way_asks_only_for_a_note():
    view = reorder_modal(ReorderSuggestion(s.part(), 30, offer(), order()))
    s.assert_valid_view(view)
    assert "Order #4 is requested: your note will be added to it." in "\n".join(s.texts(view))
    inputs = [blk for blk in view["blocks"] if blk["type"] == "input"]
    assert [(i["block_id"], i["optional"]) for i in inputs] == [("note", False)]


@pytest.mark.parametrize("text", s.HOSTILE)
def test_ordering_builders_escape_what_people_typed(text):
    part = s.hostile_part(text)
    hostile_order = order(part=part, note=text, supplier_name=text, requested_by=text)
    hostile_offer = offer(supplier_name=text, supplier_part_number=text, order_url=text)
    for msg in (
        render_request_made(RequestOutcome(hostile_order, joined=True)),
        render_orders_page(s.page([hostile_order]), today=s.TODAY, state=None),
        render_order_timeline(
            OrderDetail(hostile_order, (OrderEventView("requested", text, 3, text, s.NOW),))
        ),
        render_suppliers_page(s.page([supplier(name=text, website=text)]), can_manage=True),
        b.render_part_card(
            PartDetail(
                part=part,
                uses=(),
                recent_movements=(),
                offers=(hostile_offer,),
                orders=PartOrderHistory((hostile_order,), 12.0, 2, 7),
            ),
            can_manage=True,
        ),
    ):
        s.assert_valid_message(msg)
    for view in (
        reorder_modal(ReorderSuggestion(part, 30, hostile_offer, None)),
        supplier_modal(supplier(name=text[:100], notes=text[:2000])),
        offer_modal(part, hostile_offer, currency="EUR"),
        reorder_levels_modal(part),
    ):
        s.assert_valid_view(view)


def test_orders_are_grouped_by_state_and_overdue_ones_marked():
    today = s.TODAY
    orders = [
        order(id=1, state=OrderState.ORDERED, expected_on=today - timedelta(days=2)),
        order(id=2),
        order(id=3, state=OrderState.APPROVED),
        order(id=5, state=OrderState.ORDERED, expected_on=today + timedelta(days=2)),
    ]
    shown = render_orders_page(s.page(orders), today=today, state=None)
    s.assert_valid_message(shown)
    said = "\n".join(s.texts(shown))
    assert said.index("*Requested*") < said.index("*Approved*") < said.index("*Ordered* (2)")
    assert said.count(":warning: *overdue*") == 1
    views = [btn for btn in s.buttons(shown) if btn["action_id"] == ActionId.ORDERS_VIEW]
    assert {b.unpack(v["value"])["id"] for v in views} == {1, 2, 3, 5}


def test_a_long_orders_list_stays_within_slacks_limits():
    many = [order(id=i) for i in range(200)]
    shown = render_orders_page(s.page(many, has_more=True), today=s.TODAY, state="requested")
    s.assert_valid_message(shown)
    assert "Name a state to see others." in "\n".join(s.texts(shown))


def test_the_card_shows_offers_with_manager_menus_and_the_lead_time_button():
    detail = PartDetail(
        part=replace(s.part(), target_stock=20),
        uses=(),
        recent_movements=(),
        offers=(offer(), offer(id=9, supplier_name="Thermo", is_preferred=False, price=None)),
        orders=PartOrderHistory((order(state=OrderState.RECEIVED),), 12.0, 2, 7),
    )
    manager = b.render_part_card(detail, can_manage=True)
    s.assert_valid_message(manager)
    said = "\n".join(s.texts(manager))
    assert ":star: *Sigma* R-12 · 12.50 EUR a pack of 10 · min 2 packs · 7 days" in said
    assert "Lead time observed 12 days over 2 orders; the offer says 7." in said
    assert "refill to 20" in said
    ids = s.action_ids(manager)
    assert {ActionId.OFFER_MENU, ActionId.OFFER_ADD, ActionId.REORDER_LEVELS} <= ids
    use = next(x for x in s.buttons(manager) if x["action_id"] == ActionId.OFFER_USE_LEAD_TIME)
    assert b.unpack(use["value"]) == {"id": 3, "d": 12}
    member = b.render_part_card(detail, can_manage=False)
    s.assert_valid_message(member)
    for managing in (ActionId.OFFER_MENU, ActionId.OFFER_ADD, ActionId.OFFER_USE_LEAD_TIME):
        assert managing not in s.action_ids(member)
    assert ActionId.REORDER_OPEN in s.action_ids(member)


def test_no_lead_time_button_when_the_offer_says_the_same_or_nothing_was_received():
    same = PartOrderHistory((order(),), 7.0, 1, 7)
    assert ActionId.OFFER_USE_LEAD_TIME not in s.action_ids(
        {"blocks": history_blocks(same, (offer(),), can_manage=True)}
    )
    assert lead_time_text(PartOrderHistory((order(),), None, 0, 7)) is None
    assert lead_time_text(PartOrderHistory((), 4.5, 2, None)) == (
        "Lead time observed 4.5 days over 2 orders."
    )


def test_a_long_supplier_list_pages():
    many = [supplier(id=i, name=f"Supplier {i}") for i in range(60)]
    shown = render_suppliers_page(s.page(many[:20], has_more=True, limit=20), can_manage=False)
    s.assert_valid_message(shown)
    assert ActionId.SUPPLIER_EDIT not in s.action_ids(shown)
    assert [p["action_id"] for p in s.pager_buttons(shown)] == [ActionId.SUPPLIERS_NEXT]
