"""The errors every service raises; each message is written for the person who acted."""

from __future__ import annotations

from domain.vocabulary import amount


class DomainError(Exception):
    """Base class: ``str(error)`` is a sentence a user can read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    """Bad input; ``errors`` maps each offending field to what was wrong with it."""

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}

    @classmethod
    def field(cls, field: str, message: str) -> InvalidInput:
        return cls(message, errors={field: message})


class InsufficientStock(DomainError):
    def __init__(self, *, part_number: str, available: int, requested: int, unit: str) -> None:
        super().__init__(
            f"Not enough stock of {part_number}: {amount(available, unit)} available, "
            f"{requested} requested."
        )
        self.part_number = part_number
        self.available = available
        self.requested = requested


class Unavailable(DomainError):
    """The database cannot be written (or reached) right now; nothing was changed.

    ``reason`` is for the log and the health checks, not for the person.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(
            "FarLab cannot save changes right now: its database is not available. "
            "Nothing was changed; please try again later, or tell a FarLab admin."
        )
        self.reason = reason


class AuthError(DomainError):
    """Authentication failed: bad credentials, or a token that cannot be accepted."""


class InvalidCredentials(AuthError):
    def __init__(self) -> None:
        super().__init__("Invalid username or password.")


class AccountInactive(AuthError):
    def __init__(self) -> None:
        super().__init__("This account is deactivated.")


class TokenExpired(AuthError):
    def __init__(self) -> None:
        super().__init__("This link or token has expired.")


class TokenInvalid(AuthError):
    def __init__(self) -> None:
        super().__init__("This link or token is not valid.")


class TokenRevoked(TokenInvalid):
    """Made before the account's password changed, it was deactivated or signed out."""

    def __init__(self) -> None:
        DomainError.__init__(
            self,
            "This link or token is no longer valid: the account's password or sign-ins "
            "changed after it was made.",
        )


class TokenWrongAudience(AuthError):
    def __init__(self) -> None:
        super().__init__("This link or token is meant for something else.")


class TokenReused(AuthError):
    def __init__(self) -> None:
        super().__init__("This link has already been used.")


class TokenWrongUser(AuthError):
    def __init__(self) -> None:
        super().__init__("This link was made for someone else.")


class AccountLocked(AuthError):
    """Too many failed sign-ins for one username; ``minutes`` until it may try again."""

    def __init__(self, minutes: int) -> None:
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(
            f"Too many failed sign-ins: signing in is locked for {minutes} more {unit}."
        )
        self.minutes = minutes


class Ambiguous(DomainError):
    """A name matched several things; ``candidates`` lets the person pick one."""

    def __init__(self, message: str, *, candidates: tuple[tuple[int, str], ...]) -> None:
        super().__init__(message)
        self.candidates = candidates


class ConfirmationNeeded(InvalidInput):
    """Allowed only when confirmed (receiving more than was ordered, say): the form asks,
    and the call is made again with the confirmation."""
