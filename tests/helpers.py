"""Small helpers for tests: a clock that tests move, and access tokens (accounts: factories)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import sessions
from domain.context import DomainContext
from domain.permissions import Actor
from persistence.models import User
from tests.factories import PASSWORD, make_user  # noqa: F401 - their old home


class Clock:
    """Now, as a test says it is; starts at the real time."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def access_token(ctx: DomainContext, actor: Actor) -> str:
    """A token as signing in gives it: bound to the account's security stamp as it is now."""
    with ctx.transaction() as session:
        return sessions.access_token_for(ctx, session.get_one(User, actor.user_id))
