"""The outbox: each alert is posted once, failures wait and retry, storms become digests."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from bot.ids import ActionId
from domain import alert_routes, alerts, instruments
from domain.alert_delivery import DeliveryOptions, deliver_pending_alerts
from domain.context import DomainContext
from domain.permissions import SYSTEM
from tests.bot.alerting import (
    Jobs,
    alert_row,
    buttons,
    low_part,
    posted,
    scheduler_for,
)
from tests.bot.conftest import Lab
from tests.helpers import Clock

CHANNEL = "CFILAMENTS"


def _route(ctx: DomainContext, target: str = "Filaments", channel: str = CHANNEL) -> None:
    alert_routes.set_alert_route(
        ctx, actor=SYSTEM, target=target, channel_id=channel, kind="category"
    )


def _text(answer: dict) -> str:
    return answer.get("text", "") + str(answer.get("blocks", []))


def test_a_429_waits_for_retry_after_then_posts_exactly_once(lab: Lab, jobs: Jobs, clock: Clock):
    stand_in = lab.harness.stand_in
    low_part(lab.ctx)
    _route(lab.ctx)
    stand_in.fail("chat.postMessage", status=429, retry_after=1)
    assert "failed 1" in jobs.deliver()
    row = alert_row(lab.ctx, kind="low_stock")
    assert row.delivered_at is None
    assert row.delivery_attempts == 1
    assert "ratelimited" in (row.last_error or "")
    assert row.next_attempt_at == clock.now + timedelta(seconds=1)
    assert jobs.deliver() == "nothing due"  # not before Retry-After
    clock.advance(seconds=1)
    assert "posted 1" in jobs.deliver()
    assert len(posted(stand_in, CHANNEL)) == 1
    assert [c.status for c in stand_in.calls("chat.postMessage")] == [429, 200]
    row = alert_row(lab.ctx, kind="low_stock")
    assert row.delivered_at is not None
    assert row.last_error is None


def test_server_errors_keep_the_alert_pending_with_backoff_then_it_is_posted_once(
    lab: Lab, jobs: Jobs, clock: Clock
):
    stand_in = lab.harness.stand_in
    low_part(lab.ctx)
    _route(lab.ctx)
    stand_in.fail("chat.postMessage", status=500, times=3)
    waits = []
    for _ in range(3):
        assert "failed 1" in jobs.deliver()
        row = alert_row(lab.ctx, kind="low_stock")
        waits.append(row.next_attempt_at - clock.now)
        clock.advance(hours=1)
    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    row = alert_row(lab.ctx, kind="low_stock")
    assert (row.delivered_at, row.delivery_attempts) == (None, 3)
    assert row.last_error == "internal_error (HTTP 500)"
    assert posted(stand_in, CHANNEL) == []
    assert "internal_error" in _text(lab.command("manager", "alerts"))
    assert "posted 1" in jobs.deliver()
    assert "nothing due" in jobs.deliver()
    assert len(posted(stand_in, CHANNEL)) == 1


def test_a_channel_the_bot_cannot_post_in_is_shown_to_managers_only(lab: Lab, jobs: Jobs):
    low_part(lab.ctx)
    _route(lab.ctx)
    lab.harness.stand_in.error("chat.postMessage", "not_in_channel", times=None)
    assert "failed 1" in jobs.deliver()
    manager = _text(lab.command("manager", "alerts"))
    assert "Not posted to Slack yet" in manager
    assert "not_in_channel" in manager
    assert ":no_entry:" in manager
    assert "Not posted to Slack yet" not in _text(lab.command("member", "alerts"))


def test_an_alert_without_a_channel_waits_until_a_route_is_set(lab: Lab, jobs: Jobs):
    low_part(lab.ctx)
    assert "unrouted 1" in jobs.deliver()
    row = alert_row(lab.ctx, kind="low_stock")
    assert (row.delivered_at, row.last_error) == (None, "no channel configured")
    assert "no channel configured" in _text(lab.command("manager", "alerts"))
    assert jobs.deliver() == "nothing due"  # it waits for a route instead of being retried
    lab.command("manager", f"alerts route filaments <#{CHANNEL}|filaments>")
    assert "posted 1" in jobs.deliver()
    assert len(posted(lab.harness.stand_in, CHANNEL)) == 1


def test_alerts_go_to_the_category_then_an_instrument_then_the_default_channel(
    lab: Lab, jobs: Jobs
):
    jobs = jobs.with_schedule(default_channel="CDEFAULT")
    mat = instruments.create_instrument(lab.ctx, actor=SYSTEM, name="MAT253", model="MAT")
    lab.command("manager", "alerts route MAT253 <#CMAT|mat253>")
    lab.command("manager", "alerts route category Vacuum <#CVAC|vacuum>")
    low_part(lab.ctx, "VAC-1", category="Vacuum")
    linked = low_part(lab.ctx, "CON-1", category="Consumables", stock=9, minimum=5)
    from domain import parts, stock

    parts.link_part(lab.ctx, actor=SYSTEM, instrument_id=mat.id, part_id=linked.id)
    stock.adjust_stock(
        lab.ctx, actor=SYSTEM, part_id=linked.id, delta=-5, reason=None, source="api"
    )
    low_part(lab.ctx, "TLS-1", category="Tools")
    lab.command("member", "alert raise MAT253 vacuum leak near the source")
    assert "posted 4" in jobs.deliver()
    stand_in = lab.harness.stand_in
    assert ["VAC-1" in m["text"] for m in posted(stand_in, "CVAC")] == [True]
    assert sorted("CON-1" in m["text"] for m in posted(stand_in, "CMAT")) == [False, True]
    assert any("vacuum leak" in str(m["blocks"]) for m in posted(stand_in, "CMAT"))
    assert ["TLS-1" in m["text"] for m in posted(stand_in, "CDEFAULT")] == [True]


def test_fifty_parts_low_at_once_make_one_digest(lab: Lab, jobs: Jobs):
    stand_in = lab.harness.stand_in
    _route(lab.ctx)
    for n in range(50):
        low_part(lab.ctx, f"FIL-{n:03}", stock=0 if n == 7 else 2, is_critical=n == 7)
    assert "digests 1, in digests 50" in jobs.deliver()
    [digest] = posted(stand_in, CHANNEL)
    assert "50 new alerts" in digest["text"]
    assert "FIL-007" in str(digest["blocks"])
    assert buttons(digest) == [ActionId.ALERT_DIGEST_LIST]
    assert len(stand_in.calls("chat.postMessage")) == 1
    row = alert_row(lab.ctx, part_id=8)
    assert (row.digest_ts, row.message_ts) == (digest["ts"], None)
    lab.harness.slack.block_action("UMANAGER", ActionId.ALERT_DIGEST_LIST, message=digest)
    stand_in.wait_until(lambda: bool(stand_in.ephemerals(user="UMANAGER")))
    assert "Open alerts" in str(stand_in.ephemerals(user="UMANAGER")[-1]["blocks"])


def test_snooze_hides_the_reminder_until_it_ends(lab: Lab, jobs: Jobs, clock: Clock):
    stand_in = lab.harness.stand_in
    low_part(lab.ctx)
    other = low_part(lab.ctx, "FIL-2000")
    _route(lab.ctx)
    jobs.deliver()
    first = alert_row(lab.ctx, part_id=1)
    acked = alert_row(lab.ctx, part_id=other.id)
    alerts.acknowledge_alert(lab.ctx, actor=lab.actors["manager"], alert_id=acked.id)
    alerts.snooze_alert(
        lab.ctx,
        actor=lab.actors["manager"],
        alert_id=first.id,
        until=clock.now + timedelta(days=7),
    )
    clock.advance(hours=25)
    assert jobs.run("alert_renotify").detail == "nothing due"
    clock.advance(days=5)  # 6 days 1 hour: still snoozed
    assert jobs.run("alert_renotify").detail == "nothing due"
    clock.advance(days=1)
    assert jobs.run("alert_renotify").detail == "posted 1"
    [reminder] = [m for m in stand_in.messages(CHANNEL) if m.get("thread_ts")]
    assert reminder["thread_ts"] == first.message_ts
    assert "Still open" in reminder["text"]
    assert stand_in.calls("chat.postMessage")[-1].body["reply_broadcast"] is True
    assert jobs.run("alert_renotify").detail == "nothing due"  # the next one in 24 h
    clock.advance(hours=24)
    assert jobs.run("alert_renotify").detail == "posted 1"


def _race(*runs: Callable[[], object]) -> list[object]:
    """Run the callables at the same moment in threads; their results."""
    start = threading.Barrier(len(runs))
    results: list[object] = [None] * len(runs)

    def go(i: int) -> None:
        start.wait()
        results[i] = runs[i]()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(runs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _low_in_channels(ctx: DomainContext, count: int) -> None:
    for n in range(count):
        low_part(ctx, f"P-{n:02}", category=f"Category {n}")
        _route(ctx, f"Category {n}", f"C{n:02}X")


def test_two_schedulers_at_once_post_each_alert_once(pg_contexts, stand_in):
    one, two = pg_contexts(), pg_contexts()
    _low_in_channels(one, 12)
    stand_in.slow("chat.postMessage", 0.02)
    outcomes = _race(
        lambda: scheduler_for(one, stand_in).run("alert_delivery"),
        lambda: scheduler_for(two, stand_in).run("alert_delivery"),
    )
    assert sorted(o.status for o in outcomes) in (["ok", "ok"], ["ok", "skipped"])  # type: ignore[attr-defined]
    per_channel = Counter(c.body["channel"] for c in stand_in.calls("chat.postMessage"))
    assert per_channel == {f"C{n:02}X": 1 for n in range(12)}


def test_row_locks_alone_keep_two_delivery_runs_from_posting_twice(pg_contexts, stand_in):
    """Without the job lock (e.g. a run-once beside a scheduler), SKIP LOCKED still holds."""
    one, two = pg_contexts(), pg_contexts()
    _low_in_channels(one, 12)
    stand_in.slow("chat.postMessage", 0.02)
    options = DeliveryOptions(per_channel_interval=0.0)

    def run(ctx: DomainContext) -> Callable[[], object]:
        messenger = scheduler_for(ctx, stand_in).jobs.messenger
        return lambda: deliver_pending_alerts(ctx, messenger=messenger, options=options)

    reports = _race(run(one), run(two))
    assert sum(r.posted for r in reports) == 12  # type: ignore[attr-defined]
    per_channel = Counter(c.body["channel"] for c in stand_in.calls("chat.postMessage"))
    assert per_channel == {f"C{n:02}X": 1 for n in range(12)}


def test_two_runs_at_once_after_lost_answers_adopt_each_message_once(pg_contexts, stand_in, clock):
    """Every first post's answer was lost; two runs (no job lock) then look at the same
    channels at the same moment: each message is adopted, none is posted again."""
    one, two = pg_contexts(), pg_contexts()
    _low_in_channels(one, 12)
    options = DeliveryOptions(per_channel_interval=0.0)
    impatient = scheduler_for(one, stand_in, timeout=0.2).jobs.messenger
    stand_in.answer_late("chat.postMessage", after=1.0, times=12)
    lost = deliver_pending_alerts(one, messenger=impatient, options=options)
    assert lost.failed == 12
    assert len(stand_in.calls("chat.postMessage")) == 12
    clock.advance(seconds=30)
    stand_in.slow("conversations.history", 0.02)

    def run(ctx: DomainContext) -> Callable[[], object]:
        messenger = scheduler_for(ctx, stand_in).jobs.messenger
        return lambda: deliver_pending_alerts(ctx, messenger=messenger, options=options)

    reports = _race(run(one), run(two))
    assert sum(r.found for r in reports) == 12  # type: ignore[attr-defined]
    assert sum(r.posted for r in reports) == 0  # type: ignore[attr-defined]
    per_channel = Counter(c.body["channel"] for c in stand_in.calls("chat.postMessage"))
    assert per_channel == {f"C{n:02}X": 1 for n in range(12)}
