"""Account rows: found by id or username (any case), listed, counted, added and deleted."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from persistence.models import User


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_by_username(session: Session, username: str) -> User | None:
    """The account named ``username``, compared without case."""
    return session.scalars(
        select(User).where(func.lower(User.username) == username.lower())
    ).one_or_none()


def user_id_by_username(session: Session, username: str) -> int | None:
    return session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))


def count_active_admins_locked(session: Session) -> int:
    """Active admins, their rows locked so that two demotions cannot both see a spare admin."""
    ids = session.scalars(
        select(User.id)
        .where(User.role == "admin", User.is_active)
        .order_by(User.id)
        .with_for_update()
    ).all()
    return len(ids)


def matching_users(
    session: Session,
    *,
    role: str | None,
    active: bool | None,
    pattern: str | None,
    offset: int,
    limit: int,
) -> list[User]:
    """Accounts by username (any case) with that role and activation, whose username,
    e-mail or full name matches the lower-case LIKE ``pattern`` (escaped with ``\\``)."""
    stmt = select(User)
    if role is not None:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(User.is_active == active)
    if pattern:
        stmt = stmt.where(
            func.lower(User.username).like(pattern, escape="\\")
            | func.lower(User.email).like(pattern, escape="\\")
            | func.lower(User.first_name + " " + User.last_name).like(pattern, escape="\\")
        )
    stmt = stmt.order_by(func.lower(User.username)).offset(offset).limit(limit)
    return list(session.scalars(stmt).all())


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def add_user(session: Session, user: User) -> User:
    """Insert the account now (its id is then known)."""
    session.add(user)
    session.flush()
    return user


def delete_user(session: Session, user: User) -> None:
    session.delete(user)
