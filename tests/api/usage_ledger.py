"""A small ledger with a known answer, made through the domain services with the test's
clock moved back: a part taken every week for some weeks, on an instrument, then counted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from domain import forecasting, stock
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor
from domain.results import InstrumentView, PartView
from tests.factories import make_instrument, make_part
from tests.helpers import Clock


@dataclass(frozen=True)
class Ledger:
    part: PartView
    instrument: InstrumentView
    taken: tuple[int, ...]  # per week, oldest first
    start: int

    @property
    def total(self) -> int:
        return sum(self.taken)


def weekly_takes(
    ctx: DomainContext,
    clock: Clock,
    *,
    part_number: str = "GLV-1",
    taken: Sequence[int] = (3, 3, 3, 3, 3, 3),
    start: int = 40,
    minimum: int = 5,
    instrument: InstrumentView | None = None,
    by: Actor = SYSTEM,
) -> Ledger:
    """A part made ``len(taken)`` weeks ago with ``start`` in stock, taken ``taken[i]`` on
    the second day of week ``i`` (on ``instrument``, by ``by``). The clock ends where it was."""
    now = clock.now
    began = now - timedelta(weeks=len(taken))
    clock.now = began
    instrument = instrument or make_instrument(ctx, f"Inst {part_number}")
    part = make_part(
        ctx, part_number, quantity=start, minimum=minimum, instrument_ids=(instrument.id,)
    )
    for week, quantity in enumerate(taken):
        clock.now = began + timedelta(weeks=week, days=1)
        if quantity:
            stock.adjust_stock(
                ctx,
                actor=by,
                part_id=part.id,
                delta=-quantity,
                reason="Used",
                source="api",
                instrument_id=instrument.id,
            )
    clock.now = now
    return Ledger(part=part, instrument=instrument, taken=tuple(taken), start=start)


def suggested_minimum(ctx: DomainContext, clock: Clock, part_number: str) -> tuple[int, int]:
    """A part with a stored forecast whose suggested minimum is not its minimum (0):
    ``(part id, suggested minimum)``."""
    ledger = weekly_takes(ctx, clock, part_number=part_number, taken=(4,) * 6, minimum=0)
    forecasting.refresh_forecasts(ctx)
    forecast = forecasting.forecast_of_part(ctx, actor=SYSTEM, part_id=ledger.part.id)
    assert forecast.suggested_minimum, forecast
    return ledger.part.id, forecast.suggested_minimum
