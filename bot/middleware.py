"""Who is acting: every request's (team, user) becomes the linked account's actor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from bot.runtime import BotRuntime
from domain import identities
from domain.errors import AccountInactive, DomainError
from domain.permissions import Actor
from observability.log_scope import NONE, set_actor


class NotLinked(DomainError):
    """The Slack user has no FarLab account linked yet."""

    def __init__(self) -> None:
        super().__init__("Your Slack account is not linked to a FarLab account yet.")


class Deactivated(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "Your FarLab account is deactivated, so FarLab cannot act for you. "
            "Ask a FarLab admin if this is a mistake."
        )


def acting_team(body: dict[str, Any], context: BoltContext) -> str | None:
    """The workspace of the person acting: interaction payloads name it in ``user.team_id``.

    Bolt's ``context.team_id`` prefers the workspace the app is installed in (a view's
    ``app_installed_team_id``), which is not the person's own when they come from another
    workspace; their identity is looked up under their own.
    """
    user = body.get("user")
    if isinstance(user, dict) and isinstance(user.get("team_id"), str) and user["team_id"]:
        return str(user["team_id"])
    return context.team_id


# A request the entrypoint decided not to run carries the error to answer it with here.
REFUSAL = "farlab_refusal"


def refusal_middleware(context: BoltContext, next: Callable[[], Any]) -> Any:
    """Answer a refused request through the error handler, as if it had failed so."""
    refusal = context.get(REFUSAL)
    if isinstance(refusal, Exception):
        raise refusal
    return next()


def actor_middleware(runtime: BotRuntime) -> Callable[..., Any]:
    def resolve_actor(body: dict[str, Any], context: BoltContext, next: Callable[[], Any]) -> Any:
        context["actor"] = None
        context["deactivated"] = False
        team_id, user_id = acting_team(body, context), context.user_id
        if team_id and user_id:
            try:
                context["actor"] = identities.resolve_actor(
                    runtime.ctx, team_id=team_id, slack_user_id=user_id
                )
            except AccountInactive:
                context["deactivated"] = True
        actor = context["actor"]
        set_actor(actor.username if actor is not None else (user_id or NONE))
        return next()

    return resolve_actor


def actor_of(context: BoltContext) -> Actor:
    """The acting account, or the reason there is none (answered by the error handler)."""
    if context.get("deactivated"):
        raise Deactivated()
    actor = context.get("actor")
    if actor is None:
        raise NotLinked()
    assert isinstance(actor, Actor)
    return actor
