"""Sign-in lockout: too many refused sign-ins for one username lock it for a while.

``ctx.login_max_failures`` refusals within ``ctx.login_window_minutes`` lock the name for
``ctx.lockout_minutes`` after the last of them; while locked, every attempt is refused (even
with the right password) and told how long the lock lasts. Failures are counted by the
lower-cased username whether or not such an account exists, so a lock tells nobody which
accounts exist. A successful sign-in (or a password set through a signed link) clears them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from domain.context import DomainContext
from domain.errors import AccountLocked, AuthError, InvalidCredentials
from persistence.models import LoginFailure

NAME_MAX = 100


def _key(username: str) -> str:
    return (username or "").strip().lower()[:NAME_MAX]


def _locked_until(session: Session, ctx: DomainContext, key: str) -> datetime | None:
    """When the lock on ``key`` ends, if the last failures came close enough to lock it."""
    recent = session.scalars(
        select(LoginFailure.failed_at)
        .where(LoginFailure.username == key)
        .order_by(LoginFailure.failed_at.desc())
        .limit(ctx.login_max_failures)
    ).all()
    if len(recent) < ctx.login_max_failures:
        return None
    newest, oldest = recent[0], recent[-1]
    if newest - oldest >= timedelta(minutes=ctx.login_window_minutes):
        return None
    return newest + timedelta(minutes=ctx.lockout_minutes)


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


def check_not_locked(session: Session, ctx: DomainContext, username: str) -> None:
    """Refuse with ``AccountLocked`` while the username is locked."""
    until = _locked_until(session, ctx, _key(username))
    now = ctx.now()
    if until is not None and until > now:
        raise AccountLocked(_minutes_left(until, now))


def clear_failures(session: Session, username: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username == _key(username)))


def record_failure(ctx: DomainContext, username: str) -> AuthError:
    """Record a refused sign-in in its own transaction; the error to answer it with.

    That is ``AccountLocked`` when this failure locks the name, else the generic
    ``InvalidCredentials``. Failures too old to matter any more are deleted on the way.
    """
    now = ctx.now()
    key = _key(username)
    horizon = now - timedelta(minutes=ctx.login_window_minutes + ctx.lockout_minutes)
    with ctx.transaction() as session:
        session.execute(delete(LoginFailure).where(LoginFailure.failed_at < horizon))
        session.add(LoginFailure(username=key, failed_at=now))
        session.flush()
        until = _locked_until(session, ctx, key)
    if until is not None and until > now:
        return AccountLocked(_minutes_left(until, now))
    return InvalidCredentials()


@contextmanager
def failures_counted(ctx: DomainContext, username: str) -> Iterator[None]:
    """Around a transaction that signs in: a refused password is recorded after it rolls back.

    ``InvalidCredentials`` raised inside becomes the answer ``record_failure`` gives.
    """
    try:
        yield
    except InvalidCredentials:
        raise record_failure(ctx, username) from None
