"""Each Slack request in the logs and the metrics: its id (Slack's trigger id, or the event
envelope's id) on every line written while it is handled, and its name, time and count in
the metrics under surface ``slack``.

A request's name has a bounded set of values, never user text: ``/farlab use`` (the
command's first word, when it is a known command), ``action part`` (the family of the
first action id), ``view part_add`` (the callback id), ``shortcut take_part``, ``event
app_home_opened``; anything else is ``other``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from bot.commands.router import BY_NAME
from bot.ids import ActionId, CallbackId, ShortcutId
from observability.log_scope import (
    RequestScope,
    current_scope,
    new_request_id,
    sane_request_id,
    scoped,
)

OTHER = "other"
ACTION_FAMILIES = frozenset(a.value.split(".")[0] for a in ActionId)
CALLBACK_IDS = frozenset(c.value for c in CallbackId)
SHORTCUT_IDS = frozenset(s.value for s in ShortcutId)
COMMAND_NAME = re.compile(r"/[a-z0-9_-]{1,30}")
EVENT_TYPE = re.compile(r"[a-z_]{1,40}")


class RequestMetrics(Protocol):
    def request_handled(self, surface: str, route: str, seconds: float) -> None: ...


def slack_request_id(body: dict[str, Any]) -> str | None:
    """Slack's own id of the request: the trigger id of an interaction or a command, the
    envelope's event id of an event."""
    for key in ("trigger_id", "event_id"):
        found = sane_request_id(body.get(key) if isinstance(body.get(key), str) else None)
        if found:
            return found
    return None


def slack_route(body: dict[str, Any]) -> str:
    """The request's name for the metrics (see the module's docstring)."""
    if isinstance(body.get("command"), str):
        command = body["command"] if COMMAND_NAME.fullmatch(body["command"]) else OTHER
        args = str(body.get("text") or "").split()
        first = args[0].lower() if args else "help"
        return f"{command} {first if first in BY_NAME or first == 'help' else OTHER}"
    kind = body.get("type")
    if kind in ("block_actions", "block_suggestion"):
        actions = body.get("actions") or [{}]
        action_id = str((actions[0] if kind == "block_actions" else body).get("action_id", ""))
        family = action_id.split(".")[0]
        prefix = "action" if kind == "block_actions" else "options"
        return f"{prefix} {family if family in ACTION_FAMILIES else OTHER}"
    if kind in ("view_submission", "view_closed"):
        callback_id = (body.get("view") or {}).get("callback_id")
        return f"view {callback_id if callback_id in CALLBACK_IDS else OTHER}"
    if kind in ("shortcut", "message_action"):
        callback_id = body.get("callback_id")
        return f"shortcut {callback_id if callback_id in SHORTCUT_IDS else OTHER}"
    if kind == "event_callback":
        event_type = str((body.get("event") or {}).get("type", ""))
        return f"event {event_type if EVENT_TYPE.fullmatch(event_type) else OTHER}"
    return OTHER


@contextmanager
def _request_scope(request_id: str | None) -> Iterator[RequestScope]:
    """The HTTP request's scope, now named by Slack's id, or (Socket Mode) a new one."""
    scope = current_scope()
    if scope is None:
        with scoped(request_id or new_request_id()) as scope:
            yield scope
        return
    if request_id:
        scope.request_id = request_id
    yield scope


def observation_middleware(metrics: RequestMetrics | None) -> Callable[..., Any]:
    def observe_slack_request(body: dict[str, Any], next: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        with _request_scope(slack_request_id(body)):
            try:
                return next()
            finally:
                if metrics is not None:
                    seconds = time.perf_counter() - started
                    metrics.request_handled("slack", slack_route(body), seconds)

    return observe_slack_request
