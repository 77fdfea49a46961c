"""``{prefix}/users``: your own account, and account administration (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import Ctx, CurrentActor
from api.schemas.common import MAX_ID, errors, path_id
from api.schemas.users import PasswordChange, UserCreate, UserResponse, UserUpdate
from domain import sessions, users

router = APIRouter(tags=["users"])

UserId = Annotated[int, path_id("user")]


@router.post("/", status_code=201, response_model=UserResponse, responses=errors(400, 401, 403))
def create_user(body: UserCreate, ctx: Ctx, actor: CurrentActor) -> UserResponse:
    """Create an account (admins). `is_admin` in the body is ignored; the added `role`
    field (admin, manager or member; default member) sets what the account may do.
    A taken username or e-mail address is a 400."""
    user = users.create_user(ctx, actor=actor, **body.model_dump())
    return UserResponse.of(user)


@router.get("/", response_model=list[UserResponse], responses=errors(401, 403))
def list_users(
    ctx: Ctx,
    actor: CurrentActor,
    skip: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 10,
) -> list[UserResponse]:
    """Accounts by username, `limit` at a time (admins)."""
    page = users.list_users(ctx, actor=actor, offset=skip, limit=limit)
    return [UserResponse.of(user) for user in page.items]


@router.get("/me", response_model=UserResponse, responses=errors(401, 403))
def read_me(ctx: Ctx, actor: CurrentActor) -> UserResponse:
    """The signed-in account."""
    return UserResponse.of(users.get_user(ctx, actor=actor, user_id=actor.user_id))


@router.patch("/me", response_model=UserResponse, responses=errors(401, 403, 409))
def update_me(body: UserUpdate, ctx: Ctx, actor: CurrentActor) -> UserResponse:
    """Change your profile; `is_active: false` deactivates your account (after which
    signing in gives 401 and its tokens 403), unless you are the last active admin (409).
    Only admins change an e-mail address (anyone else gets 403 whatever the address, so
    nothing tells which addresses are taken); sending your own address is no change. An
    address another account uses is a 409 (admins)."""
    assert actor.user_id is not None
    user = users.update_account(ctx, actor=actor, user_id=actor.user_id, **body.domain_changes())
    return UserResponse.of(user)


@router.patch("/me/password", status_code=204, response_class=Response, responses=errors(401, 403))
def change_password(body: PasswordChange, ctx: Ctx, actor: CurrentActor) -> Response:
    """Change your password; a wrong `current_password` is a 401.

    Unlike the original, this ends every session of the account, this one included: every
    token issued before (the one that made the change too) answers 401 from now on, and
    the client signs in again with the new password."""
    assert actor.user_id is not None
    users.change_password(
        ctx,
        actor=actor,
        user_id=actor.user_id,
        current_password=body.current_password,
        new_password=body.new_password,
    )
    return Response(status_code=204)


@router.get("/{user_id}", response_model=UserResponse, responses=errors(401, 403, 404))
def read_user(user_id: UserId, ctx: Ctx, actor: CurrentActor) -> UserResponse:
    """One account (admins; anyone may read their own)."""
    return UserResponse.of(users.get_user(ctx, actor=actor, user_id=user_id))


@router.patch("/{user_id}", response_model=UserResponse, responses=errors(401, 403, 404, 409))
def update_user(user_id: UserId, body: UserUpdate, ctx: Ctx, actor: CurrentActor) -> UserResponse:
    """Added: change an account's profile (admins; anyone may change their own, as with
    `PATCH /me`): names, e-mail, phone, department, position, notes, and `is_active`
    (deactivating ends every session of the account; the last active admin cannot be
    deactivated, 409). An address another account uses is a 409. Roles are changed in
    Slack (`/farlab user role`)."""
    user = users.update_account(ctx, actor=actor, user_id=user_id, **body.domain_changes())
    return UserResponse.of(user)


@router.delete(
    "/{user_id}",
    status_code=204,
    response_class=Response,
    responses=errors(401, 403, 404, 409),
)
def delete_user(user_id: UserId, ctx: Ctx, actor: CurrentActor) -> Response:
    """Delete an account (admins). Admins cannot delete their own account (403), nor the
    last active admin (409)."""
    users.delete_user(ctx, actor=actor, user_id=user_id)
    return Response(status_code=204)


@router.post(
    "/{user_id}/sign-out-everywhere",
    status_code=204,
    response_class=Response,
    responses=errors(401, 403, 404),
)
def sign_out_everywhere(user_id: UserId, ctx: Ctx, actor: CurrentActor) -> Response:
    """End every session of an account (admins; not in the original API): each access
    token issued to it so far answers 401, and its unused Slack links are refused. The
    account keeps its password; its person signs in again. Your own account included."""
    sessions.sign_out_everywhere(ctx, actor=actor, user_id=user_id)
    return Response(status_code=204)
