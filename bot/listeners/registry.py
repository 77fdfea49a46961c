"""The one way a listener is registered: its module's ``Listeners`` collects it by decorator.

Each listener module makes one ``Listeners`` and marks its handlers with
``@listeners.action(ActionId.X, ...)``, ``.view(CallbackId.Y)``, ``.options(ActionId.Z)``,
``.command("/farlab")``, ``.event("app_home_opened")``, ``.global_shortcut(ShortcutId.A)`` or
``.message_shortcut(ShortcutId.B)``; ``bot.listeners.register_all``
hands every module's collection to the Bolt app when it is built.

How a handler is called is the collection's ``adapt``, run once per app with the runtime:
it turns each handler into the Bolt listener registered for it. The default passes the
runtime as the handler's first argument and leaves the rest to Bolt, which injects
arguments by name (``ack``, ``body``, ``client``, ``context``, ...). A module whose handlers
share the same first steps (acknowledge, read the payload, answer) gives its own ``adapt``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from slack_bolt import App

from bot.runtime import BotRuntime

Kind = Literal[
    "action", "view", "options", "command", "event", "global_shortcut", "message_shortcut"
]
BoltListener = Callable[..., None]
Adapt = Callable[[BotRuntime], Callable[[Callable[..., Any]], BoltListener]]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Registration:
    kind: Kind
    key: str
    handler: Callable[..., Any]


def runtime_first(runtime: BotRuntime) -> Callable[[Callable[..., Any]], BoltListener]:
    """The default ``adapt``: the handler gets the runtime, then what Bolt injects by name."""

    def adapt(handler: Callable[..., Any]) -> BoltListener:
        listener = functools.partial(handler, runtime)
        cast(Any, listener).__name__ = handler.__name__  # the name Bolt logs
        return listener

    return adapt


class Listeners:
    """One module's listeners, registered together by ``register``."""

    def __init__(self, adapt: Adapt = runtime_first) -> None:
        self.adapt = adapt
        self.registrations: list[Registration] = []

    def action(self, *action_ids: str) -> Callable[[F], F]:
        return self._add("action", action_ids)

    def view(self, *callback_ids: str) -> Callable[[F], F]:
        return self._add("view", callback_ids)

    def options(self, *action_ids: str) -> Callable[[F], F]:
        return self._add("options", action_ids)

    def command(self, *names: str) -> Callable[[F], F]:
        return self._add("command", names)

    def event(self, *names: str) -> Callable[[F], F]:
        return self._add("event", names)

    def global_shortcut(self, *callback_ids: str) -> Callable[[F], F]:
        return self._add("global_shortcut", callback_ids)

    def message_shortcut(self, *callback_ids: str) -> Callable[[F], F]:
        return self._add("message_shortcut", callback_ids)

    def _add(self, kind: Kind, keys: tuple[str, ...]) -> Callable[[F], F]:
        def add(handler: F) -> F:
            for key in map(str, keys):
                if any(r.kind == kind and r.key == key for r in self.registrations):
                    raise ValueError(f"{kind} {key!r} is registered twice")
                self.registrations.append(Registration(kind, key, handler))
            return handler

        return add

    def register(self, app: App, runtime: BotRuntime) -> None:
        adapt = self.adapt(runtime)
        for registration in self.registrations:
            bolt_decorator = getattr(app, registration.kind)(registration.key)
            bolt_decorator(adapt(registration.handler))
