"""Sessions: tokens hold only while the account's security stamp does.

Every access token, and every link made for an account (an invitation, an admin's link to
confirm, a password link), carries the account's security stamp (``users.security_stamp``,
random). A token is accepted only while that is still the account's stamp. A new password
(however it is set), deactivation and an admin's "sign out everywhere" give the account a
new stamp, so every token and link made before is refused from then on. A deleted
account's tokens find no account, and its id is never given to another.

Roles are not in the token: they are read on every request, so a new role counts at once,
with the same token, for better or worse.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from domain import tokens
from domain.context import DomainContext
from domain.errors import AccountInactive, NotFound, TokenRevoked
from domain.permissions import Action, Actor, Role, require
from domain.results import UserView
from persistence.models import User, new_security_stamp


@dataclass(frozen=True)
class SignedIn:
    """A completed sign-in: the account and its new access token."""

    user: UserView
    access_token: str


def rotate_stamp(row: User) -> None:
    """A new stamp: every token and link the account had is refused from now on."""
    row.security_stamp = new_security_stamp()


def check_stamp(row: User, stamp: str | None) -> None:
    """``TokenRevoked`` unless ``stamp`` is the account's current stamp."""
    if stamp is None or not hmac.compare_digest(row.security_stamp.encode(), stamp.encode()):
        raise TokenRevoked()


def access_token_for(ctx: DomainContext, row: User) -> str:
    """An access token for the account, bound to its stamp as read in this transaction."""
    return tokens.issue_access_token(
        ctx, user_id=row.id, username=row.username, stamp=row.security_stamp
    )


def actor_for_token(ctx: DomainContext, token: str) -> Actor:
    """The actor an access token stands for, with the account's role as it is now.

    Refused: a token that is not ours or has expired (``TokenInvalid``, ``TokenExpired``),
    an account that no longer exists (``NotFound``), is deactivated (``AccountInactive``),
    or whose stamp has changed since the token was issued (``TokenRevoked``).
    """
    claims = tokens.decode_access_token(ctx, token)
    with ctx.transaction() as session:
        row = session.get(User, claims.user_id)
        if row is None:
            raise NotFound("User not found.")
        if not row.is_active:
            raise AccountInactive()
        check_stamp(row, claims.stamp)
        return Actor(user_id=row.id, username=row.username, role=Role(row.role))


def sign_out_everywhere(ctx: DomainContext, *, actor: Actor, user_id: int) -> UserView:
    """End every session of an account: its access tokens and unused links are refused.

    The account itself is unchanged; its person signs in again with the same password.
    """
    require(actor, Action.SIGN_OUT_EVERYWHERE)
    with ctx.transaction() as session:
        row = session.get(User, user_id)
        if row is None:
            raise NotFound("User not found.")
        rotate_stamp(row)
        session.flush()
        return UserView.of(row)
