"""Usage responses (added): what was taken per period, the stock over the same time, per
instrument with its cost, per person, and what counts found missing. Prices are decimal
strings beside their ISO 4217 currency, as in the ordering routes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from api.schemas.common import Timestamp
from api.schemas.forecasts import ForecastResponse
from api.schemas.suppliers import price_text
from domain.insight_results import (
    CurrencyTotal,
    InstrumentSpend,
    InstrumentUsage,
    PartConsumption,
    PartUsage,
    PersonUsage,
    Shrinkage,
    StockPoint,
    UsageBucket,
)
from domain.money import Money, money


class UsageBucketResponse(BaseModel):
    start: date = Field(description="The period's first day (UTC; weeks start on Monday).")
    taken: int = Field(description="Quantity taken in the period.")
    takes: int = Field(description="How many takes.")

    @classmethod
    def of(cls, bucket: UsageBucket) -> UsageBucketResponse:
        return cls(start=bucket.start, taken=bucket.taken, takes=bucket.takes)


class StockPointResponse(BaseModel):
    at: Timestamp
    quantity: int = Field(description="The stock from `at` on, until the next point.")

    @classmethod
    def of(cls, point: StockPoint) -> StockPointResponse:
        return cls(at=point.at, quantity=point.quantity)


class PartUsageResponse(BaseModel):
    part_id: int
    part_number: str
    name: str
    unit_of_measure: str
    quantity_in_stock: int
    minimum_stock_level: int
    period: str = Field(description="`day`, `week` or `month`.")
    since: Timestamp
    until: Timestamp
    buckets: list[UsageBucketResponse] = Field(description="Every period, zeros included.")
    stock: list[StockPointResponse] = Field(
        description="The level at `since`, then after each movement."
    )
    total_taken: int
    counted_difference: int = Field(
        description="The counts' differences added up: negative is shrinkage."
    )
    forecast: ForecastResponse

    @classmethod
    def of(cls, usage: PartUsage) -> PartUsageResponse:
        part = usage.part
        return cls(
            part_id=part.id,
            part_number=part.part_number,
            name=part.name,
            unit_of_measure=part.unit_of_measure,
            quantity_in_stock=part.quantity_in_stock,
            minimum_stock_level=part.minimum_stock_level,
            period=usage.period,
            since=usage.since,
            until=usage.until,
            buckets=[UsageBucketResponse.of(b) for b in usage.buckets],
            stock=[StockPointResponse.of(p) for p in usage.stock],
            total_taken=usage.total_taken,
            counted_difference=usage.counted_difference,
            forecast=ForecastResponse.of(usage.forecast),
        )


class CostResponse(BaseModel):
    currency: str
    amount: str = Field(description='A decimal string: "12.50".')

    @classmethod
    def of(cls, total: CurrencyTotal) -> CostResponse:
        return cls(
            currency=total.currency,
            amount=Money(total.amount_minor, total.currency).decimal_text,
        )


class PartConsumptionResponse(BaseModel):
    part_id: int
    part_number: str
    name: str
    unit_of_measure: str
    taken: int
    takes: int
    cost: str | None = Field(description="At the preferred offer's price; null: unknown.")
    currency: str | None

    @classmethod
    def of(cls, line: PartConsumption) -> PartConsumptionResponse:
        return cls(
            part_id=line.part_id,
            part_number=line.part_number,
            name=line.name,
            unit_of_measure=line.unit,
            taken=line.taken,
            takes=line.takes,
            cost=price_text(money(line.cost_minor, line.currency)),
            currency=line.currency,
        )


class InstrumentUsageResponse(BaseModel):
    instrument_id: int
    instrument_name: str
    period: str = Field(description="`day`, `week` or `month`.")
    since: Timestamp
    until: Timestamp
    buckets: list[UsageBucketResponse]
    parts: list[PartConsumptionResponse] = Field(description="Most taken first.")
    cost: list[CostResponse] = Field(description="Per currency, where prices are known.")
    unpriced_parts: int = Field(description="Parts taken with no known price.")

    @classmethod
    def of(cls, usage: InstrumentUsage) -> InstrumentUsageResponse:
        return cls(
            instrument_id=usage.instrument_id,
            instrument_name=usage.instrument_name,
            period=usage.period,
            since=usage.since,
            until=usage.until,
            buckets=[UsageBucketResponse.of(b) for b in usage.buckets],
            parts=[PartConsumptionResponse.of(line) for line in usage.parts],
            cost=[CostResponse.of(total) for total in usage.cost],
            unpriced_parts=usage.unpriced_parts,
        )


class PersonUsageResponse(BaseModel):
    user_id: int | None = Field(description="Null: FarLab itself, or a deleted account.")
    username: str | None
    taken: int
    takes: int
    parts: int = Field(description="How many different parts.")

    @classmethod
    def of(cls, row: PersonUsage) -> PersonUsageResponse:
        return cls(
            user_id=row.user_id,
            username=row.username,
            taken=row.taken,
            takes=row.takes,
            parts=row.parts,
        )


class ShrinkageResponse(BaseModel):
    part_id: int
    part_number: str
    name: str
    unit_of_measure: str
    difference: int = Field(description="Negative: missing; positive: found.")
    counts: int

    @classmethod
    def of(cls, row: Shrinkage) -> ShrinkageResponse:
        return cls(
            part_id=row.part_id,
            part_number=row.part_number,
            name=row.name,
            unit_of_measure=row.unit,
            difference=row.difference,
            counts=row.counts,
        )


class InstrumentSpendResponse(BaseModel):
    instrument_id: int
    instrument_name: str
    cost: list[CostResponse] = Field(description="Per currency, where prices are known.")
    taken: int
    unpriced_parts: int

    @classmethod
    def of(cls, row: InstrumentSpend) -> InstrumentSpendResponse:
        return cls(
            instrument_id=row.instrument_id,
            instrument_name=row.instrument_name,
            cost=[CostResponse.of(total) for total in row.cost],
            taken=row.taken,
            unpriced_parts=row.unpriced_parts,
        )
