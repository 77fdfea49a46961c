"""What routes are given: the domain context, and the actor a bearer token stands for."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer
from fastapi.security.utils import get_authorization_scheme_param

from api.errors import BEARER, BEARER_CHECK, answered_at
from domain import sessions
from domain.context import DomainContext
from domain.errors import DomainError
from domain.permissions import Action, Actor, Role, can
from observability.log_scope import set_actor

# Reads the bearer token. The token URL shown in the docs is set per app (see app.py).
bearer_token = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)

ANONYMOUS_VIEWER = Actor(user_id=None, username="anonymous", role=Role.VIEWER)
"""Who reads the open routes without a valid token: the viewer role, which may only view."""


def get_ctx(request: Request) -> DomainContext:
    return cast(DomainContext, request.app.state.ctx)


Ctx = Annotated[DomainContext, Depends(get_ctx)]


def actor_for_token(ctx: DomainContext, token: str) -> Actor:
    """The token's account as an actor with its role; refusals as the original API gave
    (``BEARER_CHECK`` in the table of ``api.errors``).

    A token whose account's security stamp changed since (a new password, deactivation,
    "sign out everywhere") is refused like any other invalid token.
    """
    with answered_at(BEARER_CHECK):
        actor = sessions.actor_for_token(ctx, token)
    set_actor(actor.username)  # on the request's log lines from now on
    return actor


def current_actor(ctx: Ctx, token: Annotated[str | None, Depends(bearer_token)]) -> Actor:
    if not token:  # no credentials at all: not a domain refusal
        raise HTTPException(401, "Not authenticated", headers=BEARER)
    return actor_for_token(ctx, token)


def actor_or_viewer(ctx: Ctx, request: Request) -> Actor:
    """The token's actor if there is a valid one, else the anonymous viewer.

    A missing, expired or otherwise unusable token is not refused here: these routes were
    open in the original API, and the web UI keeps sending a token after it expires.
    """
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() != "bearer" or not token:
        return ANONYMOUS_VIEWER
    try:
        return actor_for_token(ctx, token)
    except HTTPException:
        return ANONYMOUS_VIEWER


def is_admin_request(ctx: DomainContext, request: Request) -> bool:
    """Whether the request carries a valid admin's bearer token (never a refusal: health
    checks answer everyone, and admins in more detail)."""
    try:
        return can(actor_or_viewer(ctx, request), Action.SEE_SERVICE_DETAILS)
    except DomainError:  # e.g. the database is unavailable: no details then
        return False


CurrentActor = Annotated[Actor, Depends(current_actor)]
ViewerActor = Annotated[Actor, Depends(actor_or_viewer)]
