"""Re-notifying open alerts nobody acknowledged, and the daily summary.

A reminder is a reply in the thread of the message the alerts went out in (their own
message, or the digest they were part of), also shown in the channel; one reply per
message, whatever the number of alerts in it. Snoozed alerts are not re-notified until
their snooze ends; acknowledged and resolved ones never are.
"""

from __future__ import annotations

from datetime import timedelta

from domain import alerts
from domain.alert_delivery import DeliveryOptions
from domain.alert_notices import load_notices
from domain.context import DomainContext
from domain.notices import (
    AlertReminder,
    CoveredAlert,
    DailySummary,
    DeliveryFailed,
    DeliveryReport,
    Messenger,
)
from domain.pacing import ChannelPacer
from domain.permissions import SYSTEM
from persistence import orders, outbox

WORST_SHOWN = 5


def send_reminders(
    ctx: DomainContext,
    *,
    messenger: Messenger,
    hours: int,
    options: DeliveryOptions,
    pacer: ChannelPacer | None = None,
) -> DeliveryReport:
    """Remind about open alerts last notified ``hours`` or more ago."""
    now = ctx.now()
    cutoff = now - timedelta(hours=hours)
    with ctx.transaction() as session:
        due = outbox.due_reminders(session, now=now, cutoff=cutoff, limit=options.batch)
    threads: dict[tuple[str, str], list[int]] = {}
    for alert_id, channel, message_ts, digest_ts in due:
        thread = message_ts or digest_ts
        if thread:
            threads.setdefault((channel, thread), []).append(alert_id)
    queues: dict[str, list[tuple[str, list[int]]]] = {}
    for (channel, thread), ids in threads.items():
        queues.setdefault(channel, []).append((thread, ids))
    pacer = pacer or ChannelPacer(options.per_channel_interval)
    posted = failed = skipped = taken = 0
    for channel, (thread, ids) in pacer.take_turns(queues, budget=options.time_budget):
        taken += 1
        with ctx.transaction() as session:
            claimed = outbox.claim_reminders(session, ids, now=now, cutoff=cutoff)
            if not claimed:
                skipped += 1
                continue
            notices = tuple(load_notices(session, [row.id for row in claimed]))
            since = min(n.alert.created_at for n in notices)
            try:
                messenger.post_reminder(channel, thread, AlertReminder(notices, since))
            except DeliveryFailed as failure:
                pacer.posted(channel, retry_after=failure.retry_after)
                failed += 1
                continue
            pacer.posted(channel)
            outbox.mark_reminded(session, [row.id for row in claimed], now=ctx.now())
            posted += 1
    return DeliveryReport(
        posted=posted, failed=failed, skipped=skipped, left=ChannelPacer.left(queues, taken)
    )


def daily_summary(ctx: DomainContext) -> DailySummary:
    counts = alerts.alert_summary(ctx, actor=SYSTEM)
    with ctx.transaction() as session:
        worst = load_notices(session, outbox.worst_unresolved(session, limit=WORST_SHOWN))
        pending = outbox.count_pending(session)
        covered_count, covered = orders.covered_low_stock(session, limit=WORST_SHOWN)
    return DailySummary(
        open_alerts=counts.open_alerts,
        acknowledged_alerts=counts.acknowledged_alerts,
        low_stock_parts=counts.low_stock_parts,
        out_of_stock_parts=counts.out_of_stock_parts,
        critical_parts_low=counts.critical_parts_low,
        worst=tuple(worst),
        pending_deliveries=pending,
        covered=tuple(CoveredAlert(*row) for row in covered),
        covered_count=covered_count,
    )


def post_daily_summary(ctx: DomainContext, *, messenger: Messenger, channel_id: str | None) -> str:
    """Post the summary to ``channel_id``; what was done, in a few words."""
    if channel_id is None:
        return "skipped: no channel configured (FARLAB_ALERT_CHANNEL)"
    summary = daily_summary(ctx)
    messenger.post_daily_summary(channel_id, summary)
    return f"posted to {channel_id}: {summary.open_alerts} open alerts"
