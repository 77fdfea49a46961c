"""Accounts: create, read, update, roles, activation, passwords, sign-in."""

from __future__ import annotations

from typing import Any

from domain import sessions, sign_in_throttle
from domain import validation as v
from domain.context import DomainContext
from domain.errors import (
    AccountInactive,
    Conflict,
    Forbidden,
    InvalidCredentials,
    InvalidInput,
    NotFound,
)
from domain.passwords import check_password, hash_password, verify_password
from domain.permissions import Action, Actor, Role, require
from domain.results import Page, UserView
from domain.vocabulary import ACCOUNT_ROLES
from persistence import users as store
from persistence.db import Session
from persistence.models import User

PROFILE_LIMITS = {
    "first_name": 50,
    "last_name": 50,
    "phone": 20,
    "department": 100,
    "position": 100,
    "notes": 5000,
}


def _role(value: str) -> Role:
    """A role an account can hold (the viewer role is for anonymous readers only)."""
    role = next((r for r in ACCOUNT_ROLES if r.value == value), None)
    if role is None:
        guess = v.closest(value, [r.value for r in ACCOUNT_ROLES])
        hint = f" Did you mean {guess}?" if guess else ""
        raise InvalidInput.field("role", f"Role must be admin, manager or member.{hint}")
    return role


def _load(session: Session, user_id: int) -> User:
    row = store.user_by_id(session, user_id)
    if row is None:
        raise NotFound("User not found.")
    return row


def _by_username(session: Session, username: str) -> User | None:
    return store.user_by_username(session, v.lookup(username, field="username"))


def _profile(fields: dict[str, Any]) -> dict[str, Any]:
    """Every profile field checked; the errors of all bad fields together."""
    return v.each_field(fields, _profile_field)


def _profile_field(name: str, value: Any) -> Any:
    if name in ("first_name", "last_name"):
        return v.required_text(value, field=name, max_length=PROFILE_LIMITS[name])
    if name in PROFILE_LIMITS:
        return v.text(
            value,
            field=name,
            max_length=PROFILE_LIMITS[name],
            required=False,
            multiline=name == "notes",
        )
    if name == "email":
        return v.email(value)
    raise InvalidInput.field(name, f"{name} cannot be changed here.")


def _new_account_field(name: str, value: Any) -> Any:
    if name == "username":
        return v.username(value)
    if name == "role":
        return _role(value).value
    return _profile_field(name, value)


def create_user(
    ctx: DomainContext,
    *,
    actor: Actor,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    role: str = Role.MEMBER,
    phone: str | None = None,
    department: str | None = None,
    position: str | None = None,
    notes: str | None = None,
) -> UserView:
    """Create an account. ``password=None`` makes one with no usable password (an invitation)."""
    require(actor, Action.MANAGE_USERS)
    fields = {
        "username": username,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "role": role,
        "phone": phone,
        "department": department,
        "position": position,
        "notes": notes,
    }
    row = User(is_active=True, **v.each_field(fields, _new_account_field))
    if password is not None:
        check_password(password)
        row.password_hash = hash_password(password, rounds=ctx.bcrypt_rounds)
    with ctx.transaction() as session:
        if _by_username(session, row.username) is not None:
            raise Conflict(f"Username {row.username} is already taken.", field="username")
        store.add_user(session, row)
        return UserView.of(row)


def get_user(
    ctx: DomainContext, *, actor: Actor, user_id: int | None = None, username: str | None = None
) -> UserView:
    if user_id is None:
        username = v.lookup(username, field="username")
    own = (
        user_id == actor.user_id
        if user_id is not None
        else (username or "").lower() == actor.username.lower()
    )
    if not own:  # checked first, so a refusal says nothing about who exists
        require(actor, Action.MANAGE_USERS)
    with ctx.transaction() as session:
        row = (
            _load(session, user_id)
            if user_id is not None
            else _by_username(session, username or "")
        )
        if row is None:
            raise NotFound(f"No user named {username}.")
        if row.id != actor.user_id:
            require(actor, Action.MANAGE_USERS)
        return UserView.of(row)


