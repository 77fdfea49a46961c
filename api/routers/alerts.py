"""``{prefix}/alerts``: reading alerts (open), and acting on them (managers and admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Ctx, CurrentActor, ViewerActor
from api.schemas.alerts import AlertResponse, AlertSummaryResponse, ResolveBody, SnoozeBody
from api.schemas.common import MAX_ID, errors, path_id
from api.schemas.parts import PartResponse
from domain import alerts, part_listings

router = APIRouter(tags=["alerts"])

AlertId = Annotated[int, path_id("alert")]


@router.get("/", response_model=list[AlertResponse])
def list_alerts(
    ctx: Ctx,
    actor: ViewerActor,
    active_only: bool = True,
    skip: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AlertResponse]:
    """Alerts, newest first; `active_only` (default true) leaves out resolved ones. Open:
    no token needed. A negative `skip` or `limit` is a 422."""
    page = alerts.list_alerts(ctx, actor=actor, active_only=active_only, offset=skip, limit=limit)
    return [AlertResponse.of(alert) for alert in page.items]


@router.get("/low-stock", response_model=list[PartResponse])
def low_stock_parts(
    ctx: Ctx,
    actor: ViewerActor,
    skip: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> list[PartResponse]:
    """Active parts at or below a minimum above zero (the rule behind `is_low_stock` and
    the alerts), by part number. Open: no token needed."""
    page = part_listings.list_parts_with_uses(
        ctx, actor=actor, low_only=True, offset=skip, limit=limit
    )
    return [PartResponse.of(listing) for listing in page.items]


@router.get("/summary", response_model=AlertSummaryResponse)
def alert_summary(ctx: Ctx, actor: ViewerActor) -> AlertSummaryResponse:
    """Counts of alerts and of parts that are low or out of stock. Open: no token needed."""
    return AlertSummaryResponse.of(alerts.alert_summary(ctx, actor=actor))


@router.post(
    "/{alert_id}/acknowledge", response_model=AlertResponse, responses=errors(401, 403, 404, 409)
)
def acknowledge_alert(alert_id: AlertId, ctx: Ctx, actor: CurrentActor) -> AlertResponse:
    """Added: someone is on it. 409 if it is already acknowledged or resolved."""
    return AlertResponse.of(alerts.acknowledge_alert(ctx, actor=actor, alert_id=alert_id))


@router.post(
    "/{alert_id}/resolve", response_model=AlertResponse, responses=errors(401, 403, 404, 409)
)
def resolve_alert(
    alert_id: AlertId, ctx: Ctx, actor: CurrentActor, body: ResolveBody | None = None
) -> AlertResponse:
    """Added: resolve the alert, with an optional `note`. 409 if it is already resolved."""
    note = body.note if body else None
    return AlertResponse.of(alerts.resolve_alert(ctx, actor=actor, alert_id=alert_id, note=note))


@router.post(
    "/{alert_id}/snooze", response_model=AlertResponse, responses=errors(401, 403, 404, 409)
)
def snooze_alert(
    alert_id: AlertId, body: SnoozeBody, ctx: Ctx, actor: CurrentActor
) -> AlertResponse:
    """Added: no reminders until `until`, or for `minutes` (at most 30 days)."""
    snoozed = alerts.snooze_alert(
        ctx, actor=actor, alert_id=alert_id, until=body.until, minutes=body.minutes
    )
    return AlertResponse.of(snoozed)
