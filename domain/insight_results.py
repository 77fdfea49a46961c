"""What the usage and forecast services answer (``domain.consumption``,
``domain.forecasting``): frozen values, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.results import PartView
from domain.vocabulary import ForecastStatus

PERIODS = ("day", "week", "month")
"""How usage can be bucketed: calendar days, ISO weeks (from Monday) or months, in UTC."""


@dataclass(frozen=True)
class UsageBucket:
    """What was taken in one period: ``start`` is its first day."""

    start: date
    taken: int
    takes: int


@dataclass(frozen=True)
class StockPoint:
    """The stock level from ``at`` on (until the next point)."""

    at: datetime
    quantity: int


@dataclass(frozen=True)
class Forecast:
    """A part's usage rate and what it means for its stock.

    ``weekly_rate`` is a weighted mean of the weekly takes (see ``domain.forecasting``);
    ``suggested_minimum`` covers the lead time's expected usage plus 95% safety stock.
    Without enough history (``status`` not ``ok``) the figures are None: no guessing.
    """

    part_id: int
    status: ForecastStatus
    weeks: int  # the weeks the rate is computed over (at most FORECAST_WEEKS)
    takes: int  # takes in those weeks
    taken: int  # quantity taken in those weeks
    stock: int
    minimum: int
    on_order: int  # still to come on ordered reorders
    lead_time_days: int
    lead_time_from_offer: bool  # False: the default lead time setting
    weekly_rate: float | None
    weekly_sd: float | None
    suggested_minimum: int | None
    days_left: float | None  # stock / daily rate; None: no usage
    runout_date: date | None  # when the stock is expected to be gone
    minimum_date: date | None  # when it is expected to fall to its minimum
    reorder_by: date | None  # minimum_date less the lead time: the last day to reorder
    computed_at: datetime

    @property
    def has_forecast(self) -> bool:
        return self.status is ForecastStatus.OK


@dataclass(frozen=True)
class PartUsage:
    """``/farlab usage <part>``: usage by period, the stock over the same time, shrinkage,
    and the forecast."""

    part: PartView
    period: str
    since: datetime
    until: datetime
    buckets: tuple[UsageBucket, ...]  # every period from ``since`` on, zeros included
    stock: tuple[StockPoint, ...]  # the level at ``since``, then after each movement
    total_taken: int
    counted_difference: int  # the sum of counts' differences: negative is shrinkage
    forecast: Forecast


@dataclass(frozen=True)
class UsageGlance:
    """A part's takes in each of the last weeks (oldest first) and its forecast: what its
    card shows in one line."""

    weekly_takes: tuple[int, ...]
    forecast: Forecast | None = None


@dataclass(frozen=True)
class PartConsumption:
    """One part's line in a usage list: how much was taken and, where a price is known
    (the preferred offer's), what it cost."""

    part_id: int
    part_number: str
    name: str
    unit: str
    taken: int
    takes: int
    cost_minor: int | None
    currency: str | None


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    amount_minor: int


@dataclass(frozen=True)
class InstrumentUsage:
    """``/farlab usage <instrument>``: what it consumed, by part and by period, with cost."""

    instrument_id: int
    instrument_name: str
    period: str
    since: datetime
    until: datetime
    buckets: tuple[UsageBucket, ...]
    parts: tuple[PartConsumption, ...]  # most taken first
    cost: tuple[CurrencyTotal, ...]  # per currency, where prices are known
    unpriced_parts: int  # parts taken with no known price


@dataclass(frozen=True)
class PersonUsage:
    user_id: int | None  # None: FarLab itself or a deleted account
    username: str | None
    taken: int
    takes: int
    parts: int


@dataclass(frozen=True)
class Shrinkage:
    """A part whose counts found a different quantity than the ledger had."""

    part_id: int
    part_number: str
    name: str
    unit: str
    difference: int  # negative: missing; positive: found
    counts: int


@dataclass(frozen=True)
class InstrumentSpend:
    instrument_id: int
    instrument_name: str
    cost: tuple[CurrencyTotal, ...]
    taken: int
    unpriced_parts: int


@dataclass(frozen=True)
class RunningOut:
    """A part expected to fall to its minimum within its lead time (plus the margin)."""

    part: PartView
    forecast: Forecast


@dataclass(frozen=True)
class MinimumSuggestion:
    part: PartView
    forecast: Forecast
    suggested: int

    @property
    def difference(self) -> int:
        return self.suggested - self.part.minimum_stock_level


@dataclass(frozen=True)
class MinimumChangeView:
    id: int
    part_id: int
    part_number: str
    old_minimum: int
    new_minimum: int
    actor_username: str | None
    created_at: datetime


@dataclass(frozen=True)
class ForecastRefresh:
    """What a forecast run did."""

    forecasts: int  # parts with a forecast
    too_little_history: int
    opened: int  # forecast alerts opened
    resolved: int  # forecast alerts resolved


@dataclass(frozen=True)
class WeeklyReport:
    """The Monday report: the week's most used parts, what is expected to run out within
    its lead time, shrinkage, and spend per instrument."""

    since: datetime
    until: datetime
    most_used: tuple[PartConsumption, ...]
    running_out: tuple[RunningOut, ...]
    shrinkage: tuple[Shrinkage, ...]
    spend: tuple[InstrumentSpend, ...]
