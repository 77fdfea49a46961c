"""The usage charts are 800x400 PNGs that show what the results say: decoded and read
back pixel by pixel (the values are built by hand: no database)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from charts.canvas import (
    FORECAST_COLOUR,
    HEIGHT_PX,
    MINIMUM_COLOUR,
    STOCK_COLOUR,
    TAKEN_COLOUR,
    WIDTH_PX,
)
from charts.usage_chart import (
    part_figure,
    render_instrument_chart,
    render_part_chart,
)
from domain.insight_results import (
    Forecast,
    InstrumentUsage,
    PartUsage,
    StockPoint,
    UsageBucket,
)
from domain.results import PartView
from domain.vocabulary import ForecastStatus

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
SINCE = NOW - timedelta(weeks=12)
MONDAY = date(2026, 9, 14)


def _part(minimum: int = 5, name: str = "Nitrile gloves") -> PartView:
    return PartView(
        id=7,
        part_number="GLV-M",
        name=name,
        description=None,
        category=None,
        manufacturer=None,
        unit_of_measure="box",
        location=None,
        quantity_in_stock=4,
        minimum_stock_level=minimum,
        is_critical=False,
        is_active=True,
        created_at=SINCE,
        updated_at=None,
    )


def _forecast(status: ForecastStatus = ForecastStatus.OK) -> Forecast:
    ok = status is ForecastStatus.OK
    return Forecast(
        part_id=7,
        status=status,
        weeks=12,
        takes=36 if ok else 2,
        taken=36 if ok else 2,
        stock=4,
        minimum=5,
        on_order=0,
        lead_time_days=21,
        lead_time_from_offer=False,
        weekly_rate=3.0 if ok else None,
        weekly_sd=0.5 if ok else None,
        suggested_minimum=11 if ok else None,
        days_left=9.3 if ok else None,
        runout_date=date(2026, 12, 16) if ok else None,
        minimum_date=None,
        reorder_by=None,
        computed_at=NOW,
    )


def _usage(
    status: ForecastStatus = ForecastStatus.OK, *, minimum: int = 5, name: str = "Gloves"
) -> PartUsage:
    """40 boxes, 3 taken every week for 12 weeks: 4 left."""
    buckets = tuple(
        UsageBucket(start=MONDAY + timedelta(weeks=i), taken=3, takes=3) for i in range(13)
    )
    stock = tuple(
        StockPoint(at=SINCE + timedelta(weeks=i, hours=min(i, 1)), quantity=40 - 3 * i)
        for i in range(13)
    )
    return PartUsage(
        part=_part(minimum, name),
        period="week",
        since=SINCE,
        until=NOW,
        buckets=buckets,
        stock=stock,
        total_taken=36,
        counted_difference=0,
        forecast=_forecast(status),
    )


def _decode(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (WIDTH_PX, HEIGHT_PX) == (800, 400)
    assert image.mode in ("RGB", "RGBA")
    return np.asarray(image.convert("RGB")).astype(int)


def _near(pixels: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 12) -> np.ndarray:
    """A mask of the pixels of (about) that colour."""
    return (np.abs(pixels - np.array(rgb)).max(axis=-1) <= tolerance).astype(bool)


def _row_of(usage: PartUsage, quantity: int) -> int:
    """The pixel row (from the top) where ``quantity`` lies on the stock axis."""
    figure = part_figure(usage)
    FigureCanvasAgg(figure).draw()
    _, y = figure.axes[0].transData.transform((figure.axes[0].get_xlim()[0], quantity))
    return round(HEIGHT_PX - y)


def test_a_part_chart_draws_the_minimum_line_where_the_minimum_lies():
    for minimum in (5, 25):
        usage = _usage(minimum=minimum)
        minimum_pixels = _near(_decode(render_part_chart(usage)), MINIMUM_COLOUR)
        row = _row_of(usage, minimum)
        along_the_line = minimum_pixels[row - 2 : row + 3].any(axis=0).sum()
        assert along_the_line > 300, f"minimum {minimum}: the dashed line spans the chart"
        # Elsewhere the colour is only in the legend's short sample.
        elsewhere = minimum_pixels.sum() - minimum_pixels[row - 2 : row + 3].sum()
        assert elsewhere < 150


def test_a_part_chart_shows_the_stock_the_takes_and_the_forecast():
    pixels = _decode(render_part_chart(_usage()))
    assert _near(pixels, STOCK_COLOUR).sum() > 500
    assert _near(pixels, TAKEN_COLOUR).sum() > 5000
    forecast = _near(pixels, FORECAST_COLOUR)
    assert forecast.sum() > 100
    # The forecast starts after the history: its pixels lie right of the stock line's start.
    columns = np.nonzero(forecast.any(axis=0))[0]
    assert columns.min() > WIDTH_PX // 2


def test_a_part_with_too_little_history_gets_its_stock_and_no_forecast_line():
    usage = _usage(ForecastStatus.TOO_LITTLE_HISTORY)
    pixels = _decode(render_part_chart(usage))
    assert _near(pixels, FORECAST_COLOUR).sum() == 0
    assert _near(pixels, STOCK_COLOUR).sum() > 500
    figure = part_figure(usage)
    titles = [t.get_text() for t in figure.findobj(match=lambda a: hasattr(a, "get_text"))]
    assert "too little history for a forecast" in titles


def test_a_name_with_dollar_signs_is_drawn_as_typed():
    usage = _usage(name="Filter $5 pack, 0.2$\\mu$m <sterile> & co")
    _decode(render_part_chart(usage))
    title = part_figure(usage).axes[0].get_title(loc="left")
    assert title == "GLV-M · Filter $5 pack, 0.2$\\mu$m <sterile> & co"


def _instrument_usage(taken: list[int]) -> InstrumentUsage:
    return InstrumentUsage(
        instrument_id=3,
        instrument_name="MAT253",
        period="week",
        since=SINCE,
        until=NOW,
        buckets=tuple(
            UsageBucket(start=MONDAY + timedelta(weeks=i), taken=n, takes=1 if n else 0)
            for i, n in enumerate(taken)
        ),
        parts=(),
        cost=(),
        unpriced_parts=0,
    )


def test_an_instrument_chart_has_bars_as_high_as_what_was_taken():
    pixels = _decode(render_instrument_chart(_instrument_usage([3, 6] * 6 + [3])))
    heights = _near(pixels, TAKEN_COLOUR).sum(axis=0)
    tallest = heights.max()
    short = heights[(heights > tallest * 0.3) & (heights < tallest * 0.75)]
    assert len(short) > 100
    assert abs(tallest / np.median(short) - 2) < 0.05


def test_an_instrument_that_took_nothing_has_no_bars():
    pixels = _decode(render_instrument_chart(_instrument_usage([0] * 13)))
    assert _near(pixels, TAKEN_COLOUR).sum() == 0


def test_charts_drawn_in_threads_are_the_charts_drawn_one_by_one():
    usages = [_usage(minimum=m) for m in (2, 5, 9, 20)]
    alone = [render_part_chart(u) for u in usages]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(render_part_chart, usages))
    assert together == alone


def test_charts_render_when_the_home_directory_cannot_be_written(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CONFIG_HOME")}
    env.update(HOME="/proc/farlab-no-home", PYTHONPATH=str(ROOT), XDG_CACHE_HOME="")
    code = (
        "import os, sys\n"
        "from charts.usage_chart import render_part_chart\n"
        "from tests.charts.test_usage_chart import _usage\n"
        "sys.stdout.buffer.write(render_part_chart(_usage()))\n"
        "sys.stderr.write('MPLCONFIGDIR=' + os.environ['MPLCONFIGDIR'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    _decode(done.stdout)
    errors = done.stderr.decode()
    assert "farlab-matplotlib" in errors
    assert "temporary cache directory" not in errors
