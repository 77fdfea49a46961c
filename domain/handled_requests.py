"""Each request handled once: claim its key with its answer, answer copies from it.

The keys are opaque to the domain (the Slack entrypoint uses a request's signature or an
event's id). Claims live in the database, so every process serving the same database sees
them. A claim joins the request's unit of work and commits with the request's own change
(``bot/replay_guard.py``); a copy that finds the key claimed rolls its own work back.
"""

from __future__ import annotations

from datetime import timedelta

from domain.context import DomainContext
from persistence import handled_requests
from persistence.handled_requests import StoredAnswer

__all__ = [
    "StoredAnswer",
    "claim_request",
    "earlier_answer",
    "purge_handled_requests",
]


def claim_request(
    ctx: DomainContext,
    key: str,
    *,
    keep_for: timedelta,
    answer: StoredAnswer | None = None,
    own_transaction: bool = False,
) -> bool:
    """True when no copy of this request was accepted before. Claimed with its ``answer``
    inside the open unit of work, the claim commits with the request's own change (or not
    at all); ``own_transaction`` claims it at once, whatever becomes of the interaction."""
    now = ctx.now()
    transaction = ctx.own_transaction if own_transaction else ctx.transaction
    with transaction() as session:
        return handled_requests.claim(
            session, key, now=now, expires_at=now + keep_for, answer=answer
        )


def earlier_answer(ctx: DomainContext, key: str) -> StoredAnswer | None:
    """The answer the first copy got; None while it is still being handled."""
    with ctx.transaction() as session:
        return handled_requests.answer_for(session, key, now=ctx.now())


def purge_handled_requests(ctx: DomainContext) -> int:
    with ctx.transaction() as session:
        return handled_requests.purge_expired(session, now=ctx.now())
