"""Each alert is posted exactly once, even when Slack's answer is lost or the process dies
between the post and the commit: the next run reads the channel's history and adopts the
message it finds (by its metadata) instead of posting again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

from bot.alert_messenger import alert_metadata
from bot.ids import ActionId
from console.harness import free_port
from domain import alert_routes, alerts
from domain.context import DomainContext
from domain.permissions import SYSTEM
from tests.bot.alerting import (
    ROOT,
    Jobs,
    alert_row,
    carried_alerts,
    eventually,
    low_part,
    posted,
    scheduler_for,
)
from tests.bot.conftest import Lab
from tests.database_faults import unwritable_for_a_while
from tests.helpers import Clock

CHANNEL = "CFILAMENTS"
IMPATIENT = 1.0  # the Slack client's timeout in these tests, in seconds
LATE = 3.0  # how late the stand-in answers a post it took


def _route(ctx: DomainContext) -> None:
    alert_routes.set_alert_route(
        ctx, actor=SYSTEM, target="Filaments", channel_id=CHANNEL, kind="category"
    )


def _impatient(lab: Lab, **schedule: object) -> Jobs:
    jobs = Jobs(scheduler_for(lab.ctx, lab.harness.stand_in, timeout=IMPATIENT))
    return jobs.with_schedule(**schedule) if schedule else jobs


def _low_parts(lab: Lab, count: int) -> list[int]:
    _route(lab.ctx)
    for n in range(count):
        low_part(lab.ctx, f"FIL-{n:03}")
    return [alert_row(lab.ctx, part_id=n + 1).id for n in range(count)]


def _message_of(lab: Lab, alert_id: int) -> dict:
    [message] = [
        m
        for m in posted(lab.harness.stand_in, CHANNEL)
        if m.get("bot_id") == "BBOT"
        and (m.get("metadata") or {}).get("event_payload", {}).get("alert_id") == alert_id
    ]
    return message


def test_a_post_answered_after_the_timeout_is_found_in_the_channel_not_posted_again(
    lab: Lab, clock: Clock
):
    stand_in = lab.harness.stand_in
    ids = _low_parts(lab, 3)
    jobs = _impatient(lab)
    stand_in.answer_late("chat.postMessage", after=LATE)  # the first post's answer is lost
    assert jobs.deliver() == "posted 2, failed 1"
    assert sorted(carried_alerts(stand_in, CHANNEL)) == ids  # Slack took all three
    lost = alert_row(lab.ctx, id=ids[0])
    assert lost.delivered_at is None
    assert lost.post_started_at is not None
    assert "unreachable" in (lost.last_error or "")
    assert jobs.deliver() == "nothing due"  # it waits like any failed post
    clock.advance(seconds=30)
    assert jobs.deliver() == "found 1"
    assert len(stand_in.calls("chat.postMessage")) == 3
    assert sorted(carried_alerts(stand_in, CHANNEL)) == ids  # each exactly once
    for alert_id in ids:
        row = alert_row(lab.ctx, id=alert_id)
        message = _message_of(lab, alert_id)
        assert (row.channel_id, row.message_ts) == (CHANNEL, message["ts"])
        assert row.delivered_at is not None
        assert row.post_started_at is None
        assert message["metadata"] == alert_metadata(alert_id, 1)
    [history] = stand_in.calls("conversations.history")
    assert history.body["include_all_metadata"] == "1"
    assert history.body["channel"] == CHANNEL
    assert float(history.body["oldest"]) <= float(_message_of(lab, ids[0])["ts"])
    clock.advance(hours=1)
    assert jobs.deliver() == "nothing due"


def test_a_dropped_answer_is_not_posted_again_by_the_client_or_the_next_run(lab: Lab, clock: Clock):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.answer_late("chat.postMessage", after=None)  # connection closed, no answer
    assert jobs.deliver() == "failed 1"
    assert carried_alerts(stand_in, CHANNEL) == [alert_id]
    clock.advance(seconds=30)
    assert jobs.deliver() == "found 1"
    assert carried_alerts(stand_in, CHANNEL) == [alert_id]
    assert alert_row(lab.ctx, id=alert_id).message_ts == _message_of(lab, alert_id)["ts"]


def test_a_digest_whose_answer_was_lost_is_found_by_the_ids_it_carries(lab: Lab, clock: Clock):
    stand_in = lab.harness.stand_in
    ids = _low_parts(lab, 4)
    jobs = _impatient(lab, burst=2)
    stand_in.answer_late("chat.postMessage", after=LATE)
    assert jobs.deliver() == "failed 4"
    [digest] = posted(stand_in, CHANNEL)
    assert digest["metadata"]["event_type"] == "farlab_alert_digest"
    clock.advance(seconds=30)
    low_part(lab.ctx, "FIL-NEW")  # a fifth alert, due with the four
    assert jobs.deliver() == "found 4, digests 1, in digests 1"
    assert sorted(Counter(carried_alerts(stand_in, CHANNEL)).values()) == [1] * 5
    for alert_id in ids:
        row = alert_row(lab.ctx, id=alert_id)
        assert (row.digest_ts, row.message_ts) == (digest["ts"], None)


def _kill_mid_post(lab: Lab) -> None:
    """Run the delivery job in a process of its own and kill -9 it once Slack has taken its
    post, before the answer arrives: the post is made, nothing after it is."""
    stand_in = lab.harness.stand_in
    stand_in.answer_late("chat.postMessage", after=60)
    url = lab.ctx.db.engine.url.render_as_string(hide_password=False)
    command = [sys.executable, "-m", "tests.scheduler.delivery_process", url, stand_in.base_url]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        stand_in.wait_until(lambda: len(posted(stand_in, CHANNEL)) == 1, timeout=60)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    assert process.returncode == -signal.SIGKILL


def _deliver_when_free(jobs: Jobs) -> str:
    """Run delivery once the killed process's job lock is gone (PostgreSQL frees it when it
    notices the connection closed)."""
    deadline = time.monotonic() + 10
    while True:
        outcome = jobs.scheduler.run("alert_delivery")
        if outcome.status != "skipped" or time.monotonic() > deadline:
            assert outcome.status == "ok", outcome
            return outcome.detail
        time.sleep(0.05)


def test_a_process_killed_between_post_and_commit_leaves_exactly_one_message(
    lab: Lab, jobs: Jobs, clock: Clock
):
    [alert_id] = _low_parts(lab, 1)
    _kill_mid_post(lab)
    assert _deliver_when_free(jobs) == "nothing due"  # held: it may still be in flight
    row = alert_row(lab.ctx, id=alert_id)
    assert row.delivered_at is None
    assert row.post_attempt == 1
    assert row.post_started_at
    clock.advance(minutes=3)
    assert jobs.deliver() == "found 1"
    [message] = posted(lab.harness.stand_in, CHANNEL)
    row = alert_row(lab.ctx, id=alert_id)
    assert (row.message_ts, row.delivered_at is not None) == (message["ts"], True)
    assert len(lab.harness.stand_in.calls("chat.postMessage")) == 1
    clock.advance(hours=1)
    assert jobs.deliver() == "nothing due"


def test_a_post_that_never_reached_slack_is_posted_on_the_next_run(
    lab: Lab, jobs: Jobs, clock: Clock
):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    nowhere = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens: connection refused
    refused = Jobs(scheduler_for(lab.ctx, stand_in, base_url=nowhere))
    assert refused.deliver() == "failed 1"
    assert "unreachable" in (alert_row(lab.ctx, id=alert_id).last_error or "")
    clock.advance(seconds=30)
    assert jobs.deliver() == "posted 1"
    assert len(stand_in.calls("conversations.history")) == 1  # looked first, found nothing
    [message] = posted(stand_in, CHANNEL)
    assert message["metadata"] == alert_metadata(alert_id, 2)
    assert alert_row(lab.ctx, id=alert_id).message_ts == message["ts"]


def test_the_adopted_message_is_updated_in_place_when_the_alert_is_acknowledged(
    lab: Lab, clock: Clock
):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.answer_late("chat.postMessage", after=LATE)
    jobs.deliver()
    clock.advance(seconds=30)
    assert jobs.deliver() == "found 1"
    [adopted] = posted(stand_in, CHANNEL)
    lab.harness.slack.block_action("UMANAGER", ActionId.ALERT_MESSAGE_ACKNOWLEDGE, message=adopted)
    [update] = stand_in.wait_for("chat.update")
    assert (update.body["channel"], update.body["ts"]) == (CHANNEL, adopted["ts"])
    [message] = posted(stand_in, CHANNEL)
    assert "Acknowledged" in str(message["blocks"])
    assert message["ts"] == adopted["ts"]
    eventually(lambda: alert_row(lab.ctx, id=alert_id).shown_status == "acknowledged")


def test_an_alert_acknowledged_while_its_post_was_unanswered_is_shown_so_once_found(
    lab: Lab, clock: Clock
):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.answer_late("chat.postMessage", after=LATE)
    jobs.deliver()
    alerts.acknowledge_alert(lab.ctx, actor=lab.actors["manager"], alert_id=alert_id)
    clock.advance(seconds=30)
    assert jobs.deliver() == "found 1; messages updated 1"
    [message] = posted(stand_in, CHANNEL)
    assert "Acknowledged" in str(message["blocks"])
    assert [c.body["ts"] for c in stand_in.calls("chat.update")] == [message["ts"]]


def test_when_the_history_cannot_be_read_the_alert_waits_then_is_posted_after_three_reads(
    lab: Lab, clock: Clock
):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.fail("chat.postMessage", status=500)  # Slack may or may not have posted it
    assert jobs.deliver() == "failed 1"
    stand_in.fail("conversations.history", status=429, retry_after=7)
    clock.advance(seconds=30)
    assert jobs.deliver() == "failed 1"
    row = alert_row(lab.ctx, id=alert_id)
    assert row.next_attempt_at == clock.now + timedelta(seconds=7)
    assert row.lookup_failures == 1
    assert row.last_error == "ratelimited (HTTP 429) while reading the channel's history"
    stand_in.error("conversations.history", "not_in_channel", times=None)
    clock.advance(seconds=7)
    assert jobs.deliver() == "failed 1"
    assert "not_in_channel" in _alerts_text(lab)
    assert posted(stand_in, CHANNEL) == []  # no post while the history says nothing
    clock.advance(hours=1)
    assert jobs.deliver() == "posted 1"  # the third read failed too: better twice than never
    assert carried_alerts(stand_in, CHANNEL) == [alert_id]
    assert len(stand_in.calls("conversations.history")) == 3


def test_a_message_with_our_metadata_from_someone_else_is_not_adopted(lab: Lab, clock: Clock):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.fail("chat.postMessage", status=503)
    jobs.deliver()
    fields = {"text": "all fine", "metadata": alert_metadata(alert_id, 1)}
    stand_in.workspace.messages.post(CHANNEL, fields, user="UINTRUDER")
    clock.advance(seconds=30)
    assert jobs.deliver() == "posted 1"
    row = alert_row(lab.ctx, id=alert_id)
    assert row.message_ts == _message_of(lab, alert_id)["ts"] != stand_in.messages(CHANNEL)[0]["ts"]


def _alerts_text(lab: Lab) -> str:
    answer = lab.command("manager", "alerts")
    return answer.get("text", "") + str(answer.get("blocks", []))


def test_an_alert_resolved_while_its_post_was_unanswered_is_found_and_shown_resolved(
    lab: Lab, clock: Clock
):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.answer_late("chat.postMessage", after=LATE)
    assert jobs.deliver() == "failed 1"
    alerts.resolve_alert(lab.ctx, actor=lab.actors["manager"], alert_id=alert_id)
    clock.advance(seconds=30)
    assert jobs.deliver() == "found 1; messages updated 1"
    [message] = posted(stand_in, CHANNEL)
    assert carried_alerts(stand_in, CHANNEL) == [alert_id]
    assert "Resolved" in str(message["blocks"])
    row = alert_row(lab.ctx, id=alert_id)
    assert (row.message_ts, row.post_started_at, row.shown_status) == (
        message["ts"],
        None,
        "resolved",
    )
    clock.advance(hours=1)
    assert jobs.deliver() == "nothing due"


def test_an_alert_resolved_after_a_post_that_never_reached_slack_is_not_posted(
    lab: Lab, clock: Clock
):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.fail("chat.postMessage", status=503)  # outcome unknown; in fact not posted
    assert jobs.deliver() == "failed 1"
    alerts.resolve_alert(lab.ctx, actor=lab.actors["manager"], alert_id=alert_id)
    clock.advance(seconds=30)
    assert jobs.deliver() == "skipped 1"  # looked, found nothing, posts nothing resolved
    assert len(stand_in.calls("conversations.history")) == 1
    assert posted(stand_in, CHANNEL) == []
    assert alert_row(lab.ctx, id=alert_id).post_started_at is None
    clock.advance(hours=1)
    assert jobs.deliver() == "nothing due"
    assert len(stand_in.calls("conversations.history")) == 1


def test_an_alert_snoozed_while_its_post_was_unanswered_is_found_and_shown_snoozed(
    lab: Lab, clock: Clock
):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.answer_late("chat.postMessage", after=LATE)
    assert jobs.deliver() == "failed 1"
    alerts.snooze_alert(lab.ctx, actor=lab.actors["manager"], alert_id=alert_id, minutes=600)
    clock.advance(seconds=30)
    assert jobs.deliver() == "found 1; messages updated 1"
    [message] = posted(stand_in, CHANNEL)
    assert "Snoozed" in str(message["blocks"])
    row = alert_row(lab.ctx, id=alert_id)
    assert (row.message_ts, row.shown_snoozed_until) == (message["ts"], row.snoozed_until)
    clock.advance(hours=11)
    assert jobs.deliver() == "nothing due"
    assert carried_alerts(stand_in, CHANNEL) == [alert_id]


def test_a_post_whose_outcome_cannot_be_stored_while_the_database_fails_is_found_later(
    lab: Lab, jobs: Jobs, clock: Clock
):
    """Slack takes the post, and the database refuses the commit that stores its ts (503,
    Unavailable): the attempt stays open and the next run adopts the message."""
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    stand_in.answer_late("chat.postMessage", after=LATE)
    outcomes = []
    run = threading.Thread(target=lambda: outcomes.append(jobs.scheduler.run("alert_delivery")))
    run.start()
    try:
        stand_in.wait_until(lambda: len(posted(stand_in, CHANNEL)) == 1, timeout=10)
        with unwritable_for_a_while(lab.ctx.db):
            run.join(30)
    finally:
        run.join(30)
    [outcome] = outcomes
    assert outcome.status == "failed"
    assert "database" in outcome.detail
    row = alert_row(lab.ctx, id=alert_id)
    assert row.delivered_at is None
    assert row.post_started_at is not None
    clock.advance(minutes=3)
    assert jobs.deliver() == "found 1"
    [message] = posted(stand_in, CHANNEL)
    assert alert_row(lab.ctx, id=alert_id).message_ts == message["ts"]
    assert carried_alerts(stand_in, CHANNEL) == [alert_id]


def test_a_lost_post_on_the_second_page_of_a_busy_channels_history_is_found(lab: Lab, clock: Clock):
    stand_in = lab.harness.stand_in
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.answer_late("chat.postMessage", after=LATE)
    assert jobs.deliver() == "failed 1"
    for n in range(250):  # people talk after it: newest first, ours is on page 2
        stand_in.workspace.messages.post(CHANNEL, {"text": f"chat {n}"}, user="UCHATTY")
    clock.advance(seconds=30)
    assert jobs.deliver() == "found 1"
    assert len(stand_in.calls("conversations.history")) == 2
    assert carried_alerts(stand_in, CHANNEL) == [alert_id]
    assert alert_row(lab.ctx, id=alert_id).message_ts == _message_of(lab, alert_id)["ts"]


def test_a_public_channel_the_bot_was_never_invited_to_is_joined_to_find_a_lost_post(
    lab: Lab, clock: Clock
):
    """chat:write.public lets the bot post where it is no member, but Slack refuses such a
    channel's history (not_in_channel): the bot joins it and reads, not posting twice."""
    stand_in = lab.harness.stand_in
    stand_in.keep_bot_out_of(CHANNEL)
    [alert_id] = _low_parts(lab, 1)
    jobs = _impatient(lab)
    stand_in.answer_late("chat.postMessage", after=LATE)
    assert jobs.deliver() == "failed 1"
    clock.advance(seconds=30)
    assert jobs.deliver() == "found 1"
    [join] = stand_in.calls("conversations.join")
    assert join.body["channel"] == CHANNEL
    assert len(stand_in.calls("chat.postMessage")) == 1
    assert carried_alerts(stand_in, CHANNEL) == [alert_id]
    assert alert_row(lab.ctx, id=alert_id).message_ts == _message_of(lab, alert_id)["ts"]
    assert [m.get("subtype") for m in posted(stand_in, CHANNEL)] == [None, "channel_join"]
