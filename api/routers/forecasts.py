"""``{prefix}/parts/{id}/forecast``, ``{prefix}/forecasts/minimums`` and
``{prefix}/parts/{id}/minimum/accept``: a part's run-out forecast, the minimums far from
their suggestion, and accepting a suggestion (added)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Ctx, CurrentActor
from api.schemas.common import ErrorMessage, errors, path_id
from api.schemas.forecasts import (
    AcceptMinimum,
    ForecastResponse,
    MinimumChangeResponse,
    MinimumSuggestionResponse,
)
from domain import forecasting

router = APIRouter(tags=["forecasts"])

PartId = Annotated[int, path_id("part")]
SUGGESTION_CHANGED: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ErrorMessage,
        "description": "The suggestion has changed since it was shown: the message gives the "
        "new one (list the suggestions again).",
    }
}


@router.get(
    "/parts/{part_id}/forecast", response_model=ForecastResponse, responses=errors(401, 403, 404)
)
def part_forecast(part_id: PartId, ctx: Ctx, actor: CurrentActor) -> ForecastResponse:
    """The part's usage rate, days of stock left, run-out date and suggested minimum,
    computed now from its ledger. Any signed-in account."""
    return ForecastResponse.of(forecasting.forecast_of_part(ctx, actor=actor, part_id=part_id))


@router.get(
    "/forecasts/minimums",
    response_model=list[MinimumSuggestionResponse],
    responses=errors(401, 403),
)
def minimum_suggestions(
    ctx: Ctx,
    actor: CurrentActor,
    limit: Annotated[int, Query(ge=1, le=forecasting.MAX_LIST)] = 20,
) -> list[MinimumSuggestionResponse]:
    """Parts whose minimum is far from the suggested one, furthest first (managers and
    admins), from the forecasts the scheduler last stored."""
    found = forecasting.minimum_suggestions(ctx, actor=actor, limit=limit)
    return [MinimumSuggestionResponse.of(suggestion) for suggestion in found]


@router.post(
    "/parts/{part_id}/minimum/accept",
    response_model=MinimumChangeResponse | None,
    responses={**errors(401, 403, 404), **SUGGESTION_CHANGED},
)
def accept_minimum(
    part_id: PartId, body: AcceptMinimum, ctx: Ctx, actor: CurrentActor
) -> MinimumChangeResponse | None:
    """Set the part's minimum to its suggestion, as shown (managers and admins); the
    change is recorded. Answers the change, or `null` when the minimum already was the
    suggestion. A part without a forecast is a 404."""
    changes = forecasting.accept_minimums(ctx, actor=actor, accepted=[(part_id, body.suggested)])
    return MinimumChangeResponse.of(changes[0]) if changes else None
