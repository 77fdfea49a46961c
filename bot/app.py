"""Build the Bolt app from its parts: client, middleware, listeners by type, error handler."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot import bolt_fixes, log_redaction
from bot.errors import handle_listener_error
from bot.listeners import register_all
from bot.middleware import actor_middleware, refusal_middleware
from bot.observation import RequestMetrics, observation_middleware
from bot.runtime import BotRuntime


def build_app(
    runtime: BotRuntime,
    *,
    client: WebClient,
    signing_secret: str | None,
    metrics: RequestMetrics | None = None,
) -> App:
    """The Bolt app; with ``metrics``, each request is counted and timed
    (``bot.observation``). Without a signing secret (Socket Mode alone) no HTTP request
    would pass its signature check, and none is passed to it: Socket Mode's requests carry
    none. An unreachable Slack does not stop it being built (the bot token is checked
    later)."""
    bolt_fixes.apply()
    log_redaction.install()
    logger = logging.getLogger("farlab.bolt")
    try:
        app = _bolt_app(client, signing_secret, logger, check_token_now=True)
    except OSError as exc:  # Slack unreachable: start anyway, as when it drops out later
        logger.warning(
            "Slack cannot be reached to check SLACK_BOT_TOKEN (%s: %s): it is checked at the "
            "first request instead",
            type(exc).__name__,
            exc,
        )
        app = _bolt_app(client, signing_secret, logger, check_token_now=False)
    app.use(observation_middleware(metrics))  # first: every later line has the request id
    app.use(refusal_middleware)
    app.use(actor_middleware(runtime))
    register_all(app, runtime)
    app.error(handle_listener_error(runtime))
    return app


def _bolt_app(
    client: WebClient, signing_secret: str | None, logger: logging.Logger, *, check_token_now: bool
) -> App:
    """Bolt's app; ``check_token_now`` calls auth.test at once (else at the first request)."""
    with (
        _token_from_environment_unremarked(logger),
        _unremarked(client.logger, "Failed to send a request to Slack API server"),
    ):
        return App(
            client=client,
            signing_secret=signing_secret or "",  # never Bolt's read of the environment
            process_before_response=True,
            request_verification_enabled=True,
            token_verification_enabled=check_token_now,
            logger=logger,
        )


def _token_from_environment_unremarked(logger: logging.Logger) -> AbstractContextManager[None]:
    """Bolt reads SLACK_BOT_TOKEN from the environment whatever it is given, and warns that
    the token is unused when a client comes too. Our client is built from that very token
    (with retries and the API URL from the settings), so the warning says nothing wrong;
    it is dropped while the app is built, and nothing else is."""
    return _unremarked(logger, warning_client_prioritized_and_token_skipped())


class _Unremarked(logging.Filter):
    def __init__(self, message_start: str) -> None:
        super().__init__()
        self.message_start = message_start

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.message_start)


@contextmanager
def _unremarked(logger: logging.Logger, message_start: str) -> Iterator[None]:
    """Drop ``logger``'s lines starting with ``message_start`` for the block (an
    unreachable Slack while the app is built is told in one line, by ``build_app``)."""
    unremarked = _Unremarked(message_start)
    logger.addFilter(unremarked)
    try:
        yield
    finally:
        logger.removeFilter(unremarked)
