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
    assert line.startswith(f"error: {variable}: ")
    if variable == "SECRET_KEY":
        assert value not in result.stderr  # a secret is never echoed
    assert not db_path.exists(), "start-up went on to touch the database"


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
    assert line.startswith(f"error: {variable}: ")
    assert not (clean_env / "farlab.db").exists()


def test_a_bad_value_in_the_dot_env_file_stops_start_up_too(clean_env, capsys):
    (clean_env / ".env").write_text("BCRYPT_ROUNDS=many\n")
    assert main(["migrate"]) == 2
    assert capsys.readouterr().err.startswith("error: BCRYPT_ROUNDS: ")


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
    assert str(caught.value).startswith("SECRET_KEY: ")
    assert "\n" not in str(caught.value)
