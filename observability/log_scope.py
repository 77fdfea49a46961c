"""The request or job a log line was written for: its id and who was acting.

Each entrypoint opens a scope when it starts handling something (``scoped``): the HTTP
middleware per request, the Bolt middleware per Slack request (or it sharpens the HTTP
one's with Slack's own id), the scheduler per job run. The scope is a small mutable object
held in a context variable: threads started for the request (anyio, FastAPI's thread pool)
see a copy of the variable, so they share the object, and the actor set once the user is
known (``set_actor``) shows on every later line. ``RequestScopeFilter`` copies both onto
each record its handler sees.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

NONE = "-"  # what a line outside any request or job shows
# An id sent by a client (X-Request-ID) is kept only when it looks like one.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass
class RequestScope:
    request_id: str
    actor: str = NONE


_scope: ContextVar[RequestScope | None] = ContextVar("farlab_request_scope", default=None)


def new_request_id() -> str:
    return secrets.token_hex(8)


def sane_request_id(value: str | None) -> str | None:
    """``value`` if it may stand in logs and headers as a request id, else None."""
    if value and SANE_REQUEST_ID.fullmatch(value):
        return value
    return None


def current_scope() -> RequestScope | None:
    return _scope.get()


@contextmanager
def scoped(request_id: str, actor: str = NONE) -> Iterator[RequestScope]:
    """A scope for the work inside the block (any scope around it comes back after)."""
    scope = RequestScope(request_id=request_id, actor=actor)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def set_actor(actor: str) -> None:
    """Name who is acting in the current scope (nothing happens outside one)."""
    scope = _scope.get()
    if scope is not None:
        scope.actor = actor


class RequestScopeFilter(logging.Filter):
    """Puts ``request_id`` and ``actor`` on every record (``-`` outside a scope)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scope = _scope.get()
        record.request_id = scope.request_id if scope else NONE
        record.actor = scope.actor if scope else NONE
        return True
