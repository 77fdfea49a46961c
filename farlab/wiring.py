"""Building things from the settings: the domain context, the Slack client, the scheduler."""

from __future__ import annotations

import secrets

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.alert_messenger import SlackAlertMessenger, outbox_client
from bot.order_messenger import SlackOrderMessenger
from domain.context import DomainContext
from farlab.logs import CHATTY_LOGGERS as CHATTY_LOGGERS  # first defined here
from farlab.logs import configure_logging as configure_logging
from farlab.settings import Settings
from observability.metrics import FarLabMetrics
from observability.slack_calls import CountingWebClient
from persistence.db import Database
from persistence.migrate import require_newest_schema, upgrade
from scheduler import wiring as scheduler_wiring
from scheduler.jobs import AlertSchedule
from scheduler.runner import FarLabScheduler


def prepare_schema(settings: Settings, ctx: DomainContext) -> None:
    """Upgrade the schema to the newest; with FARLAB_AUTO_MIGRATE=false, refuse (as
    ``DatabaseUnavailable``) a database that is behind instead: `migrate` is then the one
    step that changes it."""
    if settings.farlab_auto_migrate:
        upgrade(ctx.db.engine)
    else:
        require_newest_schema(ctx.db.engine)


def build_context(settings: Settings, *, secret_required: bool = False) -> DomainContext:
    """Wire the database and the domain from the settings (the one place that does).

    Raises ``DatabaseUnavailable`` when the database cannot be opened.
    """
    if secret_required:
        secret = settings.require_secret_key()
    elif settings.secret_key is not None:
        secret = settings.secret_key.get_secret_value()
    else:  # commands that issue no tokens still get a key nobody can guess
        secret = secrets.token_urlsafe(48)
    db = Database.from_url(settings.database_url)
    db.check_available()  # one line naming the problem, not a traceback from the first query
    return DomainContext(
        db=db,
        secret_key=secret,
        bcrypt_rounds=settings.bcrypt_rounds,
        access_token_minutes=settings.access_token_expire_minutes,
        link_token_minutes=settings.farlab_link_token_minutes,
        invite_token_hours=settings.farlab_invite_token_hours,
        login_max_failures=settings.farlab_login_max_failures,
        login_name_max_failures=settings.farlab_login_name_max_failures,
        login_window_minutes=settings.farlab_login_window_minutes,
        lockout_minutes=settings.farlab_lockout_minutes,
        four_eyes=settings.farlab_four_eyes,
        currency=settings.farlab_currency,
        default_lead_time_days=settings.farlab_default_lead_time_days,
        forecast_margin_days=settings.farlab_forecast_margin_days,
    )


def build_client(
    token: str, *, base_url: str, timeout: int = 10, metrics: FarLabMetrics | None = None
) -> WebClient:
    """A Web API client that retries rate limits (honouring Retry-After) and dropped links;
    with ``metrics``, it counts every call by method and outcome."""
    options = {
        "token": token,
        "base_url": base_url if base_url.endswith("/") else base_url + "/",
        "timeout": timeout,
        "retry_handlers": [
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=2),
        ],
    }
    if metrics is None:
        return WebClient(**options)  # type: ignore[arg-type]
    return CountingWebClient(count=metrics.slack_api_called, **options)


def alert_schedule(settings: Settings) -> AlertSchedule:
    """The values the scheduled jobs run by, from the settings."""
    return AlertSchedule(
        scan_seconds=settings.farlab_alert_scan_seconds,
        renotify_hours=settings.farlab_renotify_hours,
        maintenance_notice_days=settings.farlab_maintenance_notice_days,
        burst=settings.farlab_alert_burst,
        default_channel=settings.farlab_alert_channel,
        digest_hour=settings.farlab_digest_hour,
        purchasing_channel=settings.purchasing_channel,
        forecast_minutes=settings.farlab_forecast_minutes,
        report_channel=settings.report_channel,
        report_day=settings.farlab_report_day,
        report_hour=settings.farlab_report_hour,
        timezone=settings.farlab_timezone,
    )


def build_scheduler(
    settings: Settings,
    ctx: DomainContext,
    client: WebClient,
    metrics: FarLabMetrics | None = None,
) -> FarLabScheduler:
    """The scheduler (not started), posting alerts through ``client``."""
    poster = outbox_client(client)
    return scheduler_wiring.build_scheduler(
        ctx,
        SlackAlertMessenger(poster),
        alert_schedule(settings),
        SlackOrderMessenger(poster),
        metrics=metrics,
    )
