"""Chart rendering benchmark: the PNGs of ``charts.usage_chart`` from results built in
memory (no database), for the chart sizes people ask for.

It prints figures; it asserts nothing. See bench/README.md.

    .venv/bin/python -m bench.charts [--runs 50]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from charts.usage_chart import render_instrument_chart, render_part_chart
from domain.insight_results import (
    Forecast,
    InstrumentUsage,
    PartUsage,
    StockPoint,
    UsageBucket,
)
from domain.results import PartView
from domain.vocabulary import ForecastStatus

TARGET_MS = 300.0
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
STEP = {"day": 1, "week": 7}


def _buckets(weeks: int, period: str) -> tuple[UsageBucket, ...]:
    first = (NOW - timedelta(weeks=weeks)).date()
    count = weeks * 7 // STEP[period] + 1
    return tuple(
        UsageBucket(start=first + timedelta(days=i * STEP[period]), taken=i % 7, takes=i % 3)
        for i in range(count)
    )


def part_usage(weeks: int, period: str) -> PartUsage:
    """A part taken about daily for ``weeks`` weeks, restocked when low, with a forecast."""
    since = NOW - timedelta(weeks=weeks)
    level, points = 200, [StockPoint(at=since, quantity=200)]
    for day in range(weeks * 7):
        level = level - 3 if level > 40 else 200
        points.append(StockPoint(at=since + timedelta(days=day, hours=10), quantity=level))
    part = PartView(
        id=1,
        part_number="FIL-0001234",
        name="Rhenium filament 0.5 mm",
        description=None,
        category=None,
        manufacturer=None,
        unit_of_measure="pcs",
        location=None,
        quantity_in_stock=level,
        minimum_stock_level=30,
        is_critical=False,
        is_active=True,
        created_at=since,
        updated_at=None,
    )
    forecast = Forecast(
        part_id=1,
        status=ForecastStatus.OK,
        weeks=12,
        takes=84,
        taken=252,
        stock=level,
        minimum=30,
        on_order=0,
        lead_time_days=21,
        lead_time_from_offer=True,
        weekly_rate=21.0,
        weekly_sd=2.0,
        suggested_minimum=69,
        days_left=level / 3,
        runout_date=date(2027, 1, 30),
        minimum_date=date(2027, 1, 20),
        reorder_by=date(2026, 12, 30),
        computed_at=NOW,
    )
    return PartUsage(
        part=part,
        period=period,
        since=since,
        until=NOW,
        buckets=_buckets(weeks, period),
        stock=tuple(points),
        total_taken=3 * weeks * 7,
        counted_difference=0,
        forecast=forecast,
    )


def instrument_usage(weeks: int, period: str) -> InstrumentUsage:
    return InstrumentUsage(
        instrument_id=1,
        instrument_name="MAT253",
        period=period,
        since=NOW - timedelta(weeks=weeks),
        until=NOW,
        buckets=_buckets(weeks, period),
        parts=(),
        cost=(),
        unpriced_parts=0,
    )


def _time(render: Callable[[], bytes], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each run, each list sorted (CPU time shows the cost
    apart from other processes on a shared machine)."""
    render()  # the first drawing loads the fonts
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return sorted(wall), sorted(cpu)


def _p99(times: list[float]) -> float:
    return times[min(len(times) - 1, round(len(times) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    started = time.perf_counter()
    render_part_chart(part_usage(12, "week"))
    print(f"first chart of the process (fonts loaded): {time.perf_counter() - started:.2f} s")
    cases: list[tuple[str, Callable[[], bytes]]] = []
    for weeks, period in ((12, "week"), (104, "week"), (104, "day")):
        part, instrument = part_usage(weeks, period), instrument_usage(weeks, period)
        cases.append((f"part, {weeks} weeks by {period}", lambda u=part: render_part_chart(u)))
        cases.append(
            (
                f"instrument, {weeks} weeks by {period}",
                lambda u=instrument: render_instrument_chart(u),
            )
        )
    print(f"{'chart':36} {'wall p50':>9} {'p99':>7} {'max':>7} {'CPU p50':>8} {'p99':>7}  ms")
    for name, render in cases:
        wall, cpu = _time(render, args.runs)
        print(
            f"{name:36} {statistics.median(wall):9.1f} {_p99(wall):7.1f} {wall[-1]:7.1f} "
            f"{statistics.median(cpu):8.1f} {_p99(cpu):7.1f}"
        )
    print(f"target: under {TARGET_MS:.0f} ms a chart")


if __name__ == "__main__":
    main()
