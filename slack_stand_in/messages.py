"""Channel messages and ephemeral messages, as a workspace would show them."""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slack_stand_in.answers import SlackError
from slack_stand_in.identity import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, TsClock, new_block_id

MAX_MESSAGE_BLOCKS = 50
MAX_TEXT_LENGTH = 40_000
CONTENT_FIELDS = ("text", "blocks", "attachments")
KEPT_FIELDS = ("thread_ts", "attachments")
EVENT_TYPE = re.compile(r"[A-Za-z0-9_-]+")
PAYLOAD_VALUES = (str, int, float, bool, dict)


def metadata_is_valid(metadata: Any) -> bool:
    """Slack's message metadata schema: an ``event_type`` of letters, digits, ``_`` and
    ``-``, and an ``event_payload`` object whose values are strings, numbers, booleans,
    objects or arrays of objects. Slack keeps invalid metadata off the message (with an
    ``invalid_metadata_schema`` warning) and posts the message anyway."""
    if not isinstance(metadata, dict):
        return False
    event_type, payload = metadata.get("event_type"), metadata.get("event_payload")
    if not isinstance(event_type, str) or not EVENT_TYPE.fullmatch(event_type):
        return False
    return isinstance(payload, dict) and all(_payload_value(v) for v in payload.values())


def _payload_value(value: Any) -> bool:
    if isinstance(value, PAYLOAD_VALUES):
        return True
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def with_block_ids(blocks: Any) -> list[dict[str, Any]]:
    """A copy of the blocks in which every block has a ``block_id``, as Slack stores them."""
    if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
        raise SlackError("invalid_blocks")
    stored = copy.deepcopy(blocks)
    for block in stored:
        block.setdefault("block_id", new_block_id())
    return stored


def build_message(fields: Mapping[str, Any], ts: str, user: str) -> dict[str, Any]:
    """A Slack message object made from ``chat.postMessage``-style fields."""
    if not any(fields.get(name) for name in CONTENT_FIELDS):
        raise SlackError("no_text")
    message: dict[str, Any] = {"type": "message", "ts": ts, "user": user}
    if user == BOT_USER_ID:
        message.update(bot_id=BOT_ID, app_id=APP_ID, team=TEAM_ID)
    apply_content(message, fields)
    for name in KEPT_FIELDS:
        if fields.get(name):
            message[name] = copy.deepcopy(fields[name])
    if fields.get("thread_ts") and fields.get("reply_broadcast") in (True, "true", "1", 1):
        message["subtype"] = "thread_broadcast"
    if metadata_is_valid(fields.get("metadata")):
        message["metadata"] = copy.deepcopy(fields["metadata"])
    return message


def apply_content(message: dict[str, Any], fields: Mapping[str, Any]) -> None:
    """Set text and blocks from the fields given (missing text becomes empty)."""
    text = fields.get("text") or ""
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        raise SlackError("msg_too_long")
    message["text"] = text
    if "blocks" in fields and fields["blocks"] is not None:
        blocks = with_block_ids(fields["blocks"])
        if len(blocks) > MAX_MESSAGE_BLOCKS:
            raise SlackError("invalid_blocks")
        message["blocks"] = blocks


@dataclass
class _Ephemeral:
    channel: str
    recipient: str | None
    message: dict[str, Any]


