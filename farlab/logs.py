"""The process's logs: one handler on the root logger, in LOG_FORMAT (text or JSON), for
FarLab's lines and every library's, uvicorn's included.

Every line carries the request id and the actor of the request or job it was written for
(``observability.log_scope``), and goes through the redaction of ``bot.log_redaction``
(link tokens, ``response_url``s, Slack tokens and the secrets named by ``configure_logging``
never show, whichever format writes them).
"""

from __future__ import annotations

import logging
import logging.config
import sys
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

from bot import log_redaction
from farlab.settings import Settings
from observability.log_scope import RequestScopeFilter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(actor)s]: %(message)s"
JSON_FIELDS = ("asctime", "levelname", "name", "message", "request_id", "actor")
JSON_NAMES = {"asctime": "time", "levelname": "level", "name": "logger"}
# APScheduler logs two INFO lines for every job run ("Running job ...", "... executed
# successfully") and one for every job added; FarLab logs its own line per run
# (``farlab.scheduler``), so these are shown only when LOG_LEVEL is DEBUG.
# The Socket Mode client's INFO lines for every connection try are shown only then too
# (``bot.socket_mode`` logs one line per failed try itself). So is matplotlib's line when
# it builds its font cache (the first chart of a new home or container).
CHATTY_LOGGERS = (
    "apscheduler.executors",
    "apscheduler.scheduler",
    "farlab.socket_mode.sdk",
    "matplotlib.font_manager",
)
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


class RedactedJsonFormatter(JsonFormatter):
    """One JSON object per line; tracebacks redacted as the text format's are."""

    def formatException(self, ei: Any) -> str:
        shown = super().formatException(ei)  # a list only with exc_info_as_array
        return log_redaction.redact(shown if isinstance(shown, str) else "\n".join(shown))

    def formatStack(self, stack_info: str) -> str:
        shown = super().formatStack(stack_info)
        return log_redaction.redact(shown if isinstance(shown, str) else "\n".join(shown))


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return RedactedJsonFormatter(
            list(JSON_FIELDS), rename_fields=JSON_NAMES, rename_fields_keep_missing=True
        )
    return logging.Formatter(TEXT_FORMAT)


def log_handler(log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """A handler writing ``stream`` (stderr) in ``log_format``, with the request scope and
    the redaction of ``extra=`` values on every record."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(log_format))
    handler.addFilter(RequestScopeFilter())
    handler.addFilter(log_redaction.RedactingFilter())
    handler.farlab = True  # type: ignore[attr-defined]  # replaced when configured again
    return handler


def configure_logging(settings: Settings) -> None:
    """The process's logging at LOG_LEVEL in LOG_FORMAT, redacted before anything can log a
    link. Handlers others put on the root logger (pytest's) stay."""
    log_redaction.install()  # before anything can log a link or a response_url
    log_redaction.add_secrets(
        *(
            secret.get_secret_value()
            for secret in (
                settings.secret_key,
                settings.slack_bot_token,
                settings.slack_signing_secret,
                settings.slack_app_token,
                settings.farlab_metrics_token,
            )
            if secret is not None
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "farlab", False)]:
        root.removeHandler(old)
    root.addHandler(log_handler(settings.log_format))
    root.setLevel(settings.log_level)
    chatty_level = logging.DEBUG if settings.log_level == "DEBUG" else logging.WARNING
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(chatty_level)
    logging.config.dictConfig(uvicorn_log_config())


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's ``log_config``: its loggers write nothing themselves and pass every line
    to the root logger's handler, so they share FarLab's format (uvicorn applies this in
    each worker process too, before the app is built)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "loggers": {name: {"handlers": [], "propagate": True} for name in UVICORN_LOGGERS},
    }
