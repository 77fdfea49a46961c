"""Small helpers for tests: a clock that tests move, accounts of each role, their tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from domain import sessions, users
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor, Role
from persistence.models import User

PASSWORD = "Correct-Horse-9"
_serial = count(1)


class Clock:
    """Now, as a test says it is; starts at the real time."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def make_user(ctx: DomainContext, role: str = "member", *, username: str | None = None) -> Actor:
    """Create an account of a role and return it as an actor."""
    name = username or f"{role}{next(_serial)}"
    user = users.create_user(
        ctx,
        actor=SYSTEM,
        username=name,
        email=f"{name}@lab.example",
        first_name=name.capitalize(),
        last_name="Tester",
        password=PASSWORD,
        role=role,
    )
    return Actor(user_id=user.id, username=user.username, role=Role(user.role))


def access_token(ctx: DomainContext, actor: Actor) -> str:
    """A token as signing in gives it: bound to the account's security stamp as it is now."""
    with ctx.transaction() as session:
        return sessions.access_token_for(ctx, session.get_one(User, actor.user_id))
