"""Was this request already handled, and what was the answer? One row per request key.

A key is claimed with one INSERT (of the key and the answer) as the last statement of the
request's own unit of work; whoever inserts the row keeps its work, and a copy finds the row
and rolls its work back (a copy running at the same time waits on the row, or on SQLite on
the write lock, until the first commits). The row keeps the answer until it expires. An
expired row no longer counts: a claim replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from persistence.models import HandledRequest
from persistence.types import UTCDateTime


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    content_type: str | None
    body: str


def claim(
    session: Session,
    key: str,
    *,
    now: datetime,
    expires_at: datetime,
    answer: StoredAnswer | None = None,
) -> bool:
    """Claim ``key`` until ``expires_at`` (with its ``answer`` when it is known already):
    True when this call got it (no live row had it). One statement."""
    status, content_type, body = (
        (answer.status, answer.content_type, answer.body) if answer else (None, None, None)
    )
    params = {
        "claim_key": key,
        "claim_status": status,
        "claim_type": content_type,
        "claim_body": body,
        "claim_at": now,
        "claim_until": expires_at,
    }
    result = session.connection().execute(_CLAIM, params)
    return result.rowcount == 1


# Every Slack request that changes something runs this, so it is written out once: the same
# SQL on both databases, nothing for SQLAlchemy to build, key or compile per request.
_CLAIM = text(
    "INSERT INTO handled_requests (key, status, content_type, body, claimed_at, expires_at)"
    " VALUES (:claim_key, :claim_status, :claim_type, :claim_body, :claim_at, :claim_until)"
    " ON CONFLICT (key) DO UPDATE SET status = excluded.status,"
    " content_type = excluded.content_type, body = excluded.body,"
    " claimed_at = excluded.claimed_at, expires_at = excluded.expires_at"
    " WHERE handled_requests.expires_at <= :claim_at"
).bindparams(
    bindparam("claim_at", type_=UTCDateTime()), bindparam("claim_until", type_=UTCDateTime())
)


def answer_for(session: Session, key: str, *, now: datetime) -> StoredAnswer | None:
    """The answer stored for a live ``key``; None while it has none yet (or no live row)."""
    row = session.execute(
        select(HandledRequest.status, HandledRequest.content_type, HandledRequest.body).where(
            HandledRequest.key == key, HandledRequest.expires_at > now
        )
    ).one_or_none()
    if row is None or row.status is None:
        return None
    return StoredAnswer(status=row.status, content_type=row.content_type, body=row.body or "")


def purge_expired(session: Session, *, now: datetime) -> int:
    """Delete the rows past their expiry (an index range on ``expires_at``)."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        delete(HandledRequest).where(HandledRequest.expires_at <= now)
    )
    return result.rowcount
