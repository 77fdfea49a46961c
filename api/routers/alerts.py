"""``{prefix}/alerts``: reading alerts (open), raising them (members up), acting on them
(managers and admins) and deleting them (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import Ctx, CurrentActor, ViewerActor
from api.schemas.alerts import (
    AlertCreate,
    AlertResponse,
    AlertSummaryResponse,
    ResolveBody,
    SnoozeBody,
)
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


@router.post(
    "/", status_code=201, response_model=AlertResponse, responses=errors(400, 401, 403, 404)
)
def raise_alert(body: AlertCreate, ctx: Ctx, actor: CurrentActor) -> AlertResponse:
    """Added: raise a manual alert about a part, an instrument or both (anyone who may use
    parts, as `/farlab alert raise` in Slack). It is posted to the part's or instrument's
    alert channel by the next delivery run. 404 if the part or instrument does not exist."""
    alert = alerts.raise_alert(
        ctx,
        actor=actor,
        message=body.message,
        part_id=body.part_id,
        instrument_id=body.instrument_id,
        severity=body.severity,
    )
    return AlertResponse.of(alert)


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


@router.get("/{alert_id}", response_model=AlertResponse, responses=errors(404))
def read_alert(alert_id: AlertId, ctx: Ctx, actor: ViewerActor) -> AlertResponse:
    """Added: one alert, resolved or not. Open, like the list: no token needed."""
    return AlertResponse.of(alerts.get_alert(ctx, actor=actor, alert_id=alert_id))


@router.delete(
    "/{alert_id}", status_code=204, response_class=Response, responses=errors(401, 403, 404)
)
def delete_alert(alert_id: AlertId, ctx: Ctx, actor: CurrentActor) -> Response:
    """Added: delete an alert for good (admins; managers resolve alerts instead). If it was
    posted to Slack, its message stays there: its buttons then say the alert was deleted
    and turn the message into a note saying so."""
    alerts.delete_alert(ctx, actor=actor, alert_id=alert_id)
    return Response(status_code=204)


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
