"""Signed tokens (PyJWT, HS256): API access tokens and purpose-bound single-use links."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.context import DomainContext
from domain.errors import TokenExpired, TokenInvalid, TokenReused, TokenWrongAudience
from persistence.models import UsedLinkToken

ALGORITHM = "HS256"
ACCESS_AUDIENCE = "access"
LINK_PURPOSES = frozenset({"link", "invite", "password", "confirm-link"})


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    username: str
    jti: str
    expires_at: datetime


@dataclass(frozen=True)
class LinkClaims:
    purpose: str
    jti: str
    expires_at: datetime
    data: dict[str, Any]


def _encode(ctx: DomainContext, claims: dict[str, Any], *, audience: str, minutes: int) -> str:
    now = ctx.now()
    payload = {
        **claims,
        "aud": audience,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=minutes)).timestamp()),
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(payload, ctx.secret_key, algorithm=ALGORITHM)


def _decode(ctx: DomainContext, token: str, *, audience: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(
            token,
            ctx.secret_key,
            algorithms=[ALGORITHM],
            audience=audience,
            options={
                "require": ["exp", "iat", "jti", "aud"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
    except jwt.InvalidAudienceError as exc:
        raise TokenWrongAudience() from exc
    except jwt.PyJWTError as exc:
        raise TokenInvalid() from exc
    if isinstance(claims["exp"], bool) or not isinstance(claims["exp"], int | float):
        raise TokenInvalid()
    # Expiry is checked against the context's clock, so tests can move time.
    if claims["exp"] <= ctx.now().timestamp():
        raise TokenExpired()
    return claims


def issue_access_token(ctx: DomainContext, *, user_id: int, username: str) -> str:
    return _encode(
        ctx,
        {"sub": str(user_id), "username": username},
        audience=ACCESS_AUDIENCE,
        minutes=ctx.access_token_minutes,
    )


def decode_access_token(ctx: DomainContext, token: str) -> AccessClaims:
    claims = _decode(ctx, token, audience=ACCESS_AUDIENCE)
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.isdigit():
        raise TokenInvalid()
    return AccessClaims(
        user_id=int(sub),
        username=str(claims.get("username", "")),
        jti=claims["jti"],
        expires_at=datetime.fromtimestamp(claims["exp"], tz=ctx.now().tzinfo),
    )


def issue_link_token(
    ctx: DomainContext, *, purpose: str, data: dict[str, Any], minutes: int | None = None
) -> str:
    if purpose not in LINK_PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return _encode(ctx, data, audience=purpose, minutes=minutes or ctx.link_token_minutes)


def read_link_token(ctx: DomainContext, token: str, *, purpose: str) -> LinkClaims:
    """Verify a link token without using it up (to show the page it opens)."""
    claims = _decode(ctx, token, audience=purpose)
    data = {k: v for k, v in claims.items() if k not in {"aud", "iat", "exp", "jti"}}
    return LinkClaims(
        purpose=purpose,
        jti=claims["jti"],
        expires_at=datetime.fromtimestamp(claims["exp"], tz=ctx.now().tzinfo),
        data=data,
    )


def check_link_token_unused(session: Session, claims: LinkClaims) -> None:
    if session.get(UsedLinkToken, claims.jti) is not None:
        raise TokenReused()


def use_link_token(session: Session, claims: LinkClaims, *, now: datetime) -> None:
    """Record the token as used, in the caller's transaction; a second use is refused."""
    check_link_token_unused(session, claims)
    session.add(
        UsedLinkToken(
            jti=claims.jti, purpose=claims.purpose, used_at=now, expires_at=claims.expires_at
        )
    )
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent use of the same token committed first
        raise TokenReused() from exc
