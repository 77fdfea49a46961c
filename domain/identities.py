"""Slack identities: which FarLab account a (team, Slack user) acts as."""

from __future__ import annotations

from domain.context import DomainContext
from domain.errors import AccountInactive, Conflict, InvalidInput, NotFound
from domain.permissions import Action, Actor, Role, require
from domain.results import SlackIdentityView
from persistence import identities as store
from persistence.db import Session
from persistence.models import SlackIdentity
from persistence.users import user_by_id


def _check_ids(team_id: str, slack_user_id: str) -> None:
    for field, value in (("team_id", team_id), ("slack_user_id", slack_user_id)):
        if not value or len(value) > 32 or not value.isalnum():
            raise InvalidInput.field(field, f"{field} is not a Slack id.")


def link_in_session(
    session: Session, *, team_id: str, slack_user_id: str, user_id: int, linked_by_id: int | None
) -> SlackIdentityView:
    """Link inside the caller's transaction (used by the signed-link flows)."""
    _check_ids(team_id, slack_user_id)
    user = user_by_id(session, user_id)
    if user is None:
        raise NotFound("User not found.")
    if not user.is_active:
        raise AccountInactive()
    existing = store.identity_of_slack_user(session, team_id, slack_user_id)
    if existing is not None:
        if existing.user_id == user_id:
            raise Conflict("This Slack user is already linked to that account.")
        raise Conflict("This Slack user is already linked to another account; unlink it first.")
    row = SlackIdentity(
        team_id=team_id, slack_user_id=slack_user_id, user_id=user_id, linked_by_id=linked_by_id
    )
    store.add_identity(session, row)
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
        row = store.identity_of_slack_user(session, team_id, slack_user_id)
        if row is None:
            raise NotFound("That Slack user is not linked to any account.")
        if row.user_id != actor.user_id:
            require(actor, Action.MANAGE_SLACK_LINKS)
        store.delete_identity(session, row)


def unlink_user(ctx: DomainContext, *, actor: Actor, user_id: int) -> int:
    """Remove every Slack link of an account; returns how many there were."""
    if user_id != actor.user_id:
        require(actor, Action.MANAGE_SLACK_LINKS)
    with ctx.transaction() as session:
        return store.delete_identities_of_user(session, user_id)


def identities_of(
    ctx: DomainContext, *, actor: Actor, user_id: int
) -> tuple[SlackIdentityView, ...]:
    if user_id != actor.user_id:
        require(actor, Action.MANAGE_USERS)
    with ctx.transaction() as session:
        rows = store.identities_of_user(session, user_id)
        return tuple(SlackIdentityView.of(r) for r in rows)


def resolve_actor(ctx: DomainContext, *, team_id: str, slack_user_id: str) -> Actor | None:
    """The linked account acting for a Slack user, ``None`` if unlinked.

    Raises ``AccountInactive`` for a deactivated account, so its Slack actions stop at once.
    """
    with ctx.transaction() as session:
        row = store.actor_of_slack_user(session, team_id, slack_user_id)
    if row is None:
        return None
    if not row.is_active:
        raise AccountInactive()
    return Actor(user_id=row.id, username=row.username, role=Role(row.role))
