"""The purchasing channel's outbox: which requests' messages and DMs are due, claiming them,
and recording the outcome (as ``persistence.outbox`` does for alerts).

A request is due while its message does not show its ``version`` (``shown_version`` is
behind: not posted yet, or changed since), or while the requester's DM about a decision is
due; each when its backoff is over. Claims lock the row with ``FOR UPDATE SKIP LOCKED``
(two schedulers, or the bot and a scheduler, never both work on one request) and re-check
the condition inside the transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from persistence.models import PurchaseRequest, SlackIdentity

R = PurchaseRequest


class OpenAttempt(NamedTuple):
    """A post of the request's message whose outcome is not known."""

    channel_id: str
    started_at: datetime
    attempt: int


def _ready(column: Any, now: datetime) -> ColumnElement[bool]:
    return or_(column.is_(None), column <= now)


def _message_due(now: datetime) -> ColumnElement[bool]:
    return and_(R.shown_version < R.version, _ready(R.next_post_at, now))


def _dm_due(now: datetime) -> ColumnElement[bool]:
    return and_(R.dm_due.is_not(None), _ready(R.dm_next_at, now))


def _overdue(today: date) -> ColumnElement[bool]:
    return and_(
        R.state == "ordered",
        R.expected_on < today,
        R.overdue_noticed_at.is_(None),
        R.message_ts.is_not(None),
    )


def _claim(session: Session, order_id: int, *where: ColumnElement[bool]) -> R | None:
    stmt = (
        select(R)
        .where(R.id == order_id, *where)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).one_or_none()


# --- reading ------------------------------------------------------------------------------


def due_ids(session: Session, *, now: datetime, limit: int) -> list[int]:
    """Requests whose message or DM is due, oldest first (``ix_purchase_requests_unshown``)."""
    stmt = select(R.id).where(or_(_message_due(now), _dm_due(now))).order_by(R.id).limit(limit)
    return list(session.scalars(stmt))


def overdue_ids(session: Session, *, today: date, limit: int) -> list[int]:
    """Ordered requests expected before ``today``, not yet reminded of, whose message is
    posted (the reminder goes in its thread): one statement."""
    stmt = select(R.id).where(_overdue(today)).order_by(R.expected_on, R.id).limit(limit)
    return list(session.scalars(stmt))


def open_attempt(session: Session, order_id: int) -> OpenAttempt | None:
    row = session.execute(
        select(R.channel_id, R.post_started_at, R.post_attempt).where(
            R.id == order_id, R.message_ts.is_(None), R.post_started_at.is_not(None)
        )
    ).one_or_none()
    if row is None or row[0] is None or row[1] is None:
        return None
    return OpenAttempt(str(row[0]), row[1], int(row[2]))


def slack_users_of(session: Session, user_id: int) -> list[str]:
    """The Slack user ids linked to an account (a DM goes to the first)."""
    stmt = select(SlackIdentity.slack_user_id).where(SlackIdentity.user_id == user_id)
    return list(session.scalars(stmt.order_by(SlackIdentity.id)))


# --- claiming -----------------------------------------------------------------------------


def claim_unposted(session: Session, order_id: int, *, now: datetime) -> R | None:
    return _claim(session, order_id, R.message_ts.is_(None), _message_due(now))


def claim_stale(session: Session, order_id: int, *, now: datetime) -> R | None:
    return _claim(session, order_id, R.message_ts.is_not(None), _message_due(now))


def claim_dm(session: Session, order_id: int, *, now: datetime) -> R | None:
    return _claim(session, order_id, _dm_due(now))


def claim_overdue(session: Session, order_id: int, *, today: date) -> R | None:
    return _claim(session, order_id, _overdue(today))


# --- recording ----------------------------------------------------------------------------


def start_attempt(
    session: Session, row: R, *, channel_id: str, now: datetime, hold: datetime
) -> int:
    """A new post attempt, recorded before the post; the request is not due before ``hold``."""
    row.post_attempt += 1
    row.post_started_at = now
    row.channel_id = channel_id
    row.next_post_at = hold
    session.flush()
    return row.post_attempt


def mark_posted(
    session: Session,
    order_id: int,
    *,
    channel_id: str,
    ts: str,
    shown_version: int,
    started: datetime,
) -> None:
    """The message ``ts`` shows ``shown_version`` (0: not known, so it is updated next)."""
    session.execute(
        update(R)
        .where(R.id == order_id, R.post_started_at == started)
        .values(
            channel_id=channel_id,
            message_ts=ts,
            shown_version=shown_version,
            post_started_at=None,
            next_post_at=None,
            post_failures=0,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )


def record_failure(
    session: Session,
    order_id: int,
    *,
    error: str,
    retry_at: datetime,
    outcome_unknown: bool = False,
    started: datetime | None = None,
) -> None:
    """A failed post or update (of the attempt that started at ``started``, when given);
    unless its outcome is unknown, the attempt is closed."""
    closed: dict[str, Any] = {} if outcome_unknown else {"post_started_at": None}
    stmt = update(R).where(R.id == order_id)
    if started is not None:
        stmt = stmt.where(R.post_started_at == started)
    session.execute(
        stmt.values(
            post_failures=R.post_failures + 1,
            last_error=error[:500],
            next_post_at=retry_at,
            **closed,
        ).execution_options(synchronize_session=False)
    )


def mark_shown(row: R, version: int) -> None:
    row.shown_version = version
    row.next_post_at = None
    row.post_failures = 0
    row.last_error = None
