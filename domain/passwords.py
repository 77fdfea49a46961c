"""Password rules and bcrypt hashing."""

from __future__ import annotations

import functools

import bcrypt

from domain.errors import InvalidInput
from domain.validation import storable

MIN_LENGTH = 8
MAX_BYTES = 72  # bcrypt uses at most 72 bytes; longer passwords are refused, not cut.

# The original FarLab's list, and other passwords that pass the character rules but are
# among the first tried by anyone guessing. Compared in lower case.
COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "admin123",
        "123456789",
        "qwerty123",
        "password1",
        "password12",
        "passw0rd",
        "passw0rd1",
        "p@ssw0rd",
        "welcome1",
        "welcome123",
        "letmein1",
        "letmein123",
        "iloveyou1",
        "abc123456",
        "abcd1234",
        "qwerty1",
        "qwertyuiop1",
        "monkey123",
        "dragon123",
        "football1",
        "baseball1",
        "sunshine1",
        "princess1",
        "trustno1",
        "master123",
        "changeme1",
        "changeme123",
        "summer2024",
        "winter2024",
        "spring2025",
        "autumn2025",
        "summer2025",
        "winter2025",
        "summer2026",
        "winter2026",
        "farlab123",
        "laboratory1",
        "1q2w3e4r",
        "1qaz2wsx",
        "zaq12wsx",
        "test1234",
    }
)


def password_problems(password: str) -> list[str]:
    """Each rule the password breaks, as a sentence; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Password must be at least {MIN_LENGTH} characters long")
    if len(password.encode("utf-8")) > MAX_BYTES:
        problems.append(f"Password must be at most {MAX_BYTES} bytes long")
    if not any(c.isupper() for c in password):
        problems.append("Password must contain at least one uppercase letter")
    if not any(c.islower() for c in password):
        problems.append("Password must contain at least one lowercase letter")
    if not any(c.isdigit() for c in password):
        problems.append("Password must contain at least one digit")
    if password.lower() in COMMON_PASSWORDS:
        problems.append("Password is too common")
    return problems


def check_password(password: str, *, field: str = "password") -> None:
    storable(password, field=field)
    problems = password_problems(password)
    if problems:
        raise InvalidInput.field(field, "; ".join(problems) + ".")


def hash_password(password: str, *, rounds: int) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


@functools.lru_cache(maxsize=8)
def _dummy_hash(rounds: int) -> bytes:
    return bcrypt.hashpw(b"no such user", bcrypt.gensalt(rounds=rounds))


def verify_password(password: str, password_hash: str | None, *, rounds: int) -> bool:
    """Check in constant time; spends the same bcrypt work when there is no hash to check."""
    candidate = password.encode("utf-8")[:MAX_BYTES]
    if password_hash is None:
        bcrypt.checkpw(candidate, _dummy_hash(rounds))
        return False
    ok = bcrypt.checkpw(candidate, password_hash.encode("ascii"))
    return ok and len(password.encode("utf-8")) <= MAX_BYTES
