"""What ``serve`` logs: no warning about a token Bolt reads itself, one line per job run."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from farlab.settings import Settings
from farlab.web import build_web
from farlab.wiring import CHATTY_LOGGERS, configure_logging
from slack_stand_in import SlackStandIn
from tests.bot.alerting import eventually

TOKEN_UNUSED = "`token` will be unused"


@pytest.fixture
def stand_in() -> Iterator[SlackStandIn]:
    with SlackStandIn() as started:
        yield started


@pytest.fixture
def logger_levels() -> Iterator[None]:
    """The levels ``configure_logging`` sets, put back afterwards."""
    before = {name: logging.getLogger(name).level for name in CHATTY_LOGGERS}
    yield
    for name, level in before.items():
        logging.getLogger(name).setLevel(level)


def _settings(stand_in: SlackStandIn, **changes: str) -> Settings:
    return Settings(
        slack_bot_token="xoxb-farlab-local",
        slack_signing_secret="a-signing-secret",
        slack_api_url=stand_in.base_url,
        **changes,  # type: ignore[arg-type]
    )


def test_serve_builds_the_slack_app_without_bolts_token_unused_warning(
    ctx, stand_in, monkeypatch, caplog
):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-farlab-local")  # as serve's environment has it
    caplog.set_level(logging.DEBUG)
    client = WebClient(token="xoxb-farlab-local", base_url=stand_in.base_url)
    App(client=client, signing_secret="s")  # Bolt alone warns
    assert TOKEN_UNUSED in caplog.text
    caplog.clear()
    _web, runtime, _scheduler = build_web(_settings(stand_in), ctx)
    assert runtime is not None
    runtime.shutdown()
    assert TOKEN_UNUSED not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.usefixtures("logger_levels")
@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_a_job_run_logs_farlabs_one_line_and_apschedulers_lines_only_at_debug(
    ctx, stand_in, caplog, level
):
    settings = _settings(stand_in, log_level=level)
    configure_logging(settings)
    caplog.set_level(level)
    _web, runtime, scheduler = build_web(settings, ctx, with_scheduler=True)
    assert runtime is not None
    assert scheduler is not None
    scheduler.start()
    try:
        scheduler.apscheduler.modify_job("low_stock_scan", next_run_time=datetime.now(UTC))
        eventually(lambda: _ran(caplog, "low_stock_scan"))
    finally:
        scheduler.shutdown()
        runtime.shutdown()
    farlab_lines = [
        r for r in caplog.records if r.name == "farlab.scheduler" and r.levelno == logging.INFO
    ]
    assert [r.getMessage().split(":")[0] for r in farlab_lines].count("low_stock_scan") == 1
    apscheduler = [r for r in caplog.records if r.name.startswith("apscheduler")]
    if level == "INFO":
        assert apscheduler == []
    else:
        said = [r.getMessage() for r in apscheduler]
        assert any(line.startswith('Running job "low stock scan') for line in said), said


def _ran(caplog: pytest.LogCaptureFixture, job_id: str) -> bool:
    return any(
        r.name == "farlab.scheduler" and r.getMessage().startswith(f"{job_id}: ")
        for r in caplog.records
    )
