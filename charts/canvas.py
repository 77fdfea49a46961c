"""What every chart shares: its size, colours, a fresh figure, dates on the x axis, and
the PNG it becomes.

Each chart is its own ``Figure`` on its own ``FigureCanvasAgg``: no pyplot, no figure
registry. matplotlib does not promise thread safety even for separate figures (its FAQ asks
callers to serialise access), so drawing is done under one lock; a chart takes tens of
milliseconds.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

WIDTH_PX = 800
HEIGHT_PX = 400
DPI = 100

# Colours, as RGB (the tests look for them in the pixels).
STOCK_COLOUR = (31, 78, 121)  # dark blue
MINIMUM_COLOUR = (192, 57, 43)  # red
FORECAST_COLOUR = (230, 126, 34)  # orange
TAKEN_COLOUR = (190, 214, 168)  # light green
NOTE_COLOUR = (90, 90, 90)  # grey

TITLE_LIMIT = 60

_drawing = threading.Lock()
_EPOCH = datetime.fromisoformat(str(matplotlib.rcParams["date.epoch"]))


def colour(rgb: tuple[int, int, int]) -> str:
    """``#rrggbb``, as matplotlib takes it."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def new_figure() -> Figure:
    """An 800x400 px white figure with one axes, its margins fixed (room for six-digit
    ticks on either side; the legend names what the axes show): a layout engine would
    measure every text again on each drawing, half of a chart's time."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    figure.patch.set_facecolor("white")
    figure.subplots_adjust(left=0.09, right=0.91, bottom=0.1, top=0.92)
    figure.add_subplot()
    return figure


def set_title(axes: Axes, text: str) -> None:
    """A title as typed (no maths markup from a ``$`` in a part's name), cut to fit."""
    if len(text) > TITLE_LIMIT:
        text = text[: TITLE_LIMIT - 1] + "…"
    axes.set_title(text, loc="left", fontsize=12, parse_math=False)


def date_axis(axes: Axes) -> None:
    """Dates on the x axis (its values are ``x_of`` days), labelled concisely."""
    # matplotlib.dates has no type annotations.
    locator = AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def note(axes: Axes, text: str) -> None:
    """A short remark in the middle of an empty plot (e.g. nothing was taken)."""
    axes.text(
        0.5,
        0.5,
        text,
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=11,
        color=colour(NOTE_COLOUR),
        parse_math=False,
    )


def naive_utc(moment: datetime | date) -> datetime:
    """A moment (or a day's start) as a naive UTC datetime, so that days and moments share
    one axis."""
    if not isinstance(moment, datetime):
        return datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def x_of(moment: datetime | date) -> float:
    """Where a moment lies on a date axis: days since matplotlib's date epoch (what
    ``matplotlib.dates.date2num`` gives, computed here to keep the types checked)."""
    return (naive_utc(moment) - _EPOCH).total_seconds() / 86400


def render(build: Callable[[], Figure]) -> bytes:
    """The figure ``build`` makes, drawn as PNG bytes of exactly WIDTH_PX x HEIGHT_PX."""
    buffer = io.BytesIO()
    with _drawing:
        # matplotlib leaves print_png unannotated; savefig would draw the figure twice.
        FigureCanvasAgg(build()).print_png(buffer)  # type: ignore[no-untyped-call]
    return buffer.getvalue()
