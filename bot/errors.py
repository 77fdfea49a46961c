"""The one error handler: a refused or failed request becomes an answer Slack can show.

Commands get an ephemeral message, modal submissions get inline field errors
(``response_action: errors``), buttons and shortcuts get an ephemeral reply (or a small
modal when there is no channel to answer in: a button in a view, a global shortcut), option
requests get an empty list. Unexpected errors are logged
with a reference the person can quote; nothing about them is shown but that reference.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_sdk import WebClient

from bot.blocks import render_error, render_please_link
from bot.ids import BlockId
from bot.middleware import NotLinked
from bot.runtime import BotRuntime
from domain.errors import Conflict, DomainError, InsufficientStock, InvalidInput

log = logging.getLogger("farlab.bot")


def explain(error: Exception) -> dict[str, Any]:
    """The message (text + blocks) that tells the person what went wrong."""
    if isinstance(error, NotLinked):
        return render_please_link()
    if isinstance(error, DomainError):
        return render_error(error.message)
    ref = uuid.uuid4().hex[:8]
    log.error("unexpected error (ref %s)", ref, exc_info=error)
    return render_error(f"Something went wrong in FarLab; nothing was changed. Reference: {ref}.")


def field_errors(error: Exception, view: dict[str, Any], fallback: str) -> dict[str, str]:
    """Errors keyed by the view's input block ids (the field's block, else the first input,
    which shows ``fallback``); empty when the view has no inputs."""
    inputs = [b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"]
    if not inputs:  # Slack refuses errors for blocks a view does not have
        return {}
    if isinstance(error, InvalidInput) and error.errors:
        items = list(error.errors.items())
    elif isinstance(error, Conflict) and error.field:
        items = [(error.field, error.message)]
    elif isinstance(error, InsufficientStock):
        items = [(BlockId.QUANTITY.value, error.message)]
    else:
        items = [("", fallback)]
    errors: dict[str, str] = {}
    for field, message in items:
        block = field if field in inputs else inputs[0]
        errors[block] = (errors[block] + " " + message) if block in errors else message
    return {k: v[:2000] for k, v in errors.items()}


def _plain(error: Exception, message: dict[str, Any]) -> str:
    """What to show under a field: Slack shows field errors as plain text, unescaped."""
    return error.message if isinstance(error, DomainError) else str(message["text"])


def _json(response: BoltResponse, body: dict[str, Any]) -> None:
    response.status = 200
    response.body = json.dumps(body)
    response.headers["content-type"] = ["application/json;charset=utf-8"]


def handle_listener_error(runtime: BotRuntime) -> Callable[..., None]:
    def handle(
        error: Exception, body: dict[str, Any], response: BoltResponse, client: WebClient
    ) -> None:
        runtime.ctx.roll_back_interaction()  # nothing of a failed request is kept
        kind = body.get("type") or ("command" if "command" in body else "")
        message = explain(error)
        if kind == "view_submission":
            errors = field_errors(error, body.get("view", {}), _plain(error, message))
            if errors:
                _json(response, {"response_action": "errors", "errors": errors})
            else:  # a form without inputs (a confirmation): show the answer in its place
                _json(response, {"response_action": "update", "view": _error_view(message)})
            return
        if kind == "command":
            _json(response, {"response_type": "ephemeral", **message})
        elif kind == "block_suggestion":
            _json(response, {"options": []})
        elif kind in ("block_actions", "shortcut", "message_action"):
            _json(response, {})
            runtime.submit(_tell_about_action, client, body, message)  # no commit to wait for
        else:
            response.status = 200
            response.body = ""

    return handle


def _tell_about_action(client: WebClient, body: dict[str, Any], message: dict[str, Any]) -> None:
    response_url = body.get("response_url")
    user_id = body.get("user", {}).get("id")
    channel_id = (body.get("channel") or {}).get("id") or body.get("container", {}).get(
        "channel_id"
    )
    if response_url:
        from slack_sdk.webhook import WebhookClient

        WebhookClient(response_url).send(
            text=message["text"],
            blocks=message.get("blocks"),
            response_type="ephemeral",
            replace_original=False,
        )
    elif channel_id and user_id:
        client.chat_postEphemeral(channel=channel_id, user=user_id, **message)
    elif body.get("trigger_id"):
        client.views_open(trigger_id=body["trigger_id"], view=_error_view(message))


def _error_view(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "FarLab"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": message.get("blocks")
        or [{"type": "section", "text": {"type": "mrkdwn", "text": message["text"]}}],
    }
