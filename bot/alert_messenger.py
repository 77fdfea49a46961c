"""Alert messages over the Slack Web API: the ``Messenger`` the outbox posts with (its
calls, failures and history reads are ``bot.slack_outbox``'s).

Alert messages carry Slack message metadata, ``farlab_alert`` with the alert's id and the
attempt's number, digests ``farlab_alert_digest`` with the ids of the alerts they list (a
comma-separated string: Slack's metadata schema allows arrays of objects only, and a
string keeps a digest of hundreds of alerts small). ``find_alert_posts`` reads them back
from the channel's history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.blocks.alert_message import (
    render_alert_digest,
    render_alert_message,
    render_alert_reminder,
    render_daily_summary,
)
from bot.blocks.weekly_report import render_weekly_report
from bot.slack_outbox import SlackOutboxPoster, outbox_client
from domain.insight_results import WeeklyReport
from domain.notices import (
    AlertDigest,
    AlertNotice,
    AlertReminder,
    DailySummary,
    FoundPost,
)

ALERT_EVENT = "farlab_alert"
DIGEST_EVENT = "farlab_alert_digest"
__all__ = ["SlackAlertMessenger", "alert_metadata", "digest_metadata", "outbox_client"]


def alert_metadata(alert_id: int, attempt: int) -> dict[str, Any]:
    return {"event_type": ALERT_EVENT, "event_payload": {"alert_id": alert_id, "attempt": attempt}}


def digest_metadata(digest: AlertDigest) -> dict[str, Any]:
    ids = ",".join(str(n.alert.id) for n in digest.notices)
    return {"event_type": DIGEST_EVENT, "event_payload": {"alert_ids": ids}}


class SlackAlertMessenger(SlackOutboxPoster):
    def post_alert(self, channel_id: str, notice: AlertNotice, *, attempt: int) -> str:
        return self._post(
            channel=channel_id,
            metadata=alert_metadata(notice.alert.id, attempt),
            **render_alert_message(notice),
        )

    def update_alert(self, channel_id: str, ts: str, notice: AlertNotice) -> None:
        self._call(
            self.client.chat_update, channel=channel_id, ts=ts, **render_alert_message(notice)
        )

    def post_digest(self, channel_id: str, digest: AlertDigest) -> str:
        return self._post(
            channel=channel_id, metadata=digest_metadata(digest), **render_alert_digest(digest)
        )

    def post_reminder(self, channel_id: str, thread_ts: str, reminder: AlertReminder) -> str:
        return self._post(
            channel=channel_id,
            thread_ts=thread_ts,
            reply_broadcast=True,
            **render_alert_reminder(reminder),
        )

    def post_daily_summary(self, channel_id: str, summary: DailySummary) -> str:
        return self._post(channel=channel_id, **render_daily_summary(summary))

    def post_weekly_report(self, channel_id: str, report: WeeklyReport) -> str:
        return self._post(channel=channel_id, **render_weekly_report(report))

    def find_alert_posts(
        self, channel_id: str, *, oldest: datetime, latest: datetime
    ) -> dict[int, FoundPost]:
        """Alert id -> the oldest message of this bot carrying it, between the two times."""
        return self.find_posts(channel_id, oldest=oldest, latest=latest, carried=_carried)


def _carried(message: dict[str, Any]) -> dict[int, FoundPost]:
    """The alerts a message's metadata names (nothing for other messages)."""
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    ts = str(message.get("ts"))
    if metadata.get("event_type") == ALERT_EVENT:
        alert_id, attempt = payload.get("alert_id"), payload.get("attempt")
        if isinstance(alert_id, int):
            return {alert_id: FoundPost(ts, attempt=attempt if isinstance(attempt, int) else None)}
    elif metadata.get("event_type") == DIGEST_EVENT:
        ids = str(payload.get("alert_ids") or "").split(",")
        return {int(i): FoundPost(ts, digest=True) for i in ids if i.isdigit()}
    return {}
