"""ASGI middleware: the X-Process-Time header, headers that keep answers from being
sniffed or cached, and a JSON 500 for unexpected errors."""

from __future__ import annotations

import logging
import time

from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("farlab.api")


class ProcessTimeMiddleware:
    """Adds ``X-Process-Time`` (seconds, as a decimal) to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = time.perf_counter() - started
                MutableHeaders(scope=message).append("X-Process-Time", f"{elapsed:.6f}")
            await send(message)

        await self.app(scope, receive, send_timed)


class SecurityHeadersMiddleware:
    """``X-Content-Type-Options: nosniff`` on every response, and ``Cache-Control:
    no-store`` on those under ``no_store`` (tokens and accounts must not stay in a cache).
    A header a route set itself is kept."""

    def __init__(self, app: ASGIApp, *, no_store: tuple[str, ...] = ()) -> None:
        self.app = app
        self.no_store = no_store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        private = any(path == p or path.startswith(f"{p}/") for p in self.no_store)

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if private:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_guarded)


class UnexpectedErrorMiddleware:
    """A bug answers ``500 {"detail": "Internal server error"}`` (JSON), and is logged.

    It sits inside the CORS middleware, so a browser can still read the answer.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception:
            log.exception("Unexpected error in %s %s", scope["method"], scope["path"])
            if started:
                raise
            response = JSONResponse({"detail": "Internal server error"}, status_code=500)
            await response(scope, receive, send)
