"""The sign-in throttle's settings reach the domain and the web app; bad values are refused."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from farlab.settings import SettingsError, load_settings
from farlab.wiring import build_context


@pytest.mark.usefixtures("clean_env")
def test_by_default_fifty_tries_lock_a_name_and_no_proxy_is_trusted():
    settings = load_settings()
    ctx = build_context(settings)
    try:
        assert (ctx.login_max_failures, ctx.login_name_max_failures) == (5, 50)
        assert settings.farlab_trusted_proxies == []
    finally:
        ctx.db.dispose()


@pytest.mark.usefixtures("clean_env")
def test_the_environment_sets_the_name_ceiling_and_the_trusted_proxies(monkeypatch):
    monkeypatch.setenv("FARLAB_LOGIN_NAME_MAX_FAILURES", "20")
    monkeypatch.setenv("FARLAB_TRUSTED_PROXIES", " 10.0.0.1, 172.16.0.0/12,fd00::/8 ,")
    settings = load_settings()
    ctx = build_context(settings)
    try:
        assert ctx.login_name_max_failures == 20
        assert settings.farlab_trusted_proxies == [
            ip_network("10.0.0.1/32"),
            ip_network("172.16.0.0/12"),
            ip_network("fd00::/8"),
        ]
    finally:
        ctx.db.dispose()


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("FARLAB_TRUSTED_PROXIES", "proxy.internal", "'proxy.internal' is not one"),
        ("FARLAB_TRUSTED_PROXIES", "10.0.0.1/8", "has host bits set"),
        ("FARLAB_TRUSTED_PROXIES", "*", "'*' is not one"),
        ("FARLAB_LOGIN_NAME_MAX_FAILURES", "4", "must be at least FARLAB_LOGIN_MAX_FAILURES (5)"),
        ("FARLAB_LOGIN_NAME_MAX_FAILURES", "0", "must be a whole number from 1 to 10000 (got '0')"),
    ],
)
def test_a_bad_value_names_the_variable_and_the_problem(monkeypatch, variable, value, says):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"^{variable} ") as caught:
        load_settings()
    assert says in str(caught.value)
