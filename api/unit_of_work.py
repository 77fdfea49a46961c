"""One unit of work per REST call: every service the route calls joins it, and it commits
once, before the answer is sent.

A call answered with a status below 400 is committed; any other is rolled back, so a refused
call leaves nothing half-written. When the database refuses the commit, the answer the route
prepared is dropped and a JSON error is sent instead (503 when it cannot be written, 409 for
a conflict found at the commit). The sign-in call (``POST {prefix}/token``) is left to its
own transactions: a failed sign-in must be counted although the call is refused.
"""

from __future__ import annotations

import json

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import answer_for
from domain.context import DomainContext
from domain.errors import DomainError

JSON_HEADERS = [(b"content-type", b"application/json")]


class UnitOfWorkMiddleware:
    def __init__(
        self, app: ASGIApp, *, ctx: DomainContext, prefix: str, own: tuple[str, ...]
    ) -> None:
        self.app = app
        self.ctx = ctx
        self.prefix = prefix.rstrip("/") + "/"
        self.own = frozenset(own)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(self.prefix) or path in self.own:
            await self.app(scope, receive, send)
            return
        unit = self.ctx.open_unit()
        finished = False
        replaced = False

        async def finish(commit: bool) -> DomainError | None:
            nonlocal finished
            finished = True
            try:
                await anyio.to_thread.run_sync(lambda: self.ctx.finish_unit(unit, commit=commit))
            except DomainError as refused:
                return refused
            return None

        async def send_after_commit(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the route's answer was replaced: drop the rest of its body
            if message["type"] == "http.response.start" and not finished:
                refused = await finish(commit=message["status"] < 400)
                if refused is not None:
                    replaced = True
                    await _send_refusal(send, refused)
                    return
            await send(message)

        try:
            with self.ctx.entered(unit):
                await self.app(scope, receive, send_after_commit)
        finally:
            if not finished:  # the route raised before answering
                await finish(commit=False)


async def _send_refusal(send: Send, refused: DomainError) -> None:
    """The error table's answer to a commit the database refused."""
    answer = answer_for(refused)
    headers = [
        *JSON_HEADERS,
        *((k.lower().encode(), v.encode()) for k, v in answer.headers(refused).items()),
    ]
    body = json.dumps(answer.body(refused)).encode()
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
