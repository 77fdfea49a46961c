"""``python -m bot serve``: Slack, the REST API and health on one port, in one uvicorn
process or in several worker processes (``--workers N``, each built by ``create_app``)."""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api.healthz import add_healthz
from bot.app import build_app
from bot.link_notices import link_notifier
from bot.runtime import BotRuntime
from bot.server import add_slack_routes, add_socket_mode_only_route
from domain.context import DomainContext
from farlab.logs import uvicorn_log_config
from farlab.observation import build_metrics, multiprocess_metrics, observe_web
from farlab.settings import Settings, SettingsError, load_settings
from farlab.wiring import build_client, build_context, build_scheduler, configure_logging
from scheduler.health import contract_scheduler_health, scheduler_health
from scheduler.runner import FarLabScheduler

log = logging.getLogger("farlab")

# How ``serve --workers N`` tells its worker processes not to run the scheduler (they build
# everything else from the environment, as ``serve`` does).
NO_SCHEDULER_ENV = "FARLAB_SERVE_NO_SCHEDULER"


def slack_configured(settings: Settings) -> bool:
    """Whether Slack is configured: the bot token, and the signing secret (Slack over HTTP)
    or the app token (Socket Mode) or both. None of them is fine; a partial set is a
    settings error naming what is missing."""
    bot, secret, app = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    )
    if bot is None and secret is None and app is None:
        return False
    if bot is None:
        given = "SLACK_SIGNING_SECRET" if secret is not None else "SLACK_APP_TOKEN"
        raise SettingsError(f"SLACK_BOT_TOKEN is required when {given} is set: Slack needs both")
    if secret is None and app is None:
        raise SettingsError(
            "SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set: Slack needs both "
            "(or SLACK_APP_TOKEN instead, for Socket Mode)"
        )
    return True


def build_web(
    settings: Settings, ctx: DomainContext, *, with_scheduler: bool = False
) -> tuple[FastAPI, BotRuntime | None, FarLabScheduler | None]:
    """The web app: REST API and pages, plus /slack/events when Slack is configured, and
    the scheduler (not started yet) when asked for and Slack is configured."""
    from api.app import create_api
    from api.pages import add_link_pages

    metrics = build_metrics(settings)
    if metrics is not None:  # the domain reports stock movements and deliveries to it
        ctx = dataclasses.replace(ctx, observer=metrics)
    web = create_api(
        ctx,
        api_prefix=settings.api_prefix,
        cors_origins=settings.cors_origins,
        trusted_proxies=settings.farlab_trusted_proxies,
    )
    observe_web(web, settings, metrics)
    if not slack_configured(settings):
        log.warning("SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set: serving without Slack")
        add_link_pages(web, ctx)
        _add_health(web, ctx, None, settings.farlab_alert_scan_seconds)
        return web, None, None
    assert settings.slack_bot_token is not None
    runtime = BotRuntime(
        ctx=ctx,
        public_url=settings.farlab_public_url,
        alert_channel=settings.farlab_alert_channel,
        purchasing_channel=settings.purchasing_channel,
    )
    client = build_client(
        settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        metrics=metrics,
    )
    secret = settings.slack_signing_secret
    signing_secret = secret.get_secret_value() if secret is not None else None
    bolt_app = build_app(runtime, client=client, signing_secret=signing_secret, metrics=metrics)
    if signing_secret is not None:
        add_slack_routes(web, bolt_app, ctx, signing_secret=signing_secret)
    else:
        add_socket_mode_only_route(web)
    add_link_pages(web, ctx, link_notifier(runtime, client))
    if settings.slack_app_token is not None:
        from bot.socket_mode import SocketModeConnection

        app_token = settings.slack_app_token.get_secret_value()
        runtime.on_shutdown(SocketModeConnection(bolt_app, app_token).start().close)
    scheduler = build_scheduler(settings, ctx, client, metrics) if with_scheduler else None
    _add_health(web, ctx, scheduler, settings.farlab_alert_scan_seconds)
    return web, runtime, scheduler


