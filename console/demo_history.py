"""The demo lab's usage history: ten weeks of takes of one part with a long lead time, so
the forecast scan warns about it while its stock is still well above its minimum (no
low-stock alert yet). The takes are made through the stock service with the clock set to
when each happened, so the ledger reads as if the lab had used FarLab for ten weeks."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from domain import parts, stock, suppliers
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor
from domain.results import PartView

FORECAST_PART = "ELE-3001"
WEEKLY_TAKES = (2, 1, 3, 2, 2, 1, 3, 2, 2, 2)  # 20 in ten weeks: about 2 a week
START_STOCK = 32  # 12 left: three times its minimum
MINIMUM = 4
LEAD_TIME_DAYS = 28  # a reorder placed today arrives after the part reaches its minimum


def seed_usage_history(ctx: DomainContext, *, instrument_id: int, people: list[Actor]) -> PartView:
    """The electron multiplier of the MAT253: created eleven weeks ago, taken about twice a
    week since, with a preferred offer from Thermo Fisher at four weeks' lead time."""
    start = ctx.now() - timedelta(weeks=len(WEEKLY_TAKES) + 1)
    then = _at(ctx, start)
    part = parts.create_part(
        then,
        actor=SYSTEM,
        part_number=FORECAST_PART,
        name="Electron multiplier",
        category="Electronics",
        manufacturer="Thermo Fisher",
        location="Cabinet 2, shelf 1",
        quantity_in_stock=START_STOCK,
        minimum_stock_level=MINIMUM,
        is_critical=True,
        instrument_ids=(instrument_id,),
    )
    maker = suppliers.find_supplier(ctx, actor=SYSTEM, name="Thermo Fisher")
    suppliers.add_offer(
        then,
        actor=SYSTEM,
        part_id=part.id,
        supplier_id=maker.id,
        supplier_part_number="TF-EM-2040",
        unit_price="1450.00",
        currency="EUR",
        pack_size=1,
        lead_time_days=LEAD_TIME_DAYS,
        is_preferred=True,
    )
    for week, taken in enumerate(WEEKLY_TAKES, start=1):
        moment = start + timedelta(weeks=week, hours=week % 3)
        stock.adjust_stock(
            _at(ctx, moment),
            actor=people[week % len(people)],
            part_id=part.id,
            delta=-taken,
            reason="Detector swap" if taken > 2 else None,
            source="slack",
            instrument_id=instrument_id,
        )
    return parts.find_part(ctx, actor=SYSTEM, ref=FORECAST_PART)


def _at(ctx: DomainContext, moment: datetime) -> DomainContext:
    """``ctx`` with its clock stopped at ``moment``."""
    return dataclasses.replace(ctx, clock=lambda: moment)
