"""A replayed Slack request changes nothing twice; every request is one unit of work.

Each accepted request is dispatched inside one unit of work: the actor is looked up, the
service runs and the answer is built in one transaction, committed once. A request that
changed something (or queued Slack calls for after its commit) is claimed, with its answer,
by the last statement of that transaction, keyed by its signature (which covers its
timestamp and body) or, for an event, by its ``event_id`` (Slack re-signs an event's retries
with a new timestamp). A copy finds the claim, rolls its own work back (its queued Slack
calls are dropped) and gets the first copy's answer; a copy running at the same time waits
for the first to commit. A request that changed nothing, or failed, is claimed in a
transaction of its own so that a replay of a failed request is answered the same way. Claims
last as long as the signature could be accepted (five minutes from its timestamp) plus a
margin; an event's, an hour (Slack retries an event up to three times within about six
minutes). Read-only requests (a command that only shows something) are not claimed: a copy
is answered again from the current data, which changes nothing.

When the database cannot take the unit's commit (``Unavailable``), nothing of the request is
kept and it is answered as a request that failed with that error (``refuse``), so the person
is told FarLab cannot save changes right now. A connection found dropped during the request
(a database restart) makes the request run once more on a new connection.

Options requests (``block_suggestion``) only read: they are answered from the current data
each time, and a row per keystroke would slow the pickers for nothing, so they are not
claimed; neither are ``url_verification`` and ``ssl_check``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import anyio
import anyio.to_thread
from slack_bolt import BoltResponse

from bot.payload_shapes import SlackPayload
from bot.request_checks import MAX_AGE_SECONDS, VerifiedRequest
from domain import handled_requests
from domain.context import DomainContext, UnitOfWork
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

    def run_once(
        self,
        claim: tuple[str, timedelta] | None,
        handle: Callable[[], BoltResponse],
        refuse: Callable[[Unavailable], BoltResponse],
    ) -> BoltResponse | None:
        """``handle()``'s answer, from one unit of work (claimed under ``claim``'s key when
        it changed something); None when a copy was accepted before; ``refuse(problem)``'s
        answer, with nothing kept, when the database cannot take the unit."""
        if claim is not None:
            self._purge_now_and_then()
        for attempt in (1, 2):
            failed: BoltResponse | None = None
            try:
                with self.ctx.unit_of_work() as unit:
                    response = handle()
                    if attempt == 1 and unit.dropped_connection:
                        _abandon(unit)
                        continue  # once more, on a connection that works
                    if response.status >= 500:  # nothing was handled: let Slack retry
                        _abandon(unit)
                        return response
                    if claim is None:
                        return response
                    if unit.rollback_only:
                        failed = response  # claimed below, once its work is rolled back
                    elif (unit.wrote or unit.deferred_work) and not self._claim(
                        claim, response, own_transaction=False
                    ):
                        _abandon(unit)  # a copy: the first one's work stands
                        return None
                    else:
                        return response
            except Unavailable as problem:
                if attempt == 1 and _dropped(problem):
                    continue
                return refuse(problem)
            # A request that failed changed nothing; it is claimed so that its replays get
            # the same answer rather than a second try.
            assert failed is not None
            assert claim is not None
            try:
                return failed if self._claim(claim, failed, own_transaction=True) else None
            except Unavailable:
                return failed
        return refuse(Unavailable("the database connection was lost"))

    def _claim(
        self, claim: tuple[str, timedelta], response: BoltResponse, *, own_transaction: bool
    ) -> bool:
        """Claim the request with its answer; False when a copy claimed it first."""
        key, keep_for = claim
        return handled_requests.claim_request(
            self.ctx,
            key,
            keep_for=keep_for,
            answer=_stored(response),
            own_transaction=own_transaction,
        )

    async def earlier_answer(self, key: str, kind: str) -> StoredAnswer:
        """The answer the first copy got, once it has one; else "already being handled"."""
        deadline = anyio.current_time() + WAIT_SECONDS
        delay = 0.02
        while True:
            try:
                answer = await anyio.to_thread.run_sync(
                    handled_requests.earlier_answer, self.ctx, key
                )
            except Unavailable:
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


def _abandon(unit: UnitOfWork) -> None:
    """Keep nothing of the unit: roll it back and drop the Slack calls it queued."""
    unit.fail()
    unit.discard_after_commit()


def _dropped(problem: Unavailable) -> bool:
    """Whether ``problem`` came from a connection the database had dropped."""
    cause: BaseException | None = problem
    while cause is not None:
        if getattr(cause, "connection_invalidated", False):
            return True
        cause = cause.__cause__
    return False


def _quietly(step: Callable[..., object], *args: object) -> None:
    """Run a bookkeeping step; a database that cannot take it (already logged as a warning
    by the domain) does not fail the request."""
    with contextlib.suppress(Unavailable):
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
