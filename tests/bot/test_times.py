"""Every time FarLab shows in Slack is a date token, read in each reader's own time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from bot.blocks import labels as lb

ROOT = Path(__file__).resolve().parents[2]
# Formatting a time by hand: strftime, an hour format, or "UTC" written into the text.
BY_HAND = re.compile(r"\.strftime\(|%H|\bUTC\b[^)\]]*[\"']|[\"'][^\"']*\bUTC\b")


def test_when_is_a_slack_date_token_with_the_utc_time_as_its_fallback() -> None:
    moment = datetime(2026, 11, 25, 21, 9, 59, tzinfo=UTC)
    assert lb.when(moment) == (
        f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|2026-11-25 21:09 UTC>"
    )


def test_when_reads_naive_times_as_utc_and_other_zones_as_themselves() -> None:
    naive = datetime(2026, 11, 25, 21, 9)
    zurich = datetime(2026, 11, 25, 22, 9, tzinfo=timezone(timedelta(hours=1)))
    assert lb.when(naive) == lb.when(zurich) == lb.when(naive.replace(tzinfo=UTC))


def test_no_module_of_the_bot_formats_a_time_but_the_one_helper() -> None:
    """``labels.when`` is the one place a time becomes text in Slack."""
    helper = ROOT / "bot" / "blocks" / "labels.py"
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if path != helper
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if BY_HAND.search(line)
    ]
    assert offenders == []
