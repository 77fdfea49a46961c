"""Posting alerts to Slack exactly once: the outbox.

Alerts are rows. A run reads the alerts due (one batch, a fixed number of queries), picks
each one's channel (``alert_routes``), and then, one transaction per message:

1. claims the alert (``SELECT ... FOR UPDATE SKIP LOCKED``, re-checking it is still due),
2. posts it (``Messenger.post_alert``),
3. stores the channel and ts and marks it delivered, and commits.

A failed post leaves the alert pending with its attempts, last error and the time of the
next attempt (Slack's Retry-After, else exponential backoff, capped). Another scheduler
running at the same time skips the locked row, or finds it delivered once it gets the lock.
The one gap no outbox can close: a post that Slack accepted but whose answer never came
back (a timeout), or a crash between the post and the commit, is posted again.

When more than ``burst`` alerts are due for one channel, they go out as one digest message
instead (``digest_ts``); their later state shows in ``/farlab alerts``, not in the digest.

A delivered alert's message is updated in place (``chat.update``) whenever its state
differs from what the message shows (``shown_status``/``shown_snoozed_until``), whichever
way the state changed: a button, ``/farlab``, the REST API, a restock, or the scan.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from domain.alert_notices import load_notices
from domain.alert_routes import route_table
from domain.context import DomainContext
from domain.notices import (
    NO_CHANNEL,
    AlertDigest,
    AlertNotice,
    DeliveryFailed,
    DeliveryProblem,
    DeliveryReport,
    Messenger,
)
from domain.pacing import ChannelPacer
from domain.permissions import Action, Actor, require
from domain.results import AlertView
from persistence import outbox
from persistence.models import Alert

log = logging.getLogger("farlab.alerts")


@dataclass(frozen=True)
class DeliveryOptions:
    default_channel: str | None = None
    burst: int = 10
    batch: int = 2000
    per_channel_interval: float = 1.0
    time_budget: float = 15.0
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)
    unrouted_wait: timedelta = timedelta(minutes=5)

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        """Slack's Retry-After when it gave one, else 30 s, 1 min, 2 min, ... up to 1 h."""
        if retry_after is not None:
            return timedelta(seconds=max(retry_after, 1.0))
        return min(self.first_backoff * 2 ** max(attempts - 1, 0), self.max_backoff)


def deliver_pending_alerts(
    ctx: DomainContext,
    *,
    messenger: Messenger,
    options: DeliveryOptions,
    pacer: ChannelPacer | None = None,
) -> DeliveryReport:
    """Post the alerts that are due, paced per channel, within the run's time budget."""
    now = ctx.now()
    with ctx.transaction() as session:
        ids = outbox.due_for_delivery(session, now=now, limit=options.batch)
        notices = load_notices(session, ids)
        table = route_table(session, options.default_channel)
    plan: dict[str, list[AlertNotice]] = {}
    unrouted: list[int] = []
    for notice in notices:
        channel = table.channel_for(notice)
        if channel is None:
            unrouted.append(notice.alert.id)
        else:
            plan.setdefault(channel, []).append(notice)
    if unrouted:
        with ctx.transaction() as session:
            outbox.mark_unrouted(
                session, unrouted, error=NO_CHANNEL, retry_at=now + options.unrouted_wait
            )
    # Each channel's queue: one digest (a list of many), or one entry per alert.
    queues = {
        channel: [group] if len(group) > options.burst else [[n] for n in group]
        for channel, group in plan.items()
    }
    pacer = pacer or ChannelPacer(options.per_channel_interval)
    counts: Counter[str] = Counter()
    taken = 0
    for channel, group in pacer.take_turns(queues, budget=options.time_budget):
        taken += 1
        if len(group) > options.burst:
            counts.update(_deliver_digest(ctx, messenger, channel, group, options, pacer))
        else:
            counts[_deliver_one(ctx, messenger, channel, group[0], options, pacer)] += 1
    return DeliveryReport(
        posted=counts["posted"],
        digests=counts["digests"],
        in_digests=counts["in_digests"],
        failed=counts["failed"],
        unrouted=len(unrouted),
        skipped=counts["skipped"],
        left=ChannelPacer.left(queues, taken),
    )


