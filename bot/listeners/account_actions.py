"""Account buttons: Link my account, Unlink, and the admins' user list and account card.

Every admin button is checked by the domain from the verified payload's user, so a manager
or member replaying an admin's button is refused.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot import blocks
from bot.blocks.users import (
    render_account_card,
    render_account_deleted,
    render_users_page,
    user_edit_modal,
)
from bot.commands.base import CommandRequest
from bot.commands.router import dispatch
from bot.ids import ActionId
from bot.listeners.actions import Reply, answering_clicks
from bot.listeners.registry import Listeners
from bot.middleware import acting_team, actor_of
from bot.runtime import BotRuntime
from domain import accounts
from domain.errors import InvalidInput

Payload = dict[str, Any]
PAGE = 10
listeners = Listeners(answering_clicks)


def _value(body: Payload) -> dict[str, Any]:
    action = (body.get("actions") or [{}])[0]
    picked = action.get("selected_option") or {}
    return blocks.unpack(picked.get("value") or action.get("value"))


def _user_id(body: Payload) -> int:
    found = blocks.packed_id(_value(body).get("id"))
    if found is None:
        raise InvalidInput("This button is out of date; run the command again.")
    return found


def _run(runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply, text: str) -> None:
    """Run a ``/farlab`` command for the person who pressed the button; answer there."""
    req = CommandRequest(
        runtime=runtime,
        client=reply.client,
        context=context,
        team_id=acting_team(body, context) or "",
        user_id=body["user"]["id"],
        channel_id=(body.get("channel") or {}).get("id", ""),
        trigger_id=body.get("trigger_id", ""),
        response_url=body.get("response_url", ""),
    )
    answer = dispatch(req, text)
    if answer is not None:
        reply.send(answer)


@listeners.action(ActionId.ACCOUNT_LINK)
def handle_link_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    _run(runtime, body, context, reply, "link")


@listeners.action(ActionId.ACCOUNT_UNLINK)
def handle_unlink_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    _run(runtime, body, context, reply, "unlink")


@listeners.action(ActionId.USERS_NEXT, ActionId.USERS_PREVIOUS)
def handle_users_page_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    value = _value(body)
    query, offset = value.get("q"), value.get("o")
    query = query if isinstance(query, str) else None
    page = accounts.list_accounts(
        runtime.ctx,
        actor=actor_of(context),
        query=query,
        offset=blocks.packed_offset(offset),
        limit=PAGE,
    )
    reply.send(render_users_page(page, query=query), replace=True)


@listeners.action(ActionId.ACCOUNT_VIEW)
def handle_account_view_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    found = accounts.get_account(runtime.ctx, actor=actor_of(context), user_id=_user_id(body))
    reply.send(render_account_card(found))


@listeners.action(ActionId.ACCOUNT_EDIT)
def handle_account_edit_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    found = accounts.get_account(runtime.ctx, actor=actor_of(context), user_id=_user_id(body))
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    reply.modal(user_edit_modal(found.user, channel_id=channel))


@listeners.action(ActionId.ACCOUNT_ROLE)
def handle_account_role_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    role = _value(body).get("role")
    found = accounts.change_role(
        runtime.ctx, actor=actor_of(context), user_id=_user_id(body), role=str(role)
    )
    notice = f"{found.user.username} is now {found.user.role}."
    reply.send(render_account_card(found, notice=notice), replace=True)


@listeners.action(ActionId.ACCOUNT_DEACTIVATE, ActionId.ACCOUNT_REACTIVATE)
def handle_account_activation_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    active = body["actions"][0]["action_id"] == ActionId.ACCOUNT_REACTIVATE
    found = accounts.set_active(
        runtime.ctx, actor=actor_of(context), user_id=_user_id(body), active=active
    )
    done = "Reactivated" if active else "Deactivated"
    reply.send(render_account_card(found, notice=f"{done} {found.user.username}."), replace=True)


@listeners.action(ActionId.ACCOUNT_UNLINK_USER)
def handle_account_unlink_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    found = accounts.unlink_account(runtime.ctx, actor=actor_of(context), user_id=_user_id(body))
    notice = f"Unlinked {found.user.username} from Slack."
    reply.send(render_account_card(found, notice=notice), replace=True)


@listeners.action(ActionId.ACCOUNT_DELETE)
def handle_account_delete_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    gone = accounts.delete_account(runtime.ctx, actor=actor_of(context), user_id=_user_id(body))
    reply.send(render_account_deleted(gone), replace=True)
