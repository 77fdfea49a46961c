"""The text sparkline of weekly usage: exact strings."""

from __future__ import annotations

import pytest

from bot.blocks.sparkline import sparkline


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([0, 1, 2, 3, 4, 5, 6, 7], "▁▂▃▄▅▆▇█"),
        ([0, 0, 0, 0], "▁▁▁▁"),
        ([], ""),
        ([5], "█"),
        ([2, 4, 8], "▃▅█"),
        ([1, 100], "▂█"),  # a little use is not shown as none
        ([3, 3, 3], "███"),
        ([0, 10, 0, 5], "▁█▁▅"),
    ],
)
def test_sparkline_scales_bars_to_the_largest_value(values: list[int], shown: str):
    assert sparkline(values) == shown


def test_sparkline_has_one_bar_per_week():
    assert len(sparkline(list(range(104)))) == 104
