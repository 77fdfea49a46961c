"""Keep signed link tokens out of the logs.

slack_sdk logs every request and response body at DEBUG, and a DM with a link carries its
token in a URL. The filter rewrites ``token=<JWT>`` to ``token=(redacted)`` in the records
of the loggers that can see those bodies.
"""

from __future__ import annotations

import logging
import re

LINK_TOKEN = re.compile(r"(token=)[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
# Logger filters see only their own logger's records, so each is named.
LOGGERS = (
    "slack_sdk.web.base_client",
    "slack_sdk.web.client",
    "slack_sdk.webhook.client",
    "slack_bolt.App",
    "farlab.bolt",
)


class RedactLinkTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "token=" in text:
            record.msg, record.args = LINK_TOKEN.sub(r"\1(redacted)", text), ()
        return True


def install() -> None:
    """Add the filter to each logger that may log Slack bodies (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactLinkTokens) for f in logger.filters):
            logger.addFilter(RedactLinkTokens())
