"""Signed tokens: access-token claims, and each way a token is refused with its own error."""

from __future__ import annotations

import base64
import json
import uuid

import jwt
import pytest

from domain import tokens
from domain.errors import AuthError, TokenExpired, TokenInvalid, TokenReused, TokenWrongAudience
from tests.conftest import TEST_SECRET
from tests.factories import make_user

STAMP = "a-security-stamp"


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _flip(token: str, segment: int, index: int) -> str:
    """Change one base64url character of a segment (0 header, 1 payload, 2 signature)."""
    parts = token.split(".")
    chars = list(parts[segment])
    chars[index] = "A" if chars[index] != "A" else "B"
    parts[segment] = "".join(chars)
    return ".".join(parts)


def _with_payload(token: str, **changes: object) -> str:
    """The same header and signature over a payload with ``changes``."""
    header, payload, signature = token.split(".")
    data = {**_claims(token), **changes}
    raw = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    assert raw != payload
    return f"{header}.{raw}.{signature}"


def test_access_token_carries_subject_username_and_timing_claims(ctx, clock):
    member = make_user(ctx, username="sara")
    token = tokens.issue_access_token(ctx, user_id=member.user_id, username="sara", stamp=STAMP)
    claims = _claims(token)
    assert claims["sub"] == str(member.user_id)
    assert claims["username"] == "sara"
    assert claims["aud"] == "access"
    assert claims["iat"] == int(clock.now.timestamp())
    assert claims["exp"] == claims["iat"] + ctx.access_token_minutes * 60
    assert uuid.UUID(claims["jti"])
    decoded = tokens.decode_access_token(ctx, token)
    assert (decoded.user_id, decoded.username, decoded.jti) == (
        member.user_id,
        "sara",
        claims["jti"],
    )
    assert decoded.expires_at.timestamp() == claims["exp"]
    assert claims["stamp"] == decoded.stamp == STAMP


def test_every_token_has_its_own_id(ctx):
    issued = {
        tokens.issue_access_token(ctx, user_id=1, username="a", stamp=STAMP) for _ in range(5)
    }
    assert len({_claims(t)["jti"] for t in issued}) == 5


def test_access_token_expires_after_its_lifetime_by_the_context_clock(ctx, clock):
    token = tokens.issue_access_token(ctx, user_id=1, username="sara", stamp=STAMP)
    clock.advance(minutes=ctx.access_token_minutes, seconds=-1)
    assert tokens.decode_access_token(ctx, token).user_id == 1
    clock.advance(seconds=1)
    with pytest.raises(TokenExpired):
        tokens.decode_access_token(ctx, token)


@pytest.mark.parametrize(("segment", "index"), [(2, 10), (2, 20), (1, 8), (1, 30)])
def test_a_token_with_one_character_changed_is_invalid(ctx, segment, index):
    token = tokens.issue_access_token(ctx, user_id=1, username="sara", stamp=STAMP)
    with pytest.raises(TokenInvalid):
        tokens.decode_access_token(ctx, _flip(token, segment, index))


def test_a_token_whose_payload_was_rewritten_to_another_user_is_invalid(ctx):
    token = tokens.issue_access_token(ctx, user_id=1, username="sara", stamp=STAMP)
    with pytest.raises(TokenInvalid):
        tokens.decode_access_token(ctx, _with_payload(token, sub="2", username="admin"))


def test_a_token_signed_with_another_key_is_invalid(ctx):
    payload = _claims(tokens.issue_access_token(ctx, user_id=1, username="sara", stamp=STAMP))
    forged = jwt.encode(payload, "another-secret-key-that-is-long-enough-00", algorithm="HS256")
    with pytest.raises(TokenInvalid):
        tokens.decode_access_token(ctx, forged)


# Each signed with our key: only the claims are strange. None removes the claim.
STRANGE_CLAIMS = {
    "text-subject": {"sub": "not-a-number"},
    "integer-subject": {"sub": 1},
    "superscript-subject": {"sub": "\u00b2"},
    "arabic-indic-subject": {"sub": "\u0663"},
    "exponent-subject": {"sub": "1e3"},
    "negative-subject": {"sub": -1},
    "negative-text-subject": {"sub": "-1"},
    "zero-subject": {"sub": "0"},
    "padded-subject": {"sub": "01"},
    "beyond-32-bit-subject": {"sub": "2147483648"},
    "5000-digit-subject": {"sub": "9" * 5000},
    "no-jti": {"jti": None},
    "integer-jti": {"jti": 5},
    "long-jti": {"jti": "j" * 500},
    "text-exp": {"exp": "tomorrow"},
    "huge-exp": {"exp": 1e300},
    "infinite-exp": {"exp": float("inf")},
    "nan-exp": {"exp": float("nan")},
    "boolean-exp": {"exp": True},
    "text-iat": {"iat": "yesterday"},
    "huge-iat": {"iat": 1e300},
    "nan-iat": {"iat": float("nan")},
    "no-iat": {"iat": None},
    "no-stamp": {"stamp": None},
    "integer-stamp": {"stamp": 7},
    "long-stamp": {"stamp": "s" * 500},
    "surrogate-stamp": {"stamp": "\ud800"},
    "nul-stamp": {"stamp": "\x00"},
    "surrogate-jti": {"jti": "\udfff"},
    "nul-jti": {"jti": "\x00"},
}


