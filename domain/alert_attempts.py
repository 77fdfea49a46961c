"""One turn of the outbox in one channel: an alert, or a digest of many, posted once.

Every post is an attempt, recorded and committed before the post is made: its number (the
message carries it in its metadata), its start and its channel. The alerts are then held
for ``attempt_hold`` so that no other run takes them up meanwhile. An answer from Slack
closes the attempt: posted (the ts is stored) or refused (tried again later). Without an
answer (a timeout, a dropped connection, a 5xx), or when the process died before storing
it, the attempt's outcome is unknown and stays open.

Before alerts with an open attempt are posted again, the channel's history from a little
before the attempt's start is read, and a message of ours whose metadata carries the alert
is adopted as if its post had been answered (its ts stored; updated in place if the alert
changed meanwhile, resolved or snoozed included). Only when none is found is the alert
posted again, and only if it is still to be posted now (not resolved, not snoozed). When
the history cannot be read (rate limit, missing scope, the bot not in the channel), the
alerts wait and the read is tried again with the usual backoff, ``lookup_tries`` times in
all; after that they are posted anyway, as a possible duplicate beats an alert never
posted.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.context import DomainContext
from domain.notices import AlertDigest, AlertNotice, DeliveryFailed, FoundPost, Messenger
from domain.pacing import ChannelPacer
from persistence import outbox
from persistence.db import Session
from persistence.models import Alert
from persistence.outbox import OpenAttempt

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
    # An attempt holds its alerts this long: far longer than a post can take (the Slack
    # client gives up after seconds), so only a dead process's alerts come due early.
    attempt_hold: timedelta = timedelta(minutes=2)
    # The history read for an open attempt covers [start - margin, start + window]:
    # the margin allows for our clock and Slack's differing, the window for a slow post.
    lookup_margin: timedelta = timedelta(minutes=1)
    lookup_window: timedelta = timedelta(minutes=10)
    lookup_tries: int = 3

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        """Slack's Retry-After when it gave one, else 30 s, 1 min, 2 min, ... up to 1 h."""
        if retry_after is not None:
            return timedelta(seconds=max(retry_after, 1.0))
        doubled: timedelta = self.first_backoff * 2 ** max(attempts - 1, 0)
        return min(doubled, self.max_backoff)


@dataclass(frozen=True)
class Lookup:
    """What the channels' history says about the alerts with open attempts."""

    started: dict[int, datetime]  # the attempts looked for
    found: dict[int, FoundPost]
    failed: dict[int, DeliveryFailed]


@dataclass
class _Sorted:
    post: list[Alert]
    adopted: int = 0
    waiting: int = 0
    skipped: int = 0


def look_up(messenger: Messenger, attempts: list[OpenAttempt], options: DeliveryOptions) -> Lookup:
    """Read each channel's history once for the open attempts that went to it."""
    by_channel: dict[str, list[OpenAttempt]] = {}
    for attempt in attempts:
        by_channel.setdefault(attempt.channel_id, []).append(attempt)
    found: dict[int, FoundPost] = {}
    failed: dict[int, DeliveryFailed] = {}
    for channel, group in by_channel.items():
        starts = [a.started_at for a in group]
        try:
            posts = messenger.find_alert_posts(
                channel,
                oldest=min(starts) - options.lookup_margin,
                latest=max(starts) + options.lookup_window,
            )
        except DeliveryFailed as failure:
            log.warning("reading the history of %s failed (%s)", channel, failure.error)
            failed.update((a.alert_id, failure) for a in group)
            continue
        found.update((a.alert_id, posts[a.alert_id]) for a in group if a.alert_id in posts)
    started = {a.alert_id: a.started_at for a in attempts}
    return Lookup(started, found, failed)