def list_users(
    ctx: DomainContext,
    *,
    actor: Actor,
    role: str | None = None,
    active: bool | None = None,
    query: str | None = None,
    offset: int = 0,
    limit: int = 25,
) -> Page[UserView]:
    require(actor, Action.MANAGE_USERS)
    offset, limit = v.paging(offset, limit)
    role = _role(role).value if role is not None else None
    query = v.lookup(query, field="query")
    pattern = v.like_pattern(query) if query else None
    with ctx.transaction() as session:
        rows = store.matching_users(
            session, role=role, active=active, pattern=pattern, offset=offset, limit=limit + 1
        )
        items = tuple(UserView.of(r) for r in rows[:limit])
    return Page(items=items, offset=offset, limit=limit, has_more=len(rows) > limit)


def update_user(ctx: DomainContext, *, actor: Actor, user_id: int, **changes: Any) -> UserView:
    """Change profile fields (email, names, phone, department, position, notes)."""
    if "is_active" in changes:  # activation goes through set_active or update_account
        raise InvalidInput.field("is_active", "is_active cannot be changed here.")
    return update_account(ctx, actor=actor, user_id=user_id, **changes)


def change_role(ctx: DomainContext, *, actor: Actor, user_id: int, role: str) -> UserView:
    require(actor, Action.MANAGE_ROLES)
    new_role = _role(role)
    with ctx.transaction() as session:
        row = _load(session, user_id)
        if row.role == Role.ADMIN and new_role != Role.ADMIN and row.is_active:
            _refuse_if_last_admin(session, "demote")
        row.role = new_role.value
        session.flush()
        return UserView.of(row)


def set_active(ctx: DomainContext, *, actor: Actor, user_id: int, active: bool) -> UserView:
    """Deactivate or reactivate an account. People may deactivate themselves."""
    if not (user_id == actor.user_id and not active):
        require(actor, Action.MANAGE_USERS)
    with ctx.transaction() as session:
        row = _load(session, user_id)
        if not active and row.role == Role.ADMIN and row.is_active:
            _refuse_if_last_admin(session, "deactivate")
        if not active:
            sessions.rotate_stamp(row)  # its tokens stay refused if it is reactivated
        row.is_active = active
        session.flush()
        return UserView.of(row)


def deactivate_user(ctx: DomainContext, *, actor: Actor, user_id: int) -> UserView:
    return set_active(ctx, actor=actor, user_id=user_id, active=False)


def reactivate_user(ctx: DomainContext, *, actor: Actor, user_id: int) -> UserView:
    return set_active(ctx, actor=actor, user_id=user_id, active=True)


def delete_user(ctx: DomainContext, *, actor: Actor, user_id: int) -> None:
    require(actor, Action.MANAGE_USERS)
    if user_id == actor.user_id:
        raise Forbidden("Admins cannot delete their own account.")
    with ctx.transaction() as session:
        row = _load(session, user_id)
        if row.role == Role.ADMIN and row.is_active:
            _refuse_if_last_admin(session, "delete")
        store.delete_user(session, row)


def _refuse_if_last_admin(session: Session, verb: str) -> None:
    if store.count_active_admins_locked(session) <= 1:
        raise Conflict(f"Cannot {verb} the last active admin; make someone else an admin first.")


def change_password(
    ctx: DomainContext, *, actor: Actor, user_id: int, current_password: str, new_password: str
) -> None:
    """People change their own password, proving they know the current one.

    Every session of the account ends, the one that made the change included: each token
    and link made before is refused, and the person signs in with the new password.
    """
    if user_id != actor.user_id:
        raise Forbidden("You can only change your own password.")
    v.storable(current_password or "", field="current_password")
    check_password(new_password, field="new_password")
    with ctx.transaction() as session:
        row = _load(session, user_id)
        if not verify_password(current_password, row.password_hash, rounds=ctx.bcrypt_rounds):
            raise InvalidInput.field("current_password", "Current password is incorrect.")
        row.password_hash = hash_password(new_password, rounds=ctx.bcrypt_rounds)
        sessions.rotate_stamp(row)


