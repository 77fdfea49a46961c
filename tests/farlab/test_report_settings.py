"""The weekly report's settings reach the schedule; a bad day, hour or time zone stops
start-up with one line naming the variable."""

from __future__ import annotations

import pytest

from farlab.settings import SettingsError, load_settings
from farlab.wiring import alert_schedule


@pytest.mark.usefixtures("clean_env")
def test_the_report_defaults_to_monday_8_utc_in_the_alert_channel(monkeypatch):
    monkeypatch.setenv("FARLAB_ALERT_CHANNEL", "C0ALERTS")
    schedule = alert_schedule(load_settings())
    assert (schedule.report_channel, schedule.report_day, schedule.report_hour) == (
        "C0ALERTS",
        "mon",
        8,
    )
    assert (schedule.timezone, schedule.forecast_minutes) == ("UTC", 60)


@pytest.mark.usefixtures("clean_env")
def test_the_environment_sets_the_report_channel_day_hour_and_time_zone(monkeypatch):
    monkeypatch.setenv("FARLAB_REPORT_CHANNEL", "C0REPORT")
    monkeypatch.setenv("FARLAB_REPORT_DAY", "Fri")
    monkeypatch.setenv("FARLAB_REPORT_HOUR", "16")
    monkeypatch.setenv("FARLAB_TIMEZONE", "America/Sao_Paulo")
    monkeypatch.setenv("FARLAB_FORECAST_MINUTES", "15")
    schedule = alert_schedule(load_settings())
    assert (schedule.report_channel, schedule.report_day, schedule.report_hour) == (
        "C0REPORT",
        "fri",
        16,
    )
    assert (schedule.timezone, schedule.forecast_minutes) == ("America/Sao_Paulo", 15)


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("FARLAB_TIMEZONE", "Europe/Berlim", "FARLAB_TIMEZONE must be an IANA time zone name"),
        ("FARLAB_TIMEZONE", "Europe", "FARLAB_TIMEZONE must be an IANA time zone name"),
        ("FARLAB_REPORT_DAY", "monday", "FARLAB_REPORT_DAY must be one of mon, tue,"),
        ("FARLAB_REPORT_HOUR", "24", "FARLAB_REPORT_HOUR must be a whole number from 0 to 23"),
        ("FARLAB_REPORT_CHANNEL", "#lab", "FARLAB_REPORT_CHANNEL must be a channel id"),
    ],
)
def test_a_bad_report_setting_is_named_in_one_line(monkeypatch, variable, value, said):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value).startswith(said)
