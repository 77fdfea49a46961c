"""The stand-in's picture of the workspace: messages, views, people, response hooks, files."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from slack_stand_in.directory import Directory
from slack_stand_in.files import FileStore
from slack_stand_in.hooks import ResponseHooks
from slack_stand_in.identity import TsClock
from slack_stand_in.messages import MessageStore
from slack_stand_in.views import ViewStore


class Workspace:
    """What people in the workspace would see. Every part shares one lock and wakes
    ``changed`` waiters on each change; readers get copies."""

    def __init__(self, changed: threading.Condition | None = None) -> None:
        self.changed = changed or threading.Condition(threading.RLock())
        self.messages = MessageStore(self.changed, TsClock())
        self.views = ViewStore(self.changed)
        self.directory = Directory(self.changed)
        self.hooks = ResponseHooks(self.changed, self.messages)
        self.files = FileStore(self.changed)

    def answer_command(self, channel: str, user: str, body: Mapping[str, Any]) -> None:
        """Show a slash command's acknowledgement (ephemeral, or in channel if asked)."""
        self.hooks.deliver_ack(channel, user, body)

    def answer_submission(self, user: str, view_id: str, body: Mapping[str, Any]) -> None:
        """Apply the acknowledgement of a view submission (close, update, push, clear)."""
        self.views.answer_submission(user, view_id, body)
