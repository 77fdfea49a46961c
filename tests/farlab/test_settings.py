"""Settings: a bad value stops start-up with one line naming the variable, and exit code 2."""

from __future__ import annotations

import pytest

from farlab.cli import main
from farlab.settings import SettingsError, load_settings
from tests.farlab.test_cli import run_bot

GOOD_SECRET = "k" * 48


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BCRYPT_ROUNDS", "abc"),
        ("SECRET_KEY", "changeme"),
        ("SECRET_KEY", "too-short-for-a-secret"),
        ("DATABASE_URL", "mysql://x"),
    ],
)
def test_python_m_bot_stops_on_a_bad_setting_with_one_line_and_exit_code_2(
    tmp_path, variable, value
):
    db_path = tmp_path / "farlab.db"
    result = run_bot(db_path, "migrate", env={variable: value})
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {variable} ")
    if variable == "SECRET_KEY":
        assert value not in result.stderr  # a secret is never echoed
    assert not db_path.exists(), "start-up went on to touch the database"


SECRET_HOWTO = "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        (
            "SECRET_KEY",
            "changeme",
            f"SECRET_KEY is a placeholder: set it to a random value {SECRET_HOWTO}",
        ),
        (
            "SECRET_KEY",
            "too-short-for-a-secret",
            f"SECRET_KEY is too short: use a random value of at least 32 characters {SECRET_HOWTO}",
        ),
        ("BCRYPT_ROUNDS", "abc", "BCRYPT_ROUNDS must be a whole number (got 'abc')"),
        ("BCRYPT_ROUNDS", "17", "BCRYPT_ROUNDS must be a whole number from 4 to 16 (got '17')"),
        (
            "LOG_LEVEL",
            "chatty",
            "LOG_LEVEL must be one of DEBUG, INFO, WARNING or ERROR (got 'CHATTY')",
        ),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must be a sqlite:/// or postgresql:// URL"),
        (
            "CORS_ORIGINS",
            "[oops",
            "CORS_ORIGINS must be a JSON list of origins or origins separated by commas",
        ),
    ],
)
def test_a_bad_setting_is_told_in_farlabs_words_not_the_validation_librarys(
    tmp_path, variable, value, said
):
    result = run_bot(tmp_path / "farlab.db", "migrate", env={variable: value})
    assert (result.returncode, result.stderr) == (2, f"error: {said}\n")
    for library_words in ("Value error", "Input should", "pydantic", "https://"):
        assert library_words not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BCRYPT_ROUNDS", "3"),
        ("BCRYPT_ROUNDS", "17"),
        ("ACCESS_TOKEN_EXPIRE_MINUTES", "0"),
        ("FARLAB_LINK_TOKEN_MINUTES", "61"),
        ("LOG_LEVEL", "chatty"),
        ("SECRET_KEY", "  CHANGETHIS "),
    ],
)
def test_main_returns_2_with_one_line_naming_the_variable(
    clean_env, monkeypatch, capsys, variable, value
):
    monkeypatch.setenv(variable, value)
    assert main(["migrate"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"error: {variable} ")
    assert not (clean_env / "farlab.db").exists()


def test_a_bad_value_in_the_dot_env_file_stops_start_up_too(clean_env, capsys):
    (clean_env / ".env").write_text("BCRYPT_ROUNDS=many\n")
    assert main(["migrate"]) == 2
    assert capsys.readouterr().err == "error: BCRYPT_ROUNDS must be a whole number (got 'many')\n"


def test_good_settings_are_read_from_the_environment_and_the_dot_env_file(clean_env, monkeypatch):
    (clean_env / ".env").write_text(f"SECRET_KEY={GOOD_SECRET}\nLOG_LEVEL=debug\n")
    monkeypatch.setenv("BCRYPT_ROUNDS", "5")
    settings = load_settings()
    assert (settings.bcrypt_rounds, settings.log_level) == (5, "DEBUG")
    assert settings.require_secret_key() == GOOD_SECRET
    assert settings.access_token_expire_minutes == 30
    assert settings.farlab_link_token_minutes == 10


@pytest.mark.usefixtures("clean_env")
def test_serving_without_a_secret_key_is_refused_naming_it():
    settings = load_settings()
    assert settings.secret_key is None
    with pytest.raises(SettingsError) as caught:
        settings.require_secret_key()
    assert str(caught.value).startswith("SECRET_KEY is required to serve: set it to a random")
    assert "\n" not in str(caught.value)


@pytest.mark.usefixtures("clean_env")
def test_one_slack_setting_without_the_other_names_the_missing_one(monkeypatch):
    from farlab.web import slack_configured

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(SettingsError) as caught:
        slack_configured(load_settings())
    assert str(caught.value) == (
        "SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set: Slack needs both "
        "(or SLACK_APP_TOKEN instead, for Socket Mode)"
    )


@pytest.mark.usefixtures("clean_env")
def test_socket_mode_needs_the_bot_token_but_not_the_signing_secret(monkeypatch):
    from farlab.web import slack_configured

    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A0FARLAB-1-abc")
    with pytest.raises(SettingsError) as caught:
        slack_configured(load_settings())
    assert str(caught.value) == (
        "SLACK_BOT_TOKEN is required when SLACK_APP_TOKEN is set: Slack needs both"
    )
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert slack_configured(load_settings())  # no SLACK_SIGNING_SECRET: Socket Mode alone


@pytest.mark.usefixtures("clean_env")
def test_an_app_token_that_is_not_app_level_is_refused_without_repeating_it(monkeypatch):
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-a-bot-token-by-mistake")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(
        "SLACK_APP_TOKEN must be an app-level token (xapp-...): the app's Basic Information"
    )
    assert "by-mistake" not in str(caught.value)
