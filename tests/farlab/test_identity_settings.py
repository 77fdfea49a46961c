"""The invitation and lockout settings reach the domain, and bad values are refused."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from farlab.settings import Settings, SettingsError, load_settings
from farlab.wiring import build_context
from slack_stand_in import SlackStandIn


@pytest.mark.usefixtures("clean_env")
def test_the_defaults_are_72_hours_and_5_failures_in_15_minutes_lock_15():
    ctx = build_context(Settings())
    try:
        assert (ctx.invite_token_hours, ctx.link_token_minutes) == (72, 10)
        assert (ctx.login_max_failures, ctx.login_window_minutes, ctx.lockout_minutes) == (
            5,
            15,
            15,
        )
    finally:
        ctx.db.dispose()


@pytest.mark.usefixtures("clean_env")
def test_the_environment_sets_them(monkeypatch):
    monkeypatch.setenv("FARLAB_INVITE_TOKEN_HOURS", "24")
    monkeypatch.setenv("FARLAB_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("FARLAB_LOGIN_WINDOW_MINUTES", "10")
    monkeypatch.setenv("FARLAB_LOCKOUT_MINUTES", "60")
    ctx = build_context(load_settings())
    try:
        assert ctx.invite_token_hours == 24
        assert ctx.login_max_failures == 3
        assert (ctx.login_window_minutes, ctx.lockout_minutes) == (10, 60)
    finally:
        ctx.db.dispose()


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("FARLAB_INVITE_TOKEN_HOURS", "0"),
        ("FARLAB_LOGIN_MAX_FAILURES", "0"),
        ("FARLAB_LOGIN_WINDOW_MINUTES", "-1"),
        ("FARLAB_LOCKOUT_MINUTES", "soon"),
    ],
)
def test_a_bad_value_names_the_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"^{variable} must be a whole number"):
        load_settings()


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("with_slack", [False, True])
def test_serve_has_the_link_pages_with_or_without_slack(monkeypatch, with_slack):
    from farlab.web import build_web

    stand_in = SlackStandIn().start()  # Bolt asks auth.test at start: not of the real Slack
    monkeypatch.setenv("SLACK_API_URL", stand_in.base_url)
    if with_slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-not-used")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", "not-used-either")
    settings = load_settings()
    ctx = build_context(settings)
    try:
        web, runtime, _ = build_web(settings, ctx)
        paths = {
            (route.path, method)
            for route in web.routes
            if isinstance(route, APIRoute)
            for method in route.methods
        }
        for page in ("/link", "/invite", "/confirm-link", "/password"):
            assert {(page, "GET"), (page, "POST")} <= paths
        assert (runtime is not None) == with_slack
        if runtime is not None:
            runtime.shutdown()
    finally:
        ctx.db.dispose()
        stand_in.stop()
