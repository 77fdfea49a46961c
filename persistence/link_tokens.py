"""Used link tokens: each single-use link is recorded once, by its ``jti``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from persistence.errors import AlreadyExists
from persistence.models import UsedLinkToken


def link_token_used(session: Session, jti: str) -> bool:
    return session.get(UsedLinkToken, jti) is not None


def record_link_token_use(
    session: Session, *, jti: str, purpose: str, used_at: datetime, expires_at: datetime
) -> None:
    """Record the token as used, in the caller's transaction; ``AlreadyExists`` when a
    concurrent use of the same token committed first."""
    session.add(UsedLinkToken(jti=jti, purpose=purpose, used_at=used_at, expires_at=expires_at))
    try:
        session.flush()
    except IntegrityError as exc:
        raise AlreadyExists() from exc
