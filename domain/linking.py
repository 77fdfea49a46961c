"""Linking Slack users to accounts with signed, single-use links sent by direct message.

Each link is a JWT (``domain.tokens``) whose audience is its purpose and whose claims bind
it to one Slack team and user (and, but for "link", to one account):

- ``link``: a Slack user links themself by signing in with their username and password;
- ``invite``: an admin made an account without a password; its person chooses one;
- ``confirm-link``: an admin asked a Slack user to confirm an account with its password;
- ``password``: a linked Slack user chooses a new password for their account.

A link made for an account also carries the account's security stamp (``domain.sessions``)
and is refused once the account has a new one (a new password, deactivation, "sign out
everywhere"), so a link never outlives the account state it was made for.

Each completes in one transaction: the token is checked unused, the person proves who they
are, the identity is linked (or the password set) and the token is used up. A refusal
changes nothing, except that a refused password counts toward the sign-in throttle
(``domain.sign_in_throttle``), the same as on the REST sign-in.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain import identities, sign_in_throttle, tokens, users
from domain import link_rules as rules
from domain import validation as v
from domain.context import DomainContext
from domain.errors import (
    AccountInactive,
    NotFound,
    TokenWrongUser,
)
from domain.permissions import Action, Actor, require
from domain.results import UserView
from domain.vocabulary import Role
from persistence.models import User

PURPOSES = rules.PURPOSES


@dataclass(frozen=True)
class LinkOffer:
    """A link to send to one Slack user: its token goes in a DM to them and nowhere else."""

    purpose: str
    token: str
    expires_at: datetime
    user: UserView | None = None  # the account it is for (None: the person signs in)


@dataclass(frozen=True)
class LinkPage:
    """What a link's page shows before it is used."""

    purpose: str
    username: str | None
    expires_at: datetime


@dataclass(frozen=True)
class LinkOutcome:
    """A completed link: who is linked (or has a new password), and whom to tell."""

    purpose: str
    user: UserView
    team_id: str
    slack_user_id: str
    requested_by_slack_user_id: str | None = None


def _issue(
    ctx: DomainContext, purpose: str, minutes: int, user: UserView | None, **data: Any
) -> LinkOffer:
    token = tokens.issue_link_token(ctx, purpose=purpose, data=data, minutes=minutes)
    claims = tokens.read_link_token(ctx, token, purpose=purpose)
    return LinkOffer(purpose=purpose, token=token, expires_at=claims.expires_at, user=user)


# -- offering links ------------------------------------------------------------------------


def start_self_link(ctx: DomainContext, *, team_id: str, slack_user_id: str) -> LinkOffer:
    """A link for an unlinked Slack user to sign in with (``ctx.link_token_minutes``)."""
    rules.check_slack_ids(team_id, slack_user_id)
    with ctx.transaction() as session:
        rules.refuse_if_linked(session, team_id, slack_user_id)
    return _issue(
        ctx, "link", ctx.link_token_minutes, None, team_id=team_id, slack_user_id=slack_user_id
    )


def invite_user(
    ctx: DomainContext,
    *,
    actor: Actor,
    team_id: str,
    slack_user_id: str | None,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str = Role.MEMBER,
    invited_by_slack_user_id: str | None = None,
) -> LinkOffer:
    """Create an account without a password and an invitation for its Slack user.

    ``invited_by_slack_user_id`` is told when the invitation is accepted.
    """
    require(actor, Action.MANAGE_USERS)
    slack_id = rules.check_slack_ids(team_id, slack_user_id)
    with ctx.transaction() as session:
        rules.refuse_if_linked(session, team_id, slack_id)
    user = users.create_user(
        ctx,
        actor=actor,
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        password=None,
    )
    with ctx.transaction() as session:
        stamp = session.get_one(User, user.id).security_stamp
    return _offer_account(
        ctx, "invite", actor, user, stamp, team_id, slack_id, invited_by_slack_user_id
    )


def request_link(
    ctx: DomainContext,
    *,
    actor: Actor,
    team_id: str,
    slack_user_id: str,
    username: str,
    requested_by_slack_user_id: str | None = None,
) -> LinkOffer:
    """An admin asks a Slack user to confirm an account with its password.

    An account that has no password yet gets an invitation instead (it has nothing to
    confirm with); ``requested_by_slack_user_id`` is told when the link is completed.
    """
    require(actor, Action.MANAGE_SLACK_LINKS)
    rules.check_slack_ids(team_id, slack_user_id)
    with ctx.transaction() as session:
        row = rules.by_username(session, username)
        if row is None:
            raise NotFound(f"No FarLab account is named {username}.")
        if not row.is_active:
            raise AccountInactive()
        rules.refuse_if_linked(session, team_id, slack_user_id)
        user, purpose = UserView.of(row), "confirm-link" if row.password_hash else "invite"
        stamp = row.security_stamp
    return _offer_account(
        ctx, purpose, actor, user, stamp, team_id, slack_user_id, requested_by_slack_user_id
    )


