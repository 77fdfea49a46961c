"""Socket Mode survives Slack: an unreachable Slack or a refused app token is one log line
per try, without a traceback, retried with growing (or, for the token, long) delays; once
Slack answers, FarLab connects and answers requests over the websocket."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from slack_sdk import WebClient

from bot.app import build_app
from bot.runtime import BotRuntime
from bot.socket_mode import SocketModeConnection
from console.harness import free_port
from domain.context import DomainContext
from slack_stand_in import SlackStandIn
from slack_stand_in.identity import TEAM_ID
from slack_stand_in.socket_mode import SocketModeStandIn

APP_TOKEN = "xapp-1-A0FARLAB-1-socketmodetest"


@contextmanager
def connecting(ctx: DomainContext, api_url: str, **delays: float) -> Iterator[SocketModeConnection]:
    """A Socket Mode connection of the real Bolt app, Slack's API at ``api_url``; jitter
    off, so the delays are exact."""
    runtime = BotRuntime(ctx=ctx)
    app = build_app(
        runtime, client=WebClient(token="xoxb-socket-mode", base_url=api_url), signing_secret=None
    )
    connection = SocketModeConnection(app, APP_TOKEN, jitter=lambda: 1.0, **delays).start()
    try:
        yield connection
    finally:
        connection.close()
        runtime.shutdown()


def _until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.02)


def _tries(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "farlab.socket_mode" and r.levelno == level]


def _only_these_complain(
    caplog: pytest.LogCaptureFixture, records: list[logging.LogRecord]
) -> None:
    """Nothing else at WARNING or above (but the one line saying the bot token's check is
    put off, when Slack cannot be reached at all), and no traceback anywhere."""
    loud = [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and "to check SLACK_BOT_TOKEN" not in r.getMessage()
    ]
    assert [r.getMessage() for r in loud] == [r.getMessage() for r in records]
    assert all(r.exc_info is None and r.exc_text is None for r in caplog.records)


def test_an_unreachable_slack_is_one_line_per_try_with_doubling_delays(
    ctx: DomainContext, caplog: pytest.LogCaptureFixture
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    with connecting(ctx, closed, first_delay=0.05, max_delay=0.4) as connection:
        _until(lambda: len(_tries(caplog, logging.WARNING)) >= 6)
        assert not connection.connected
    tries = _tries(caplog, logging.WARNING)[:6]
    assert [r.args[1] for r in tries] == [0.05, 0.1, 0.2, 0.4, 0.4, 0.4]  # type: ignore[index]
    assert "cannot connect to Slack (URLError" in tries[0].getMessage()
    _only_these_complain(caplog, _tries(caplog, logging.WARNING))


def test_a_refused_app_token_is_named_and_tried_again_after_the_long_delay(
    ctx: DomainContext, caplog: pytest.LogCaptureFixture
) -> None:
    with SlackStandIn() as stand_in:
        stand_in.error("apps.connections.open", "invalid_auth", times=None)
        with connecting(ctx, stand_in.base_url, first_delay=0.01, refused_delay=0.2):
            _until(lambda: len(_tries(caplog, logging.ERROR)) >= 2)
        calls = stand_in.calls("apps.connections.open")
    refused = _tries(caplog, logging.ERROR)
    assert [r.args for r in refused[:2]] == [("invalid_auth", 0.2), ("invalid_auth", 0.2)]
    assert "SLACK_APP_TOKEN" in refused[0].getMessage()
    assert "xapp-" in refused[0].getMessage()
    assert APP_TOKEN not in caplog.text  # the token itself is never logged
    assert calls[1].at - calls[0].at >= 0.2  # the long delay, not first_delay
    _only_these_complain(caplog, refused)


def test_socket_mode_connects_once_slack_answers_and_serves_commands(
    ctx: DomainContext, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="farlab.socket_mode")
    with (
        SlackStandIn() as stand_in,
        SocketModeStandIn() as socket,
        # Slack has trouble at first (internal_error), then offers the websocket.
        connecting(ctx, stand_in.base_url, first_delay=0.05) as connection,
    ):
        _until(lambda: len(_tries(caplog, logging.WARNING)) >= 2)
        stand_in.offer_socket_mode(socket.url)
        socket.wait_for_connection()
        _until(lambda: connection.connected)
        ack = socket.send_envelope("slash_commands", _command("help"))
    assert "Slack answered internal_error" in _tries(caplog, logging.WARNING)[0].getMessage()
    assert any(
        r.getMessage().startswith("Socket Mode connected after")
        for r in _tries(caplog, logging.INFO)
    )
    assert "restock" in str(ack["payload"])  # the help, in the envelope's acknowledgement


def _command(text: str) -> dict[str, str]:
    return {
        "token": "legacy",
        "team_id": TEAM_ID,
        "team_domain": "farlab",
        "channel_id": "C0LAB",
        "channel_name": "lab",
        "user_id": "UNOBODY",
        "user_name": "nobody",
        "command": "/farlab",
        "text": text,
        "api_app_id": "A0FARLAB",
        "response_url": "http://127.0.0.1:9/response",
        "trigger_id": "1.2.3",
    }
