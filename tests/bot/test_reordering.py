"""Requesting more of a part from Slack: /farlab reorder, the Request reorder buttons, the
on-order lines, and /farlab orders; signed requests through the real app and the stand-in."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.ids import ActionId
from domain import order_steps, ordering, parts, suppliers
from domain.permissions import SYSTEM
from domain.results import PartView
from tests.bot.alerting import Jobs, buttons, posted, scheduler_for
from tests.bot.conftest import Lab
from tests.bot.steps import (
    click,
    everything_said,
    modal_from_click,
    modal_from_command,
    next_reply,
    replies_to,
    say,
    shown_card,
    submit,
)

ALERTS = "CFILAMENTS"


def _part(
    lab: Lab, number: str = "FIL-1002", *, target_stock: int | None = None, **fields: Any
) -> PartView:
    defaults: dict[str, Any] = {"quantity_in_stock": 2, "minimum_stock_level": 5}
    part = parts.create_part(
        lab.ctx,
        actor=SYSTEM,
        part_number=number,
        name="Rhenium filament",
        category="Filaments",
        **{**defaults, **fields},
    )
    if target_stock is None:
        return part
    return suppliers.set_reorder_levels(
        lab.ctx, actor=SYSTEM, part_id=part.id, reorder_quantity=None, target_stock=target_stock
    )


def _offer(lab: Lab, part: PartView, **fields: Any) -> int:
    sigma = suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Sigma")
    offer = suppliers.add_offer(
        lab.ctx,
        actor=SYSTEM,
        part_id=part.id,
        supplier_id=sigma.id,
        **{"unit_price": "12.50", "pack_size": 10, "is_preferred": True, **fields},
    )
    return offer.id


def _open_orders(lab: Lab) -> list[Any]:
    return list(ordering.list_orders(lab.ctx, actor=SYSTEM, states="open").items)


def test_reorder_opens_the_modal_prefilled_with_the_suggestion_and_submit_requests(lab: Lab):
    part = _part(lab, target_stock=30)
    _offer(lab, part, minimum_order=2)
    modal = modal_from_command(lab, "member", "reorder FIL-1002")
    said = everything_said(modal)
    assert "Preferred supplier *Sigma*" in said
    assert "packs of 10" in said
    assert "minimum order 2 packs" in said
    assert "estimated *37.50 EUR* for 30" in said  # 28 wanted: 3 packs of 10
    quantity = next(b for b in modal["blocks"] if b.get("block_id") == "quantity")
    assert quantity["element"]["initial_value"] == "30"
    seen = len(replies_to(lab.harness.stand_in, "member"))
    assert submit(lab, "member", modal, {"Urgency": "urgent", "Note": "Kiel rebuild"}) == {}
    reply = everything_said(next_reply(lab, "member", seen))
    [order] = _open_orders(lab)
    assert f"order #{order.id}, awaiting approval" in reply
    assert (order.quantity, order.urgency, order.supplier_name) == (30, "urgent", "Sigma")
    assert order.note.endswith(": Kiel rebuild")


def test_a_quantity_after_the_part_is_prefilled_and_a_bad_one_is_refused(lab: Lab):
    _part(lab)
    modal = modal_from_command(lab, "member", "reorder FIL-1002 7")
    quantity = next(b for b in modal["blocks"] if b.get("block_id") == "quantity")
    assert quantity["element"]["initial_value"] == "7"
    answer = say(lab, "member", "reorder FIL-1002 0")
    assert "Quantity must be a whole number" in everything_said(answer)
    assert "No part" in everything_said(say(lab, "member", "reorder NOPE-9"))


def test_a_second_request_joins_the_first_with_a_notice(lab: Lab):
    part = _part(lab)
    first = ordering.request_reorder(lab.ctx, actor=lab.actors["manager"], part_id=part.id)
    modal = modal_from_command(lab, "member", "reorder FIL-1002")
    said = everything_said(modal)
    assert f"Order #{first.order.id} is requested: your note will be added to it." in said
    assert not any(b.get("block_id") == "quantity" for b in modal["blocks"])
    seen = len(replies_to(lab.harness.stand_in, "member"))
    submit(lab, "member", modal, {"Note": "two more for MAT253"})
    reply = everything_said(next_reply(lab, "member", seen))
    assert f"already has order #{first.order.id}" in reply
    [order] = _open_orders(lab)
    assert order.id == first.order.id
    assert order.note is not None
    assert order.note.endswith(": two more for MAT253")


def test_bad_input_in_the_modal_is_a_field_error_and_nothing_is_requested(lab: Lab):
    part = _part(lab)
    modal = modal_from_command(lab, "member", "reorder FIL-1002")
    parts.deactivate_part(lab.ctx, actor=SYSTEM, part_id=part.id)
    answer = submit(lab, "member", modal, {})
    assert answer["response_action"] == "errors"
    assert "deactivated" in answer["errors"]["quantity"]
    assert _open_orders(lab) == []


@pytest.fixture
def jobs(lab: Lab) -> Jobs:
    return Jobs(scheduler_for(lab.ctx, lab.harness.stand_in))


def test_request_reorder_from_the_alert_message_and_the_message_shows_the_order(
    lab: Lab, jobs: Jobs
):
    part = _part(lab, quantity_in_stock=8)
    _offer(lab, part, pack_size=1)
    lab.command("manager", f"alerts route Filaments <#{ALERTS}|filaments>")
    lab.command("member", "use FIL-1002 4")
    jobs.deliver()
    [message] = posted(lab.harness.stand_in, ALERTS)
    assert ActionId.REORDER_OPEN in buttons(message)
    modal = modal_from_click(lab, "member", ActionId.REORDER_OPEN, message)
    assert "FIL-1002" in everything_said(modal)
    submit(lab, "member", modal, {"Quantity (pcs)": 6})
    [order] = _open_orders(lab)
    assert (order.part.id, order.quantity) == (part.id, 6)
    order_steps.approve_order(lab.ctx, actor=lab.actors["manager"], order_id=order.id)
    order_steps.mark_ordered(
        lab.ctx,
        actor=lab.actors["manager"],
        order_id=order.id,
        order_number="PO-1",
        expected_on=date(2027, 1, 12),
    )
    jobs.deliver()
    [updated] = posted(lab.harness.stand_in, ALERTS)
    said = everything_said(updated)
    assert "on order: 6 pcs (expected 12 Jan 2027)" in said
    assert f"Covered by order #{order.id} (expected 12 Jan 2027)" in said


def test_the_on_order_line_on_the_card_in_search_and_in_app_home(lab: Lab):
    part = _part(lab)
    request = ordering.request_reorder(lab.ctx, actor=lab.actors["member"], part_id=part.id)
    order_id = request.order.id
    card = everything_said(shown_card(lab, "member", "part FIL-1002"))
    assert f"requested: {request.order.quantity} pcs, awaiting approval · order #{order_id}" in card
    order_steps.approve_order(lab.ctx, actor=lab.actors["manager"], order_id=order_id)
    found = everything_said(say(lab, "member", "parts rhenium"))
    assert f"approved: {request.order.quantity} pcs, not yet ordered" in found
    lab.harness.slack.app_home_opened("UMEMBER")
    lab.harness.stand_in.wait_until(lambda: lab.harness.stand_in.home("UMEMBER") is not None)
    home = lab.harness.stand_in.home("UMEMBER")
    assert home is not None
    assert "not yet ordered" in everything_said(home)
    assert ActionId.REORDER_OPEN in str(home["blocks"])


def test_orders_lists_open_requests_by_state_and_view_shows_the_timeline(lab: Lab):
    first = ordering.request_reorder(
        lab.ctx, actor=lab.actors["member"], part_id=_part(lab).id, note="for Kiel"
    )
    second = ordering.request_reorder(
        lab.ctx, actor=lab.actors["member"], part_id=_part(lab, "ORG-7").id
    )
    order_steps.approve_order(lab.ctx, actor=lab.actors["manager"], order_id=second.order.id)
    listed = shown_card(lab, "member", "orders")
    said = everything_said(listed)
    assert said.index("*Requested* (1)") < said.index("*Approved* (1)")
    assert f"*#{first.order.id}*" in said
    assert lab.actors["member"].username in said
    seen = len(lab.harness.stand_in.calls("response_url"))
    click(lab, "member", ActionId.ORDERS_VIEW, listed, value={"id": first.order.id})
    call = lab.harness.stand_in.wait_for("response_url", seen + 1)[seen]
    timeline = everything_said(call.body)
    assert f"Order #{first.order.id}: requested, awaiting approval" in timeline
    assert "*requested* by" in timeline
    assert "for Kiel" in timeline
    assert "State must be one of" in everything_said(say(lab, "member", "orders sideways"))
