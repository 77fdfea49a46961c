"""Signed tokens (PyJWT, HS256): API access tokens and purpose-bound single-use links.

A token signed with our key is still read with care: every claim must have the shape we
give it (``sub`` a decimal id, ``exp``/``iat`` finite times, ``jti`` and ``stamp`` short
texts; no text anywhere holding NUL or an unpaired surrogate, which we never write and
which no database or encoder takes), or the token is refused as invalid, never with an
error of its own.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeGuard

import jwt

from domain import validation
from domain.context import DomainContext
from domain.errors import (
    InvalidInput,
    TokenExpired,
    TokenInvalid,
    TokenReused,
    TokenWrongAudience,
)
from persistence import link_tokens
from persistence.db import Session
from persistence.errors import AlreadyExists

ALGORITHM = "HS256"
ACCESS_AUDIENCE = "access"
LINK_PURPOSES = frozenset({"link", "invite", "password", "confirm-link"})
MAX_ID = 2_147_483_647  # ids are 32-bit on PostgreSQL; larger ones can never exist
MAX_CLAIM_TEXT = 64  # jti (a uuid) and stamp (a security stamp) are far shorter
_DECIMAL_ID = re.compile(r"[1-9][0-9]{0,9}")


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    username: str
    jti: str
    expires_at: datetime
    stamp: str  # the account's security stamp when the token was issued


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


def _decode(ctx: DomainContext, token: str, *, audience: str) -> tuple[dict[str, Any], datetime]:
    """The token's claims and when it expires, once signature, audience and shape hold."""
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
    if not _storable_texts(claims):
        raise TokenInvalid()
    exp, iat = claims["exp"], claims["iat"]
    if not (_is_time(exp) and _is_time(iat) and iat <= exp) or not is_claim_text(claims["jti"]):
        raise TokenInvalid()
    try:
        expires_at = datetime.fromtimestamp(exp, tz=ctx.now().tzinfo)
    except (OverflowError, OSError, ValueError) as exc:  # beyond what a datetime holds
        raise TokenInvalid() from exc
    # Expiry is checked against the context's clock, so tests can move time.
    if exp <= ctx.now().timestamp():
        raise TokenExpired()
    return claims, expires_at


def _storable_texts(claims: dict[str, Any]) -> bool:
    """Whether every text in the claims (keys included, at any depth) can be stored and
    encoded. Walked without recursion: the nesting is whatever the token says."""
    pending: list[object] = [claims]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            try:
                validation.storable(value, field="claim")
            except InvalidInput:
                return False
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return True


def _is_time(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_claim_text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and 0 < len(value) <= MAX_CLAIM_TEXT


def claim_id(value: object) -> int | None:
    """An id claim as given in link data (a JSON integer), or ``None`` if absent; else
    ``TokenInvalid``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise TokenInvalid()
    return value


def issue_access_token(ctx: DomainContext, *, user_id: int, username: str, stamp: str) -> str:
    """A bearer token for the account, valid while its security stamp is ``stamp``."""
    return _encode(
        ctx,
        {"sub": str(user_id), "username": username, "stamp": stamp},
        audience=ACCESS_AUDIENCE,
        minutes=ctx.access_token_minutes,
    )


def decode_access_token(ctx: DomainContext, token: str) -> AccessClaims:
    """The token's claims; whether its account and stamp still hold is ``domain.sessions``'."""
    claims, expires_at = _decode(ctx, token, audience=ACCESS_AUDIENCE)
    sub, stamp = claims.get("sub"), claims.get("stamp")
    if not isinstance(sub, str) or not _DECIMAL_ID.fullmatch(sub) or int(sub) > MAX_ID:
        raise TokenInvalid()
    if not is_claim_text(stamp):
        raise TokenInvalid()
    return AccessClaims(
        user_id=int(sub),
        username=str(claims.get("username", "")),
        jti=claims["jti"],
        expires_at=expires_at,
        stamp=stamp,
    )


def issue_link_token(
    ctx: DomainContext, *, purpose: str, data: dict[str, Any], minutes: int | None = None
) -> str:
    if purpose not in LINK_PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return _encode(ctx, data, audience=purpose, minutes=minutes or ctx.link_token_minutes)


def read_link_token(ctx: DomainContext, token: str, *, purpose: str) -> LinkClaims:
    """Verify a link token without using it up (to show the page it opens)."""
    claims, expires_at = _decode(ctx, token, audience=purpose)
    data = {k: v for k, v in claims.items() if k not in {"aud", "iat", "exp", "jti"}}
    return LinkClaims(purpose=purpose, jti=claims["jti"], expires_at=expires_at, data=data)


def check_link_token_unused(session: Session, claims: LinkClaims) -> None:
    if link_tokens.link_token_used(session, claims.jti):
        raise TokenReused()


def use_link_token(session: Session, claims: LinkClaims, *, now: datetime) -> None:
    """Record the token as used, in the caller's transaction; a second use is refused."""
    check_link_token_unused(session, claims)
    try:
        link_tokens.record_link_token_use(
            session,
            jti=claims.jti,
            purpose=claims.purpose,
            used_at=now,
            expires_at=claims.expires_at,
        )
    except AlreadyExists as exc:  # a concurrent use of the same token committed first
        raise TokenReused() from exc
