"""``python -m bot serve``: Slack, the REST API and health in one uvicorn process."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI

from bot.app import build_app, build_client
from bot.runtime import BotRuntime
from bot.server import add_healthz, add_slack_routes
from bot.settings import Settings, SettingsError
from domain.context import DomainContext

log = logging.getLogger("farlab")


def build_web(settings: Settings, ctx: DomainContext) -> tuple[FastAPI, BotRuntime | None]:
    """The web app: REST API and pages, plus /slack/events when Slack is configured."""
    from api.app import create_api

    web = create_api(ctx, api_prefix=settings.api_prefix, cors_origins=settings.cors_origins)
    add_healthz(web, ctx)
    if settings.slack_bot_token is None and settings.slack_signing_secret is None:
        log.warning("SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set: serving without Slack")
        return web, None
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        missing = "SLACK_BOT_TOKEN" if settings.slack_bot_token is None else "SLACK_SIGNING_SECRET"
        raise SettingsError(f"{missing}: required with the other Slack setting to serve Slack")
    runtime = BotRuntime(ctx=ctx, public_url=settings.farlab_public_url)
    client = build_client(
        settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
    )
    bolt_app = build_app(
        runtime, client=client, signing_secret=settings.slack_signing_secret.get_secret_value()
    )
    add_slack_routes(web, bolt_app)
    if settings.slack_app_token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(bolt_app, settings.slack_app_token.get_secret_value()).connect()
        log.info("Socket Mode connected")
    return web, runtime


def serve(settings: Settings, ctx: DomainContext, *, host: str, port: int) -> None:
    import uvicorn

    web, runtime = build_web(settings, ctx)
    config: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": settings.log_level.lower(),
        # uvicorn's access log prints query strings, where link tokens travel: keep it off.
        "access_log": False,
    }
    try:
        uvicorn.run(web, **config)
    finally:
        if runtime is not None:
            runtime.shutdown()
