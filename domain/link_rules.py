"""What a link is bound to, and what must hold for it to be used (see ``domain.linking``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain import sessions, tokens
from domain import validation as v
from domain.context import DomainContext
from domain.errors import (
    AccountInactive,
    Conflict,
    InvalidInput,
    NotFound,
    TokenInvalid,
    TokenReused,
    TokenWrongUser,
)
from persistence import identities, users
from persistence.db import Session
from persistence.models import User

PURPOSES = ("link", "invite", "confirm-link", "password")


@dataclass(frozen=True)
class Bound:
    team_id: str
    slack_user_id: str
    user_id: int | None
    by_id: int | None
    by_slack: str | None
    stamp: str | None = None  # the account's security stamp when the link was made


def bound_of(claims: tokens.LinkClaims) -> Bound:
    """What the link says, once each value has the shape we give it (else ``TokenInvalid``)."""
    data: dict[str, Any] = claims.data
    team, slack = data.get("team_id"), data.get("slack_user_id")
    uid, by_id = tokens.claim_id(data.get("uid")), tokens.claim_id(data.get("by_id"))
    by_slack, stamp = data.get("by_slack"), data.get("stamp")
    if not isinstance(team, str) or not isinstance(slack, str):
        raise TokenInvalid()
    if (uid is None) != (claims.purpose == "link") or not isinstance(by_slack, str | None):
        raise TokenInvalid()
    if uid is not None and not tokens.is_claim_text(stamp):  # every account link has one
        raise TokenInvalid()
    return Bound(team, slack, uid, by_id, by_slack, stamp if uid is not None else None)


def read(ctx: DomainContext, token: str, purpose: str) -> tuple[tokens.LinkClaims, Bound]:
    if purpose not in PURPOSES:
        raise NotFound("There is no such link page.")
    claims = tokens.read_link_token(ctx, token or "", purpose=purpose)
    return claims, bound_of(claims)


def linked_account(session: Session, team_id: str, slack_user_id: str) -> User | None:
    return identities.account_linked_to(session, team_id, slack_user_id)


def refuse_if_linked(session: Session, team_id: str, slack_user_id: str) -> None:
    linked = linked_account(session, team_id, slack_user_id)
    if linked is not None:
        raise Conflict(
            f"This Slack user is already linked to the FarLab account {linked.username}; "
            "unlink it first to link another.",
            field="slack_user_id",
        )


def bound_account(session: Session, bound: Bound) -> User:
    """The account a link is bound to, as long as it may still be used."""
    row = users.user_by_id(session, bound.user_id) if bound.user_id is not None else None
    if row is None:
        raise NotFound("The FarLab account this link is for no longer exists.")
    if not row.is_active:
        raise AccountInactive()
    return row


def check_usable(session: Session, purpose: str, bound: Bound) -> User | None:
    """Everything a link needs besides the person's proof; the account it is for.

    A link made for an account holds only while the account's security stamp is the one
    it carries: a new password, deactivation or "sign out everywhere" refuse it.
    """
    if purpose == "password":
        row = bound_account(session, bound)
        sessions.check_stamp(row, bound.stamp)
        linked = linked_account(session, bound.team_id, bound.slack_user_id)
        if linked is None or linked.id != row.id:
            raise TokenWrongUser()
        return row
    refuse_if_linked(session, bound.team_id, bound.slack_user_id)
    if purpose == "link":
        return None
    row = bound_account(session, bound)
    if purpose == "invite" and row.password_hash is not None:
        raise TokenReused()  # accepted already (through this or another invitation)
    sessions.check_stamp(row, bound.stamp)
    return row


def by_username(session: Session, username: str) -> User | None:
    return users.user_by_username(session, v.lookup(username, field="username"))


def check_slack_ids(team_id: str, slack_user_id: str | None) -> str:
    """The Slack user id, once both ids have the shape Slack gives them."""
    if not team_id or len(team_id) > 32 or not team_id.isalnum():
        raise InvalidInput.field("team_id", "That is not a Slack team id.")
    if not slack_user_id:
        raise InvalidInput.field("slack_user_id", "Choose the person's Slack user.")
    if len(slack_user_id) > 32 or not slack_user_id.isalnum():
        raise InvalidInput.field("slack_user_id", "That is not a Slack user id.")
    return slack_user_id
