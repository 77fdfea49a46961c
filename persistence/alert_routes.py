"""Alert routes: which Slack channel gets the alerts of a part category or an instrument."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from persistence.models import Alert, AlertRoute, Instrument, Part

# The ``last_error`` of an alert that has no channel to go to; such alerts wait for a route.
NO_CHANNEL = "no channel configured"


def find_route(session: Session, kind: str, key: str) -> AlertRoute | None:
    return session.scalars(
        select(AlertRoute).where(AlertRoute.kind == kind, func.lower(AlertRoute.key) == key.lower())
    ).one_or_none()


def all_routes(session: Session) -> list[tuple[AlertRoute, str | None]]:
    """Every route with its instrument's name (for instrument routes), categories first."""
    rows = session.execute(
        select(AlertRoute, Instrument.name)
        .outerjoin(Instrument, Instrument.id == AlertRoute.instrument_id)
        .order_by(AlertRoute.kind, func.lower(AlertRoute.key))
    ).all()
    return [(route, name) for route, name in rows]


def release_unrouted_alerts(session: Session) -> int:
    """Alerts waiting for a channel become due at once (a route was just added)."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Alert)
        .where(Alert.delivered_at.is_(None), Alert.last_error == NO_CHANNEL)
        .values(next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def instrument_named(session: Session, name: str) -> Instrument | None:
    """The instrument called ``name``, compared without case."""
    return session.scalars(
        select(Instrument).where(func.lower(Instrument.name) == name.lower())
    ).one_or_none()


def category_named(session: Session, name: str) -> str | None:
    """A part category called ``name`` (any case), as the parts spell it."""
    return session.scalar(
        select(Part.category).where(func.lower(Part.category) == name.lower()).limit(1)
    )


def add_route(session: Session, route: AlertRoute) -> AlertRoute:
    session.add(route)
    return route


def delete_route(session: Session, route: AlertRoute) -> None:
    session.delete(route)
