"""Reorder requests in the purchasing channel, exactly once, updated in place; the
requesters' DMs; overdue reminders.

A request's message is an outbox entry, as an alert's is (``domain.alert_attempts``):

1. the request is claimed (``FOR UPDATE SKIP LOCKED``, re-checking it is still unposted), a
   new post attempt is recorded (its number goes in the message's metadata) and held for
   ``attempt_hold``, and this is committed before the post;
2. the message is posted; its ts and the version it shows are stored after.

A post refused by Slack is tried again after a backoff (Slack's Retry-After on a 429). A
post whose answer was lost (a timeout, a 5xx, a crash before the commit) leaves the attempt
open: before posting again, the channel's history around the attempt is read and a message
of ours carrying the request is adopted (and then updated, as what it shows is not known).
When the history cannot be read, the request waits and the read is tried again,
``lookup_tries`` times in all, before it is posted anyway.

A posted message is updated (``chat.update``) whenever the request's ``version`` is ahead
of ``shown_version``: whatever changed it (a button, REST, a receipt, a reminder). An
approval or rejection queues a DM to the requester (``dm_due``): sent to their linked Slack
user, retried with backoff ``MAX_DM_TRIES`` times in all; nobody linked: nothing is sent.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date

from domain.alert_attempts import DeliveryOptions
from domain.context import DomainContext
from domain.notices import DeliveryFailed, FoundPost
from domain.order_notices import OrderMessenger, OrderNotice
from domain.ordering import order_detail
from domain.pacing import ChannelPacer
from domain.vocabulary import OrderEventKind
from persistence import order_outbox
from persistence import orders as store
from persistence.db import Session

__all__ = ["DeliveryOptions", "deliver_order", "deliver_orders", "remind_overdue_orders"]

log = logging.getLogger("farlab.orders")
MAX_DM_TRIES = 5
BATCH = 200


@dataclass(frozen=True)
class OrderDeliveryReport:
    counts: Counter[str]

    def describe(self) -> str:
        shown = [f"{k.replace('_', ' ')} {v}" for k, v in sorted(self.counts.items()) if v]
        return ", ".join(shown) or "nothing due"


def order_notice(session: Session, order_id: int, today: date) -> OrderNotice:
    detail = order_detail(session, order_id)
    return OrderNotice(order=detail.order, events=detail.events, today=today)


def deliver_orders(
    ctx: DomainContext,
    *,
    messenger: OrderMessenger,
    channel_id: str | None,
    options: DeliveryOptions,
    pacer: ChannelPacer | None = None,
) -> OrderDeliveryReport:
    """Post, update and DM what is due, paced in the channel, within the time budget."""
    with ctx.transaction() as session:
        ids = order_outbox.due_ids(session, now=ctx.now(), limit=BATCH)
    pacer = pacer or ChannelPacer(options.per_channel_interval)
    counts: Counter[str] = Counter()
    queue = {channel_id or "": ids}
    for channel, order_id in pacer.take_turns(queue, budget=options.time_budget):
        done, retry_after = _deliver(ctx, messenger, order_id, channel or None, options)
        counts += done
        pacer.posted(channel, retry_after=retry_after)
        if retry_after is not None:
            break  # rate limited: the rest wait for the next run
    return OrderDeliveryReport(counts)


def deliver_order(
    ctx: DomainContext,
    *,
    messenger: OrderMessenger,
    order_id: int,
    channel_id: str | None,
    options: DeliveryOptions,
) -> Counter[str]:
    """Bring one request's message up to date (post it once, or update it) and send the
    requester's DM if one is due. Called after a change commits, and by the job."""
    return _deliver(ctx, messenger, order_id, channel_id, options)[0]


def _deliver(
    ctx: DomainContext,
    messenger: OrderMessenger,
    order_id: int,
    channel_id: str | None,
    options: DeliveryOptions,
) -> tuple[Counter[str], float | None]:
    counts: Counter[str] = Counter()
    retry_after: float | None = None
    for step in (_post, _update):
        try:
            counts += step(ctx, messenger, order_id, channel_id, options)
        except DeliveryFailed as failure:
            counts["failed"] += 1
            retry_after = failure.retry_after
            break
    counts += _send_dm(ctx, messenger, order_id, options)
    return counts, retry_after


def _look_up(
    messenger: OrderMessenger,
    order_id: int,
    attempt: order_outbox.OpenAttempt,
    options: DeliveryOptions,
) -> FoundPost | DeliveryFailed | None:
    try:
        found = messenger.find_order_posts(
            attempt.channel_id,
            oldest=attempt.started_at - options.lookup_margin,
            latest=attempt.started_at + options.lookup_window,
        )
    except DeliveryFailed as failure:
        log.warning("reading the history of %s failed (%s)", attempt.channel_id, failure.error)
        return failure
    return found.get(order_id)


