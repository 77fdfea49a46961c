"""Sign-in throttle statements: a try is counted and decided in one conditional upsert.

Each key (lower-cased username and client address, or the username from every address)
has one ``login_throttles`` row. ``take_try`` inserts it, or updates it only while the key
is not locked and its window has a try left, and returns the row when it did: on
PostgreSQL ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` locks the row it decides on, and
SQLite runs every transaction as ``BEGIN IMMEDIATE``, so no two tries see the same count.
All times are bound from the domain's clock; the database's own clock is never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, delete, literal, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from persistence.models import LoginThrottle as T
from persistence.types import UTCDateTime

ANY_ADDRESS = "*"
"""The address of a username's row that counts its tries from every address."""


@dataclass(frozen=True)
class Limits:
    tries: int
    window: timedelta
    lockout: timedelta


@dataclass(frozen=True)
class Tries:
    """A key's row as a try left it."""

    attempts: int
    window_started_at: datetime
    locked_until: datetime | None


def _at(moment: datetime) -> ColumnElement[datetime]:
    return literal(moment, UTCDateTime())


def _insert(session: Session) -> postgresql.Insert | sqlite.Insert:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(T)
    return sqlite.insert(T)


def _key(username: str, address: str) -> ColumnElement[bool]:
    return and_(T.username == username, T.address == address)


def take_try(
    session: Session, *, username: str, address: str, now: datetime, limits: Limits
) -> Tries | None:
    """Count one try for the key, or ``None`` (and nothing changed) when it is locked or
    its window's tries are used up. The try that uses the last one sets the lock."""
    lock_end = now + limits.lockout
    # A window that has run out, or a lock that has ended, starts the count again.
    fresh = or_(
        T.window_started_at <= now - limits.window,
        and_(T.locked_until.is_not(None), T.locked_until <= now),
    )
    attempts = case((fresh, 1), else_=T.attempts + 1)
    statement = (
        _insert(session)
        .values(
            username=username,
            address=address,
            attempts=1,
            window_started_at=now,
            locked_until=lock_end if limits.tries <= 1 else None,
        )
        .on_conflict_do_update(
            index_elements=[T.username, T.address],
            set_={
                "attempts": attempts,
                "window_started_at": case((fresh, _at(now)), else_=T.window_started_at),
                "locked_until": case((attempts >= limits.tries, _at(lock_end)), else_=None),
            },
            where=and_(
                or_(T.locked_until.is_(None), T.locked_until <= now),
                or_(fresh, T.attempts < limits.tries),
            ),
        )
        .returning(T.attempts, T.window_started_at, T.locked_until)
    )
    row = session.execute(statement).one_or_none()
    return None if row is None else Tries(*row)


def refused_until(
    session: Session, *, username: str, address: str, now: datetime, limits: Limits
) -> datetime:
    """When a key that ``take_try`` refused may try again."""
    row = session.execute(
        select(T.window_started_at, T.locked_until).where(_key(username, address))
    ).one()
    started: datetime = row.window_started_at
    locked_until: datetime | None = row.locked_until
    if locked_until is not None and locked_until > now:
        return locked_until
    return max(now, started + limits.window)  # tries used up without a lock (limit lowered)


def give_back(
    session: Session,
    *,
    username: str,
    address: str,
    window_started_at: datetime,
    limits: Limits,
) -> None:
    """Uncount a try that checked no wrong password; lift the lock it set, if it set one,
    and delete a row that has no tries left to count.

    Only in the window the try was counted in: a newer window never counted it."""
    same_window = and_(_key(username, address), T.window_started_at == window_started_at)
    session.execute(
        update(T)
        .where(same_window, T.attempts > 0)
        .values(
            attempts=T.attempts - 1,
            locked_until=case((T.attempts - 1 >= limits.tries, T.locked_until), else_=None),
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(T).where(same_window, T.attempts == 0).execution_options(synchronize_session=False)
    )


def clear(session: Session, *, username: str, address: str) -> None:
    """Forget a key's tries."""
    session.execute(
        delete(T).where(_key(username, address)).execution_options(synchronize_session=False)
    )


def clear_username(session: Session, username: str) -> None:
    """Forget every key of a username: its pairs first, then the name's own row, the order
    a try takes them in, so that this and a try never wait for each other in a circle."""
    session.execute(
        delete(T)
        .where(T.username == username, T.address != ANY_ADDRESS)
        .execution_options(synchronize_session=False)
    )
    clear(session, username=username, address=ANY_ADDRESS)


def delete_stale(session: Session, *, now: datetime, window: timedelta) -> None:
    """Delete rows whose window and lock are both over (they would start afresh anyway).

    Rows another transaction holds are skipped (``SKIP LOCKED`` on PostgreSQL), so this
    never waits for a sign-in and never takes part in a deadlock."""
    stale = (
        select(T.username, T.address)
        .where(
            T.window_started_at <= now - window,
            or_(T.locked_until.is_(None), T.locked_until <= now),
        )
        .with_for_update(skip_locked=True)
    )
    session.execute(
        delete(T)
        .where(tuple_(T.username, T.address).in_(stale))
        .execution_options(synchronize_session=False)
    )
