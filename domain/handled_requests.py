"""Each request handled once: claim its key first, keep its answer, answer copies from it.

The keys are opaque to the domain (the Slack entrypoint uses a request's signature or an
event's id). Claims live in the database, so every process serving the same database sees
them; each step is its own short transaction, committed before the request is handled.
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
    "forget_request",
    "purge_handled_requests",
    "remember_answer",
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


def remember_answer(ctx: DomainContext, key: str, answer: StoredAnswer) -> None:
    with ctx.transaction() as session:
        handled_requests.record_answer(session, key, answer)


def earlier_answer(ctx: DomainContext, key: str) -> StoredAnswer | None:
    """The answer the first copy got; None while it is still being handled."""
    with ctx.transaction() as session:
        return handled_requests.answer_for(session, key, now=ctx.now())


def forget_request(ctx: DomainContext, key: str) -> None:
    """Drop a claim whose request could not be handled, so that a retry can be."""
    with ctx.transaction() as session:
        handled_requests.release(session, key)


def purge_handled_requests(ctx: DomainContext) -> int:
    with ctx.transaction() as session:
        return handled_requests.purge_expired(session, now=ctx.now())
