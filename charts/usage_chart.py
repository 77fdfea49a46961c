"""Usage charts: a part's stock over time with its minimum, forecast run-out and takes, and
an instrument's takes per period. Each returns an 800x400 PNG."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from charts.canvas import (
    FORECAST_COLOUR,
    MINIMUM_COLOUR,
    STOCK_COLOUR,
    TAKEN_COLOUR,
    colour,
    date_axis,
    naive_utc,
    new_figure,
    note,
    render,
    set_title,
    x_of,
)
from domain.insight_results import InstrumentUsage, PartUsage, UsageBucket
from domain.vocabulary import ForecastStatus

NO_FORECAST_NOTES = {
    ForecastStatus.TOO_LITTLE_HISTORY: "too little history for a forecast",
    ForecastStatus.NO_USAGE: "not taken lately: no run-out expected",
}


def render_part_chart(usage: PartUsage) -> bytes:
    """The part's stock level as a step line, its minimum (dashed), the forecast down to the
    run-out date (dashed, when there is one) and the quantity taken per period as light
    bars on a second axis."""
    return render(lambda: part_figure(usage))


def render_instrument_chart(usage: InstrumentUsage) -> bytes:
    """The quantity of parts the instrument consumed per period, as bars."""
    return render(lambda: instrument_figure(usage))


def part_figure(usage: PartUsage) -> Figure:
    figure = new_figure()
    stock_axes = figure.axes[0]
    taken_axes = stock_axes.twinx()
    # The bars behind the lines: the stock axes on top, with a see-through background.
    stock_axes.set_zorder(taken_axes.get_zorder() + 1)
    stock_axes.patch.set_visible(False)
    # Room above the bars, so that they stay low, under the stock line.
    _taken_bars(taken_axes, usage.buckets, usage.period, headroom=2.5)
    now = naive_utc(usage.until)
    last = _stock_line(stock_axes, usage, now)
    right = now
    if usage.forecast.has_forecast and usage.forecast.runout_date is not None:
        right = _forecast_line(stock_axes, usage, now, last)
    else:  # said in the legend, where the forecast line would be named
        why = NO_FORECAST_NOTES.get(usage.forecast.status, "no forecast")
        stock_axes.plot([], [], linestyle="none", label=why)
    minimum = usage.part.minimum_stock_level
    stock_axes.axhline(
        minimum,
        color=colour(MINIMUM_COLOUR),
        linestyle="--",
        linewidth=2,
        label=f"minimum ({minimum})",
    )
    top = max([p.quantity for p in usage.stock] + [minimum, last, 1])
    stock_axes.set_ylim(0, top * 1.15)
    _set_span(stock_axes, usage.since, right, usage.buckets, usage.period)
    stock_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    date_axis(stock_axes)
    set_title(stock_axes, f"{usage.part.part_number} · {usage.part.name}")
    _legend(stock_axes, taken_axes)
    return figure


def instrument_figure(usage: InstrumentUsage) -> Figure:
    figure = new_figure()
    figure.subplots_adjust(right=0.97)  # no second axis on the right
    axes = figure.axes[0]
    _taken_bars(axes, usage.buckets, usage.period, headroom=1.15)
    axes.set_ylabel(f"taken per {usage.period}")
    _set_span(axes, usage.since, usage.until, usage.buckets, usage.period)
    if not any(b.taken for b in usage.buckets):
        note(axes, "nothing taken in this time")
    date_axis(axes)
    set_title(axes, f"{usage.instrument_name}: parts taken per {usage.period}")
    return figure


def _stock_line(axes: Axes, usage: PartUsage, now: datetime) -> int:
    """The stock as steps from ``since`` to ``now``; answers the level at ``now``."""
    points = [(naive_utc(p.at), p.quantity) for p in usage.stock]
    if not points:
        points = [(naive_utc(usage.since), usage.part.quantity_in_stock)]
    last = points[-1][1]
    if points[-1][0] < now:
        points.append((now, last))
    axes.step(
        [x_of(at) for at, _ in points],
        [quantity for _, quantity in points],
        where="post",
        color=colour(STOCK_COLOUR),
        linewidth=2,
        label=f"in stock ({usage.part.unit_of_measure})",
    )
    return last


def _forecast_line(axes: Axes, usage: PartUsage, now: datetime, last: int) -> datetime:
    """The expected stock from now down to zero on the run-out date; answers the chart's
    right edge: just past the run-out date, but no further after now than the history
    reaches before it (a far run-out date runs off the edge)."""
    runout = usage.forecast.runout_date
    assert runout is not None
    gone = max(naive_utc(runout), now)
    axes.plot(
        [x_of(now), x_of(gone)],
        [last, 0],
        color=colour(FORECAST_COLOUR),
        linestyle="--",
        linewidth=2.5,
        label=f"forecast: runs out ~{runout.isoformat()}",
    )
    return min(gone + timedelta(days=1), now + (now - naive_utc(usage.since)))


def _taken_bars(
    axes: Axes, buckets: tuple[UsageBucket, ...], period: str, *, headroom: float
) -> None:
    """The quantity taken per period as bars, drawn as one collection: a bar artist per
    period would take most of a second for two years of days."""
    bars = []
    for bucket in buckets:
        left = x_of(bucket.start)
        right = left + _days(bucket.start, period) * 0.9
        bars.append([(left, 0), (left, bucket.taken), (right, bucket.taken), (right, 0)])
    collection = PolyCollection(
        bars, facecolors=colour(TAKEN_COLOUR), edgecolors="none", label=f"taken per {period}"
    )
    axes.add_collection(collection, autolim=False)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max([b.taken for b in buckets] + [1]) * headroom)


def _set_span(
    axes: Axes, since: datetime, until: datetime, buckets: tuple[UsageBucket, ...], period: str
) -> None:
    """From ``since`` to ``until``, widened to show the first and last periods whole."""
    left, right = naive_utc(since), naive_utc(until)
    if buckets:
        left = min(left, naive_utc(buckets[0].start))
        last = buckets[-1].start
        right = max(right, naive_utc(last) + timedelta(days=_days(last, period)))
    axes.set_xlim(x_of(left), x_of(right))


def _days(start: date, period: str) -> int:
    """How many days the period starting on ``start`` has."""
    if period == "day":
        return 1
    if period == "week":
        return 7
    return calendar.monthrange(start.year, start.month)[1]


def _legend(*axes: Axes) -> None:
    """One legend for the lines and the bars of both axes."""
    pairs = [a.get_legend_handles_labels() for a in axes]
    handles = [h for hs, _ in pairs for h in hs]
    labels = [label for _, ls in pairs for label in ls]
    axes[0].legend(handles, labels, loc="best", fontsize=9, framealpha=0.9)
