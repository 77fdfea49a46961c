"""Forecast bodies and responses (added): a part's usage rate and what it means for its
stock, the minimums far from their suggestion, and a minimum set from a suggestion."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from api.schemas.common import RequestBody, Timestamp, one_of
from domain.insight_results import Forecast, MinimumChangeView, MinimumSuggestion
from domain.vocabulary import ForecastStatus


class ForecastResponse(BaseModel):
    """Without enough history (`status` not `ok`) the rate, the days and the dates are null:
    no guessing."""

    part_id: int
    status: Annotated[ForecastStatus, one_of("ForecastStatus", *ForecastStatus)] = Field(
        description="`ok`; `too_little_history` (under 4 weeks, or under 3 takes in them); "
        "`no_usage` (old enough, and not taken in the forecast's weeks)."
    )
    weeks: int = Field(description="The weeks the rate is computed over (at most 12).")
    takes: int = Field(description="Takes in those weeks.")
    taken: int = Field(description="Quantity taken in those weeks.")
    weekly_rate: float | None = Field(description="Weighted mean of the weekly takes.")
    weekly_sd: float | None = Field(description="Standard deviation of the weekly takes.")
    days_left: float | None = Field(description="Stock divided by the daily rate.")
    runout_date: date | None = Field(description="When the stock is expected to be gone.")
    minimum_date: date | None = Field(description="When it is expected to reach its minimum.")
    reorder_by: date | None = Field(description="`minimum_date` less the lead time.")
    suggested_minimum: int | None = Field(
        description="Usage over the lead time plus safety stock for a 95% service level."
    )
    lead_time_days: int
    lead_time_from_offer: bool = Field(
        description="False: the lead time is the default setting, not a supplier's offer."
    )
    stock: int
    minimum: int
    on_order: int = Field(description="Still to come on ordered reorders.")
    computed_at: Timestamp

    @classmethod
    def of(cls, forecast: Forecast) -> ForecastResponse:
        return cls(
            part_id=forecast.part_id,
            status=forecast.status,
            weeks=forecast.weeks,
            takes=forecast.takes,
            taken=forecast.taken,
            weekly_rate=forecast.weekly_rate,
            weekly_sd=forecast.weekly_sd,
            days_left=forecast.days_left,
            runout_date=forecast.runout_date,
            minimum_date=forecast.minimum_date,
            reorder_by=forecast.reorder_by,
            suggested_minimum=forecast.suggested_minimum,
            lead_time_days=forecast.lead_time_days,
            lead_time_from_offer=forecast.lead_time_from_offer,
            stock=forecast.stock,
            minimum=forecast.minimum,
            on_order=forecast.on_order,
            computed_at=forecast.computed_at,
        )


class MinimumSuggestionResponse(BaseModel):
    part_id: int
    part_number: str
    name: str
    unit_of_measure: str
    minimum_stock_level: int
    suggested: int = Field(description="Send it back to accept it (`POST .../minimum/accept`).")
    difference: int = Field(description="`suggested` less the minimum now.")
    forecast: ForecastResponse

    @classmethod
    def of(cls, suggestion: MinimumSuggestion) -> MinimumSuggestionResponse:
        part = suggestion.part
        return cls(
            part_id=part.id,
            part_number=part.part_number,
            name=part.name,
            unit_of_measure=part.unit_of_measure,
            minimum_stock_level=part.minimum_stock_level,
            suggested=suggestion.suggested,
            difference=suggestion.difference,
            forecast=ForecastResponse.of(suggestion.forecast),
        )


class AcceptMinimum(RequestBody):
    suggested: int = Field(
        ge=0, le=100_000, description="The suggestion as it was shown (`suggested`)."
    )


class MinimumChangeResponse(BaseModel):
    """A minimum set from a suggestion, as recorded."""

    id: int
    part_id: int
    part_number: str
    old_minimum: int
    new_minimum: int
    actor_username: str | None
    created_at: Timestamp

    @classmethod
    def of(cls, change: MinimumChangeView) -> MinimumChangeResponse:
        return cls(
            id=change.id,
            part_id=change.part_id,
            part_number=change.part_number,
            old_minimum=change.old_minimum,
            new_minimum=change.new_minimum,
            actor_username=change.actor_username,
            created_at=change.created_at,
        )
