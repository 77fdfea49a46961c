"""Who may do what: one table of role -> allowed actions, checked by every service."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import Forbidden
from domain.vocabulary import Role

__all__ = [
    "PERMISSIONS",
    "RANKS",
    "SYSTEM",
    "Action",
    "Actor",
    "Role",
    "can",
    "require",
    "role_needed",
]


class Action(StrEnum):
    VIEW = "view"
    USE_STOCK = "use stock"
    RESTOCK = "restock"
    COUNT_STOCK = "count stock"
    RAISE_ALERT = "raise alerts"
    MANAGE_PARTS = "manage parts"
    MANAGE_INSTRUMENTS = "manage instruments"
    LINK_PARTS = "link parts to instruments"
    SET_INSTRUMENT_STATUS = "set instrument status"
    MANAGE_ALERTS = "acknowledge, resolve or snooze alerts"
    REQUEST_REORDER = "request reorders"
    MANAGE_ORDERS = "approve, reject, order, receive or cancel reorders"
    MANAGE_SUPPLIERS = "manage suppliers and their offers"
    # Usage per person is about people: managers and admins only.
    SEE_USAGE_BY_PERSON = "see who used which parts"
    MANAGE_USERS = "manage users"
    MANAGE_ROLES = "change roles"
    MANAGE_SLACK_LINKS = "manage Slack links"
    SIGN_OUT_EVERYWHERE = "sign people out everywhere"
    # Admins only: checking a new address for anyone would tell them which addresses exist.
    CHANGE_EMAILS = "change e-mail addresses"
    SEE_SERVICE_DETAILS = "read the API documentation and the service's health details"
    # Admins only: a deleted alert leaves no trace; managers resolve alerts instead.
    DELETE_ALERTS = "delete alerts"


_MEMBER = frozenset(
    {
        Action.VIEW,
        Action.USE_STOCK,
        Action.RESTOCK,
        Action.COUNT_STOCK,
        Action.RAISE_ALERT,
        Action.REQUEST_REORDER,
    }
)
_MANAGER = _MEMBER | {
    Action.MANAGE_PARTS,
    Action.MANAGE_INSTRUMENTS,
    Action.LINK_PARTS,
    Action.SET_INSTRUMENT_STATUS,
    Action.MANAGE_ALERTS,
    Action.MANAGE_ORDERS,
    Action.MANAGE_SUPPLIERS,
    Action.SEE_USAGE_BY_PERSON,
}
_ADMIN = _MANAGER | {
    Action.MANAGE_USERS,
    Action.MANAGE_ROLES,
    Action.MANAGE_SLACK_LINKS,
    Action.SIGN_OUT_EVERYWHERE,
    Action.CHANGE_EMAILS,
    Action.SEE_SERVICE_DETAILS,
    Action.DELETE_ALERTS,
}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.MEMBER: _MEMBER,
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(_ADMIN),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a linked account, or FarLab itself (scheduled jobs, imports)."""

    user_id: int | None
    username: str
    role: Role

    @property
    def is_system(self) -> bool:
        return self.user_id is None


SYSTEM = Actor(user_id=None, username="FarLab", role=Role.ADMIN)


# From the role that may do least to the one that may do most: each may do all the one
# before it may (checked by the tests), so "the role needed" for an action is well defined.
RANKS: tuple[Role, ...] = (Role.VIEWER, Role.MEMBER, Role.MANAGER, Role.ADMIN)

_ASK = {
    Role.MEMBER: "Sign in with a FarLab account to do this.",
    Role.MANAGER: "Ask a FarLab manager or admin.",
    Role.ADMIN: "Ask a FarLab admin.",
}


def can(actor: Actor, action: Action) -> bool:
    return action in PERMISSIONS[actor.role]


def role_needed(action: Action) -> Role:
    """The least role that may do ``action`` (every role above it may too)."""
    return next(role for role in RANKS if action in PERMISSIONS[role])


def require(actor: Actor, action: Action) -> None:
    """Refuse, naming the role the action needs, unless the actor's role may do it."""
    if not can(actor, action):
        raise Forbidden(
            f"Your role ({actor.role.value}) may not {action.value}. {_ASK[role_needed(action)]}"
        )
