"""Build the Bolt app from its parts: client, middleware, listeners by type, error handler."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot import bolt_fixes, log_redaction
from bot.errors import handle_listener_error
from bot.listeners import register_all
from bot.middleware import actor_middleware, refusal_middleware
from bot.runtime import BotRuntime


def build_app(runtime: BotRuntime, *, client: WebClient, signing_secret: str) -> App:
    bolt_fixes.apply()
    log_redaction.install()
    app = App(
        client=client,
        signing_secret=signing_secret,
        process_before_response=True,
        request_verification_enabled=True,
        logger=logging.getLogger("farlab.bolt"),
    )
    app.use(refusal_middleware)
    app.use(actor_middleware(runtime))
    register_all(app, runtime)
    app.error(handle_listener_error(runtime))
    return app
