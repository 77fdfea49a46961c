"""Alert routes: the Slack channel for a part category or an instrument, and the rule that
picks an alert's channel.

An alert about a part goes to its category's channel, else to the channel of an instrument
that needs the part (the alert's own instrument first, then critical links, then by name),
else to the default channel. An alert about an instrument alone goes to the instrument's
channel, else to the default. No channel at all: the alert waits (see ``alert_delivery``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain import validation as v
from domain.context import DomainContext
from domain.errors import InvalidInput, NotFound
from domain.notices import AlertNotice, RouteView
from domain.permissions import Action, Actor, require
from domain.vocabulary import RouteKind
from persistence import alert_routes as routes
from persistence.db import Session
from persistence.models import AlertRoute, Instrument

CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")


@dataclass(frozen=True)
class RouteTable:
    """All routes, loaded once per delivery run."""

    categories: dict[str, str] = field(default_factory=dict)
    instruments: dict[int, str] = field(default_factory=dict)
    default: str | None = None

    def channel_for(self, notice: AlertNotice) -> str | None:
        alert = notice.alert
        if notice.part is not None:
            category = (notice.part.category or "").lower()
            if category in self.categories:
                return self.categories[category]
            ids = [alert.instrument_id] if alert.instrument_id else []
            for instrument_id in [*ids, *(i.id for i in notice.instruments)]:
                if instrument_id in self.instruments:
                    return self.instruments[instrument_id]
        elif alert.instrument_id in self.instruments:
            return self.instruments[alert.instrument_id]
        return self.default


def valid_channel(channel_id: str | None) -> str:
    if not channel_id or not CHANNEL_ID.match(channel_id):
        raise InvalidInput.field("channel", "Name a channel, e.g. #lab-alerts.")
    return channel_id


def _view(route: AlertRoute, instrument_name: str | None) -> RouteView:
    return RouteView(
        id=route.id,
        kind=route.kind,
        key=route.key,
        instrument_id=route.instrument_id,
        instrument_name=instrument_name,
        channel_id=route.channel_id,
    )


def route_table(session: Session, default: str | None) -> RouteTable:
    table = RouteTable(default=default)
    for route, _ in routes.all_routes(session):
        if route.kind == "category":
            table.categories[route.key.lower()] = route.channel_id
        elif route.instrument_id is not None:
            table.instruments[route.instrument_id] = route.channel_id
    return table


def _target(session: Session, name: str, kind: str | None) -> tuple[str, str, Instrument | None]:
    """(kind, key, instrument) for a category or instrument name (exact, any case)."""
    if kind not in (None, *RouteKind):
        raise InvalidInput.field("kind", "Route a category or an instrument.")
    if kind in (None, "instrument"):
        instrument = routes.instrument_named(session, name)
        if instrument is not None:
            return "instrument", str(instrument.id), instrument
        if kind == "instrument":
            raise NotFound(f"No instrument named {name}.")
    category = routes.category_named(session, name)
    if category is None and kind is None:
        raise NotFound(
            f"No category or instrument named {name}. Name one exactly, or say "
            "`category` before a category no part has yet."
        )
    return "category", category or name, None


def set_alert_route(
    ctx: DomainContext, *, actor: Actor, target: str, channel_id: str, kind: str | None = None
) -> RouteView:
    """Send the alerts of a category or an instrument to ``channel_id`` (replacing a route)."""
    require(actor, Action.MANAGE_ALERTS)
    name = v.required_text(target, field="target", max_length=100)
    channel_id = valid_channel(channel_id)
    with ctx.transaction() as session:
        kind, key, instrument = _target(session, name, kind)
        route = routes.find_route(session, kind, key)
        if route is None:
            route = AlertRoute(
                kind=kind,
                key=key,
                instrument_id=instrument.id if instrument else None,
                created_at=ctx.now(),
            )
            routes.add_route(session, route)
        route.channel_id = channel_id
        route.updated_by_id = actor.user_id
        route.updated_at = ctx.now()
        session.flush()
        routes.release_unrouted_alerts(session)
        return _view(route, instrument.name if instrument else None)


def remove_alert_route(ctx: DomainContext, *, actor: Actor, target: str) -> RouteView:
    require(actor, Action.MANAGE_ALERTS)
    name = v.required_text(target, field="target", max_length=100)
    with ctx.transaction() as session:
        for route, instrument_name in routes.all_routes(session):
            label = instrument_name if route.kind == "instrument" else route.key
            if name.lower() == (label or "").lower():
                routes.delete_route(session, route)
                return _view(route, instrument_name)
    raise NotFound(f"No route for {name}.")


def list_alert_routes(ctx: DomainContext, *, actor: Actor) -> tuple[RouteView, ...]:
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        return tuple(_view(route, name) for route, name in routes.all_routes(session))
