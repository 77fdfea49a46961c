"""Slack's date tokens in the console: each reader's own time zone, here the machine's."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.labels import when
from console.mrkdwn import mrkdwn_to_text, render_date

MOMENT = datetime(2026, 11, 25, 21, 9, 30, tzinfo=UTC)
EPOCH = int(MOMENT.timestamp())


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local zone is Tokyo (UTC+9) for the test."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("machine_zone")
def test_a_time_farlab_shows_is_read_in_the_machines_local_zone() -> None:
    token = when(MOMENT)
    assert token.endswith("|2026-11-25 21:09 UTC>")  # what a client that cannot read it shows
    shown = mrkdwn_to_text(f"• {token} *-2* → 3 pcs").plain
    assert shown == "• Nov 26, 2026 06:09 -2 → 3 pcs"  # 21:09 UTC is 06:09 the next day


@pytest.mark.parametrize(
    ("template", "today", "shown"),
    [
        ("{date_short_pretty} {time}", date(2026, 11, 25), "Today 21:09"),
        ("{date_short_pretty} {time}", date(2026, 11, 26), "Yesterday 21:09"),
        ("{date_short_pretty} {time}", date(2026, 11, 24), "Tomorrow 21:09"),
        ("{date_short_pretty} {time}", date(2026, 11, 28), "Nov 25, 2026 21:09"),
        ("Raised {date_pretty} at {time_secs}", date(2026, 11, 25), "Raised today at 21:09:30"),
        ("{date_long_pretty}", date(2027, 1, 1), "Wednesday, November 25th, 2026"),
        ("{date} · {date_num}", date(2027, 1, 1), "November 25th, 2026 · 2026-11-25"),
        ("{date_short} {unknown}", date(2027, 1, 1), "Nov 25, 2026 {unknown}"),
    ],
)
def test_date_templates_are_filled_in_as_slack_fills_them(
    template: str, today: date, shown: str
) -> None:
    assert render_date(EPOCH, template, zone=ZoneInfo("UTC"), today=today) == shown


def test_the_day_words_follow_the_readers_zone_not_utc() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    assert render_date(EPOCH, "{date_pretty}", zone=tokyo, today=date(2026, 11, 26)) == "Today"


def test_ordinals_read_as_english_dates() -> None:
    days = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 22: "22nd"}
    for day, written in days.items():
        epoch = int(datetime(2026, 3, day, 12, tzinfo=UTC).timestamp())
        assert render_date(epoch, "{date}", zone=UTC) == f"March {written}, 2026"


def test_a_token_that_cannot_be_read_shows_its_fallback() -> None:
    text = mrkdwn_to_text("<!date^soon^{time}|later today> and <!date^1>")
    assert text.plain == "later today and !date^1"


def test_a_channel_without_its_name_is_named_by_the_console() -> None:
    names = {"C0LAB": "lab", "UPHDSARA": "phd.sara"}
    assert mrkdwn_to_text("to <#C0LAB> by <@UPHDSARA>", name_of=names.__getitem__).plain == (
        "to #lab by @phd.sara"
    )
