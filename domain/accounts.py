"""Managing accounts with their Slack links: what admins see and do from Slack.

Every function here needs the right to manage users, even where the service it calls
would let people act on their own account; accounts are named by username or id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain import identities, sessions, users
from domain import validation as v
from domain.context import DomainContext
from domain.errors import InvalidInput, NotFound
from domain.permissions import Action, Actor, require
from domain.results import Page, SlackIdentityView, UserView
from persistence import identities as identity_store
from persistence import users as user_store


@dataclass(frozen=True)
class AccountView:
    user: UserView
    slack: tuple[SlackIdentityView, ...]


def _user_id(ctx: DomainContext, user_id: int | None, username: str | None) -> int:
    if user_id is not None:
        return user_id
    name = v.lookup(username, field="username")
    if not name:
        raise InvalidInput.field("username", "Name the account by its username.")
    with ctx.transaction() as session:
        found = user_store.user_id_by_username(session, name)
    if found is None:
        raise NotFound(f"No FarLab account is named {name}.")
    return found


def _links(ctx: DomainContext, user_ids: list[int]) -> dict[int, tuple[SlackIdentityView, ...]]:
    with ctx.transaction() as session:
        rows = identity_store.identities_of_users(session, user_ids)
        found: dict[int, list[SlackIdentityView]] = {}
        for row in rows:
            found.setdefault(row.user_id, []).append(SlackIdentityView.of(row))
    return {uid: tuple(found.get(uid, ())) for uid in user_ids}


def _account(ctx: DomainContext, user: UserView) -> AccountView:
    return AccountView(user=user, slack=_links(ctx, [user.id])[user.id])


def list_accounts(
    ctx: DomainContext, *, actor: Actor, query: str | None = None, offset: int = 0, limit: int = 10
) -> Page[AccountView]:
    """Accounts by username (matching ``query`` in username, name or e-mail), with links."""
    page = users.list_users(ctx, actor=actor, query=query, offset=offset, limit=limit)
    links = _links(ctx, [u.id for u in page.items])
    items = tuple(AccountView(user=u, slack=links[u.id]) for u in page.items)
    return Page(items=items, offset=page.offset, limit=page.limit, has_more=page.has_more)


def get_account(
    ctx: DomainContext, *, actor: Actor, user_id: int | None = None, username: str | None = None
) -> AccountView:
    require(actor, Action.MANAGE_USERS)
    uid = _user_id(ctx, user_id, username)
    return _account(ctx, users.get_user(ctx, actor=actor, user_id=uid))


def change_role(
    ctx: DomainContext,
    *,
    actor: Actor,
    role: str,
    user_id: int | None = None,
    username: str | None = None,
) -> AccountView:
    """A new role; the last active admin keeps theirs."""
    require(actor, Action.MANAGE_ROLES)
    uid = _user_id(ctx, user_id, username)
    return _account(ctx, users.change_role(ctx, actor=actor, user_id=uid, role=role))


def set_active(
    ctx: DomainContext,
    *,
    actor: Actor,
    active: bool,
    user_id: int | None = None,
    username: str | None = None,
) -> AccountView:
    """Deactivate (its Slack actions are refused at once) or reactivate an account."""
    require(actor, Action.MANAGE_USERS)
    uid = _user_id(ctx, user_id, username)
    return _account(ctx, users.set_active(ctx, actor=actor, user_id=uid, active=active))


def edit_profile(ctx: DomainContext, *, actor: Actor, user_id: int, **changes: Any) -> AccountView:
    """Change a person's profile: names, e-mail, phone, department, position, notes."""
    require(actor, Action.MANAGE_USERS)
    return _account(ctx, users.update_user(ctx, actor=actor, user_id=user_id, **changes))


def sign_out_everywhere(
    ctx: DomainContext, *, actor: Actor, user_id: int | None = None, username: str | None = None
) -> AccountView:
    """End every session of an account: its access tokens and unused links are refused."""
    require(actor, Action.SIGN_OUT_EVERYWHERE)
    uid = _user_id(ctx, user_id, username)
    return _account(ctx, sessions.sign_out_everywhere(ctx, actor=actor, user_id=uid))


def unlink_account(
    ctx: DomainContext, *, actor: Actor, user_id: int | None = None, username: str | None = None
) -> AccountView:
    """Remove every Slack link of an account."""
    require(actor, Action.MANAGE_SLACK_LINKS)
    uid = _user_id(ctx, user_id, username)
    identities.unlink_user(ctx, actor=actor, user_id=uid)
    return _account(ctx, users.get_user(ctx, actor=actor, user_id=uid))


def delete_account(ctx: DomainContext, *, actor: Actor, user_id: int) -> UserView:
    """Delete an account (not your own, not the last active admin); what it was."""
    require(actor, Action.MANAGE_USERS)
    user = users.get_user(ctx, actor=actor, user_id=user_id)
    users.delete_user(ctx, actor=actor, user_id=user_id)
    return user
