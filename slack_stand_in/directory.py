"""The workspace's people and channel names, and the trigger ids handed to the app."""

from __future__ import annotations

import copy
import itertools
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from slack_stand_in.answers import SlackError
from slack_stand_in.identity import BOT_ID, BOT_NAME, BOT_USER_ID, TEAM_ID

TRIGGER_TTL_SECONDS = 3.0
_PRUNE_AT = 1000


@dataclass
class _Trigger:
    user: str
    issued_at: float
    used: bool = False


class Directory:
    """Users (registered, or made up plausibly from any ``U``/``W`` id) and trigger ids.

    Trigger ids are single-use and expire after ``trigger_ttl`` seconds (None: never),
    as Slack's do.
    """

    def __init__(self, changed: threading.Condition) -> None:
        self._changed = changed
        self._users: dict[str, dict[str, Any]] = {BOT_USER_ID: _bot_user()}
        self._channel_names: dict[str, str] = {"C0LAB": "lab"}
        # Public channels the bot was never invited to: it may post there all the same
        # (chat:write.public), but not read their history until it joins.
        self._outside: set[str] = set()
        self._triggers: dict[str, _Trigger] = {}
        self._trigger_numbers = itertools.count(1)
        self.trigger_ttl: float | None = TRIGGER_TTL_SECONDS

    def keep_bot_out_of(self, channel: str) -> None:
        """The bot is not a member of the public channel ``channel`` (until it joins)."""
        with self._changed:
            self._outside.add(channel)

    def bot_is_member(self, channel: str) -> bool:
        with self._changed:
            return channel not in self._outside

    def bot_joins(self, channel: str) -> bool:
        """The bot joins ``channel``; False when it was a member already."""
        with self._changed:
            if channel not in self._outside:
                return False
            self._outside.discard(channel)
            self._changed.notify_all()
            return True

    def add_user(
        self,
        user_id: str,
        *,
        real_name: str | None = None,
        display_name: str | None = None,
        email: str | None = None,
        is_admin: bool = False,
    ) -> dict[str, Any]:
        """Register a user as ``users.info`` will describe them."""
        user = _made_up_user(user_id)
        profile = user["profile"]
        if real_name is not None:
            user["real_name"] = profile["real_name"] = profile["real_name_normalized"] = real_name
        if display_name is not None:
            profile["display_name"] = profile["display_name_normalized"] = display_name
            user["name"] = display_name
        if email is not None:
            profile["email"] = email
        user["is_admin"] = is_admin
        with self._changed:
            self._users[user_id] = user
        return copy.deepcopy(user)

    def user(self, user_id: str) -> dict[str, Any]:
        with self._changed:
            if user_id in self._users:
                return copy.deepcopy(self._users[user_id])
        if user_id[:1] not in ("U", "W") or not user_id[1:].isalnum():
            raise SlackError("user_not_found")
        return _made_up_user(user_id)

    def name_channel(self, channel_id: str, name: str) -> None:
        with self._changed:
            self._channel_names[channel_id] = name

    def channel_name(self, channel_id: str) -> str:
        """The name Slack puts in ``channel_name`` (``directmessage`` for DMs)."""
        with self._changed:
            if channel_id in self._channel_names:
                return self._channel_names[channel_id]
        if channel_id.startswith("D"):
            return "directmessage"
        return "privategroup" if channel_id.startswith("G") else channel_id.lower()

    def named_channels(self) -> dict[str, str]:
        """The channels the workspace knows by name (id -> name), as conversations.list
        lists them."""
        with self._changed:
            return dict(self._channel_names)

    def issue_trigger(self, user_id: str) -> str:
        """A fresh trigger id for ``user_id``, as sent with a command or interaction."""
        now = time.time()
        trigger_id = f"{int(now)}.{next(self._trigger_numbers)}.{secrets.token_hex(16)}"
        with self._changed:
            if len(self._triggers) >= _PRUNE_AT:
                self._triggers = {
                    k: t for k, t in self._triggers.items() if not t.used and not self._expired(t)
                }
            self._triggers[trigger_id] = _Trigger(user_id, now)
        return trigger_id

    def redeem_trigger(self, trigger_id: Any) -> str:
        """The user a trigger id was issued for; it cannot be used again."""
        with self._changed:
            trigger = self._triggers.get(trigger_id) if isinstance(trigger_id, str) else None
            if trigger is None:
                raise SlackError("invalid_trigger_id")
            if trigger.used:
                raise SlackError("exchanged_trigger_id")
            if self._expired(trigger):
                raise SlackError("expired_trigger_id")
            trigger.used = True
            return trigger.user

    def _expired(self, trigger: _Trigger) -> bool:
        return self.trigger_ttl is not None and time.time() - trigger.issued_at > self.trigger_ttl


def _made_up_user(user_id: str) -> dict[str, Any]:
    handle = f"member-{user_id.lower()}"
    real_name = f"Lab Member {user_id}"
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": handle,
        "deleted": False,
        "real_name": real_name,
        "tz": "Europe/Zurich",
        "tz_offset": 3600,
        "is_admin": False,
        "is_owner": False,
        "is_bot": False,
        "is_app_user": False,
        "updated": 1_700_000_000,
        "profile": {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": handle,
            "display_name_normalized": handle,
            "email": f"{user_id.lower()}@farlab.example",
            "team": TEAM_ID,
        },
    }


def _bot_user() -> dict[str, Any]:
    user = _made_up_user(BOT_USER_ID)
    user.update(name=BOT_NAME, real_name="FarLab", is_bot=True)
    user["profile"].update(real_name="FarLab", display_name=BOT_NAME, bot_id=BOT_ID)
    del user["profile"]["email"]
    return user
