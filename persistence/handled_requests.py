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

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from persistence.models import HandledRequest


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
    dialect = session.get_bind().dialect.name
    if answer is None:
        dialect = _no_flush_wait(session)
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    status, content_type, body = (
        (answer.status, answer.content_type, answer.body) if answer else (None, None, None)
    )
    stmt = insert(HandledRequest).values(
        key=key,
        status=status,
        content_type=content_type,
        body=body,
        claimed_at=now,
        expires_at=expires_at,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "status": stmt.excluded.status,
            "content_type": stmt.excluded.content_type,
            "body": stmt.excluded.body,
            "claimed_at": stmt.excluded.claimed_at,
            "expires_at": stmt.excluded.expires_at,
        },
        where=HandledRequest.expires_at <= now,
    )
    result: CursorResult[Any] = session.execute(stmt)  # type: ignore[assignment]
    return result.rowcount == 1


def record_answer(session: Session, key: str, answer: StoredAnswer) -> None:
    _no_flush_wait(session)
    session.execute(
        update(HandledRequest)
        .where(HandledRequest.key == key)
        .values(status=answer.status, content_type=answer.content_type, body=answer.body)
    )


def _no_flush_wait(session: Session) -> str:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))
    return dialect


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


def release(session: Session, key: str) -> None:
    """Forget a claim whose request was not handled, so that a retry can handle it."""
    session.execute(delete(HandledRequest).where(HandledRequest.key == key))


def purge_expired(session: Session, *, now: datetime) -> int:
    """Delete the rows past their expiry (an index range on ``expires_at``)."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        delete(HandledRequest).where(HandledRequest.expires_at <= now)
    )
    return result.rowcount
