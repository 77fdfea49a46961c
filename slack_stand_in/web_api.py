"""The Web API methods the stand-in answers, each applied to the workspace model."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_stand_in.answers import SlackError
from slack_stand_in.file_api import FILE_METHODS
from slack_stand_in.identity import (
    BOT_ID,
    BOT_NAME,
    BOT_USER_ID,
    TEAM_ID,
    TEAM_NAME,
    WORKSPACE_URL,
    conversation_id,
    dm_channel,
)
from slack_stand_in.messages import metadata_is_valid
from slack_stand_in.workspace import Workspace

Body = dict[str, Any]
Method = Callable[[Workspace, Body], Body]
HISTORY_LIMIT = 100  # conversations.history's default page size
HISTORY_MAX_LIMIT = 999
CURSOR_PREFIX = "next_ts:"  # Slack's cursors are base64 of "next_ts:<ts>"


def call_method(workspace: Workspace, method: str, body: Body) -> Body:
    """The JSON answer to one Web API call; methods not modelled answer ``{"ok": true}``."""
    handler = METHODS.get(method) or FILE_METHODS.get(method)
    if handler is None:
        return {"ok": True}
    try:
        return {"ok": True, **handler(workspace, body)}
    except SlackError as exc:
        return {"ok": False, "error": exc.code}


def _text_arg(body: Body, name: str, error: str = "invalid_arguments") -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise SlackError(error)
    return value


def _channel(body: Body) -> str:
    return conversation_id(_text_arg(body, "channel", "channel_not_found"))


def auth_test(_workspace: Workspace, _body: Body) -> Body:
    return {
        "url": WORKSPACE_URL,
        "team": TEAM_NAME,
        "user": BOT_NAME,
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def _flag(body: Body, name: str) -> bool:
    """A boolean argument: ``true``/``1`` in a JSON or form body (the SDK sends ``"1"``)."""
    return body.get(name) in (True, 1, "1", "true")


def _ts_arg(body: Body, name: str) -> Decimal | None:
    value = body.get(name)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise SlackError("invalid_ts_" + name) from None


def _metadata_warning(body: Body) -> Body:
    if body.get("metadata") is None or metadata_is_valid(body["metadata"]):
        return {}
    return {
        "warning": "invalid_metadata_schema",
        "response_metadata": {"warnings": ["invalid_metadata_schema"]},
    }


def chat_post_message(workspace: Workspace, body: Body) -> Body:
    channel = _channel(body)
    message = workspace.messages.post(channel, body)
    return {"channel": channel, "ts": message["ts"], "message": message, **_metadata_warning(body)}


def chat_post_ephemeral(workspace: Workspace, body: Body) -> Body:
    channel = _channel(body)
    user = _text_arg(body, "user", "user_not_in_channel")
    message = workspace.messages.post_ephemeral(channel, user, body)
    return {"message_ts": message["ts"]}


def chat_update(workspace: Workspace, body: Body) -> Body:
    channel = _channel(body)
    ts = _text_arg(body, "ts", "message_not_found")
    message = workspace.messages.update(channel, ts, body)
    return {"channel": channel, "ts": ts, "text": message["text"], "message": message}


def chat_delete(workspace: Workspace, body: Body) -> Body:
    channel = _channel(body)
    ts = _text_arg(body, "ts", "message_not_found")
    workspace.messages.delete(channel, ts)
    return {"channel": channel, "ts": ts}


def views_open(workspace: Workspace, body: Body) -> Body:
    user = workspace.directory.redeem_trigger(body.get("trigger_id"))
    return {"view": workspace.views.open(user, body.get("view"))}


def views_push(workspace: Workspace, body: Body) -> Body:
    user = workspace.directory.redeem_trigger(body.get("trigger_id"))
    return {"view": workspace.views.push(user, body.get("view"))}


def views_update(workspace: Workspace, body: Body) -> Body:
    view = workspace.views.update(
        body.get("view"),
        view_id=body.get("view_id"),
        external_id=body.get("external_id"),
        hash=body.get("hash"),
    )
    return {"view": view}


def views_publish(workspace: Workspace, body: Body) -> Body:
    user = _text_arg(body, "user_id")
    return {"view": workspace.views.publish(user, body.get("view"), body.get("hash"))}


def conversations_open(workspace: Workspace, body: Body) -> Body:
    if isinstance(body.get("channel"), str) and body["channel"]:
        return {"channel": {"id": body["channel"]}}
    users = [u for u in str(body.get("users") or "").split(",") if u]
    if not users:
        raise SlackError("users_list_not_supplied")
    for user in users:
        workspace.directory.user(user)  # user_not_found for ids that are not users
    if len(users) == 1:
        channel_id = dm_channel(users[0])
    else:
        digest = hashlib.sha256(",".join(sorted(users)).encode()).hexdigest()[:10].upper()
        channel_id = "G" + digest
    return {"no_op": False, "already_open": False, "channel": {"id": channel_id}}


def conversations_join(workspace: Workspace, body: Body) -> Body:
    """The bot joins a public channel (Slack shows a join message); private channels and
    DMs cannot be joined. Already a member: ok, with Slack's ``already_in_channel``."""
    channel = _channel(body)
    if channel[:1] != "C":
        raise SlackError("method_not_supported_for_channel_type")
    if not workspace.directory.bot_joins(channel):
        return {"channel": {"id": channel}, "warning": "already_in_channel"}
    workspace.messages.joined(channel)
    return {"channel": {"id": channel}}


