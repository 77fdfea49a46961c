"""App Home: what a person sees when they open FarLab, gathered as one unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from domain import alerts, instruments, users
from domain.context import DomainContext
from domain.low_stock_parts import list_parts_needing_stock
from domain.permissions import Action, Actor, can
from domain.results import AlertView, InstrumentView, Page, PartView, UserView

HOME_ALERTS = 10  # open alerts shown, newest first
HOME_LOW_PARTS = 10
HOME_INSTRUMENTS = 200  # active instruments read to find those not operational


@dataclass(frozen=True)
class HomeSummary:
    user: UserView
    open_alerts: Page[AlertView] | None  # None: the person may not manage alerts
    low_parts: Page[PartView]
    instruments_down: tuple[InstrumentView, ...]  # active instruments not operational


def home_summary(ctx: DomainContext, *, actor: Actor) -> HomeSummary:
    """The person's account, the open alerts (for those who manage alerts), the parts that
    are low (most urgent first, as ``/farlab parts low`` lists them) and the instruments
    that are not operational, read in one transaction."""
    with ctx.transaction():
        user = users.get_user(ctx, actor=actor, user_id=actor.user_id)
        open_alerts = (
            alerts.list_alerts(ctx, actor=actor, active_only=True, limit=HOME_ALERTS)
            if can(actor, Action.MANAGE_ALERTS)
            else None
        )
        low = list_parts_needing_stock(ctx, actor=actor, limit=HOME_LOW_PARTS)
        listed = instruments.list_instruments(ctx, actor=actor, limit=HOME_INSTRUMENTS)
    down = tuple(i for i in listed.items if i.status != "operational")
    return HomeSummary(user=user, open_alerts=open_alerts, low_parts=low, instruments_down=down)
