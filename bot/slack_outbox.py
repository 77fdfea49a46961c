"""Posting to channels for an outbox, over the Slack Web API: the calls every messenger
makes (``bot.alert_messenger``, ``bot.order_messenger``).

Every failure becomes ``DeliveryFailed``: Slack's error code (with Retry-After on a 429),
the HTTP status of a 5xx, or a timeout/connection error. Only an answer from Slack saying
the call failed makes its outcome known; without one (a timeout, a dropped connection, a
5xx) the post may have been made, and the outbox looks for it before posting again.

``find_posts`` reads our messages back from a channel's history (``conversations.history``,
which needs ``channels:history``, or ``groups:history`` for a private channel, and the bot
in the channel). The bot posts in public channels it was never invited to
(``chat:write.public``), whose history Slack then refuses (``not_in_channel``): it joins
such a channel (``conversations.join``, ``channels:join``; Slack shows the join once) and
reads again.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from domain.notices import DeliveryFailed, FoundPost

HISTORY_PAGE = 200  # messages per conversations.history call (Slack allows up to 999)
HISTORY_PAGES = 10  # pages read at most for one lookup

Carried = Callable[[dict[str, Any]], dict[int, FoundPost]]


def outbox_client(client: WebClient) -> WebClient:
    """A client like ``client`` that repeats nothing by itself: no sleeping through 429s
    (the outbox records the Retry-After and moves on to other channels) and no second post
    after a dropped connection (Slack may have taken the first; the outbox looks first).
    A copy, so a client that counts its calls still does."""
    quiet = copy.copy(client)
    quiet.retry_handlers = []
    return quiet


class SlackOutboxPoster:
    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._bot_id: str | None = None

    def find_posts(
        self, channel_id: str, *, oldest: datetime, latest: datetime, carried: Carried
    ) -> dict[int, FoundPost]:
        """Id -> the oldest message of this bot carrying it (as ``carried`` reads a
        message's metadata), between the two times."""
        ours = self._own_bot_id()
        try:
            messages = list(self._history(channel_id, oldest, latest))
        except DeliveryFailed as failure:
            if failure.code != "not_in_channel" or not self._join(channel_id):
                raise
            messages = list(self._history(channel_id, oldest, latest))
        found: dict[int, FoundPost] = {}
        for message in messages:  # newest first
            if message.get("bot_id") == ours:
                found.update(carried(message))
        return found

    def _join(self, channel_id: str) -> bool:
        """Join a public channel the bot posts in without being a member; False when it
        was a member already or cannot join (a private channel: only an invitation)."""
        try:
            answer = self._call(self.client.conversations_join, channel=channel_id)
        except DeliveryFailed as failure:
            if failure.code != "method_not_supported_for_channel_type":
                raise
            return False
        return bool(answer.get("warning") != "already_in_channel")

    def _history(
        self, channel_id: str, oldest: datetime, latest: datetime
    ) -> Iterator[dict[str, Any]]:
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            page = self._call(
                self.client.conversations_history,
                channel=channel_id,
                include_all_metadata=True,
                oldest=f"{oldest.timestamp():.6f}",
                latest=f"{latest.timestamp():.6f}",
                inclusive=True,
                limit=HISTORY_PAGE,
                cursor=cursor,
            )
            yield from page.get("messages") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return
        raise DeliveryFailed(f"history_too_long: over {HISTORY_PAGE * HISTORY_PAGES} messages")

    def _own_bot_id(self) -> str | None:
        if self._bot_id is None:
            self._bot_id = self._call(self.client.auth_test).get("bot_id")
        return self._bot_id

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
            raise DeliveryFailed(
                f"unreachable: {type(exc).__name__}: {exc}", outcome_unknown=True
            ) from exc


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
    return DeliveryFailed(f"{code}{detail}", retry_after=retry_after, outcome_unknown=status >= 500)
