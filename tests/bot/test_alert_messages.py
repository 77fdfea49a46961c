"""Alerts in their channels, end to end: a stock move crosses the minimum, the delivery job
posts one message to the routed channel, and buttons there change the alert and the message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import blocks
from bot.ids import ActionId
from domain import alerts, instruments, parts
from domain.permissions import SYSTEM
from tests.bot.alerting import Jobs, alert_row, buttons, eventually, posted, scheduler_for
from tests.bot.conftest import Lab

CHANNEL = "CFILAMENTS"


@pytest.fixture
def jobs(lab: Lab) -> Jobs:
    return Jobs(scheduler_for(lab.ctx, lab.harness.stand_in))


@pytest.fixture
def delivered(lab: Lab, jobs: Jobs) -> dict:
    """FIL-1002 taken below its minimum with /farlab use, and its alert posted."""
    mat = instruments.create_instrument(lab.ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    kiel = instruments.create_instrument(lab.ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    part = parts.create_part(
        lab.ctx,
        actor=SYSTEM,
        part_number="FIL-1002",
        name="Rhenium filament",
        category="Filaments",
        location="Cabinet 3",
        quantity_in_stock=8,
        minimum_stock_level=5,
    )
    parts.link_part(lab.ctx, actor=SYSTEM, instrument_id=kiel.id, part_id=part.id)
    parts.link_part(lab.ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id, is_critical=True)
    lab.command("manager", f"alerts route Filaments <#{CHANNEL}|filaments>")
    lab.command("member", "use FIL-1002 4 for MAT253 source change")
    assert alert_row(lab.ctx, part_id=part.id).status == "open"
    assert "posted 1" in jobs.deliver()
    [message] = posted(lab.harness.stand_in, CHANNEL)
    return message


def test_a_use_below_the_minimum_posts_one_message_in_the_routed_channel(
    lab: Lab, jobs: Jobs, delivered
):
    text = str(delivered["blocks"])
    assert "FIL-1002" in text
    assert "4 pcs" in text
    assert "minimum 5" in text
    assert "Cabinet 3" in text
    assert text.index("*MAT253* affected") < text.index("Kiel IV")
    assert "took 4" in text
    assert "source change" in text
    assert buttons(delivered) == [
        ActionId.ALERT_MESSAGE_ACKNOWLEDGE,
        ActionId.PART_RESTOCK,
        ActionId.REORDER_OPEN,
        ActionId.ALERT_MESSAGE_SNOOZE,
        ActionId.ALERT_MESSAGE_RESOLVE,
    ]
    blocks.check_message(delivered)
    row = alert_row(lab.ctx, kind="low_stock")
    assert (row.channel_id, row.message_ts) == (CHANNEL, delivered["ts"])
    assert row.delivered_at is not None
    assert row.shown_status == "open"
    jobs.deliver()  # nothing is posted twice
    assert len(posted(lab.harness.stand_in, CHANNEL)) == 1
    assert lab.harness.stand_in.messages("C0LAB") == []


def test_acknowledge_by_a_manager_updates_the_message_in_place(lab: Lab, delivered):
    slack = lab.harness.slack
    slack.block_action("UMANAGER", ActionId.ALERT_MESSAGE_ACKNOWLEDGE, message=delivered)
    [update] = lab.harness.stand_in.wait_for("chat.update")
    assert (update.body["channel"], update.body["ts"]) == (CHANNEL, delivered["ts"])
    [message] = posted(lab.harness.stand_in, CHANNEL)
    assert "Acknowledged" in str(message["blocks"])
    assert "manager" in str(message["blocks"])
    assert ActionId.ALERT_MESSAGE_ACKNOWLEDGE not in buttons(message)
    assert ActionId.ALERT_MESSAGE_RESOLVE in buttons(message)
    assert alert_row(lab.ctx, kind="low_stock").status == "acknowledged"


def test_a_members_click_is_refused_ephemerally_and_the_message_is_unchanged(lab: Lab, delivered):
    stand_in = lab.harness.stand_in
    before = len(stand_in.ephemerals(user="UMEMBER"))
    lab.harness.slack.block_action("UMEMBER", ActionId.ALERT_MESSAGE_RESOLVE, message=delivered)
    stand_in.wait_until(lambda: len(stand_in.ephemerals(user="UMEMBER")) > before)
    assert "may not" in stand_in.ephemerals(user="UMEMBER")[-1]["text"]
    assert stand_in.calls("chat.update") == []
    assert posted(stand_in, CHANNEL) == [delivered]
    assert alert_row(lab.ctx, kind="low_stock").status == "open"


def test_snooze_shows_until_when_and_keeps_the_buttons(lab: Lab, delivered):
    lab.harness.slack.block_action(
        "UADMIN", ActionId.ALERT_MESSAGE_SNOOZE, message=delivered, selected_option="1 day"
    )
    lab.harness.stand_in.wait_for("chat.update")
    [message] = posted(lab.harness.stand_in, CHANNEL)
    assert "Snoozed until" in str(message["blocks"])
    assert ActionId.ALERT_MESSAGE_ACKNOWLEDGE in buttons(message)
    eventually(lambda: alert_row(lab.ctx, kind="low_stock").shown_snoozed_until is not None)
    row = alert_row(lab.ctx, kind="low_stock")
    assert row.snoozed_until == row.shown_snoozed_until == lab.ctx.now() + timedelta(days=1)


def test_restocking_above_the_minimum_resolves_the_alert_and_updates_its_message(
    lab: Lab, jobs: Jobs, delivered
):
    lab.harness.slack.block_action("UMEMBER", ActionId.PART_RESTOCK, message=delivered)
    stand_in = lab.harness.stand_in
    stand_in.wait_until(lambda: bool(stand_in.modals("UMEMBER")))
    [modal] = stand_in.modals("UMEMBER")
    assert "FIL-1002" in str(modal["blocks"])
    response = lab.harness.slack.submit_modal("UMEMBER", modal, {"How many to add": "20"})
    assert response.status_code == 200
    assert alert_row(lab.ctx, kind="low_stock").status == "resolved"
    assert "messages updated 1" in jobs.deliver()
    [message] = posted(lab.harness.stand_in, CHANNEL)
    assert "Resolved" in str(message["blocks"])
    assert buttons(message) == []


def test_a_click_on_a_deleted_alerts_message_turns_it_into_a_note(lab: Lab, delivered):
    stand_in = lab.harness.stand_in
    alert = alert_row(lab.ctx, kind="low_stock")
    alerts.delete_alert(lab.ctx, actor=SYSTEM, alert_id=alert.id)
    lab.harness.slack.block_action(
        "UMANAGER", ActionId.ALERT_MESSAGE_ACKNOWLEDGE, message=delivered
    )
    [update] = stand_in.wait_for("chat.update")
    assert (update.body["channel"], update.body["ts"]) == (CHANNEL, delivered["ts"])
    [message] = posted(stand_in, CHANNEL)
    assert "This alert was deleted" in str(message["blocks"])
    assert message["blocks"][0] == delivered["blocks"][0]  # the heading stays
    assert buttons(message) == []
    # The manager's earlier ephemerals (the route's answer) are there already: wait for this one.
    stand_in.wait_until(
        lambda: "This alert was deleted" in stand_in.ephemerals(user="UMANAGER")[-1]["text"]
    )
