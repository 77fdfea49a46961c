"""Account bodies and responses, in the original API's field order plus ``role``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, EmailStr, Field

from api.schemas.common import RequestBody, Timestamp, one_of
from domain.results import UserView
from domain.vocabulary import ACCOUNT_ROLES, Role

USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{2,49}$"


class UserResponse(BaseModel):
    username: str
    email: str
    first_name: str
    last_name: str
    phone: str | None
    department: str | None
    position: str | None
    notes: str | None
    id: int
    full_name: str
    is_active: bool
    is_admin: bool = Field(description="The role is admin.")
    created_at: Timestamp
    updated_at: Timestamp | None
    last_login: Timestamp | None
    role: Annotated[Role, one_of("Role", *ACCOUNT_ROLES)] = Field(
        description="Added, read-only here."
    )

    @classmethod
    def of(cls, user: UserView) -> UserResponse:
        return cls(
            username=user.username,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            phone=user.phone,
            department=user.department,
            position=user.position,
            notes=user.notes,
            id=user.id,
            full_name=user.full_name,
            is_active=user.is_active,
            is_admin=user.role == Role.ADMIN,
            created_at=user.created_at,
            updated_at=user.updated_at,
            last_login=user.last_login,
            role=user.role,
        )


class UserCreate(RequestBody):
    """`is_admin` is ignored; `role` (default member) sets what the account may do."""

    username: str = Field(min_length=3, max_length=50, pattern=USERNAME_PATTERN)
    email: EmailStr
    first_name: str = Field(min_length=1, max_length=50)
    last_name: str = Field(min_length=1, max_length=50)
    phone: str | None = Field(default=None, max_length=20)
    department: str | None = Field(default=None, max_length=100)
    position: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)
    password: str = Field(
        min_length=8,
        description="At least 8 characters with an upper-case letter, a lower-case letter "
        "and a digit; common passwords are refused.",
    )
    role: Literal["admin", "manager", "member"] = Field(
        default="member", description="Added: the new account's role."
    )


class UserUpdate(RequestBody):
    """Partial. `username`, `is_admin` and `role` cannot be changed here."""

    email: EmailStr | None = None
    first_name: str | None = Field(default=None, min_length=1, max_length=50)
    last_name: str | None = Field(default=None, min_length=1, max_length=50)
    phone: str | None = Field(default=None, max_length=20)
    department: str | None = Field(default=None, max_length=100)
    position: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)
    is_active: bool | None = Field(
        default=None, description="false deactivates the account (the last admin cannot)."
    )

    def domain_changes(self) -> dict[str, Any]:
        changes = self.model_dump(include=self.model_fields_set)
        if changes.get("is_active", False) is None:
            del changes["is_active"]
        return changes


class PasswordChange(RequestBody):
    current_password: str
    new_password: str = Field(min_length=8)
