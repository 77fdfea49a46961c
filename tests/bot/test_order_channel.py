"""Reorder requests in the purchasing channel, end to end: the delivery job posts each one
once, its buttons move it through its states, and its message is updated in place."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.ids import ActionId
from domain import ordering, suppliers
from domain.context import DomainContext
from domain.permissions import SYSTEM
from scheduler.jobs import ORDER_DELIVERY, ORDER_REMINDERS
from tests.bot.alerting import TEST_SCHEDULE, Jobs, buttons, eventually, low_part, scheduler_for
from tests.bot.conftest import Lab
from tests.bot.steps import everything_said, modal_from_click, replies_to, stock_of, submit
from tests.helpers import Clock

CHANNEL = "CBUYING"


@pytest.fixture
def ctx(ctx: DomainContext) -> DomainContext:
    return replace(ctx, four_eyes=True)


@pytest.fixture
def jobs(lab: Lab) -> Jobs:
    lab.harness.runtime.purchasing_channel = CHANNEL
    schedule = replace(TEST_SCHEDULE, purchasing_channel=CHANNEL)
    return Jobs(scheduler_for(lab.ctx, lab.harness.stand_in, schedule, timeout=1))


def _orders(lab: Lab) -> list[dict]:
    return [
        m
        for m in lab.harness.stand_in.messages(CHANNEL)
        if (m.get("metadata") or {}).get("event_type") == "farlab_order" and not m.get("thread_ts")
    ]


def _request(lab: Lab, role: str = "member") -> int:
    part = low_part(lab.ctx)
    supplier = suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Goodfellow <GmbH>")
    suppliers.add_offer(
        lab.ctx,
        actor=SYSTEM,
        part_id=part.id,
        supplier_id=supplier.id,
        unit_price="12.50",
        pack_size=5,
        is_preferred=True,
    )
    outcome = ordering.request_reorder(
        lab.ctx, actor=lab.actors[role], part_id=part.id, quantity=10, note="for *Monday*"
    )
    return outcome.order.id


@pytest.fixture
def posted(lab: Lab, jobs: Jobs) -> dict:
    _request(lab)
    assert jobs.run(ORDER_DELIVERY).detail == "posted 1"
    [message] = _orders(lab)
    return message


def _shown(lab: Lab) -> dict:
    [message] = _orders(lab)
    return message


def _updated(lab: Lab, count: int) -> dict:
    lab.harness.stand_in.wait_for("chat.update", count)
    return _shown(lab)


def test_a_request_is_posted_once_with_what_it_asks_for_and_the_managers_buttons(
    lab: Lab, jobs: Jobs, posted
):
    said = everything_said(posted)
    for words in ("FIL-1002", "10 pcs", "2 packs of 5", "Goodfellow &lt;GmbH&gt;", "25.00 EUR"):
        assert words in said
    assert "requested by member" in said
    assert "for *Monday*" in said
    assert posted["metadata"]["event_payload"]["attempt"] == 1
    assert buttons(posted) == [ActionId.ORDER_APPROVE, ActionId.ORDER_REJECT, ActionId.ORDER_EDIT]
    assert jobs.run(ORDER_DELIVERY).detail == "nothing due"
    assert len(_orders(lab)) == 1


def test_a_post_whose_answer_was_lost_is_found_in_the_channel_not_posted_again(
    lab: Lab, jobs: Jobs, clock: Clock
):
    order_id = _request(lab)
    lab.harness.stand_in.answer_late("chat.postMessage", after=3.0)
    assert jobs.run(ORDER_DELIVERY).detail == "failed 1"
    assert len(_orders(lab)) == 1  # Slack took it
    clock.advance(seconds=30)
    assert jobs.run(ORDER_DELIVERY).detail == "found 1, updated 1"
    [message] = _orders(lab)
    assert message["metadata"]["event_payload"] == {"order_id": order_id, "attempt": 1}
    clock.advance(hours=1)
    assert jobs.run(ORDER_DELIVERY).detail == "nothing due"
    assert len(lab.harness.stand_in.calls("chat.postMessage")) == 1


def test_approve_order_and_receive_in_two_parts_update_the_message_in_place(
    lab: Lab, jobs: Jobs, posted
):
    stand_in = lab.harness.stand_in
    lab.harness.slack.block_action("UMANAGER", ActionId.ORDER_APPROVE, message=posted)
    shown = _updated(lab, 1)
    assert "Approved" in everything_said(shown)
    assert "manager" in everything_said(shown)
    assert buttons(shown) == [
        ActionId.ORDER_MARK_ORDERED,
        ActionId.ORDER_EDIT,
        ActionId.ORDER_CANCEL,
    ]
    dm = eventually_dm(lab)
    assert "approved" in dm
    modal = modal_from_click(lab, "manager", ActionId.ORDER_MARK_ORDERED, shown)
    tomorrow = (lab.ctx.now() + timedelta(days=3)).date()
    assert (
        submit(lab, "manager", modal, {"Order or PO number": "PO-77", "Expected on": tomorrow})
        == {}
    )
    shown = _updated(lab, 2)
    assert "Ordered" in everything_said(shown)
    assert "PO-77" in everything_said(shown)
    assert buttons(shown) == [ActionId.ORDER_RECEIVE, ActionId.ORDER_CANCEL]
    part_before = stock_of(lab, low_part_view(lab))
    modal = modal_from_click(lab, "manager", ActionId.ORDER_RECEIVE, shown)
    assert submit(lab, "manager", modal, {"Quantity received": "4"}) == {}
    shown = _updated(lab, 3)
    assert "4 of 10" in everything_said(shown)
    modal = modal_from_click(lab, "manager", ActionId.ORDER_RECEIVE, shown)
    assert submit(lab, "manager", modal, {}) == {}  # pre-filled with the 6 still to come
    shown = _updated(lab, 4)
    assert "Received" in everything_said(shown)
    assert "10 of 10" in everything_said(shown)
    assert buttons(shown) == []
    assert stock_of(lab, low_part_view(lab)) == part_before + 10
    assert len(_orders(lab)) == 1
    assert jobs.run(ORDER_DELIVERY).detail == "nothing due"
    assert len(stand_in.calls("chat.postMessage")) == 2  # the message and one DM


def low_part_view(lab: Lab):
    from domain import parts

    return parts.find_part(lab.ctx, actor=SYSTEM, ref="FIL-1002")


def eventually_dm(lab: Lab) -> str:
    stand_in = lab.harness.stand_in
    stand_in.wait_until(lambda: bool(stand_in.messages("UMEMBER")))
    return everything_said(stand_in.messages("UMEMBER")[-1])


def test_a_rejection_shows_on_the_message_and_its_reason_reaches_the_requester(lab: Lab, posted):
    modal = modal_from_click(lab, "manager", ActionId.ORDER_REJECT, posted)
    assert submit(lab, "manager", modal, {"Reason": "We have <plenty> in B2"}) == {}
    shown = _updated(lab, 1)
    assert "Rejected" in everything_said(shown)
    assert buttons(shown) == []
    dm = eventually_dm(lab)
    assert "rejected" in dm
    assert "We have &lt;plenty&gt; in B2" in dm


def test_cancelling_an_approved_order_closes_its_message(lab: Lab, posted):
    lab.harness.slack.block_action("UMANAGER", ActionId.ORDER_APPROVE, message=posted)
    shown = _updated(lab, 1)
    modal = modal_from_click(lab, "manager", ActionId.ORDER_CANCEL, shown)
    assert submit(lab, "manager", modal, {"Reason": "found a spare"}) == {}
    shown = _updated(lab, 2)
    assert "Cancelled" in everything_said(shown)
    assert "found a spare" in everything_said(shown)
    assert buttons(shown) == []


def test_a_members_approve_is_refused_and_changes_nothing(lab: Lab, posted):
    stand_in = lab.harness.stand_in
    lab.harness.slack.block_action("UMEMBER", ActionId.ORDER_APPROVE, message=posted)
    stand_in.wait_until(lambda: bool(replies_to(stand_in, "member")))
    assert "may not" in replies_to(stand_in, "member")[-1]["text"]
    assert stand_in.calls("chat.update") == []
    [order] = ordering.list_orders(lab.ctx, actor=SYSTEM).items
    assert order.state == "requested"


def test_four_eyes_refuses_a_manager_approving_their_own_request(lab: Lab, jobs: Jobs):
    _request(lab, "manager")
    jobs.run(ORDER_DELIVERY)
    [message] = _orders(lab)
    stand_in = lab.harness.stand_in
    lab.harness.slack.block_action("UMANAGER", ActionId.ORDER_APPROVE, message=message)
    stand_in.wait_until(lambda: bool(replies_to(stand_in, "manager")))
    assert "another manager must approve" in replies_to(stand_in, "manager")[-1]["text"]
    [order] = ordering.list_orders(lab.ctx, actor=SYSTEM).items
    assert order.state == "requested"


def _ordered(lab: Lab, posted: dict, days: int = 1) -> dict:
    lab.harness.slack.block_action("UADMIN", ActionId.ORDER_APPROVE, message=posted)
    shown = _updated(lab, 1)
    modal = modal_from_click(lab, "manager", ActionId.ORDER_MARK_ORDERED, shown)
    expected = (lab.ctx.now() + timedelta(days=days)).date()
    submit(lab, "manager", modal, {"Order or PO number": "PO-9", "Expected on": expected})
    return _updated(lab, 2)


def test_receiving_more_than_ordered_asks_to_confirm_then_takes_it(lab: Lab, posted):
    shown = _ordered(lab, posted)
    modal = modal_from_click(lab, "manager", ActionId.ORDER_RECEIVE, shown)
    answer = submit(lab, "manager", modal, {"Quantity received": "15"})
    assert answer["response_action"] == "update"
    again = answer["view"]
    assert "More than the 10 still to come" in everything_said(again)
    again = {**again, "id": modal["id"]}
    assert submit(lab, "manager", again, {"More than ordered": ["yes"]}) == {}
    shown = _updated(lab, 3)
    assert "Received" in everything_said(shown)
    assert "15 of 10" in everything_said(shown)


def test_an_overdue_order_is_reminded_once_in_its_thread(
    lab: Lab, jobs: Jobs, posted, clock: Clock
):
    _ordered(lab, posted)
    jobs.run(ORDER_DELIVERY)
    assert jobs.run(ORDER_REMINDERS).detail == "reminded 0"
    clock.advance(days=2)
    assert jobs.run(ORDER_REMINDERS).detail == "reminded 1"
    assert jobs.run(ORDER_REMINDERS).detail == "reminded 0"
    [reply] = [m for m in lab.harness.stand_in.messages(CHANNEL) if m.get("thread_ts")]
    assert reply["thread_ts"] == posted["ts"]
    said = everything_said(reply)
    assert "PO-9" in said
    assert "Goodfellow" in said
    assert "expected" in said
    eventually(lambda: "overdue" in everything_said(_shown(lab)))


def test_the_order_jobs_are_in_the_schedulers_table(jobs: Jobs):
    table = jobs.scheduler.jobs.table()
    assert str(table[ORDER_DELIVERY][1]) == "interval[0:00:30]"
    assert str(table[ORDER_REMINDERS][1]) == "interval[1:00:00]"
