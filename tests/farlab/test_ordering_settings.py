"""The ordering settings reach the domain; a bad currency or flag stops start-up."""

from __future__ import annotations

import pytest

from farlab.settings import SettingsError, load_settings
from farlab.wiring import build_context


@pytest.mark.usefixtures("clean_env")
def test_by_default_prices_are_in_euros_four_eyes_is_off_and_requests_go_to_the_alert_channel(
    monkeypatch,
):
    monkeypatch.setenv("FARLAB_ALERT_CHANNEL", "C0ALERTS")
    settings = load_settings()
    ctx = build_context(settings)
    try:
        assert (ctx.currency, ctx.four_eyes) == ("EUR", False)
        assert settings.purchasing_channel == "C0ALERTS"
    finally:
        ctx.db.dispose()


@pytest.mark.usefixtures("clean_env")
def test_the_environment_sets_the_purchasing_channel_four_eyes_and_the_currency(monkeypatch):
    monkeypatch.setenv("FARLAB_ALERT_CHANNEL", "C0ALERTS")
    monkeypatch.setenv("FARLAB_PURCHASING_CHANNEL", "C0BUYING")
    monkeypatch.setenv("FARLAB_FOUR_EYES", "true")
    monkeypatch.setenv("FARLAB_CURRENCY", "chf")
    settings = load_settings()
    ctx = build_context(settings)
    try:
        assert (ctx.currency, ctx.four_eyes) == ("CHF", True)
        assert settings.purchasing_channel == "C0BUYING"
    finally:
        ctx.db.dispose()


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("FARLAB_CURRENCY", "EURO", "FARLAB_CURRENCY must be an ISO 4217 code"),
        ("FARLAB_FOUR_EYES", "perhaps", "FARLAB_FOUR_EYES must be true or false"),
        ("FARLAB_PURCHASING_CHANNEL", "#buying", "FARLAB_PURCHASING_CHANNEL must be a channel id"),
    ],
)
def test_a_bad_ordering_setting_is_named_in_one_line(monkeypatch, variable, value, said):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value).startswith(said)
