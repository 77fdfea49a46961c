"""Alerts: list, raise, acknowledge, resolve, snooze, summarise, and the low-stock scan."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from domain import validation as v
from domain.context import DomainContext
from domain.errors import Conflict, InvalidInput, NotFound
from domain.permissions import SYSTEM, Action, Actor, require
from domain.results import AlertSummary, AlertView, LowStockEvaluation, Page
from domain.vocabulary import AlertKind, AlertSeverity, AlertStatus
from persistence import alerts as store
from persistence import low_stock
from persistence.db import Session
from persistence.models import Alert

MAX_SNOOZE = timedelta(days=30)


def _view(session: Session, alert_id: int) -> AlertView:
    row = store.alert_with_subjects(session, alert_id)
    if row is None:
        raise NotFound("Alert not found.")
    return AlertView.of(*row)


def _load(session: Session, alert_id: int) -> Alert:
    row = store.lock_alert(session, alert_id)
    if row is None:
        raise NotFound("Alert not found.")
    return row


def _one_of(value: str | None, allowed: tuple[str, ...], field: str) -> str | None:
    if value is not None and value not in allowed:
        raise InvalidInput.field(
            field, f"{field.capitalize()} must be one of {', '.join(allowed)}."
        )
    return value


def _all_of(
    values: str | Collection[str] | None, allowed: tuple[str, ...], field: str
) -> tuple[str, ...]:
    if values is None:
        return ()
    wanted = (values,) if isinstance(values, str) else tuple(values)
    for value in wanted:
        _one_of(value, allowed, field)
    return wanted


def list_alerts(
    ctx: DomainContext,
    *,
    actor: Actor,
    status: str | None = None,
    active_only: bool = False,
    kind: str | Collection[str] | None = None,
    severity: str | Collection[str] | None = None,
    part_id: int | None = None,
    instrument_id: int | None = None,
    offset: int = 0,
    limit: int = 25,
) -> Page[AlertView]:
    """Alerts, newest first. ``active_only`` means not resolved; ``kind`` and ``severity``
    each name one value or several (any of them), None for any."""
    require(actor, Action.VIEW)
    offset, limit = v.paging(offset, limit, max_limit=1000)
    status = _one_of(status, tuple(AlertStatus), "status")
    kinds = _all_of(kind, tuple(AlertKind), "kind")
    severities = _all_of(severity, tuple(AlertSeverity), "severity")
    with ctx.transaction() as session:
        rows = store.alerts_matching(
            session,
            status=status,
            active_only=active_only,
            kinds=kinds,
            severities=severities,
            part_id=part_id,
            instrument_id=instrument_id,
            offset=offset,
            limit=limit + 1,
        )
        items = tuple(AlertView.of(*row) for row in rows[:limit])
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)


def get_alert(ctx: DomainContext, *, actor: Actor, alert_id: int) -> AlertView:
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        return _view(session, alert_id)


def raise_alert(
    ctx: DomainContext,
    *,
    actor: Actor,
    message: str,
    part_id: int | None = None,
    instrument_id: int | None = None,
    severity: str = "warning",
    kind: str = "manual",
) -> AlertView:
    """Raise an alert about a part or an instrument by hand (or ``maintenance`` from a job)."""
    require(actor, Action.RAISE_ALERT)
    text = v.required_text(message, field="message", max_length=2000, multiline=True)
    _one_of(severity, tuple(AlertSeverity), "severity")
    if kind not in ("manual", "maintenance"):
        raise InvalidInput.field("kind", "Only manual and maintenance alerts can be raised.")
    if part_id is None and instrument_id is None:
        raise InvalidInput.field("subject", "Name the part or instrument the alert is about.")
    with ctx.transaction() as session:
        stock = None
        if part_id is not None:
            part = store.part_for_alert(session, part_id)
            if part is None:
                raise NotFound("Part not found.")
            stock = part.quantity_in_stock
        if instrument_id is not None and not store.instrument_exists(session, instrument_id):
            raise NotFound("Instrument not found.")
        row = Alert(
            kind=kind,
            part_id=part_id,
            instrument_id=instrument_id,
            message=text,
            severity=severity,
            status="open",
            current_stock=stock,
            created_at=ctx.now(),
            created_by_id=actor.user_id,
            delivery_attempts=0,
        )
        store.add_alert(session, row)
        return _view(session, row.id)


def acknowledge_alert(ctx: DomainContext, *, actor: Actor, alert_id: int) -> AlertView:
    require(actor, Action.MANAGE_ALERTS)
    with ctx.transaction() as session:
        row = _load(session, alert_id)
        if row.status == "resolved":
            raise Conflict("This alert is already resolved.")
        if row.status == "acknowledged":
            raise Conflict("This alert is already acknowledged.")
        row.status = "acknowledged"
        row.acknowledged_at = ctx.now()
        row.acknowledged_by_id = actor.user_id
        session.flush()
        return _view(session, alert_id)


def resolve_alert(
    ctx: DomainContext, *, actor: Actor, alert_id: int, note: str | None = None
) -> AlertView:
    require(actor, Action.MANAGE_ALERTS)
    note = v.text(note, field="note", max_length=2000, required=False, multiline=True)
    with ctx.transaction() as session:
        row = _load(session, alert_id)
        if row.status == "resolved":
            raise Conflict("This alert is already resolved.")
        row.status = "resolved"
        row.resolved_at = ctx.now()
        row.resolved_by_id = actor.user_id
        row.resolution_note = note
        session.flush()
        return _view(session, alert_id)


def snooze_alert(
    ctx: DomainContext,
    *,
    actor: Actor,
    alert_id: int,
    until: datetime | None = None,
    minutes: int | None = None,
    seconds: int | None = None,
) -> AlertView:
    """Hide an alert from re-notification until a time, or for a number of minutes or
    seconds from now (one of the three; at most 30 days ahead)."""
    require(actor, Action.MANAGE_ALERTS)
    until = _snooze_end(ctx.now(), until=until, minutes=minutes, seconds=seconds)
    with ctx.transaction() as session:
        row = _load(session, alert_id)
        if row.status == "resolved":
            raise Conflict("This alert is already resolved.")
        row.snoozed_until = until
        row.snoozed_by_id = actor.user_id
        session.flush()
        return _view(session, alert_id)


def _snooze_end(
    now: datetime, *, until: datetime | None, minutes: int | None, seconds: int | None
) -> datetime:
    """When a snooze ends; every value is checked before any date is computed from it."""
    given = {"until": until, "minutes": minutes, "seconds": seconds}
    named = [field for field, value in given.items() if value is not None]
    if len(named) != 1:
        raise InvalidInput("Snooze until a time, or for a number of minutes or seconds.")
    if until is not None:
        if not isinstance(until, datetime) or until.tzinfo is None or until <= now:
            raise InvalidInput.field("until", "Snooze until a time in the future.")
        if until - now > MAX_SNOOZE:
            raise InvalidInput.field("until", "Alerts can be snoozed for at most 30 days.")
        return until
    [field] = named
    amount, unit = given[field], 60 if field == "minutes" else 1
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise InvalidInput.field(field, f"Snooze for a whole number of {field}, 1 or more.")
    if amount * unit > MAX_SNOOZE.total_seconds():
        raise InvalidInput.field(field, "Alerts can be snoozed for at most 30 days.")
    return now + timedelta(seconds=amount * unit)


def delete_alert(ctx: DomainContext, *, actor: Actor, alert_id: int) -> AlertView:
    """Delete an alert for good (admins); returns what was deleted.

    Its channel message, if it was posted, stays in Slack: its buttons then answer that
    the alert was deleted and turn the message into a note saying so. Managers resolve
    alerts instead, which keeps their history.
    """
    require(actor, Action.DELETE_ALERTS)
    with ctx.transaction() as session:
        row = _load(session, alert_id)
        view = _view(session, alert_id)
        store.delete_alert(session, row)
        return view


def alert_summary(ctx: DomainContext, *, actor: Actor) -> AlertSummary:
    """Counts of alerts by status and of parts that are low, critical-low or out of stock."""
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        alerts = store.alert_counts(session)
        parts = store.low_part_counts(session)
    return AlertSummary(
        total_alerts=alerts[0],
        open_alerts=alerts[1],
        acknowledged_alerts=alerts[2],
        resolved_alerts=alerts[3],
        low_stock_parts=parts[0],
        critical_parts_low=parts[1],
        out_of_stock_parts=parts[2],
    )


def evaluate_low_stock(ctx: DomainContext, *, actor: Actor = SYSTEM) -> LowStockEvaluation:
    """Open the missing low_stock alerts and resolve the stale ones: two set-based statements."""
    require(actor, Action.MANAGE_ALERTS)
    now = ctx.now()
    with ctx.transaction() as session:
        opened = low_stock.open_low_stock_alerts(session, now=now)
        resolved = low_stock.resolve_stale_low_stock_alerts(
            session, now=now, resolved_by_id=actor.user_id
        )
    return LowStockEvaluation(opened=opened, resolved=resolved)