class MessageStore:
    """Messages per channel (in ts order) and ephemerals per channel and user."""

    def __init__(self, changed: threading.Condition, clock: TsClock) -> None:
        self._changed = changed
        self._clock = clock
        self._channels: dict[str, list[dict[str, Any]]] = {}
        self._ephemerals: list[_Ephemeral] = []

    # -- reading -------------------------------------------------------------------------
    def in_channel(self, channel: str) -> list[dict[str, Any]]:
        """Copies of a channel's messages, oldest first, each with a ``channel`` key."""
        with self._changed:
            return [_shown(channel, m) for m in self._channels.get(channel, [])]

    def history(
        self,
        channel: str,
        *,
        oldest: Decimal,
        latest: Decimal | None,
        inclusive: bool,
        before: Decimal | None = None,
    ) -> list[dict[str, Any]]:
        """Copies of the channel's messages between ``oldest`` and ``latest`` (and before
        ``before``, a page's cursor), newest first, as ``conversations.history`` lists
        them: thread replies only when broadcast to the channel."""
        with self._changed:
            return [
                copy.deepcopy(m)
                for m in reversed(self._channels.get(channel, []))
                if _in_range(Decimal(m["ts"]), oldest, latest, inclusive)
                and (before is None or Decimal(m["ts"]) < before)
                and _listed(m)
            ]

    def find(self, channel: str, ts: str) -> dict[str, Any] | None:
        with self._changed:
            found = self._find(channel, ts)
            return None if found is None else _shown(channel, found)

    def channels(self) -> list[str]:
        """Channels with at least one message or ephemeral."""
        with self._changed:
            names = set(self._channels) | {e.channel for e in self._ephemerals}
            return sorted(names)

    def ephemerals(
        self, channel: str | None = None, user: str | None = None
    ) -> list[dict[str, Any]]:
        """Copies of ephemeral messages, each with ``channel`` and ``recipient`` keys."""
        with self._changed:
            return [
                {**_shown(e.channel, e.message), "recipient": e.recipient}
                for e in self._ephemerals
                if (channel is None or e.channel == channel)
                and (user is None or e.recipient == user)
            ]

    def is_ephemeral(self, channel: str, ts: str) -> bool:
        with self._changed:
            return self._find_ephemeral(channel, ts) is not None

    # -- writing -------------------------------------------------------------------------
    def post(
        self, channel: str, fields: Mapping[str, Any], user: str = BOT_USER_ID
    ) -> dict[str, Any]:
        """Add a message to a channel; returns it as Slack would (without ``channel``)."""
        with self._changed:
            message = build_message(fields, self._clock.next(), user)
            self._channels.setdefault(channel, []).append(message)
            self._changed.notify_all()
            return copy.deepcopy(message)

    def share_files(
        self, channel: str, files: list[dict[str, Any]], text: str = "", user: str = BOT_USER_ID
    ) -> dict[str, Any]:
        """The message files shared into a channel show as (files.completeUploadExternal):
        ``files`` and the comment as its text; returned as Slack would (without ``channel``)."""
        with self._changed:
            message = build_message({"text": text or " "}, self._clock.next(), user)
            message.update(text=text, files=copy.deepcopy(files), upload=True)
            self._channels.setdefault(channel, []).append(message)
            self._changed.notify_all()
            return copy.deepcopy(message)

    def joined(self, channel: str, user: str = BOT_USER_ID) -> None:
        """The ``channel_join`` message Slack shows when someone joins a channel."""
        with self._changed:
            message = {
                "type": "message",
                "subtype": "channel_join",
                "ts": self._clock.next(),
                "user": user,
                "text": f"<@{user}> has joined the channel",
            }
            self._channels.setdefault(channel, []).append(message)
            self._changed.notify_all()

    def update(
        self, channel: str, ts: str, fields: Mapping[str, Any], *, edited: bool = True
    ) -> dict[str, Any]:
        with self._changed:
            message = self._find(channel, ts)
            if message is None:
                raise SlackError("message_not_found")
            if message.get("user") != BOT_USER_ID:
                raise SlackError("cant_update_message")
            if not any(fields.get(name) for name in CONTENT_FIELDS):
                raise SlackError("no_text")
            apply_content(message, fields)
            if fields.get("attachments") is not None:
                message["attachments"] = copy.deepcopy(fields["attachments"])
            if metadata_is_valid(fields.get("metadata")):
                message["metadata"] = copy.deepcopy(fields["metadata"])
            if edited:
                message["edited"] = {"user": BOT_USER_ID, "ts": self._clock.next()}
            self._changed.notify_all()
            return copy.deepcopy(message)

    def delete(self, channel: str, ts: str) -> None:
        with self._changed:
            message = self._find(channel, ts)
            if message is None:
                raise SlackError("message_not_found")
            if message.get("user") != BOT_USER_ID:
                raise SlackError("cant_delete_message")
            self._channels[channel].remove(message)
            self._changed.notify_all()

    def post_ephemeral(
        self, channel: str, recipient: str | None, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        with self._changed:
            message = build_message(fields, self._clock.next(), BOT_USER_ID)
            self._ephemerals.append(_Ephemeral(channel, recipient, message))
            self._changed.notify_all()
            return copy.deepcopy(message)

    def replace_ephemeral(self, channel: str, ts: str, fields: Mapping[str, Any]) -> None:
        with self._changed:
            found = self._find_ephemeral(channel, ts)
            if found is None:
                raise SlackError("message_not_found")
            apply_content(found.message, fields)
            self._changed.notify_all()

    def delete_ephemeral(self, channel: str, ts: str) -> None:
        with self._changed:
            found = self._find_ephemeral(channel, ts)
            if found is None:
                raise SlackError("message_not_found")
            self._ephemerals.remove(found)
            self._changed.notify_all()

    # -- internals -----------------------------------------------------------------------
    def _find(self, channel: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self._channels.get(channel, []) if m["ts"] == ts), None)

    def _find_ephemeral(self, channel: str, ts: str) -> _Ephemeral | None:
        return next(
            (e for e in self._ephemerals if e.channel == channel and e.message["ts"] == ts), None
        )


def _shown(channel: str, message: dict[str, Any]) -> dict[str, Any]:
    return {**copy.deepcopy(message), "channel": channel}


def _in_range(ts: Decimal, oldest: Decimal, latest: Decimal | None, inclusive: bool) -> bool:
    if inclusive:
        return ts >= oldest and (latest is None or ts <= latest)
    return ts > oldest and (latest is None or ts < latest)


def _listed(message: dict[str, Any]) -> bool:
    thread = message.get("thread_ts")
    return not thread or thread == message["ts"] or message.get("subtype") == "thread_broadcast"