def deliver_turn(
    ctx: DomainContext,
    messenger: Messenger,
    channel: str,
    group: list[AlertNotice],
    *,
    as_digest: bool,
    lookup: Lookup,
    options: DeliveryOptions,
    pacer: ChannelPacer,
) -> Counter[str]:
    """Claim the group's alerts, adopt those found in the channel, post the rest."""
    with ctx.transaction() as session:
        now = ctx.now()
        rows = outbox.claim_undelivered(session, [n.alert.id for n in group], now=now)
        todo = _sort(session, rows, lookup, options, now)
        ids = [row.id for row in todo.post]
        shown = (group[0].alert.status, group[0].alert.snoozed_until)
        outbox.start_attempts(
            session,
            ids,
            channel_id=channel,
            now=now,
            held_until=now + options.attempt_hold,
            shown=None if as_digest else shown,
        )
        attempts = {row.id: row.post_attempt + 1 for row in todo.post}
        backoff_from = max((row.delivery_attempts for row in todo.post), default=0) + 1
    counts = Counter(
        found=todo.adopted,
        failed=todo.waiting,
        skipped=len(group) - len(rows) + todo.skipped,
    )
    if not ids:
        return counts
    notices = [n for n in group if n.alert.id in attempts]
    try:
        if as_digest:
            ts = messenger.post_digest(channel, AlertDigest(tuple(notices), len(notices)))
        else:
            ts = messenger.post_alert(channel, notices[0], attempt=attempts[ids[0]])
    except DeliveryFailed as failure:
        pacer.posted(channel, retry_after=failure.retry_after)
        _record_failure(ctx, ids, failure, now, backoff_from, options)
        return counts + Counter(failed=len(ids))
    pacer.posted(channel)
    with ctx.transaction() as session:
        if as_digest:
            outbox.mark_digested(
                session, ids, channel_id=channel, ts=ts, now=ctx.now(), started=now
            )
            return counts + Counter(digests=1, in_digests=len(ids))
        outbox.mark_posted(session, ids[0], channel_id=channel, ts=ts, now=ctx.now(), started=now)
    return counts + Counter(posted=1)


def _sort(
    session: Session, rows: list[Alert], lookup: Lookup, options: DeliveryOptions, now: datetime
) -> _Sorted:
    """Which claimed alerts to post; those found in the channel are marked delivered, those
    whose history could not be read are told to wait."""
    todo = _Sorted(post=[])
    for row in rows:
        if row.post_started_at is None:
            todo.post.append(row)
        elif lookup.started.get(row.id) != row.post_started_at:
            todo.skipped += 1  # another attempt since the lookup: the next run looks again
        elif row.id in lookup.found:
            _adopt(session, row, lookup.found[row.id], now)
            todo.adopted += 1
        elif row.id in lookup.failed and row.lookup_failures + 1 < options.lookup_tries:
            failure = lookup.failed[row.id]
            retry_at = now + options.backoff(row.delivery_attempts + 1, failure.retry_after)
            outbox.record_lookup_failures(
                session,
                [row.id],
                error=f"{failure.error} while reading the channel's history"[:500],
                next_attempt_at=retry_at,
            )
            todo.waiting += 1
        elif row.status == "resolved" or (row.snoozed_until or now) > now:
            # Not in the channel (or its history stayed unreadable): not to be posted now.
            outbox.close_attempts(session, [row.id])
            todo.skipped += 1
        else:
            if row.id in lookup.failed:
                log.warning("alert %s: posting again without knowing if it was posted", row.id)
            todo.post.append(row)
    return todo


def _adopt(session: Session, row: Alert, found: FoundPost, now: datetime) -> None:
    """The attempt did post: keep its message. One that another attempt posted may show
    another state than this attempt's, so it is updated."""
    channel = str(row.channel_id)
    log.info("alert %s: found in %s as %s, not posted again", row.id, channel, found.ts)
    if found.digest:
        outbox.mark_digested(session, [row.id], channel_id=channel, ts=found.ts, now=now)
        return
    refresh = found.attempt != row.post_attempt
    outbox.mark_posted(session, row.id, channel_id=channel, ts=found.ts, now=now, refresh=refresh)


def _record_failure(
    ctx: DomainContext,
    ids: list[int],
    failure: DeliveryFailed,
    started: datetime,
    attempts: int,
    options: DeliveryOptions,
) -> None:
    retry_at = ctx.now() + options.backoff(attempts, failure.retry_after)
    unknown = " (it may have been posted)" if failure.outcome_unknown else ""
    log.warning(
        "alert delivery failed (%s)%s; next attempt at %s", failure.error, unknown, retry_at
    )
    with ctx.transaction() as session:
        outbox.record_failures(
            session,
            ids,
            error=failure.error[:500],
            next_attempt_at=retry_at,
            outcome_unknown=failure.outcome_unknown,
            started=started,
        )
