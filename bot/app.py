"""Build the Bolt app from its parts: client, middleware, listeners by type, error handler."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

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
    signing_secret: str,
    metrics: RequestMetrics | None = None,
) -> App:
    """The app; with ``metrics``, each request is counted and timed (``bot.observation``)."""
    bolt_fixes.apply()
    log_redaction.install()
    logger = logging.getLogger("farlab.bolt")
    with _token_from_environment_unremarked(logger):
        app = App(
            client=client,
            signing_secret=signing_secret,
            process_before_response=True,
            request_verification_enabled=True,
            logger=logger,
        )
    app.use(observation_middleware(metrics))  # first: every later line has the request id
    app.use(refusal_middleware)
    app.use(actor_middleware(runtime))
    register_all(app, runtime)
    app.error(handle_listener_error(runtime))
    return app


class _TokenUnusedWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


@contextmanager
def _token_from_environment_unremarked(logger: logging.Logger) -> Iterator[None]:
    """Bolt reads SLACK_BOT_TOKEN from the environment whatever it is given, and warns that
    the token is unused when a client comes too. Our client is built from that very token
    (with retries and the API URL from the settings), so the warning says nothing wrong;
    it is dropped while the app is built, and nothing else is."""
    unremarked = _TokenUnusedWarning()
    logger.addFilter(unremarked)
    try:
        yield
    finally:
        logger.removeFilter(unremarked)