def _post(
    ctx: DomainContext,
    messenger: OrderMessenger,
    order_id: int,
    channel_id: str | None,
    options: DeliveryOptions,
) -> Counter[str]:
    now = ctx.now()
    with ctx.transaction() as session:
        attempt = order_outbox.open_attempt(session, order_id)
    looked = _look_up(messenger, order_id, attempt, options) if attempt else None
    with ctx.transaction() as session:
        row = order_outbox.claim_unposted(session, order_id, now=now)
        if row is None:
            return Counter()
        if row.post_started_at is not None:
            if attempt is None or row.post_started_at != attempt.started_at:
                return Counter(skipped=1)  # another attempt since the lookup
            if isinstance(looked, FoundPost):
                log.info("order %s: found as %s, not posted again", order_id, looked.ts)
                order_outbox.mark_posted(
                    session,
                    order_id,
                    channel_id=attempt.channel_id,
                    ts=looked.ts,
                    shown_version=0,  # what it shows is not known: it is updated next
                    started=attempt.started_at,
                )
                return Counter(found=1)
            if isinstance(looked, DeliveryFailed) and row.post_failures + 1 < options.lookup_tries:
                order_outbox.record_failure(
                    session,
                    order_id,
                    error=f"{looked.error} while reading the channel's history",
                    retry_at=now + options.backoff(row.post_failures + 1, looked.retry_after),
                    outcome_unknown=True,
                )
                return Counter(waiting=1)
        if channel_id is None:
            return Counter()  # no purchasing channel: the request waits unposted
        number = order_outbox.start_attempt(
            session, row, channel_id=channel_id, now=now, hold=now + options.attempt_hold
        )
        version, failures = row.version, row.post_failures
        notice = order_notice(session, order_id, now.date())
    try:
        ts = messenger.post_order(channel_id, notice, attempt=number)
    except DeliveryFailed as failure:
        retry_at = ctx.now() + options.backoff(failures + 1, failure.retry_after)
        log.warning("order %s: post failed (%s); next at %s", order_id, failure.error, retry_at)
        with ctx.transaction() as session:
            order_outbox.record_failure(
                session,
                order_id,
                error=failure.error,
                retry_at=retry_at,
                outcome_unknown=failure.outcome_unknown,
                started=now,
            )
        raise
    with ctx.transaction() as session:
        order_outbox.mark_posted(
            session, order_id, channel_id=channel_id, ts=ts, shown_version=version, started=now
        )
    return Counter(posted=1)


def _update(
    ctx: DomainContext,
    messenger: OrderMessenger,
    order_id: int,
    _channel_id: str | None,
    options: DeliveryOptions,
) -> Counter[str]:
    now = ctx.now()
    failed: DeliveryFailed | None = None
    with ctx.transaction() as session:
        row = order_outbox.claim_stale(session, order_id, now=now)
        if row is None or row.channel_id is None or row.message_ts is None:
            return Counter()
        notice = order_notice(session, order_id, now.date())
        try:
            messenger.update_order(row.channel_id, row.message_ts, notice)
        except DeliveryFailed as failure:
            if not failure.permanent:
                failed = failure
                retry_at = now + options.backoff(row.post_failures + 1, failure.retry_after)
                order_outbox.record_failure(
                    session, order_id, error=failure.error, retry_at=retry_at
                )
            else:
                log.warning("order %s: its message cannot be updated (%s)", order_id, failure.error)
        if failed is None:
            order_outbox.mark_shown(row, notice.order.version)
    if failed is not None:
        raise failed  # after the commit that recorded it
    return Counter(updated=1)


def _send_dm(
    ctx: DomainContext, messenger: OrderMessenger, order_id: int, options: DeliveryOptions
) -> Counter[str]:
    now = ctx.now()
    with ctx.transaction() as session:
        row = order_outbox.claim_dm(session, order_id, now=now)
        if row is None or row.dm_due is None:
            return Counter()
        decision = row.dm_due
        people = order_outbox.slack_users_of(session, row.requested_by_id or 0)
        if people:
            notice = order_notice(session, order_id, now.date())
            try:
                messenger.send_order_decision(people[0], notice, decision)
            except DeliveryFailed as failure:
                row.dm_failures += 1
                if row.dm_failures < MAX_DM_TRIES:
                    row.dm_next_at = now + options.backoff(row.dm_failures, failure.retry_after)
                    return Counter(dm_failed=1)
                log.warning("order %s: DM given up after %s tries", order_id, row.dm_failures)
        row.dm_due, row.dm_next_at = None, None
        return Counter(dms=1 if people else 0)


def remind_overdue_orders(
    ctx: DomainContext, *, messenger: OrderMessenger, options: DeliveryOptions
) -> int:
    """Post a reminder in the thread of each ordered request past its expected date (once:
    ``overdue_noticed_at``); the request's message then shows it overdue."""
    today = ctx.now().date()
    with ctx.transaction() as session:
        ids = order_outbox.overdue_ids(session, today=today, limit=BATCH)
    reminded = 0
    for order_id in ids:
        with ctx.transaction() as session:
            row = order_outbox.claim_overdue(session, order_id, today=today)
            if row is None or row.channel_id is None or row.message_ts is None:
                continue
            notice = order_notice(session, order_id, today)
            try:
                messenger.post_order_reminder(row.channel_id, row.message_ts, notice)
            except DeliveryFailed as failure:
                log.warning("order %s: reminder failed (%s)", order_id, failure.error)
                if failure.retry_after is not None:
                    break
                continue
            now = ctx.now()
            row.overdue_noticed_at, row.updated_at = now, now
            row.version += 1
            store.add_event(
                session, request_id=row.id, kind=OrderEventKind.OVERDUE, actor_id=None, now=now
            )
        reminded += 1
        deliver_order(ctx, messenger=messenger, order_id=order_id, channel_id=None, options=options)
    return reminded
