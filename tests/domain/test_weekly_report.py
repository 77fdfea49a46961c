"""The report week: from one report time (day and hour in the lab's time zone) to the
next, which decides whether the weekly report was already posted."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.weekly_report import report_week_start

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("now", "day", "start"),
    [
        # A minute before Monday 08:00 in Berlin (07:00 UTC in winter): last week's report.
        (datetime(2026, 12, 14, 6, 59, tzinfo=UTC), "mon", datetime(2026, 12, 7, 8, tzinfo=BERLIN)),
        (datetime(2026, 12, 14, 7, 0, tzinfo=UTC), "mon", datetime(2026, 12, 14, 8, tzinfo=BERLIN)),
        # Summer time: 08:00 in Berlin is 06:00 UTC.
        (datetime(2027, 6, 7, 6, 0, tzinfo=UTC), "mon", datetime(2027, 6, 7, 8, tzinfo=BERLIN)),
        # The week across the change to summer time (28 March 2027) still starts at 08:00.
        (datetime(2027, 3, 31, 12, tzinfo=UTC), "mon", datetime(2027, 3, 29, 8, tzinfo=BERLIN)),
        (datetime(2026, 12, 9, 12, tzinfo=UTC), "fri", datetime(2026, 12, 4, 8, tzinfo=BERLIN)),
    ],
)
def test_the_report_week_starts_at_the_latest_report_time_in_the_lab_time_zone(now, day, start):
    found = report_week_start(now, day=day, hour=8, zone="Europe/Berlin")
    assert found == start
    assert found.utcoffset() == start.utcoffset()