def _add_health(
    web: FastAPI, ctx: DomainContext, scheduler: FarLabScheduler | None, scan_seconds: int
) -> None:
    """/healthz and the contract's /health both report the scheduler's state, and
    /health/scheduler the scan's, in the contract's shape."""

    def report() -> dict[str, Any]:
        return scheduler_health(ctx, scheduler)

    web.state.health_extra = report

    def contract(detailed: bool) -> dict[str, Any]:
        return contract_scheduler_health(
            ctx, scheduler, scan_seconds=scan_seconds, detailed=detailed
        )

    web.state.scheduler_health = contract
    add_healthz(web, ctx, extra=report)


def _uvicorn_config(settings: Settings, *, host: str, port: int) -> dict[str, Any]:
    return {
        "host": host,
        "port": port,
        "log_level": settings.log_level.lower(),
        # uvicorn's access log prints query strings, where link tokens travel: keep it off.
        "access_log": False,
        # uvicorn's own X-Forwarded-For handling trusts 127.0.0.1 (or FORWARDED_ALLOW_IPS);
        # the app resolves client addresses itself, from FARLAB_TRUSTED_PROXIES.
        "proxy_headers": False,
        "log_config": uvicorn_log_config(),  # uvicorn's lines in FarLab's format
    }


def _freeze_built_objects() -> None:
    # Everything built so far lives as long as the process: keep it out of the garbage
    # collector's full passes, which otherwise stall request threads for tens of ms.
    gc.collect()
    gc.freeze()


def serve(
    settings: Settings,
    ctx: DomainContext,
    *,
    host: str,
    port: int,
    with_scheduler: bool = True,
    workers: int = 1,
) -> None:
    """Serve until stopped. With ``workers`` above 1, uvicorn runs that many processes, each
    building its own app from the environment (``create_app``); ``ctx`` is then only the
    one the caller migrated the database with, and is closed here."""
    import uvicorn

    if workers > 1:
        slack = slack_configured(settings)  # a settings error stops serve, not each worker
        if with_scheduler and not slack:
            log.warning("the scheduler needs Slack (SLACK_BOT_TOKEN): alerts are not posted")
        ctx.db.dispose()
        os.environ[NO_SCHEDULER_ENV] = "0" if with_scheduler else "1"
        with multiprocess_metrics(settings, workers):  # set before the workers start
            uvicorn.run(
                f"{__name__}:create_app",
                factory=True,
                workers=workers,
                **_uvicorn_config(settings, host=host, port=port),
            )
        return
    web, runtime, scheduler = build_web(settings, ctx, with_scheduler=with_scheduler)
    if scheduler is not None:
        scheduler.start()
    elif with_scheduler:
        log.warning("the scheduler needs Slack (SLACK_BOT_TOKEN): alerts are not posted")
    _freeze_built_objects()
    try:
        uvicorn.run(web, **_uvicorn_config(settings, host=host, port=port))
    finally:
        if scheduler is not None:
            scheduler.shutdown()
        if runtime is not None:
            runtime.shutdown()


def create_app() -> FastAPI:
    """One worker process's app for ``serve --workers N``: the settings from the environment,
    as ``serve`` reads them; the scheduler (unless ``--no-scheduler``) starts with the app
    and stops with it, the Slack runtime too. Every worker runs the scheduler: each job
    takes a PostgreSQL advisory lock, so it runs in one process at a time."""
    settings = load_settings()
    configure_logging(settings)
    ctx = build_context(settings, secret_required=True)
    with_scheduler = os.environ.get(NO_SCHEDULER_ENV, "0") != "1"
    web, runtime, scheduler = build_web(settings, ctx, with_scheduler=with_scheduler)
    web.router.lifespan_context = _running_alongside(
        web.router.lifespan_context, scheduler, runtime, ctx
    )
    _freeze_built_objects()
    return web


def _running_alongside(
    inner: Callable[[Any], AbstractAsyncContextManager[Any]],
    scheduler: FarLabScheduler | None,
    runtime: BotRuntime | None,
    ctx: DomainContext,
) -> Callable[[Any], AbstractAsyncContextManager[Any]]:
    """The app's lifespan with the scheduler started before it and everything stopped after."""

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        if scheduler is not None:
            scheduler.start()
        try:
            async with inner(app) as state:
                yield state
        finally:
            if scheduler is not None:
                scheduler.shutdown()
            if runtime is not None:
                runtime.shutdown()
            ctx.db.dispose()

    return lifespan
