"""Buttons whose click must count once: a double click on them is answered, not repeated.

A pick list's Choose runs the command it continues, and some of those (``use``,
``restock``) move stock: a person who double-clicks, or presses Choose again on a list
whose answer has not replaced it yet, must not take stock twice. A choice is keyed by the
person and the message it was made in; a new pick list is a new choice.
"""

from __future__ import annotations

import threading
import time
from typing import Any

# response_urls work for 30 minutes; after that a pick list can no longer be replaced.
REMEMBER_SECONDS = 30 * 60


class OnceEach:
    """Remembers the clicks already taken, for ``REMEMBER_SECONDS``."""

    def __init__(self, seconds: float = REMEMBER_SECONDS) -> None:
        self.seconds = seconds
        self._taken: dict[tuple[str, ...], float] = {}
        self._lock = threading.Lock()

    def first(self, body: dict[str, Any]) -> bool:
        """Whether this is the first such click (and remember it if so)."""
        key = click_key(body)
        now = time.monotonic()
        with self._lock:
            self._taken = {k: t for k, t in self._taken.items() if now - t < self.seconds}
            if key in self._taken:
                return False
            self._taken[key] = now
            return True


def click_key(body: dict[str, Any]) -> tuple[str, ...]:
    """Who clicked what, where: team, user, the message (channel, ts), action and value."""
    container = body.get("container") or {}
    action = (body.get("actions") or [{}])[0]
    return (
        str((body.get("team") or {}).get("id", "")),
        str((body.get("user") or {}).get("id", "")),
        str(container.get("channel_id") or container.get("view_id") or ""),
        str(container.get("message_ts") or ""),
        str(action.get("action_id", "")),
        str(action.get("value", "")),
    )
