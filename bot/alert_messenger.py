"""Alert messages over the Slack Web API: the ``Messenger`` the outbox posts with.

Every failure becomes ``DeliveryFailed``: Slack's error code (with Retry-After on a 429),
the HTTP status of a 5xx, or a timeout/connection error. The outbox decides what follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.blocks.alert_message import (
    render_alert_digest,
    render_alert_message,
    render_alert_reminder,
    render_daily_summary,
)
from domain.notices import AlertDigest, AlertNotice, AlertReminder, DailySummary, DeliveryFailed


def outbox_client(client: WebClient) -> WebClient:
    """A client like ``client`` that does not sleep through 429s itself: the outbox records
    the Retry-After and moves on to other channels instead."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
    )


class SlackAlertMessenger:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def post_alert(self, channel_id: str, notice: AlertNotice) -> str:
        return self._post(channel=channel_id, **render_alert_message(notice))

    def update_alert(self, channel_id: str, ts: str, notice: AlertNotice) -> None:
        self._call(
            self.client.chat_update, channel=channel_id, ts=ts, **render_alert_message(notice)
        )

    def post_digest(self, channel_id: str, digest: AlertDigest) -> str:
        return self._post(channel=channel_id, **render_alert_digest(digest))

    def post_reminder(self, channel_id: str, thread_ts: str, reminder: AlertReminder) -> str:
        return self._post(
            channel=channel_id,
            thread_ts=thread_ts,
            reply_broadcast=True,
            **render_alert_reminder(reminder),
        )

    def post_daily_summary(self, channel_id: str, summary: DailySummary) -> str:
        return self._post(channel=channel_id, **render_daily_summary(summary))

    def _post(self, **kwargs: Any) -> str:
        answer = self._call(self.client.chat_postMessage, **kwargs)
        return str(answer["ts"])

    @staticmethod
    def _call(method: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return method(**kwargs)
        except SlackApiError as exc:
            raise _failure(exc) from exc
        except OSError as exc:  # timeouts, refused or dropped connections
            raise DeliveryFailed(f"unreachable: {type(exc).__name__}: {exc}") from exc


def _failure(exc: SlackApiError) -> DeliveryFailed:
    response = exc.response
    status = response.status_code
    code = (
        str(response.get("error") or f"http_{status}")
        if isinstance(response.data, dict)
        else f"http_{status}"
    )
    retry_after = None
    if status == 429:
        header = response.headers.get("Retry-After") or response.headers.get("retry-after")
        try:
            retry_after = float(header) if header is not None else 1.0
        except ValueError:
            retry_after = 1.0
    detail = f" (HTTP {status})" if status >= 400 else ""
    return DeliveryFailed(f"{code}{detail}", retry_after=retry_after)
