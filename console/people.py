"""The people the console can act as: every FarLab account, each with a Slack identity in
the stand-in's workspace (made and linked here when the account has none there yet), and
Slack users added in the console who have no FarLab account yet (``slack-user add``).

The console starts as the first active admin by account id (the account ``create-admin``
made, ``admin.demo`` in the demo lab): the same person every time, whoever else joins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from console.errors import StepFailed
from domain import identities, users
from domain.context import DomainContext
from domain.errors import Conflict
from domain.permissions import SYSTEM
from domain.results import UserView
from slack_stand_in import SlackStandIn
from slack_stand_in.identity import TEAM_ID

SLACK_ID_MAX = 32
PAGE = 200
_SLACK_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")


@dataclass(frozen=True)
class Person:
    username: str  # the FarLab username; a Slack user without an account: their Slack name
    full_name: str
    role: str
    active: bool
    slack_user_id: str | None  # None: not linked in the local team, so not reachable
    user_id: int | None = None  # the FarLab account's id; None: a Slack user without one

    @property
    def has_account(self) -> bool:
        return self.user_id is not None

    @property
    def about(self) -> str:
        """``member``, ``deactivated``, ``member, not linked`` or ``no FarLab account``."""
        if not self.has_account:
            return "no FarLab account"
        if not self.active:
            return "deactivated"
        return self.role if self.slack_user_id else f"{self.role}, not linked"

    @property
    def label(self) -> str:
        """``phd.sara (member)``."""
        return f"{self.username} ({self.about})"


def local_slack_id(username: str, suffix: str = "") -> str:
    """``phd.sara`` -> ``UPHDSARA``: "U", the username's letters and digits, at most 32."""
    letters = re.sub(r"[^A-Za-z0-9]", "", username).upper() or "USER"
    return "U" + letters[: SLACK_ID_MAX - 1 - len(suffix)] + suffix


def prepare_people(ctx: DomainContext, stand_in: SlackStandIn) -> list[Person]:
    """Every account, linked to a local Slack user and known to the stand-in's users.info."""
    return _accounts(ctx, stand_in, link=True)


def refresh_people(
    ctx: DomainContext, stand_in: SlackStandIn, people: list[Person]
) -> list[Person]:
    """The accounts as they are now, and the Slack users of ``people`` still without one.

    Nothing is linked here: an account made since the start (an invitation) waits for its
    own Slack user to accept it.
    """
    accounts = _accounts(ctx, stand_in, link=False)
    linked = {p.slack_user_id for p in accounts}
    return accounts + [p for p in people if not p.has_account and p.slack_user_id not in linked]


def default_person(people: list[Person]) -> Person | None:
    """The first active admin by account id; without one, the first reachable account."""
    reachable = [p for p in people if p.has_account and p.active and p.slack_user_id]
    admins = [p for p in reachable if p.role == "admin"]
    return min(admins or reachable, key=lambda p: p.user_id or 0, default=None)


def add_slack_user(
    stand_in: SlackStandIn, people: list[Person], name: str, email: str | None = None
) -> Person:
    """A new person in the local Slack workspace, without a FarLab account."""
    handle = name.strip().lstrip("@").lower()
    if not _SLACK_NAME.fullmatch(handle):
        raise StepFailed(
            "NAME: 1-80 letters, digits, '.', '_' or '-', starting with a letter or digit."
        )
    if any(p.username.lower() == handle for p in people):
        raise StepFailed(f"NAME: {handle} is taken; see `users`.")
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise StepFailed(f"email: {email!r} is not an e-mail address.")
    taken = {p.slack_user_id for p in people}
    slack_id, number = local_slack_id(handle), 1
    while slack_id in taken:
        number += 1
        slack_id = local_slack_id(handle, str(number))
    stand_in.add_user(
        slack_id, real_name=handle, display_name=handle, email=email or f"{handle}@farlab.example"
    )
    return Person(handle, handle, "", True, slack_id)


def _accounts(ctx: DomainContext, stand_in: SlackStandIn, *, link: bool) -> list[Person]:
    people = []
    for user in _all_users(ctx):
        slack_id = _local_identity(ctx, user, link=link)
        if slack_id is not None:
            stand_in.add_user(
                slack_id,
                real_name=user.full_name,
                display_name=user.username,
                email=user.email,
                is_admin=user.role == "admin",
            )
        people.append(
            Person(user.username, user.full_name, user.role, user.is_active, slack_id, user.id)
        )
    return people


def _all_users(ctx: DomainContext) -> list[UserView]:
    found: list[UserView] = []
    while True:
        page = users.list_users(ctx, actor=SYSTEM, offset=len(found), limit=PAGE)
        found.extend(page.items)
        if not page.has_more:
            return found


def _local_identity(ctx: DomainContext, user: UserView, *, link: bool) -> str | None:
    """The account's Slack user id in the local team, linking a new one if it has none
    (when ``link``)."""
    for identity in identities.identities_of(ctx, actor=SYSTEM, user_id=user.id):
        if identity.team_id == TEAM_ID:
            return identity.slack_user_id
    if not link or not user.is_active:
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