def set_password(session: Session, *, ctx: DomainContext, user_id: int, password: str) -> UserView:
    """Set a password inside the caller's transaction (invitation and reset links);
    every other session of the account ends."""
    check_password(password)
    row = _load(session, user_id)
    if not row.is_active:
        raise AccountInactive()
    row.password_hash = hash_password(password, rounds=ctx.bcrypt_rounds)
    sessions.rotate_stamp(row)
    return UserView.of(row)


def sign_in(
    session: Session, *, ctx: DomainContext, attempt: sign_in_throttle.Attempt, password: str
) -> UserView:
    """Check a password inside the caller's transaction, for a try already taken.

    Callers wrap their transaction in ``sign_in_throttle.sign_in_attempt``, which takes the
    try (refused while the name is locked) and counts a refused password. Unknown users cost
    the same bcrypt work as known ones.
    """
    row = _by_username(session, attempt.username)
    ok = verify_password(
        password or "", row.password_hash if row else None, rounds=ctx.bcrypt_rounds
    )
    if row is None or not ok:
        raise InvalidCredentials()
    if not row.is_active:
        raise AccountInactive()
    # The account's row first, then its tries: the order every transaction that changes an
    # account and forgets its tries takes them in (a password set through a link), so the
    # two wait for each other in turn and never in a circle.
    row.last_login = ctx.now()
    session.flush()
    sign_in_throttle.succeeded(session, ctx, attempt)
    return UserView.of(row)


def authenticate(
    ctx: DomainContext,
    *,
    username: str,
    password: str,
    client_address: str = sign_in_throttle.IN_PROCESS,
) -> UserView:
    """Sign in from ``client_address``; too many tries lock it (``AccountLocked``)."""
    username, password = v.credentials(username, password)
    with (
        sign_in_throttle.sign_in_attempt(ctx, username, client_address) as attempt,
        ctx.transaction() as session,
    ):
        return sign_in(session, ctx=ctx, attempt=attempt, password=password)


def sign_in_for_token(
    ctx: DomainContext,
    *,
    username: str,
    password: str,
    client_address: str = sign_in_throttle.IN_PROCESS,
) -> sessions.SignedIn:
    """Sign in as ``authenticate`` does (throttled alike), and get an access token.

    The token carries the stamp of the very row whose password was checked, so a password
    changed meanwhile cannot leave it valid.
    """
    username, password = v.credentials(username, password)
    with (
        sign_in_throttle.sign_in_attempt(ctx, username, client_address) as attempt,
        ctx.transaction() as session,
    ):
        user = sign_in(session, ctx=ctx, attempt=attempt, password=password)
        token = sessions.access_token_for(ctx, _load(session, user.id))
    return sessions.SignedIn(user=user, access_token=token)


def count_users(ctx: DomainContext) -> int:
    with ctx.transaction() as session:
        return store.count_users(session)


def update_account(
    ctx: DomainContext,
    *,
    actor: Actor,
    user_id: int,
    is_active: bool | None = None,
    **changes: Any,
) -> UserView:
    """Change profile fields and, if given, activation, in one transaction.

    The rules are those of ``update_user`` and ``set_active``: people edit and may
    deactivate their own account; anything else needs the right to manage users. So does
    a new e-mail address: were it checked for anyone, the answer would tell whether
    another account uses that address.
    """
    if user_id != actor.user_id:
        require(actor, Action.MANAGE_USERS)
    cleaned = _profile(changes)
    with ctx.transaction() as session:
        row = _load(session, user_id)
        if cleaned.get("email", row.email).lower() != row.email.lower():
            require(actor, Action.CHANGE_EMAILS)
        for name, value in cleaned.items():
            setattr(row, name, value)
        if is_active is not None and is_active != row.is_active:
            if is_active:
                require(actor, Action.MANAGE_USERS)
            else:
                if row.role == Role.ADMIN:
                    _refuse_if_last_admin(session, "deactivate")
                sessions.rotate_stamp(row)
            row.is_active = is_active
        session.flush()
        return UserView.of(row)


def actor_named(ctx: DomainContext, username: str) -> Actor:
    """The active account ``username`` as an actor, for the command line's ``--as``."""
    with ctx.transaction() as session:
        row = _by_username(session, username)
        if row is None or not row.is_active:
            raise NotFound(f"There is no active account named {username}.")
        return Actor(user_id=row.id, username=row.username, role=_role(row.role))
