"""Sign-in (``POST {prefix}/token``) and the auth helper routes."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from api.client_address import client_address
from api.deps import Ctx, CurrentActor
from api.schemas.auth import ServiceHealth, Token, ValidateResponse, VerifyTokenResponse
from api.schemas.common import errors
from domain import users
from domain.permissions import Action, can, require

router = APIRouter(tags=["auth"])

LOGIN_MIN_SECONDS = 0.1


@router.post("/token", response_model=Token, responses=errors(401, 429))
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], ctx: Ctx, request: Request
) -> Token:
    """Sign in with a **form-encoded** body (`username`, `password`) and get a bearer token.

    The token is a JWT (HS256) whose `sub` is the user id as a string; it expires after
    `ACCESS_TOKEN_EXPIRE_MINUTES` (30 by default). An unknown user, a wrong password and an
    inactive account all answer 401 `Invalid credentials`, and every answer takes at least
    about 100 ms, so the three cannot be told apart. A successful sign-in sets `last_login`.

    Unlike the original, sign-in is throttled: `FARLAB_LOGIN_MAX_FAILURES` (5) tries for
    one username from one client address within `FARLAB_LOGIN_WINDOW_MINUTES` (15) lock that
    name from that address for `FARLAB_LOCKOUT_MINUTES` (15), and
    `FARLAB_LOGIN_NAME_MAX_FAILURES` (50) from all addresses together lock the name for
    everyone. A locked sign-in answers 429 with how long in `detail` and `Retry-After`,
    without checking the password. A right password clears its name and address. Unknown
    names are throttled the same way, so a lock tells nothing about which accounts exist.
    The client address is the connection's, or from `X-Forwarded-For` when the connection
    comes from one of `FARLAB_TRUSTED_PROXIES`.

    Also unlike the original, a token is refused (401) once its account's password changes,
    the account is deactivated (403, as before) or an admin signs it out everywhere.
    """
    started = time.monotonic()
    try:  # refusals are answered as the table in api.errors says for "login"
        signed_in = users.sign_in_for_token(
            ctx,
            username=form.username,
            password=form.password,
            client_address=client_address(request),
        )
    finally:
        time.sleep(max(0.0, LOGIN_MIN_SECONDS - (time.monotonic() - started)))
    return Token(access_token=signed_in.access_token)


@router.get("/auth/verify-token", response_model=VerifyTokenResponse, responses=errors(401, 403))
def verify_token(actor: CurrentActor) -> VerifyTokenResponse:
    """200 for an admin's token, 403 for anyone else's (for a proxy guarding the docs)."""
    require(actor, Action.SEE_SERVICE_DETAILS)
    return VerifyTokenResponse(user=actor.username)


@router.post("/auth/validate", response_model=ValidateResponse, responses=errors(401, 403))
def validate_token(actor: CurrentActor) -> ValidateResponse:
    """Whether the token is valid, and whose it is (`role` is added)."""
    assert actor.user_id is not None
    return ValidateResponse(
        valid=True,
        user_id=actor.user_id,
        username=actor.username,
        is_admin=can(actor, Action.MANAGE_USERS),  # the original's admin flag: user admin
        is_active=True,
        role=actor.role.value,
    )


@router.get("/auth/health", response_model=ServiceHealth)
def auth_health() -> ServiceHealth:
    return ServiceHealth(service="authentication")
