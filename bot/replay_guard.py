"""A replayed Slack request changes nothing twice.

Every accepted request that may change something (slash commands, button clicks, form
submissions, events) is claimed in the database before Bolt sees it, keyed by its
signature (which covers its timestamp and body), or for an event by its ``event_id``
(Slack re-signs an event's retries with a new timestamp). The first copy runs and its
answer is stored with the claim; a later copy runs nothing and gets that answer. A copy that
arrives while the first is still running waits briefly for the answer, then is told the
request is already being handled. Claims last as long as the signature could be accepted
(five minutes from its timestamp) plus a margin; an event's, an hour (Slack retries an
event up to three times within about six minutes).

Options requests (``block_suggestion``) only read: they are answered from the current data
each time, and a row per keystroke would slow the pickers for nothing, so they are not
claimed; neither are ``url_verification`` and ``ssl_check``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta

import anyio
import anyio.to_thread
from slack_bolt import BoltResponse

from bot.payload_shapes import SlackPayload
from bot.request_checks import MAX_AGE_SECONDS, VerifiedRequest
from domain import handled_requests
from domain.context import DomainContext
from domain.errors import Unavailable
from domain.handled_requests import StoredAnswer

READ_ONLY = frozenset({"block_suggestion", "url_verification", "ssl_check"})
# Beyond the five minutes a signature is accepted for: clocks of several servers differ.
MARGIN = timedelta(minutes=1)
EVENT_KEEP = timedelta(hours=1)
# How long a copy waits for the first copy's answer (Slack gives up after 3 s).
WAIT_SECONDS = 2.0
PURGE_EVERY_SECONDS = 60.0
JSON = "application/json;charset=utf-8"


class ReplayGuard:
    def __init__(self, ctx: DomainContext) -> None:
        self.ctx = ctx
        self._next_purge = 0.0
        self._purge_lock = threading.Lock()

    def claim_for(
        self, payload: SlackPayload, request: VerifiedRequest
    ) -> tuple[str, timedelta] | None:
        """The key and how long to keep it, or None for a request that changes nothing."""
        if payload.kind in READ_ONLY:
            return None
        if payload.event_id is not None:
            digest = hashlib.sha256(payload.event_id.encode()).hexdigest()
            return f"event:{digest}", EVENT_KEEP
        accepted_until = request.timestamp + MAX_AGE_SECONDS
        keep = timedelta(seconds=max(0.0, accepted_until - time.time())) + MARGIN
        return f"signature:{request.signature}", keep

    def handle_once(
        self, key: str, keep_for: timedelta, handle: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        """``handle()``'s answer, stored under ``key``; None when a copy was accepted before.

        ``Unavailable`` when the database cannot take the claim: nothing was handled. Once
        ``handle()`` has run, its answer is given even if it cannot be stored (copies are
        then told the request is being handled until the claim expires).
        """
        self._purge_now_and_then()
        if not handled_requests.claim_request(self.ctx, key, keep_for=keep_for):
            return None
        try:
            response = handle()
        except BaseException:
            _quietly(handled_requests.forget_request, self.ctx, key)
            raise
        if response.status >= 500:  # nothing was handled: let Slack's retry be
            _quietly(handled_requests.forget_request, self.ctx, key)
        else:
            _quietly(handled_requests.remember_answer, self.ctx, key, _stored(response))
        return response

    async def earlier_answer(self, key: str, kind: str) -> StoredAnswer:
        """The answer the first copy got, once it has one; else "already being handled"."""
        deadline = anyio.current_time() + WAIT_SECONDS
        delay = 0.02
        while True:
            try:
                answer = await anyio.to_thread.run_sync(
                    handled_requests.earlier_answer, self.ctx, key
                )
            except Unavailable:  # logged where it was raised
                return _being_handled(kind)
            if answer is not None:
                return answer
            if anyio.current_time() >= deadline:
                return _being_handled(kind)
            await anyio.sleep(delay)
            delay = min(delay * 2, 0.2)

    def _purge_now_and_then(self) -> None:
        now = time.monotonic()
        with self._purge_lock:
            if now < self._next_purge:
                return
            self._next_purge = now + PURGE_EVERY_SECONDS
        _quietly(handled_requests.purge_handled_requests, self.ctx)


def _quietly(step: Callable[..., object], *args: object) -> None:
    """Book-keeping that may fail while the database is unavailable (already logged as
    one warning where it was raised): the request's own answer still stands."""
    with suppress(Unavailable):
        step(*args)


def signature_key(signature: str) -> str:
    """The key a request is remembered by: its ``X-Slack-Signature``."""
    return f"signature:{signature}"


def _stored(response: BoltResponse) -> StoredAnswer:
    content_type = next(iter(response.headers.get("content-type", ())), None)
    return StoredAnswer(status=response.status, content_type=content_type, body=response.body)


def _being_handled(kind: str) -> StoredAnswer:
    """What a copy of a request still being handled gets: a command, a message the person
    sees; an event, a 200 so that Slack stops retrying; anything else, a 409."""
    text = "This request is already being handled."
    if kind == "command":
        body = json.dumps({"response_type": "ephemeral", "text": text})
        return StoredAnswer(status=200, content_type=JSON, body=body)
    if kind == "event_callback":
        return StoredAnswer(status=200, content_type=None, body="")
    body = json.dumps({"error": "already_being_handled", "detail": text})
    return StoredAnswer(status=409, content_type=JSON, body=body)
