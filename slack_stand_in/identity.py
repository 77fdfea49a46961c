"""Who the stand-in workspace is, and the shapes of the ids it hands out."""

from __future__ import annotations

import secrets
import string
import threading
import time

TEAM_ID = "T0FARLAB"
TEAM_DOMAIN = "farlab-lab"
TEAM_NAME = "FarLab Lab"
WORKSPACE_URL = f"https://{TEAM_DOMAIN}.slack.com/"
APP_ID = "A0FARLAB"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
BOT_NAME = "farlab"
# The legacy verification token Slack still puts in every payload; Bolt ignores it.
PAYLOAD_TOKEN = "verification-token-not-checked"  # noqa: S105

_ALPHANUMERIC = string.ascii_letters + string.digits


def dm_channel(user_id: str) -> str:
    """The id of the app's direct-message channel with a user."""
    return "D" + user_id


def conversation_id(channel: str) -> str:
    """The conversation a post lands in: a user id addresses the DM with that user."""
    return dm_channel(channel) if channel[:1] in ("U", "W") else channel


def random_id(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def new_block_id() -> str:
    """A block id like the ones Slack gives blocks that arrive without one."""
    return random_id("", 5)


def wall_ts() -> str:
    """The current time as a Slack timestamp (``action_ts``, ``event_ts``)."""
    return f"{time.time():.6f}"


class TsClock:
    """Message timestamps from the wall clock, as Slack's are (``seconds.microseconds``),
    strictly increasing even for posts within the same microsecond (thread-safe)."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            micros = max(time.time_ns() // 1_000, self._last + 1)
            self._last = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"
