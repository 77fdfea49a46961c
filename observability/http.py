"""ASGI middleware: each HTTP request gets a request id for its log lines (the client's
``X-Request-ID`` when it is sane, else a new one), echoed in the answer's ``X-Request-ID``;
with metrics, it is counted and timed by surface (api, pages) and route template. One
INFO line per request names its method, route template (never the raw path or query,
where link tokens travel), status and time.

Slack's requests (``slack_path``) are counted by the Bolt app, which knows their command
or action (``bot.observation``); their log lines start here and take Slack's id there.
``/metrics`` itself is not counted.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observability.log_scope import new_request_id, sane_request_id, scoped

log = logging.getLogger("farlab.http")
REQUEST_ID_HEADER = "X-Request-ID"
UNMATCHED = "unmatched"  # a path no route serves (a 404): not its raw path


def route_template(scope: Scope) -> str:
    """The template of the route that served the request (``/api/parts/{part_id}``).

    A route of an included router may know only its own part (``/{part_id}``): the path's
    head before the part the route matches is its routers' prefix, which is fixed text.
    """
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not isinstance(template, str):
        return UNMATCHED
    path: str = scope["path"]
    pattern = getattr(route, "path_regex", None)
    if pattern is not None and not pattern.match(path):
        for cut in (i for i, char in enumerate(path) if char == "/" and i > 0):
            if pattern.match(path[cut:]):
                return path[:cut] + template
    return template


class RequestMetrics(Protocol):
    def request_handled(self, surface: str, route: str, seconds: float) -> None: ...


class RequestObservationMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: RequestMetrics | None,
        api_prefix: str,
        slack_path: str = "/slack/events",
        unobserved: tuple[str, ...] = ("/metrics",),
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.api_prefix = api_prefix.rstrip("/")
        self.slack_path = slack_path
        self.unobserved = unobserved

    def surface(self, path: str) -> str | None:
        """``api``, ``pages``, or None when the request is not counted here."""
        if path == self.slack_path or path in self.unobserved:
            return None
        prefix = self.api_prefix
        if prefix and (path == prefix or path.startswith(prefix + "/")):
            return "api"
        return "pages"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = sane_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        started = time.perf_counter()
        status = 500  # unless an answer starts
        with scoped(sent or new_request_id()) as request:

            async def send_with_id(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request.request_id
                await send(message)

            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                route = route_template(scope)
                log.info("%s %s %s %.3fs", scope["method"], route, status, seconds)
                surface = self.surface(scope["path"])
                if self.metrics is not None and surface is not None:
                    self.metrics.request_handled(surface, route, seconds)
