"""The whole ordering loop as Slack drives it, through signed requests and the stand-in:
a member takes stock below the minimum -> the alert is posted -> the member presses Request
reorder on it -> the request is posted in the purchasing channel -> a manager approves and
marks it ordered -> the alert stops re-notifying -> the order arrives in two parts -> stock,
ledger and alert are right, and every message shows the final state."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.ids import ActionId
from domain import parts, suppliers
from domain.permissions import SYSTEM
from persistence.models import Alert, StockMovement
from scheduler.jobs import ALERT_RENOTIFY, ORDER_DELIVERY
from tests.bot.alerting import TEST_SCHEDULE, Jobs, buttons, posted, scheduler_for
from tests.bot.conftest import Lab
from tests.bot.steps import everything_said, modal_from_click, submit
from tests.helpers import Clock

ALERTS = "CFILAMENTS"
BUYING = "CBUYING"


def _requests(lab: Lab) -> list[dict]:
    return [
        m
        for m in posted(lab.harness.stand_in, BUYING)
        if (m.get("metadata") or {}).get("event_type") == "farlab_order"
    ]


def _alert_messages(lab: Lab) -> list[dict]:
    return posted(lab.harness.stand_in, ALERTS)


def _alert(lab: Lab, part_id: int) -> Alert:
    with lab.ctx.transaction() as session:
        return session.scalars(select(Alert).where(Alert.part_id == part_id)).one()


def _updates_of(lab: Lab, channel: str) -> int:
    return sum(c.body.get("channel") == channel for c in lab.harness.stand_in.calls("chat.update"))


def test_from_low_stock_to_parts_on_the_shelf(lab: Lab, clock: Clock):
    stand_in = lab.harness.stand_in
    lab.harness.runtime.purchasing_channel = BUYING
    jobs = Jobs(
        scheduler_for(
            lab.ctx,
            stand_in,
            replace(TEST_SCHEDULE, purchasing_channel=BUYING, renotify_hours=24),
            timeout=1,
        )
    )
    part = parts.create_part(
        lab.ctx, actor=SYSTEM, part_number="FIL-1002", name="Rhenium filament",
        category="Filaments", quantity_in_stock=8, minimum_stock_level=5,
    )  # fmt: skip
    goodfellow = suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Goodfellow")
    suppliers.add_offer(
        lab.ctx, actor=SYSTEM, part_id=part.id, supplier_id=goodfellow.id, unit_price="12.50",
        pack_size=5, lead_time_days=14, is_preferred=True,
    )  # fmt: skip
    lab.command("manager", f"alerts route Filaments <#{ALERTS}|filaments>")

    # A member takes stock below the minimum: the alert is posted.
    lab.command("member", "use FIL-1002 4")
    jobs.deliver()
    [alert_message] = _alert_messages(lab)
    assert "FIL-1002" in everything_said(alert_message)
    assert ActionId.REORDER_OPEN in buttons(alert_message)

    # The member presses Request reorder on it: the form suggests 2 packs of 5.
    modal = modal_from_click(lab, "member", ActionId.REORDER_OPEN, alert_message)
    assert "Goodfellow" in everything_said(modal)
    submit(lab, "member", modal, {"Note": "for the source change"})
    stand_in.wait_until(lambda: len(_requests(lab)) == 1)  # posted at once, not at a job run
    [request] = _requests(lab)
    said = everything_said(request)
    for words in ("FIL-1002", "10 pcs", "Goodfellow", "for the source change"):
        assert words in said
    assert buttons(request) == [ActionId.ORDER_APPROVE, ActionId.ORDER_REJECT, ActionId.ORDER_EDIT]

    # A manager approves it and marks it ordered, in the purchasing channel.
    lab.harness.slack.block_action("UMANAGER", ActionId.ORDER_APPROVE, message=request)
    stand_in.wait_until(lambda: _updates_of(lab, BUYING) == 1)
    [request] = _requests(lab)
    modal = modal_from_click(lab, "manager", ActionId.ORDER_MARK_ORDERED, request)
    expected = (clock.now + timedelta(days=10)).date()
    submit(lab, "manager", modal, {"Order or PO number": "PO-881", "Expected on": expected})
    stand_in.wait_until(lambda: _updates_of(lab, BUYING) == 2)
    [request] = _requests(lab)
    assert "PO-881" in everything_said(request)

    # The alert's message shows the order covering it, and the alert stops re-notifying.
    jobs.deliver()
    [alert_message] = _alert_messages(lab)
    assert "Covered by order #" in everything_said(alert_message)
    clock.advance(hours=30)
    jobs.run(ALERT_RENOTIFY)
    assert [m for m in stand_in.messages(ALERTS) if m.get("thread_ts")] == []

    # The order arrives in two parts: the first leaves the part low, the second refills it.
    for step, (quantity, updates) in enumerate(((1, 3), (9, 4)), start=1):
        [request] = _requests(lab)
        modal = modal_from_click(lab, "manager", ActionId.ORDER_RECEIVE, request)
        submit(lab, "manager", modal, {"Quantity received": str(quantity)})
        stand_in.wait_until(lambda n=updates: _updates_of(lab, BUYING) == n)
        assert _alert(lab, part.id).status == ("open" if step == 1 else "resolved")

    after = parts.get_part(lab.ctx, actor=SYSTEM, part_id=part.id)
    assert after.quantity_in_stock == 14  # 8 - 4 + 1 + 9
    with lab.ctx.transaction() as session:
        ledger = session.execute(
            select(StockMovement.delta, StockMovement.source, StockMovement.reason)
            .where(StockMovement.part_id == part.id)
            .order_by(StockMovement.id)
        ).all()
    order_id = request["metadata"]["event_payload"]["order_id"]
    reason = f"Order #{order_id} (PO-881) received"
    assert ledger[-2:] == [(1, "order", reason), (9, "order", reason)]

    # Every message shows the final state: the request received, the alert resolved.
    [request] = _requests(lab)
    assert "Received" in everything_said(request)
    assert "10 of 10" in everything_said(request)
    assert buttons(request) == []
    jobs.deliver()
    [alert_message] = _alert_messages(lab)
    assert "Resolved" in everything_said(alert_message)
    assert jobs.run(ORDER_DELIVERY).detail == "nothing due"
    assert len(_requests(lab)) == 1 and len(_alert_messages(lab)) == 1  # noqa: PT018
