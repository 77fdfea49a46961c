"""The HTTP process: Slack's /slack/events beside the REST API, link pages and health."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from slack_bolt import App, BoltRequest, BoltResponse
from starlette.requests import ClientDisconnect

from bot.middleware import REFUSAL
from bot.payload_shapes import SlackPayload, parse_payload
from bot.replay_guard import ReplayGuard
from bot.request_checks import RequestRefused, VerifiedRequest, read_body, verify_signature
from domain.context import DomainContext

log = logging.getLogger("farlab.http")

# Slack requests dispatched at once; the others wait their turn on the event loop. The work
# is mostly Python holding the GIL, so more threads add contention, not throughput: at 16
# concurrent commands the thread pool's 40 threads gave about twice this limit's p99
# (bench/slack.py). A few are kept so one waiting on the database does not stall the rest.
SLACK_THREADS = 4


def add_slack_routes(
    web: FastAPI, bolt_app: App, ctx: DomainContext, *, signing_secret: str
) -> None:
    """Serve Slack at /slack/events: one URL for commands, interactivity, options, events.

    Before anything is parsed the body's size and Slack's signature are checked on the raw
    bytes (``bot.request_checks``), then the payload's shape (``bot.payload_shapes``); a
    request that fails gets a 4xx with a short JSON error. A request that may change
    something runs once (``bot.replay_guard``); copies get the first one's answer. Bolt
    verifies the signature again (it costs one HMAC) and answers with
    ``process_before_response=True`` in the thread pool, so its answer is the HTTP response
    and the event loop never blocks. At most ``SLACK_THREADS`` run at once.
    """
    limiter: anyio.CapacityLimiter | None = None
    guard = ReplayGuard(ctx)

    async def slack_events(request: Request) -> Response:
        nonlocal limiter
        if limiter is None:  # made on the event loop that serves the requests
            limiter = anyio.CapacityLimiter(SLACK_THREADS)
        try:
            verified, text, payload = await _checked(request, signing_secret)
        except RequestRefused as refused:
            log.info("refused a Slack request: %s %s", refused.status, refused.code)
            body = {"error": refused.code} | ({"detail": refused.detail} if refused.detail else {})
            # A body left unread is not drained: the connection is closed after the answer.
            close = {"connection": "close"} if refused.status == 413 else None
            return JSONResponse(body, status_code=refused.status, headers=close)
        bolt_request = _bolt_request(request, text)
        claim = guard.claim_for(payload, verified)

        def refuse(problem: Exception) -> BoltResponse:
            return bolt_app.dispatch(_bolt_request(request, text, refusal=problem))

        def dispatch_once() -> BoltResponse | None:
            return guard.run_once(claim, lambda: bolt_app.dispatch(bolt_request), refuse)

        first = await anyio.to_thread.run_sync(dispatch_once, limiter=limiter)
        if first is not None:
            return _response(first)
        assert claim is not None  # only a claimed request has copies
        earlier = await guard.earlier_answer(claim[0], payload.kind)  # this is a copy
        return Response(earlier.body, earlier.status, media_type=earlier.content_type)

    web.add_api_route("/slack/events", slack_events, methods=["POST"], include_in_schema=False)


def add_socket_mode_only_route(web: FastAPI) -> None:
    """Slack over Socket Mode alone (no signing secret): /slack/events answers 404 with the
    reason, so a Request URL left in the app's settings is told why nothing answers it."""

    async def not_served(_request: Request) -> Response:
        detail = (
            "FarLab receives Slack's requests over Socket Mode (SLACK_APP_TOKEN); "
            "/slack/events is served only when SLACK_SIGNING_SECRET is set"
        )
        return JSONResponse({"error": "socket_mode_only", "detail": detail}, status_code=404)

    web.add_api_route("/slack/events", not_served, methods=["POST"], include_in_schema=False)


async def _checked(
    request: Request, signing_secret: str
) -> tuple[VerifiedRequest, str, SlackPayload]:
    """Size, then signature, then encoding, then shape: ``RequestRefused`` at the first
    that fails."""
    try:
        raw = await read_body(request.stream(), request.headers.get("content-length"))
    except ClientDisconnect:
        raise RequestRefused(400, "client_disconnected") from None
    verified = verify_signature(raw, request.headers, signing_secret)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestRefused(400, "malformed_payload", "the body is not UTF-8") from None
    content_type = request.headers.get("content-type", "").split(";")[0] or None
    return verified, text, parse_payload(text, content_type)


def _bolt_request(request: Request, text: str, *, refusal: Exception | None = None) -> BoltRequest:
    """The request for Bolt; with ``refusal``, one that Bolt answers as failed with it
    (``bot.middleware.refusal_middleware``) without running any listener."""
    headers: dict[str, str | Sequence[str]] = {}
    for key, value in request.headers.items():
        headers[key] = [*headers.get(key, ()), value]
    context = {REFUSAL: refusal} if refusal is not None else None
    return BoltRequest(body=text, query=request.url.query, headers=headers, context=context)


def _response(answer: BoltResponse) -> Response:
    return Response(
        status_code=answer.status,
        content=answer.body,
        headers={k: v[0] for k, v in answer.headers.items() if v},
    )
