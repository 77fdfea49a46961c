"""What a command handler is given, and the table of commands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain.context import DomainContext
from domain.permissions import Action, Actor, can

Message = dict[str, Any]


@dataclass
class CommandRequest:
    """One verified ``/farlab`` request."""

    runtime: BotRuntime
    client: WebClient
    context: Any
    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str

    @property
    def ctx(self) -> DomainContext:
        return self.runtime.ctx

    @property
    def actor(self) -> Actor:
        return actor_of(self.context)

    @property
    def linked_actor(self) -> Actor | None:
        """The acting account, or None when the person is not linked (or deactivated)."""
        actor = self.context.get("actor")
        return actor if isinstance(actor, Actor) else None

    @property
    def can_manage(self) -> bool:
        return can(self.actor, Action.MANAGE_PARTS)

    def open_modal(self, view: dict[str, Any]) -> None:
        """Open a modal after the answer (trigger ids last 3 s; Slack waits for no one)."""
        self.runtime.defer(self.client.views_open, trigger_id=self.trigger_id, view=view)


Handler = Callable[[CommandRequest, list[str]], Message | None]


@dataclass(frozen=True)
class Command:
    """A first word of ``/farlab`` and its handler (``bot.blocks.help`` says what it does)."""

    name: str
    handler: Handler
    needs_account: bool = True