def _deliver_one(
    ctx: DomainContext,
    messenger: Messenger,
    channel: str,
    notice: AlertNotice,
    options: DeliveryOptions,
    pacer: ChannelPacer,
) -> str:
    with ctx.transaction() as session:
        now = ctx.now()
        claimed = outbox.claim_undelivered(session, [notice.alert.id], now=now)
        if not claimed:
            return "skipped"
        row = claimed[0]
        try:
            ts = messenger.post_alert(channel, notice)
        except DeliveryFailed as failure:
            pacer.posted(channel, retry_after=failure.retry_after)
            _record_failure(session, [row], failure, now, options)
            return "failed"
        pacer.posted(channel)
        row.channel_id, row.message_ts = channel, ts
        row.delivered_at = row.last_notified_at = now
        row.delivery_attempts += 1
        row.last_error, row.next_attempt_at = None, None
        _shown(row, notice.alert)
    return "posted"


def _deliver_digest(
    ctx: DomainContext,
    messenger: Messenger,
    channel: str,
    group: list[AlertNotice],
    options: DeliveryOptions,
    pacer: ChannelPacer,
) -> Counter[str]:
    with ctx.transaction() as session:
        now = ctx.now()
        claimed = outbox.claim_undelivered(session, [n.alert.id for n in group], now=now)
        ids = {row.id for row in claimed}
        if not ids:
            return Counter(skipped=len(group))
        notices = tuple(n for n in group if n.alert.id in ids)
        try:
            ts = messenger.post_digest(channel, AlertDigest(notices=notices, total=len(notices)))
        except DeliveryFailed as failure:
            pacer.posted(channel, retry_after=failure.retry_after)
            _record_failure(session, claimed, failure, now, options)
            return Counter(failed=len(ids))
        pacer.posted(channel)
        outbox.mark_digested(session, sorted(ids), channel_id=channel, ts=ts, now=now)
    return Counter(digests=1, in_digests=len(ids), skipped=len(group) - len(ids))


def _record_failure(
    session: Session,
    rows: list[Alert],
    failure: DeliveryFailed,
    now: datetime,
    options: DeliveryOptions,
) -> None:
    attempts = max(row.delivery_attempts for row in rows) + 1
    retry_at = now + options.backoff(attempts, failure.retry_after)
    log.warning("alert delivery failed (%s); next attempt at %s", failure.error, retry_at)
    ids = [row.id for row in rows]
    outbox.record_failures(session, ids, error=failure.error[:500], next_attempt_at=retry_at)


def _shown(row: Alert, alert: AlertView) -> None:
    row.shown_status, row.shown_snoozed_until = alert.status, alert.snoozed_until


def refresh_alert_message(ctx: DomainContext, *, messenger: Messenger, alert_id: int) -> bool:
    """Update the alert's channel message if it no longer shows the alert's state.

    True when it was updated. A message that is gone (deleted, channel archived) is given
    up on; other failures raise ``DeliveryFailed`` and are tried again on the next run.
    """
    with ctx.transaction() as session:
        row = outbox.claim_stale_message(session, alert_id)
        if row is None or row.channel_id is None or row.message_ts is None:
            return False
        notice = load_notices(session, [alert_id])[0]
        try:
            messenger.update_alert(row.channel_id, row.message_ts, notice)
        except DeliveryFailed as failure:
            if not failure.permanent:
                raise
            log.warning("alert %s: its message cannot be updated (%s)", alert_id, failure.error)
        _shown(row, notice.alert)
    return True


def push_message_updates(
    ctx: DomainContext, *, messenger: Messenger, limit: int = 200
) -> tuple[int, int]:
    """(updated, failed): bring delivered messages in line with their alerts' state."""
    with ctx.transaction() as session:
        ids = outbox.stale_message_ids(session, limit=limit)
    updated = failed = 0
    for alert_id in ids:
        try:
            updated += refresh_alert_message(ctx, messenger=messenger, alert_id=alert_id)
        except DeliveryFailed as failure:
            failed += 1
            log.warning("alert %s: message update failed (%s)", alert_id, failure.error)
            if failure.retry_after is not None:
                break  # rate limited: the rest wait for the next run
    return updated, failed


def pending_deliveries(ctx: DomainContext) -> int:
    with ctx.transaction() as session:
        return outbox.count_pending(session)


def delivery_problems(
    ctx: DomainContext, *, actor: Actor, limit: int = 10
) -> tuple[DeliveryProblem, ...]:
    """Alerts that could not be posted yet, and why (for managers)."""
    require(actor, Action.MANAGE_ALERTS)
    with ctx.transaction() as session:
        rows = outbox.delivery_problems(session, limit=limit)
        return tuple(
            DeliveryProblem(
                alert=AlertView.of(alert, part),
                attempts=alert.delivery_attempts,
                error=alert.last_error or "",
                next_attempt_at=alert.next_attempt_at,
            )
            for alert, part in rows
        )