@pytest.mark.parametrize("change", STRANGE_CLAIMS.values(), ids=STRANGE_CLAIMS.keys())
def test_a_well_signed_token_with_malformed_claims_is_invalid(ctx, change):
    payload = {
        **_claims(tokens.issue_access_token(ctx, user_id=1, username="sara", stamp=STAMP)),
        **change,
    }
    payload = {k: v for k, v in payload.items() if v is not None}
    with pytest.raises(TokenInvalid):
        tokens.decode_access_token(ctx, jwt.encode(payload, TEST_SECRET, algorithm="HS256"))


def test_a_token_meant_for_something_else_is_refused_as_wrong_audience(ctx):
    link = tokens.issue_link_token(ctx, purpose="link", data={"team_id": "T1"})
    access = tokens.issue_access_token(ctx, user_id=1, username="sara", stamp=STAMP)
    with pytest.raises(TokenWrongAudience):
        tokens.decode_access_token(ctx, link)
    with pytest.raises(TokenWrongAudience):
        tokens.read_link_token(ctx, access, purpose="link")
    with pytest.raises(TokenWrongAudience):
        tokens.read_link_token(ctx, link, purpose="invite")


def test_each_refusal_has_its_own_error_class(ctx, clock):
    """Expired, invalid, wrong audience and reused are told apart, not one generic error."""
    seen = set()
    link = tokens.issue_link_token(ctx, purpose="link", data={"user_id": 1})
    access = tokens.issue_access_token(ctx, user_id=1, username="sara", stamp=STAMP)
    for attempt in (
        lambda: tokens.decode_access_token(ctx, _flip(access, 2, 10)),
        lambda: tokens.decode_access_token(ctx, link),
    ):
        with pytest.raises(AuthError) as caught:
            attempt()
        seen.add(type(caught.value))
    claims = tokens.read_link_token(ctx, link, purpose="link")
    with ctx.transaction() as session:
        tokens.use_link_token(session, claims, now=clock.now)
    with pytest.raises(AuthError) as caught, ctx.transaction() as session:
        tokens.use_link_token(session, claims, now=clock.now)
    seen.add(type(caught.value))
    clock.advance(days=1)
    with pytest.raises(AuthError) as caught:
        tokens.decode_access_token(ctx, access)
    seen.add(type(caught.value))
    assert seen == {TokenInvalid, TokenWrongAudience, TokenReused, TokenExpired}


def test_link_token_carries_its_data_and_can_be_read_until_it_expires(ctx, clock):
    token = tokens.issue_link_token(ctx, purpose="invite", data={"user_id": 7, "team_id": "T1"})
    claims = tokens.read_link_token(ctx, token, purpose="invite")
    assert claims.data == {"user_id": 7, "team_id": "T1"}
    assert claims.purpose == "invite"
    assert (claims.expires_at - clock.now).total_seconds() == ctx.link_token_minutes * 60
    clock.advance(minutes=ctx.link_token_minutes)
    with pytest.raises(TokenExpired):
        tokens.read_link_token(ctx, token, purpose="invite")


def test_a_link_token_lifetime_can_be_chosen_per_link(ctx, clock):
    token = tokens.issue_link_token(ctx, purpose="password", data={}, minutes=60)
    clock.advance(minutes=59)
    assert tokens.read_link_token(ctx, token, purpose="password").data == {}


def test_a_link_token_is_used_once_and_a_second_use_is_refused(ctx, clock):
    token = tokens.issue_link_token(ctx, purpose="link", data={"slack_user_id": "U1"})
    claims = tokens.read_link_token(ctx, token, purpose="link")
    with ctx.transaction() as session:
        tokens.check_link_token_unused(session, claims)
        tokens.use_link_token(session, claims, now=clock.now)
    with pytest.raises(TokenReused), ctx.transaction() as session:
        tokens.use_link_token(session, claims, now=clock.now)
    with pytest.raises(TokenReused), ctx.transaction() as session:
        tokens.check_link_token_unused(session, claims)


def test_a_link_used_in_a_transaction_that_rolls_back_stays_unused(ctx, clock):
    claims = tokens.read_link_token(
        ctx, tokens.issue_link_token(ctx, purpose="link", data={}), purpose="link"
    )

    def use_then_fail() -> None:
        with ctx.transaction() as session:
            tokens.use_link_token(session, claims, now=clock.now)
            raise RuntimeError("the page failed after using the token")

    with pytest.raises(RuntimeError, match="the page failed after using the token"):
        use_then_fail()
    with ctx.transaction() as session:
        tokens.use_link_token(session, claims, now=clock.now)


def test_issuing_a_link_for_an_unknown_purpose_is_a_programming_error(ctx):
    with pytest.raises(ValueError, match="unknown link purpose"):
        tokens.issue_link_token(ctx, purpose="reset-everything", data={})


def _nested(depth: int, inner: object) -> object:
    for _ in range(depth):
        inner = [inner]
    return inner


@pytest.mark.parametrize("inner", ["\ud800", {"\x00": 1}], ids=["surrogate", "nul-key"])
def test_text_no_database_could_store_is_refused_however_deep_it_is(ctx, inner):
    """As deep as JSON reading goes (it stops near 1000 levels), without running out of stack."""
    claims = _claims(tokens.issue_access_token(ctx, user_id=1, username="sara", stamp=STAMP))
    deep = jwt.encode({**claims, "x": _nested(900, inner)}, TEST_SECRET, algorithm="HS256")
    with pytest.raises(TokenInvalid):
        tokens.decode_access_token(ctx, deep)
    fine = jwt.encode({**claims, "x": _nested(900, "text")}, TEST_SECRET, algorithm="HS256")
    assert tokens.decode_access_token(ctx, fine).user_id == 1
