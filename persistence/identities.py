"""Slack identities: which account a (team, Slack user) is linked to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from persistence.models import SlackIdentity, User


def identity_of_slack_user(
    session: Session, team_id: str, slack_user_id: str
) -> SlackIdentity | None:
    return session.scalars(
        select(SlackIdentity).where(
            SlackIdentity.team_id == team_id, SlackIdentity.slack_user_id == slack_user_id
        )
    ).one_or_none()


def account_linked_to(session: Session, team_id: str, slack_user_id: str) -> User | None:
    """The account a Slack user is linked to, if any."""
    return session.scalars(
        select(User)
        .join(SlackIdentity, SlackIdentity.user_id == User.id)
        .where(SlackIdentity.team_id == team_id, SlackIdentity.slack_user_id == slack_user_id)
    ).one_or_none()


# Asked by every Slack request: built once (building and keying a statement costs more CPU
# than running this one).
_ACTOR = (
    select(User.id, User.username, User.role, User.is_active)
    .join(SlackIdentity, SlackIdentity.user_id == User.id)
    .where(
        SlackIdentity.team_id == bindparam("team_id"),
        SlackIdentity.slack_user_id == bindparam("slack_user_id"),
    )
)


def actor_of_slack_user(session: Session, team_id: str, slack_user_id: str) -> Row[Any] | None:
    """(id, username, role, is_active) of the account a Slack user is linked to, if any."""
    return session.execute(
        _ACTOR, {"team_id": team_id, "slack_user_id": slack_user_id}
    ).one_or_none()


def identities_of_user(session: Session, user_id: int) -> list[SlackIdentity]:
    """The account's links, oldest first."""
    return list(
        session.scalars(
            select(SlackIdentity).where(SlackIdentity.user_id == user_id).order_by(SlackIdentity.id)
        ).all()
    )


def identities_of_users(session: Session, user_ids: Sequence[int]) -> list[SlackIdentity]:
    """The links of every account in ``user_ids``, oldest first."""
    return list(
        session.scalars(
            select(SlackIdentity)
            .where(SlackIdentity.user_id.in_(user_ids))
            .order_by(SlackIdentity.id)
        ).all()
    )


def add_identity(session: Session, identity: SlackIdentity) -> SlackIdentity:
    """Insert the link now (a duplicate fails here, inside the caller's transaction)."""
    session.add(identity)
    session.flush()
    return identity


def delete_identity(session: Session, identity: SlackIdentity) -> None:
    session.delete(identity)


def delete_identities_of_user(session: Session, user_id: int) -> int:
    """Remove every link of the account; how many there were."""
    rows = session.scalars(select(SlackIdentity).where(SlackIdentity.user_id == user_id)).all()
    for row in rows:
        session.delete(row)
    return len(rows)
