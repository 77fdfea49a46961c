"""Posting alerts to Slack exactly once: the outbox.

Alerts are rows. A run reads the alerts due (one batch, a fixed number of queries), picks
each one's channel (``alert_routes``), and then, per message (``domain.alert_attempts``):

1. claims the alerts (``SELECT ... FOR UPDATE SKIP LOCKED``, re-checking they are still
   due), records a new post attempt for each and holds them, and commits,
2. posts them (``Messenger.post_alert``, with the alert id and attempt in the message's
   metadata),
3. stores the channel and ts and marks them delivered, and commits.

A failed post leaves the alert pending with its attempts, last error and the time of the
next attempt (Slack's Retry-After, else exponential backoff, capped). Another scheduler
running at the same time skips the locked rows, or finds them held or delivered. A post
whose answer was lost (a timeout), or a crash between the post and the commit, leaves the
attempt's outcome unknown; the next run reads the channel's history and adopts the
message if it was posted, and posts only if it was not.

When more than ``burst`` alerts are due for one channel, they go out as one digest message
instead (``digest_ts``); their later state shows in ``/farlab alerts``, not in the digest.

A delivered alert's message is updated in place (``chat.update``) whenever its state
differs from what the message shows (``shown_status``/``shown_snoozed_until``), whichever
way the state changed: a button, ``/farlab``, the REST API, a restock, or the scan.
"""

from __future__ import annotations

import logging
from collections import Counter

from domain.alert_attempts import DeliveryOptions, deliver_turn, look_up
from domain.alert_notices import load_notices
from domain.alert_routes import route_table
from domain.context import DomainContext
from domain.notices import (
    NO_CHANNEL,
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

__all__ = ["DeliveryOptions", "deliver_pending_alerts", "push_message_updates"]

log = logging.getLogger("farlab.alerts")


# What the observer is told after a run: outcome -> the run's count of it (alerts).
DELIVERY_OUTCOMES = (
    ("posted", "posted"),
    ("found", "found"),
    ("digest", "in_digests"),
    ("failed", "failed"),
)


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
        open_attempts = {a.alert_id: a for a in outbox.open_attempts(session, ids)}
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
        unknown = [open_attempts[n.alert.id] for n in group if n.alert.id in open_attempts]
        lookup = look_up(messenger, unknown, options)
        counts += deliver_turn(
            ctx,
            messenger,
            channel,
            group,
            as_digest=len(group) > options.burst,
            lookup=lookup,
            options=options,
            pacer=pacer,
        )
    for outcome, counted in DELIVERY_OUTCOMES:
        ctx.observer.alerts_delivered(outcome, counts[counted])
    return DeliveryReport(
        posted=counts["posted"],
        found=counts["found"],
        digests=counts["digests"],
        in_digests=counts["in_digests"],
        failed=counts["failed"],
        unrouted=len(unrouted),
        skipped=counts["skipped"],
        left=ChannelPacer.left(queues, taken),
    )


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
