"""Reorder requests over the Slack Web API: the ``OrderMessenger`` the purchasing outbox
posts with (calls, failures and history reads are ``bot.slack_outbox``'s).

A request's message carries Slack message metadata ``farlab_order`` with the request's id
and the attempt's number; ``find_order_posts`` reads them back from the channel's history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.blocks.order_message import (
    render_order_decision,
    render_order_message,
    render_order_reminder,
)
from bot.runtime import BotRuntime
from bot.slack_outbox import SlackOutboxPoster, outbox_client
from domain import order_delivery
from domain.alert_attempts import DeliveryOptions
from domain.notices import FoundPost
from domain.order_notices import OrderNotice

ORDER_EVENT = "farlab_order"


def order_metadata(order_id: int, attempt: int) -> dict[str, Any]:
    return {"event_type": ORDER_EVENT, "event_payload": {"order_id": order_id, "attempt": attempt}}


class SlackOrderMessenger(SlackOutboxPoster):
    def post_order(self, channel_id: str, notice: OrderNotice, *, attempt: int) -> str:
        return self._post(
            channel=channel_id,
            metadata=order_metadata(notice.order.id, attempt),
            **render_order_message(notice),
        )

    def update_order(self, channel_id: str, ts: str, notice: OrderNotice) -> None:
        self._call(
            self.client.chat_update, channel=channel_id, ts=ts, **render_order_message(notice)
        )

    def find_order_posts(
        self, channel_id: str, *, oldest: datetime, latest: datetime
    ) -> dict[int, FoundPost]:
        return self.find_posts(channel_id, oldest=oldest, latest=latest, carried=_carried)

    def post_order_reminder(self, channel_id: str, thread_ts: str, notice: OrderNotice) -> str:
        return self._post(
            channel=channel_id,
            thread_ts=thread_ts,
            reply_broadcast=True,
            **render_order_reminder(notice),
        )

    def send_order_decision(self, slack_user_id: str, notice: OrderNotice, decision: str) -> None:
        opened = self._call(self.client.conversations_open, users=slack_user_id)
        self._post(channel=opened["channel"]["id"], **render_order_decision(notice, decision))


def _carried(message: dict[str, Any]) -> dict[int, FoundPost]:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    order_id, attempt = payload.get("order_id"), payload.get("attempt")
    if metadata.get("event_type") != ORDER_EVENT or not isinstance(order_id, int):
        return {}
    return {
        order_id: FoundPost(
            str(message.get("ts")), attempt=attempt if isinstance(attempt, int) else None
        )
    }


def show_order(runtime: BotRuntime, client: WebClient, order_id: int) -> None:
    """Once the interaction commits: post the request's message, or update it in place, and
    send the requester's DM if one is due (what fails is left to the ``order_delivery``
    job)."""
    runtime.defer(
        order_delivery.deliver_order,
        runtime.ctx,
        messenger=SlackOrderMessenger(outbox_client(client)),
        order_id=order_id,
        channel_id=runtime.purchasing_channel,
        options=DeliveryOptions(),
    )