def conversations_history(workspace: Workspace, body: Body) -> Body:
    """The channel's messages, newest first, within ``oldest``/``latest`` (``inclusive``),
    ``limit`` at a time with a ``cursor`` for the next page. Metadata only with
    ``include_all_metadata``. Only a member reads a channel: ``not_in_channel`` for the
    public channels the bot posts in without having joined them (chat:write.public)."""
    channel = _channel(body)
    if not workspace.directory.bot_is_member(channel):
        raise SlackError("not_in_channel")
    oldest = _ts_arg(body, "oldest") or Decimal(0)
    latest = _ts_arg(body, "latest")
    found = workspace.messages.history(
        channel,
        oldest=oldest,
        latest=latest,
        inclusive=_flag(body, "inclusive"),
        before=_cursor_ts(body.get("cursor")),
    )
    page = found[: _limit(body)]
    if not _flag(body, "include_all_metadata"):
        for message in page:
            message.pop("metadata", None)
    has_more = len(found) > len(page)
    cursor = _cursor(page[-1]["ts"]) if has_more else ""
    return {
        "messages": page,
        "has_more": has_more,
        "pin_count": 0,
        "response_metadata": {"next_cursor": cursor},
    }


def _limit(body: Body) -> int:
    try:
        limit = int(body.get("limit") or HISTORY_LIMIT)
    except (TypeError, ValueError):
        raise SlackError("invalid_limit") from None
    return min(max(limit, 1), HISTORY_MAX_LIMIT)


def _cursor(ts: str) -> str:
    return base64.b64encode((CURSOR_PREFIX + ts).encode()).decode()


def _cursor_ts(cursor: Any) -> Decimal | None:
    if not cursor:
        return None
    try:
        text = base64.b64decode(str(cursor), validate=True).decode()
        if not text.startswith(CURSOR_PREFIX):
            raise ValueError(text)
        return Decimal(text.removeprefix(CURSOR_PREFIX))
    except (binascii.Error, UnicodeDecodeError, ValueError, InvalidOperation):
        raise SlackError("invalid_cursor") from None


def chat_get_permalink(workspace: Workspace, body: Body) -> Body:
    """A message's permanent link: ``.../archives/<channel>/p<ts without its dot>``."""
    channel = _channel(body)
    ts = _text_arg(body, "message_ts", "message_not_found")
    if workspace.messages.find(channel, ts) is None:
        raise SlackError("message_not_found")
    permalink = f"{WORKSPACE_URL}archives/{channel}/p{ts.replace('.', '')}"
    return {"channel": channel, "permalink": permalink}


def conversations_list(workspace: Workspace, body: Body) -> Body:
    """The named channels of the ``types`` asked for (default: public), by id, ``limit`` at
    a time with a ``cursor``. Private channels are listed only where the bot is a member."""
    types = set(str(body.get("types") or "public_channel").split(","))
    kinds = {"C": "public_channel", "G": "private_channel"}
    directory = workspace.directory
    found = [
        _channel_object(channel_id, name, directory.bot_is_member(channel_id))
        for channel_id, name in sorted(directory.named_channels().items())
        if kinds.get(channel_id[:1]) in types
    ]
    after = _list_cursor(body.get("cursor"))
    found = [c for c in found if after is None or c["id"] >= after]
    limit = min(max(_int_arg(body, "limit", 100), 1), 1000)
    page, rest = found[:limit], found[limit:]
    cursor = base64.b64encode(f"team:{rest[0]['id']}".encode()).decode() if rest else ""
    return {"channels": page, "response_metadata": {"next_cursor": cursor}}


def _channel_object(channel_id: str, name: str, member: bool) -> Body:
    private = channel_id.startswith("G")
    return {
        "id": channel_id,
        "name": name,
        "name_normalized": name,
        "is_channel": not private,
        "is_group": private,
        "is_private": private,
        "is_im": False,
        "is_mpim": False,
        "is_archived": False,
        "is_member": member,
    }


def _list_cursor(cursor: Any) -> str | None:
    if not cursor:
        return None
    try:
        text = base64.b64decode(str(cursor), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    if not text.startswith("team:"):
        raise SlackError("invalid_cursor")
    return text.removeprefix("team:")


def _int_arg(body: Body, name: str, default: int) -> int:
    try:
        return int(body.get(name) or default)
    except (TypeError, ValueError):
        raise SlackError("invalid_" + name) from None


def users_info(workspace: Workspace, body: Body) -> Body:
    return {"user": workspace.directory.user(_text_arg(body, "user", "user_not_found"))}


METHODS: dict[str, Method] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.update": chat_update,
    "chat.delete": chat_delete,
    "chat.getPermalink": chat_get_permalink,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
    "conversations.open": conversations_open,
    "conversations.history": conversations_history,
    "conversations.join": conversations_join,
    "conversations.list": conversations_list,
    "users.info": users_info,
}
