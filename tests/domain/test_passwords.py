"""Password rules, applied where accounts are made, and bcrypt checks."""

from __future__ import annotations

import pytest

from domain import users
from domain.errors import InvalidInput
from domain.passwords import hash_password, verify_password
from domain.permissions import SYSTEM


def _create(ctx, password):
    return users.create_user(
        ctx,
        actor=SYSTEM,
        username="sara",
        email="sara@lab.example",
        first_name="Sara",
        last_name="Berg",
        password=password,
    )


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Sh0rt-a", "at least 8 characters"),
        ("no-upper-case-1", "uppercase"),
        ("NO-LOWER-CASE-1", "lowercase"),
        ("No-Digits-Here", "digit"),
        ("Password123", "too common"),
        ("PassW0rd1", "too common"),
        ("Aa1" + "x" * 70, "at most 72 bytes"),
        ("Æøå1" + "ø" * 33, "at most 72 bytes"),  # 37 characters, 73 bytes
    ],
)
def test_create_user_refuses_a_password_that_breaks_a_rule(ctx, refused, password, rule):
    with refused(InvalidInput, field="password") as refusal:
        _create(ctx, password)
    assert rule in str(refusal.error)


def test_every_broken_rule_is_named_at_once(ctx, refused):
    with refused(InvalidInput, field="password") as refusal:
        _create(ctx, "abc")
    message = str(refusal.error)
    assert all(rule in message for rule in ("at least 8", "uppercase", "digit"))


@pytest.mark.parametrize("password", ["Correct-Horse-9", "Aa345678", "Ünïcode-Straße-7"])
def test_create_user_accepts_a_password_that_follows_every_rule(ctx, password):
    assert _create(ctx, password).has_password
    assert users.authenticate(ctx, username="sara", password=password).username == "sara"


def test_verify_password_checks_the_whole_password_not_its_first_72_bytes():
    base = "Aa1" + "x" * 69  # exactly 72 bytes
    stored = hash_password(base, rounds=4)
    assert stored.startswith("$2b$04$")
    assert verify_password(base, stored, rounds=4)
    assert not verify_password(base + "tail", stored, rounds=4)
    assert not verify_password("Aa1" + "x" * 68, stored, rounds=4)
    assert not verify_password(base, None, rounds=4)
