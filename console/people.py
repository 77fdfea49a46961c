"""The people the console can act as: every FarLab account, each with a Slack identity in
the stand-in's workspace (made and linked here when the account has none there yet)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain import identities, users
from domain.context import DomainContext
from domain.errors import Conflict
from domain.permissions import SYSTEM
from domain.results import UserView
from slack_stand_in import SlackStandIn
from slack_stand_in.identity import TEAM_ID

SLACK_ID_MAX = 32
PAGE = 200


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    role: str
    active: bool
    slack_user_id: str | None  # None: deactivated and never linked, so not reachable

    @property
    def label(self) -> str:
        """``phd.sara (member)``."""
        return f"{self.username} ({self.role if self.active else 'deactivated'})"


def local_slack_id(username: str, suffix: str = "") -> str:
    """``phd.sara`` -> ``UPHDSARA``: "U", the username's letters and digits, at most 32."""
    letters = re.sub(r"[^A-Za-z0-9]", "", username).upper() or "USER"
    return "U" + letters[: SLACK_ID_MAX - 1 - len(suffix)] + suffix


def prepare_people(ctx: DomainContext, stand_in: SlackStandIn) -> list[Person]:
    """Every account, linked to a local Slack user and known to the stand-in's users.info."""
    people = []
    for user in _all_users(ctx):
        slack_id = _local_identity(ctx, user)
        if slack_id is not None:
            stand_in.add_user(
                slack_id,
                real_name=user.full_name,
                display_name=user.username,
                email=user.email,
                is_admin=user.role == "admin",
            )
        people.append(Person(user.username, user.full_name, user.role, user.is_active, slack_id))
    return people


def _all_users(ctx: DomainContext) -> list[UserView]:
    found: list[UserView] = []
    while True:
        page = users.list_users(ctx, actor=SYSTEM, offset=len(found), limit=PAGE)
        found.extend(page.items)
        if not page.has_more:
            return found


def _local_identity(ctx: DomainContext, user: UserView) -> str | None:
    """The account's Slack user id in the local team, linking a new one if it has none."""
    for identity in identities.identities_of(ctx, actor=SYSTEM, user_id=user.id):
        if identity.team_id == TEAM_ID:
            return identity.slack_user_id
    if not user.is_active:
        return None  # a deactivated account cannot be linked
    for suffix in ("", str(user.id)):
        slack_id = local_slack_id(user.username, suffix)
        try:
            identities.link_identity(
                ctx, actor=SYSTEM, team_id=TEAM_ID, slack_user_id=slack_id, user_id=user.id
            )
            return slack_id
        except Conflict:
            continue  # that id is another account's; the account's number makes it unique
    return None
