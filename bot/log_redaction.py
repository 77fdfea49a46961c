"""Keep link tokens, ``response_url``s and password hashes out of the logs, whichever
logger writes them.

slack_sdk logs every request and response body at DEBUG: a DM with a link carries its token
in a URL, and the webhook client names the ``response_url`` it posts to (whoever holds one
may post in the channel as the app for 30 minutes). An access log prints the link pages'
query strings. A logger's filter sees only the records of that one logger, so the
redaction is done where every record is made (the log record factory): in the message, in
each of its arguments (formatters such as uvicorn's read them one by one) and in the text
of an exception logged with it. An argument that is not text (SQLAlchemy's rows, which it
logs at DEBUG with the password hashes they hold) is shown through its redacted text.
Attributes given with ``extra=`` come after the record is made: the handler's
``RedactingFilter`` redacts them. Slack tokens (``xoxb-``, ``xapp-``) and the values the
composition root names with ``add_secrets`` (the signing secret, SECRET_KEY) never show.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from numbers import Number
from typing import Any

REDACTED = "(redacted)"
LINK_TOKEN = re.compile(r"(token=)[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
# Slack's response_url and incoming-webhook addresses.
SLACK_HOOK = re.compile(r"https://hooks\.slack(?:-gov)?\.com/[^\s\"'<>,]+")
ANY_URL = re.compile(r"https?://[^\s\"'<>,]+")
# bcrypt's modular crypt format: $2b$<cost>$<22 characters of salt + 31 of hash>.
PASSWORD_HASH = re.compile(r"\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}")
# Slack's own tokens: bot, user, app-level and refresh tokens.
SLACK_TOKEN = re.compile(r"\bx(?:ox[abposer]|app)-[A-Za-z0-9-]+")
# Values set by ``add_secrets`` (the signing secret, SECRET_KEY): nothing shapes them.
_known_secrets: set[str] = set()
MIN_KNOWN_SECRET = 8
# What every record has; any other attribute came from ``extra=`` and is redacted too.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None)))
# Loggers whose every URL is a response_url or a webhook (the stand-in's included).
WEBHOOK_LOGGERS = ("slack_sdk.webhook", "slack_bolt.context.respond")


def add_secrets(*values: str | None) -> None:
    """Redact these exact values wherever they appear (short ones are ignored)."""
    _known_secrets.update(v for v in values if v and len(v) >= MIN_KNOWN_SECRET)


def redact(text: str, *, every_url: bool = False) -> str:
    for secret in _known_secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = SLACK_TOKEN.sub(REDACTED, text)
    text = LINK_TOKEN.sub(rf"\1{REDACTED}", text)
    text = PASSWORD_HASH.sub(REDACTED, text)
    return (ANY_URL if every_url else SLACK_HOOK).sub(REDACTED, text)


class _Shown:
    """A log argument that is not text, as ``%s`` and ``%r`` would show it, redacted."""

    def __init__(self, value: Any, every_url: bool) -> None:
        self._str = redact(str(value), every_url=every_url)
        self._repr = redact(repr(value), every_url=every_url)

    def __str__(self) -> str:
        return self._str

    def __repr__(self) -> str:
        return self._repr


def _redact_value(value: Any, every_url: bool) -> Any:
    if isinstance(value, str):
        return redact(value, every_url=every_url)
    if value is None or isinstance(value, Number):  # for %d, %f and the like
        return value
    return _Shown(value, every_url)


def redact_record(record: logging.LogRecord) -> None:
    every_url = record.name.startswith(WEBHOOK_LOGGERS)
    if isinstance(record.msg, str):
        record.msg = redact(record.msg, every_url=every_url)
    elif record.msg is not None and not record.args:
        record.msg = redact(str(record.msg), every_url=every_url)
    if isinstance(record.args, tuple):
        record.args = tuple(_redact_value(arg, every_url) for arg in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _redact_value(v, every_url) for k, v in record.args.items()}
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        formatted = logging.Formatter().formatException(record.exc_info)
        record.exc_text = redact(formatted, every_url=every_url)


def redact_extras(record: logging.LogRecord) -> None:
    """Redact the text of the attributes given with ``extra=`` (set on a record after it is
    made, so a handler's filter calls this; the JSON format writes them out)."""
    every_url = record.name.startswith(WEBHOOK_LOGGERS)
    for name, value in list(vars(record).items()):
        if name not in _RECORD_ATTRIBUTES and isinstance(value, str):
            setattr(record, name, redact(value, every_url=every_url))


class RedactingFilter(logging.Filter):
    """A handler's filter: ``redact_extras`` on each record it writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_extras(record)
        return True


def _redacting(make: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        redact_record(record)
        return record

    make_record.redacts = True  # type: ignore[attr-defined]
    return make_record


def install() -> None:
    """Redact every log record this process makes from now on (once, however often called)."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "redacts", False):
        logging.setLogRecordFactory(_redacting(factory))
