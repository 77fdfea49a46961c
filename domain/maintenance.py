"""Maintenance alerts: due reminders, "Done", and the alert of an instrument out of service."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from domain.context import DomainContext
from domain.errors import Conflict, NotFound
from domain.permissions import SYSTEM, Action, Actor, require
from domain.results import AlertView
from domain.vocabulary import AlertSeverity, AlertStatus, AlertTopic, InstrumentStatus
from persistence import maintenance
from persistence.db import Session
from persistence.models import Instrument
from persistence.parts import part_by_id

# topic -> (label, next-due column, interval column, last-done column)
DUE_TOPICS = {
    AlertTopic.MAINTENANCE_DUE: ("Maintenance", "next_maintenance_due", "maintenance_interval_days",
                        "last_maintenance_on"),
    AlertTopic.CALIBRATION_DUE: ("Calibration", "next_calibration_due", "calibration_interval_days",
                        "last_calibration_on"),
}  # fmt: skip


def raise_due_reminders(ctx: DomainContext, *, notice_days: int, actor: Actor = SYSTEM) -> int:
    """Open an alert for each instrument whose maintenance or calibration is due within
    ``notice_days`` (or overdue) and has none open yet; how many were opened."""
    require(actor, Action.MANAGE_ALERTS)
    now = ctx.now()
    today = now.date()
    opened = 0
    with ctx.transaction() as session:
        for topic, (label, due, _, _) in DUE_TOPICS.items():
            opened += maintenance.open_due_reminders(
                session,
                topic=topic,
                label=label,
                due_column=due,
                today=today,
                horizon=today + timedelta(days=notice_days),
                now=now,
            )
    return opened


def record_maintenance_done(ctx: DomainContext, *, actor: Actor, alert_id: int) -> AlertView:
    """The "Done" of a due reminder: record today as done, move the next due date on by
    the instrument's interval (cleared when it has none), and resolve the alert."""
    require(actor, Action.MANAGE_INSTRUMENTS)
    now = ctx.now()
    with ctx.transaction() as session:
        alert = maintenance.alert_for_update(session, alert_id)
        if alert is None:
            raise NotFound("Alert not found.")
        if alert.topic not in DUE_TOPICS or alert.instrument_id is None:
            raise Conflict("Only maintenance and calibration reminders can be marked done.")
        if alert.status == AlertStatus.RESOLVED:
            raise Conflict("This reminder is already resolved.")
        instrument = maintenance.instrument_for_update(session, alert.instrument_id)
        if instrument is None:
            raise NotFound("Instrument not found.")
        label, due, interval, done = DUE_TOPICS[AlertTopic(alert.topic)]
        today = now.date()
        days = getattr(instrument, interval)
        following: date | None = today + timedelta(days=days) if days else None
        setattr(instrument, done, today)
        setattr(instrument, due, following)
        instrument.updated_at = now
        alert.status = AlertStatus.RESOLVED
        alert.resolved_at = now
        alert.resolved_by_id = actor.user_id
        alert.resolution_note = f"{label} done on {today.isoformat()}" + (
            f"; next due {following.isoformat()}." if following else "."
        )
        session.flush()
        part = part_by_id(session, alert.part_id) if alert.part_id else None
        return AlertView.of(alert, part, instrument)


def on_status_change(
    session: Session,
    *,
    instrument: Instrument,
    old: str,
    new: str,
    note: str | None,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Out of service opens a critical maintenance alert; back to operational resolves it."""
    if new == old:
        return
    if new == InstrumentStatus.OUT_OF_SERVICE:
        message = f"{instrument.name} is out of service" + (f": {note}" if note else ".")
        maintenance.open_topic_alert(
            session,
            instrument_id=instrument.id,
            topic=AlertTopic.OUT_OF_SERVICE,
            message=message[:2000],
            severity=AlertSeverity.CRITICAL,
            actor_id=actor_id,
            now=now,
        )
    elif new == InstrumentStatus.OPERATIONAL:
        maintenance.resolve_topic_alerts(
            session,
            instrument_id=instrument.id,
            topic=AlertTopic.OUT_OF_SERVICE,
            now=now,
            resolved_by_id=actor_id,
            note="Back in operation.",
        )
