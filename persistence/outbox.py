"""The alert outbox: which alerts are due in Slack, claiming them, and recording the outcome.

Reads are batched (a bounded number of statements per run, whatever the number of parts);
claims lock rows with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two schedulers never
post the same alert. SQLite ignores ``FOR UPDATE``; its transactions start with
``BEGIN IMMEDIATE`` (``persistence.db``), which serialises writers, and every claim
re-checks the row's state inside the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, case, func, not_, or_, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from persistence.models import Alert, Instrument, InstrumentPart, Part, StockMovement, User
from persistence.orders import covering_order

SEVERITY_RANK = case((Alert.severity == "critical", 0), (Alert.severity == "warning", 1), else_=2)


class NoticeRow(NamedTuple):
    alert: Alert
    part: Part | None
    instrument: Instrument | None
    created_by: str | None
    acknowledged_by: str | None
    resolved_by: str | None
    snoozed_by: str | None
    movement_id: int | None


class NeedingRow(NamedTuple):
    part_id: int
    instrument_id: int
    name: str
    status: str
    is_critical: bool


class OpenAttempt(NamedTuple):
    """An attempt to post an alert whose outcome is not known yet."""

    alert_id: int
    channel_id: str
    started_at: datetime


class MovementRow(NamedTuple):
    movement: StockMovement
    username: str | None
    instrument_name: str | None


def _undelivered(now: datetime) -> ColumnElement[bool]:
    """Due: waiting to be posted (not resolved, not snoozed), or with an attempt whose
    outcome is unknown, whatever became of the alert since: the channel may hold its
    message, which is then adopted (and updated to show the alert's state). Each branch
    matches a partial index (``ix_alerts_pending_delivery``, ``ix_alerts_open_attempt``)."""
    ready = or_(Alert.next_attempt_at.is_(None), Alert.next_attempt_at <= now)
    waiting = and_(
        Alert.delivered_at.is_(None),
        Alert.status != "resolved",
        ready,
        or_(Alert.snoozed_until.is_(None), Alert.snoozed_until <= now),
    )
    unknown = and_(Alert.post_started_at.is_not(None), Alert.delivered_at.is_(None), ready)
    return or_(waiting, unknown)


def _stale_message() -> ColumnElement[bool]:
    """Matches the partial index ``ix_alerts_stale_message``."""
    return and_(
        Alert.message_ts.is_not(None),
        or_(
            Alert.shown_status.is_distinct_from(Alert.status),
            Alert.shown_snoozed_until.is_distinct_from(Alert.snoozed_until),
        ),
    )


def _reminder_due(now: datetime, cutoff: datetime) -> ColumnElement[bool]:
    return and_(
        Alert.status == "open",
        Alert.delivered_at.is_not(None),
        Alert.last_notified_at <= cutoff,
        Alert.channel_id.is_not(None),
        or_(Alert.snoozed_until.is_(None), Alert.snoozed_until <= now),
        # A low-stock alert whose shortfall an order on its way covers waits for it quietly.
        or_(Alert.kind != "low_stock", not_(covering_order(Alert.part_id))),
    )


def _locked(session: Session, stmt: Any) -> list[Alert]:
    return list(
        session.scalars(
            stmt.order_by(Alert.id)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
    )


# --- reading ------------------------------------------------------------------------------


def due_for_delivery(session: Session, *, now: datetime, limit: int) -> list[int]:
    """Ids of alerts waiting to be posted, most severe first, then oldest."""
    return list(
        session.scalars(
            select(Alert.id).where(_undelivered(now)).order_by(SEVERITY_RANK, Alert.id).limit(limit)
        )
    )


def notice_rows(session: Session, ids: Sequence[int]) -> list[NoticeRow]:
    """The alerts with their part, instrument, the people involved and the stock movement
    that caused them (the part's last movement up to the alert's creation)."""
    if not ids:
        return []
    created, acked, resolved, snoozed = (aliased(User) for _ in range(4))
    cause = (
        select(StockMovement.id)
        .where(StockMovement.part_id == Alert.part_id, StockMovement.created_at <= Alert.created_at)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .limit(1)
        .correlate(Alert)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Alert,
            Part,
            Instrument,
            created.username,
            acked.username,
            resolved.username,
            snoozed.username,
            cause,
        )
        .outerjoin(Part, Part.id == Alert.part_id)
        .outerjoin(Instrument, Instrument.id == Alert.instrument_id)
        .outerjoin(created, created.id == Alert.created_by_id)
        .outerjoin(acked, acked.id == Alert.acknowledged_by_id)
        .outerjoin(resolved, resolved.id == Alert.resolved_by_id)
        .outerjoin(snoozed, snoozed.id == Alert.snoozed_by_id)
        .where(Alert.id.in_(list(ids)))
    ).all()
    return [NoticeRow(*row) for row in rows]


def instruments_needing(session: Session, part_ids: Sequence[int]) -> list[NeedingRow]:
    """Active instruments that need each part, critical links first, then by name."""
    if not part_ids:
        return []
    rows = session.execute(
        select(
            InstrumentPart.part_id,
            Instrument.id,
            Instrument.name,
            Instrument.status,
            InstrumentPart.is_critical,
        )
        .join(Instrument, Instrument.id == InstrumentPart.instrument_id)
        .where(
            InstrumentPart.part_id.in_(list(part_ids)),
            InstrumentPart.is_active,
            Instrument.is_active,
        )
        .order_by(
            InstrumentPart.part_id, InstrumentPart.is_critical.desc(), func.lower(Instrument.name)
        )
    ).all()
    return [NeedingRow(*row) for row in rows]


def movements(session: Session, ids: Sequence[int]) -> list[MovementRow]:
    if not ids:
        return []
    rows = session.execute(
        select(StockMovement, User.username, Instrument.name)
        .outerjoin(User, User.id == StockMovement.actor_id)
        .outerjoin(Instrument, Instrument.id == StockMovement.instrument_id)
        .where(StockMovement.id.in_(list(ids)))
    ).all()
    return [MovementRow(*row) for row in rows]


def open_attempts(session: Session, ids: Sequence[int]) -> list[OpenAttempt]:
    """Those of ``ids`` whose latest post attempt has no known outcome."""
    if not ids:
        return []
    rows = session.execute(
        select(Alert.id, Alert.channel_id, Alert.post_started_at).where(
            Alert.id.in_(list(ids)),
            Alert.post_started_at.is_not(None),
            Alert.channel_id.is_not(None),
        )
    ).all()
    return [OpenAttempt(i, str(c), s) for i, c, s in rows if s is not None]


def stale_message_ids(session: Session, *, limit: int) -> list[int]:
    return list(
        session.scalars(select(Alert.id).where(_stale_message()).order_by(Alert.id).limit(limit))
    )


def due_reminders(
    session: Session, *, now: datetime, cutoff: datetime, limit: int
) -> list[tuple[int, str, str | None, str | None]]:
    """(id, channel, message ts, digest ts) of open alerts not notified since ``cutoff``."""
    rows = session.execute(
        select(Alert.id, Alert.channel_id, Alert.message_ts, Alert.digest_ts)
        .where(_reminder_due(now, cutoff))
        .order_by(Alert.last_notified_at, Alert.id)
        .limit(limit)
    ).all()
    return [(i, str(c), m, d) for i, c, m, d in rows]


def count_pending(session: Session) -> int:
    """Alerts not yet posted (answered from ``ix_alerts_pending_delivery``)."""
    stmt = select(func.count()).select_from(Alert)
    stmt = stmt.where(Alert.delivered_at.is_(None), Alert.status != "resolved")
    return session.scalar(stmt) or 0


def delivery_problems(session: Session, *, limit: int) -> list[tuple[Alert, Part | None]]:
    """Undelivered alerts whose last attempt failed, oldest first."""
    rows = session.execute(
        select(Alert, Part)
        .outerjoin(Part, Part.id == Alert.part_id)
        .where(
            Alert.delivered_at.is_(None), Alert.status != "resolved", Alert.last_error.is_not(None)
        )
        .order_by(Alert.id)
        .limit(limit)
    ).all()
    return [(alert, part) for alert, part in rows]


# --- claiming -----------------------------------------------------------------------------


def claim_undelivered(session: Session, ids: Sequence[int], *, now: datetime) -> list[Alert]:
    """Lock those of ``ids`` still waiting to be posted; rows locked elsewhere are skipped."""
    return _locked(session, select(Alert).where(Alert.id.in_(list(ids)), _undelivered(now)))


def claim_stale_message(session: Session, alert_id: int) -> Alert | None:
    found = _locked(session, select(Alert).where(Alert.id == alert_id, _stale_message()))
    return found[0] if found else None


def claim_reminders(
    session: Session, ids: Sequence[int], *, now: datetime, cutoff: datetime
) -> list[Alert]:
    return _locked(
        session, select(Alert).where(Alert.id.in_(list(ids)), _reminder_due(now, cutoff))
    )


# --- recording ----------------------------------------------------------------------------


def _update(
    session: Session, ids: Sequence[int], *, started: datetime | None = None, **values: Any
) -> None:
    """Set ``values`` on the alerts ``ids`` (only while their attempt is the one that
    started at ``started``, when given)."""
    stmt = update(Alert).where(Alert.id.in_(list(ids)))
    if started is not None:
        stmt = stmt.where(Alert.post_started_at == started)
    session.execute(stmt.values(**values).execution_options(synchronize_session=False))


def start_attempts(
    session: Session,
    ids: Sequence[int],
    *,
    channel_id: str,
    now: datetime,
    held_until: datetime,
    shown: tuple[str, datetime | None] | None = None,
) -> None:
    """A new post attempt for each alert, into ``channel_id``, recorded before the post; the
    alerts are not due again before ``held_until``. ``shown``: the status and snooze the
    message will show."""
    values: dict[str, Any] = {}
    if shown is not None:
        values.update(shown_status=shown[0], shown_snoozed_until=shown[1])
    _update(
        session,
        ids,
        post_attempt=Alert.post_attempt + 1,
        post_started_at=now,
        channel_id=channel_id,
        next_attempt_at=held_until,
        lookup_failures=0,
        **values,
    )


def _delivered(now: datetime) -> dict[str, Any]:
    return {
        "delivered_at": now,
        "last_notified_at": now,
        "last_error": None,
        "next_attempt_at": None,
        "post_started_at": None,
        "lookup_failures": 0,
        "delivery_attempts": Alert.delivery_attempts + 1,
    }


def mark_posted(
    session: Session,
    alert_id: int,
    *,
    channel_id: str,
    ts: str,
    now: datetime,
    started: datetime | None = None,
    refresh: bool = False,
) -> None:
    """Delivered as its own message ``ts``. ``refresh``: what the message shows is not
    known (it was found in the channel), so it is updated to the alert's state."""
    extra: dict[str, Any] = {"shown_status": None} if refresh else {}
    _update(
        session,
        [alert_id],
        started=started,
        channel_id=channel_id,
        message_ts=ts,
        **_delivered(now),
        **extra,
    )


def mark_digested(
    session: Session,
    ids: Sequence[int],
    *,
    channel_id: str,
    ts: str,
    now: datetime,
    started: datetime | None = None,
) -> None:
    """Delivered inside the digest message ``ts`` (their own message_ts stays empty)."""
    _update(session, ids, started=started, channel_id=channel_id, digest_ts=ts, **_delivered(now))


def record_failures(
    session: Session,
    ids: Sequence[int],
    *,
    error: str,
    next_attempt_at: datetime,
    outcome_unknown: bool = False,
    started: datetime | None = None,
) -> None:
    """A failed post; unless its outcome is unknown, the attempt is closed (not posted)."""
    closed: dict[str, Any] = {} if outcome_unknown else {"post_started_at": None}
    _update(
        session,
        ids,
        started=started,
        last_error=error,
        next_attempt_at=next_attempt_at,
        delivery_attempts=Alert.delivery_attempts + 1,
        **closed,
    )


def close_attempts(session: Session, ids: Sequence[int]) -> None:
    """Attempts found not to have posted, for alerts no longer to be posted now (resolved
    or snoozed meanwhile): nothing is posted, and a snoozed alert waits for its end."""
    _update(
        session,
        ids,
        post_started_at=None,
        next_attempt_at=None,
        lookup_failures=0,
        last_error=None,
    )


def record_lookup_failures(
    session: Session, ids: Sequence[int], *, error: str, next_attempt_at: datetime
) -> None:
    """The channel's history could not be read; the unknown attempt stays open."""
    _update(
        session,
        ids,
        last_error=error,
        next_attempt_at=next_attempt_at,
        delivery_attempts=Alert.delivery_attempts + 1,
        lookup_failures=Alert.lookup_failures + 1,
    )


def mark_unrouted(session: Session, ids: Sequence[int], *, error: str, retry_at: datetime) -> None:
    _update(session, ids, last_error=error, next_attempt_at=retry_at)


def mark_reminded(session: Session, ids: Sequence[int], *, now: datetime) -> None:
    _update(session, ids, last_notified_at=now)


def worst_unresolved(session: Session, *, limit: int) -> list[int]:
    """Unresolved alerts, most severe first, then oldest."""
    return list(
        session.scalars(
            select(Alert.id)
            .where(
                Alert.status != "resolved",
                or_(Alert.kind != "low_stock", not_(covering_order(Alert.part_id))),
            )
            .order_by(SEVERITY_RANK, Alert.created_at, Alert.id)
            .limit(limit)
        )
    )
