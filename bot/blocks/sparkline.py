"""A text sparkline (``▁▂▃▅▇``): a part's weekly usage where an image would be too heavy."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[int]) -> str:
    """One bar per value, scaled to the largest: the largest is ``█``, zero is ``▁``, and a
    value above zero never looks like zero. All zeros (or nothing) are all ``▁``."""
    top = max(values, default=0)
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(_bar(value, top) for value in values)


def _bar(value: int, top: int) -> str:
    if value <= 0:
        return BARS[0]
    step = round(value / top * (len(BARS) - 1))
    return BARS[max(step, 1)]
