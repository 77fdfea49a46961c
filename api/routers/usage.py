"""``{prefix}/parts/{id}/usage``, ``{prefix}/instruments/{id}/usage`` (each as JSON and as a
PNG chart) and ``{prefix}/usage/*``: what was taken, by whom, what it cost, and what counts
found missing (added)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api.deps import Ctx, CurrentActor
from api.schemas.common import errors, path_id
from api.schemas.usage import (
    InstrumentSpendResponse,
    InstrumentUsageResponse,
    PartConsumptionResponse,
    PartUsageResponse,
    PersonUsageResponse,
    ShrinkageResponse,
)
from charts.usage_chart import render_instrument_chart, render_part_chart
from domain import consumption
from domain.context import DomainContext
from domain.errors import InvalidInput

router = APIRouter(tags=["usage"])

PartId = Annotated[int, path_id("part")]
InstrumentId = Annotated[int, path_id("instrument")]
Weeks = Annotated[
    int,
    Query(ge=1, le=consumption.MAX_WEEKS, description="How many weeks back, up to now (1-104)."),
]
Period = Annotated[
    Literal["day", "week", "month"],
    Query(description="Bucket by UTC day, ISO week (from Monday) or month."),
]
Since = Annotated[date | None, Query(description="First day (UTC); default: 4 weeks back.")]
Until = Annotated[date | None, Query(description="Last day (UTC), included; default: now.")]
Limit = Annotated[int, Query(ge=1, le=consumption.MAX_LIST)]
DEFAULT_WINDOW = timedelta(weeks=4)
USAGE_ERRORS = errors(401, 403, 404)
PNG: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The chart: an 800x400 PNG.",
        "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
    },
    **USAGE_ERRORS,
}
NO_STORE = {"Cache-Control": "no-store"}


def _png(image: bytes) -> Response:
    return Response(image, media_type="image/png", headers=NO_STORE)


@router.get("/parts/{part_id}/usage", response_model=PartUsageResponse, responses=USAGE_ERRORS)
def part_usage(
    part_id: PartId, ctx: Ctx, actor: CurrentActor, weeks: Weeks = 12, period: Period = "week"
) -> PartUsageResponse:
    """The part's takes per period over the last `weeks` weeks (every period, zeros
    included), its stock level over the same time, the counts' differences and its
    forecast. Any signed-in account."""
    usage = consumption.part_usage(ctx, actor=actor, part_id=part_id, weeks=weeks, period=period)
    return PartUsageResponse.of(usage)


@router.get("/parts/{part_id}/usage/chart", response_class=Response, responses=PNG)
def part_usage_chart(
    part_id: PartId, ctx: Ctx, actor: CurrentActor, weeks: Weeks = 12, period: Period = "week"
) -> Response:
    """The same as a chart: the stock as a step line, the minimum and the forecast down
    to the run-out date as dashed lines, the takes per period as bars. Not cached."""
    usage = consumption.part_usage(ctx, actor=actor, part_id=part_id, weeks=weeks, period=period)
    return _png(render_part_chart(usage))


@router.get(
    "/instruments/{instrument_id}/usage",
    response_model=InstrumentUsageResponse,
    responses=USAGE_ERRORS,
)
def instrument_usage(
    instrument_id: InstrumentId,
    ctx: Ctx,
    actor: CurrentActor,
    weeks: Weeks = 12,
    period: Period = "week",
) -> InstrumentUsageResponse:
    """What the instrument consumed over the last `weeks` weeks: per period, per part, and
    its cost per currency where the parts' preferred offers have prices."""
    usage = consumption.instrument_usage(
        ctx, actor=actor, instrument_id=instrument_id, weeks=weeks, period=period
    )
    return InstrumentUsageResponse.of(usage)


@router.get("/instruments/{instrument_id}/usage/chart", response_class=Response, responses=PNG)
def instrument_usage_chart(
    instrument_id: InstrumentId,
    ctx: Ctx,
    actor: CurrentActor,
    weeks: Weeks = 12,
    period: Period = "week",
) -> Response:
    """The quantity taken per period for the instrument, as bars. Not cached."""
    usage = consumption.instrument_usage(
        ctx, actor=actor, instrument_id=instrument_id, weeks=weeks, period=period
    )
    return _png(render_instrument_chart(usage))


@router.get("/usage/people", response_model=list[PersonUsageResponse], responses=errors(401, 403))
def usage_by_person(
    ctx: Ctx, actor: CurrentActor, since: Since = None, until: Until = None, limit: Limit = 20
) -> list[PersonUsageResponse]:
    """Who took how much between `since` and `until`, most first (managers and admins: it
    is about people)."""
    start, end = _window(ctx, since, until)
    rows = consumption.usage_by_person(ctx, actor=actor, since=start, until=end, limit=limit)
    return [PersonUsageResponse.of(row) for row in rows]


@router.get("/usage/shrinkage", response_model=list[ShrinkageResponse], responses=errors(401, 403))
def shrinkage_by_part(
    ctx: Ctx, actor: CurrentActor, since: Since = None, until: Until = None, limit: Limit = 20
) -> list[ShrinkageResponse]:
    """Parts whose counts found a different quantity than the ledger had, most missing
    first."""
    start, end = _window(ctx, since, until)
    rows = consumption.shrinkage(ctx, actor=actor, since=start, until=end, limit=limit)
    return [ShrinkageResponse.of(row) for row in rows]


@router.get(
    "/usage/parts", response_model=list[PartConsumptionResponse], responses=errors(401, 403)
)
def most_used_parts(
    ctx: Ctx, actor: CurrentActor, since: Since = None, until: Until = None, limit: Limit = 10
) -> list[PartConsumptionResponse]:
    """The parts taken most, with their cost where a price is known."""
    start, end = _window(ctx, since, until)
    rows = consumption.most_used_parts(ctx, actor=actor, since=start, until=end, limit=limit)
    return [PartConsumptionResponse.of(row) for row in rows]


@router.get(
    "/usage/instruments", response_model=list[InstrumentSpendResponse], responses=errors(401, 403)
)
def spend_by_instrument(
    ctx: Ctx, actor: CurrentActor, since: Since = None, until: Until = None, limit: Limit = 20
) -> list[InstrumentSpendResponse]:
    """What each instrument's takes cost, per currency where prices are known; the
    instruments that cost most first."""
    start, end = _window(ctx, since, until)
    rows = consumption.spend_by_instrument(ctx, actor=actor, since=start, until=end, limit=limit)
    return [InstrumentSpendResponse.of(row) for row in rows]


def _window(
    ctx: DomainContext, since: date | None, until: date | None
) -> tuple[datetime, datetime]:
    """``since``'s first moment to the end of ``until`` (UTC), by default the last 4 weeks
    up to now. A day too far off to count from is a refused value."""
    try:
        end = ctx.now() if until is None else _midnight(until) + timedelta(days=1)
    except OverflowError:
        raise InvalidInput.field("until", "Until is too far off.") from None
    try:
        start = end - DEFAULT_WINDOW if since is None else _midnight(since)
    except OverflowError:
        raise InvalidInput.field("since", "Since is too far off.") from None
    return start, end


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)