def _offer_account(
    ctx: DomainContext,
    purpose: str,
    actor: Actor,
    user: UserView,
    stamp: str,
    team_id: str,
    slack_user_id: str,
    by_slack: str | None,
) -> LinkOffer:
    return _issue(
        ctx,
        purpose,
        ctx.invite_token_hours * 60,
        user,
        team_id=team_id,
        slack_user_id=slack_user_id,
        uid=user.id,
        stamp=stamp,
        by_id=actor.user_id,
        by_slack=by_slack,
    )


def start_password_change(
    ctx: DomainContext, *, actor: Actor, team_id: str, slack_user_id: str
) -> LinkOffer:
    """A link for the acting person, linked as this Slack user, to choose a new password."""
    rules.check_slack_ids(team_id, slack_user_id)
    with ctx.transaction() as session:
        linked = rules.linked_account(session, team_id, slack_user_id)
        if linked is None or linked.id != actor.user_id:
            raise TokenWrongUser()
        user, stamp = UserView.of(linked), linked.security_stamp
    return _issue(
        ctx,
        "password",
        ctx.link_token_minutes,
        user,
        team_id=team_id,
        slack_user_id=slack_user_id,
        uid=user.id,
        stamp=stamp,
    )


# -- using links ---------------------------------------------------------------------------


def describe_link(ctx: DomainContext, *, purpose: str, token: str) -> LinkPage:
    """Check a link without using it up, for the page that opens it."""
    claims, bound = rules.read(ctx, token, purpose)
    with ctx.transaction() as session:
        tokens.check_link_token_unused(session, claims)
        row = rules.check_usable(session, purpose, bound)
        username = row.username if row is not None else None
    return LinkPage(purpose=purpose, username=username, expires_at=claims.expires_at)


def complete_link(
    ctx: DomainContext,
    *,
    purpose: str,
    token: str,
    password: str,
    username: str | None = None,
    team_id: str | None = None,
    slack_user_id: str | None = None,
    client_address: str = sign_in_throttle.IN_PROCESS,
) -> LinkOutcome:
    """Use a link: prove who you are (or choose a password), link, use the token up.

    ``username`` is asked for by "link" only; the others are bound to their account.
    ``team_id``/``slack_user_id``, when the caller knows who is asking, must be the ones the
    link was made for. "link" and "confirm-link" check a password, throttled by name and
    ``client_address``; setting a password ("invite", "password") clears the name's tries.
    """
    claims, bound = rules.read(ctx, token, purpose)
    if (team_id is not None and team_id != bound.team_id) or (
        slack_user_id is not None and slack_user_id != bound.slack_user_id
    ):
        raise TokenWrongUser()
    name, password = v.credentials(username or "", password)
    if purpose == "confirm-link":
        name = _username_of(ctx, bound)
    throttled = (
        sign_in_throttle.sign_in_attempt(ctx, name, client_address)
        if purpose in ("link", "confirm-link")
        else nullcontext()
    )
    with throttled as attempt, ctx.transaction() as session:
        tokens.check_link_token_unused(session, claims)
        row = rules.check_usable(session, purpose, bound)
        if attempt is not None:
            user = users.sign_in(session, ctx=ctx, attempt=attempt, password=password)
        else:
            assert row is not None
            user = users.set_password(session, ctx=ctx, user_id=row.id, password=password)
            sign_in_throttle.forget_username(session, row.username)
        if purpose != "password":
            by = bound.by_id if bound.by_id and session.get(User, bound.by_id) else user.id
            identities.link_in_session(
                session,
                team_id=bound.team_id,
                slack_user_id=bound.slack_user_id,
                user_id=user.id,
                linked_by_id=by,
            )
        tokens.use_link_token(session, claims, now=ctx.now())
    return LinkOutcome(
        purpose=purpose,
        user=user,
        team_id=bound.team_id,
        slack_user_id=bound.slack_user_id,
        requested_by_slack_user_id=bound.by_slack,
    )


def _username_of(ctx: DomainContext, bound: rules.Bound) -> str:
    with ctx.transaction() as session:
        return rules.bound_account(session, bound).username
