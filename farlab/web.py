"""``python -m bot serve``: Slack, the REST API and health in one uvicorn process."""

from __future__ import annotations

import gc
import logging
from typing import Any

from fastapi import FastAPI

from bot.app import build_app
from bot.link_notices import link_notifier
from bot.runtime import BotRuntime
from bot.server import add_healthz, add_slack_routes
from domain.context import DomainContext
from farlab.settings import Settings, SettingsError
from farlab.wiring import build_client, build_scheduler
from scheduler.health import scheduler_health
from scheduler.runner import FarLabScheduler

log = logging.getLogger("farlab")


def build_web(
    settings: Settings, ctx: DomainContext, *, with_scheduler: bool = False
) -> tuple[FastAPI, BotRuntime | None, FarLabScheduler | None]:
    """The web app: REST API and pages, plus /slack/events when Slack is configured, and
    the scheduler (not started yet) when asked for and Slack is configured."""
    from api.app import create_api
    from api.pages import add_link_pages

    web = create_api(
        ctx,
        api_prefix=settings.api_prefix,
        cors_origins=settings.cors_origins,
        trusted_proxies=settings.farlab_trusted_proxies,
    )
    if settings.slack_bot_token is None and settings.slack_signing_secret is None:
        log.warning("SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set: serving without Slack")
        add_link_pages(web, ctx)
        _add_health(web, ctx, None)
        return web, None, None
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        missing = "SLACK_BOT_TOKEN" if settings.slack_bot_token is None else "SLACK_SIGNING_SECRET"
        raise SettingsError(f"{missing}: required with the other Slack setting to serve Slack")
    runtime = BotRuntime(
        ctx=ctx, public_url=settings.farlab_public_url, alert_channel=settings.farlab_alert_channel
    )
    client = build_client(
        settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
    )
    signing_secret = settings.slack_signing_secret.get_secret_value()
    bolt_app = build_app(runtime, client=client, signing_secret=signing_secret)
    add_slack_routes(web, bolt_app, ctx, signing_secret=signing_secret)
    add_link_pages(web, ctx, link_notifier(runtime, client))
    if settings.slack_app_token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(bolt_app, settings.slack_app_token.get_secret_value()).connect()
        log.info("Socket Mode connected")
    scheduler = build_scheduler(settings, ctx, client) if with_scheduler else None
    _add_health(web, ctx, scheduler)
    return web, runtime, scheduler


def _add_health(web: FastAPI, ctx: DomainContext, scheduler: FarLabScheduler | None) -> None:
    """/healthz and the contract's /health both report the scheduler's state."""

    def report() -> dict[str, Any]:
        return scheduler_health(ctx, scheduler)

    web.state.health_extra = report
    add_healthz(web, ctx, extra=report)


def serve(
    settings: Settings, ctx: DomainContext, *, host: str, port: int, with_scheduler: bool = True
) -> None:
    import uvicorn

    web, runtime, scheduler = build_web(settings, ctx, with_scheduler=with_scheduler)
    if scheduler is not None:
        scheduler.start()
    elif with_scheduler:
        log.warning("the scheduler needs Slack (SLACK_BOT_TOKEN): alerts are not posted")
    config: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": settings.log_level.lower(),
        # uvicorn's access log prints query strings, where link tokens travel: keep it off.
        "access_log": False,
        # uvicorn's own X-Forwarded-For handling trusts 127.0.0.1 (or FORWARDED_ALLOW_IPS);
        # the app resolves client addresses itself, from FARLAB_TRUSTED_PROXIES.
        "proxy_headers": False,
    }
    # Everything built so far lives as long as the process: keep it out of the garbage
    # collector's full passes, which otherwise stall request threads for tens of ms.
    gc.collect()
    gc.freeze()
    try:
        uvicorn.run(web, **config)
    finally:
        if scheduler is not None:
            scheduler.shutdown()
        if runtime is not None:
            runtime.shutdown()
