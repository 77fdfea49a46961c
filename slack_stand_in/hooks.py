"""``response_url`` hooks: where an answer to a command or a click lands in the workspace."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_stand_in.answers import Answer, SlackError
from slack_stand_in.messages import CONTENT_FIELDS, MessageStore

MAX_USES = 5


@dataclass
class _Hook:
    channel: str
    user: str | None
    message_ts: str | None
    ephemeral: bool
    uses: int = 0


class ResponseHooks:
    """Registered response_url keys, each bound to a channel, a user and maybe a message."""

    def __init__(self, changed: threading.Condition, messages: MessageStore) -> None:
        self._changed = changed
        self._messages = messages
        self._hooks: dict[str, _Hook] = {}

    def register(
        self,
        key: str | None,
        *,
        channel: str,
        user: str | None,
        message_ts: str | None = None,
        ephemeral: bool = False,
    ) -> str:
        """Bind a key (a new one when None) to where its answers land; returns the key.

        A key already bound keeps its first binding and its count of uses."""
        key = key or secrets.token_urlsafe(12)
        with self._changed:
            self._hooks.setdefault(key, _Hook(channel, user, message_ts, ephemeral))
        return key

    def issued(self) -> list[str]:
        with self._changed:
            return list(self._hooks)

    def known(self, key: str) -> bool:
        with self._changed:
            return key in self._hooks

    def deliver(self, key: str, body: Mapping[str, Any]) -> Answer:
        """Apply a POST to a response_url, as Slack would: at most MAX_USES times per key."""
        with self._changed:
            hook = self._hooks.get(key)
            if hook is None:
                return _refused(404, "expired_url")
            if hook.uses >= MAX_USES:
                return _refused(404, "used_too_many_times")
            hook.uses += 1
            try:
                self._apply(hook, body)
            except SlackError as exc:
                return _refused(400 if exc.code == "no_text" else 404, exc.code)
        return Answer(200, {"ok": True}, text="ok")

    def deliver_ack(self, channel: str, user: str, body: Mapping[str, Any]) -> None:
        """Show what an app's acknowledgement of a slash command carried (if anything)."""
        if any(body.get(name) for name in CONTENT_FIELDS):
            self._post(_Hook(channel, user, None, False), body)

    def _apply(self, hook: _Hook, body: Mapping[str, Any]) -> None:
        if _flag(body.get("delete_original")):
            if hook.message_ts is None:
                raise SlackError("message_not_found")
            if hook.ephemeral:
                self._messages.delete_ephemeral(hook.channel, hook.message_ts)
            else:
                self._messages.delete(hook.channel, hook.message_ts)
            return
        if not any(body.get(name) for name in CONTENT_FIELDS):
            raise SlackError("no_text")
        if _flag(body.get("replace_original")) and hook.message_ts is not None:
            if hook.ephemeral:
                self._messages.replace_ephemeral(hook.channel, hook.message_ts, body)
            else:
                self._messages.update(hook.channel, hook.message_ts, body, edited=False)
            return
        self._post(hook, body)

    def _post(self, hook: _Hook, body: Mapping[str, Any]) -> None:
        if body.get("response_type") == "in_channel":
            self._messages.post(hook.channel, body)
        else:
            self._messages.post_ephemeral(hook.channel, hook.user, body)


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("true", "1"))


def _refused(status: int, code: str) -> Answer:
    return Answer(status, {"ok": False, "error": code}, text=code)
