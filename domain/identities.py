"""Slack identities: which FarLab account a (team, Slack user) acts as."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.context import DomainContext
from domain.errors import AccountInactive, Conflict, InvalidInput, NotFound
from domain.permissions import Action, Actor, Role, require
from domain.results import SlackIdentityView
from persistence.models import SlackIdentity, User


def _find(session: Session, team_id: str, slack_user_id: str) -> SlackIdentity | None:
    return session.scalars(
        select(SlackIdentity).where(
            SlackIdentity.team_id == team_id, SlackIdentity.slack_user_id == slack_user_id
        )
    ).one_or_none()


def _check_ids(team_id: str, slack_user_id: str) -> None:
    for field, value in (("team_id", team_id), ("slack_user_id", slack_user_id)):
        if not value or len(value) > 32 or not value.isalnum():
            raise InvalidInput.field(field, f"{field} is not a Slack id.")


def link_in_session(
    session: Session, *, team_id: str, slack_user_id: str, user_id: int, linked_by_id: int | None
) -> SlackIdentityView:
    """Link inside the caller's transaction (used by the signed-link flows)."""
    _check_ids(team_id, slack_user_id)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found.")
    if not user.is_active:
        raise AccountInactive()
    existing = _find(session, team_id, slack_user_id)
    if existing is not None:
        if existing.user_id == user_id:
            raise Conflict("This Slack user is already linked to that account.")
        raise Conflict("This Slack user is already linked to another account; unlink it first.")
    row = SlackIdentity(
        team_id=team_id, slack_user_id=slack_user_id, user_id=user_id, linked_by_id=linked_by_id
    )
    session.add(row)
    session.flush()
    return SlackIdentityView.of(row)


def link_identity(
    ctx: DomainContext, *, actor: Actor, team_id: str, slack_user_id: str, user_id: int
) -> SlackIdentityView:
    require(actor, Action.MANAGE_SLACK_LINKS)
    with ctx.transaction() as session:
        return link_in_session(
            session,
            team_id=team_id,
            slack_user_id=slack_user_id,
            user_id=user_id,
            linked_by_id=actor.user_id,
        )


def unlink_identity(ctx: DomainContext, *, actor: Actor, team_id: str, slack_user_id: str) -> None:
    with ctx.transaction() as session:
        row = _find(session, team_id, slack_user_id)
        if row is None:
            raise NotFound("That Slack user is not linked to any account.")
        if row.user_id != actor.user_id:
            require(actor, Action.MANAGE_SLACK_LINKS)
        session.delete(row)


def unlink_user(ctx: DomainContext, *, actor: Actor, user_id: int) -> int:
    """Remove every Slack link of an account; returns how many there were."""
    if user_id != actor.user_id:
        require(actor, Action.MANAGE_SLACK_LINKS)
    with ctx.transaction() as session:
        rows = session.scalars(select(SlackIdentity).where(SlackIdentity.user_id == user_id)).all()
        for row in rows:
            session.delete(row)
        return len(rows)


def identities_of(
    ctx: DomainContext, *, actor: Actor, user_id: int
) -> tuple[SlackIdentityView, ...]:
    if user_id != actor.user_id:
        require(actor, Action.MANAGE_USERS)
    with ctx.transaction() as session:
        rows = session.scalars(
            select(SlackIdentity).where(SlackIdentity.user_id == user_id).order_by(SlackIdentity.id)
        ).all()
        return tuple(SlackIdentityView.of(r) for r in rows)


def resolve_actor(ctx: DomainContext, *, team_id: str, slack_user_id: str) -> Actor | None:
    """The linked account acting for a Slack user, ``None`` if unlinked.

    Raises ``AccountInactive`` for a deactivated account, so its Slack actions stop at once.
    """
    with ctx.transaction() as session:
        row = session.execute(
            select(User.id, User.username, User.role, User.is_active)
            .join(SlackIdentity, SlackIdentity.user_id == User.id)
            .where(SlackIdentity.team_id == team_id, SlackIdentity.slack_user_id == slack_user_id)
        ).one_or_none()
    if row is None:
        return None
    if not row.is_active:
        raise AccountInactive()
    return Actor(user_id=row.id, username=row.username, role=Role(row.role))
