"""The bodies Slack sends to an app: interaction payloads and Events API envelopes."""

from __future__ import annotations

import copy
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any

from slack_stand_in.forms import find_option
from slack_stand_in.identity import APP_ID, BOT_USER_ID, PAYLOAD_TOKEN, new_block_id, wall_ts

Payload = dict[str, Any]


def user_ref(user_id: str, name: str, team_id: str) -> Payload:
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def common(kind: str, user: Payload, team_id: str, team_domain: str) -> Payload:
    """The fields every interaction payload starts with."""
    return {
        "type": kind,
        "user": user,
        "api_app_id": APP_ID,
        "token": PAYLOAD_TOKEN,
        "team": {"id": team_id, "domain": team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def find_element(
    blocks: list[dict[str, Any]], action_id: str
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The (block, element) with this action_id: an accessory, action or input element."""
    for block in blocks:
        candidates = [block.get("accessory"), block.get("element"), *block.get("elements", [])]
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block, element
    return None


def action(
    action_id: str,
    found: tuple[dict[str, Any], dict[str, Any]] | None,
    *,
    block_id: str | None,
    value: str | None,
    selected_option: Any,
    action_type: str | None,
) -> Payload:
    """One entry of a block_actions payload's ``actions``."""
    block, element = found or ({}, {})
    kind = action_type or element.get("type") or "button"
    entry: Payload = {
        "action_id": action_id,
        "block_id": block_id or block.get("block_id") or new_block_id(),
        "type": kind,
        "action_ts": wall_ts(),
    }
    if kind == "button":
        default_text = {"type": "plain_text", "text": action_id, "emoji": True}
        entry["text"] = copy.deepcopy(element.get("text") or default_text)
        value = value if value is not None else element.get("value")
        if element.get("style"):
            entry["style"] = element["style"]
    if value is not None:
        entry["value"] = value
    if selected_option is not None:
        entry["selected_option"] = find_option(
            {"type": "external_select", **element}, selected_option
        )
    return entry


def slack_message(message: Mapping[str, Any]) -> Payload:
    """A recorded message as Slack puts it in a payload (without the model's own keys)."""
    return {k: copy.deepcopy(v) for k, v in message.items() if k not in ("channel", "recipient")}


def submitted_view(view: Mapping[str, Any], values: Mapping[str, Any]) -> Payload:
    shown = copy.deepcopy(dict(view))
    shown["state"] = {"values": copy.deepcopy(dict(values))}
    return shown


def event_envelope(event: Mapping[str, Any], team_id: str, event_id: str | None = None) -> Payload:
    now = int(time.time())
    return {
        "token": PAYLOAD_TOKEN,
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id or "Ev" + secrets.token_hex(5).upper(),
        "event_time": now,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-" + secrets.token_urlsafe(24),
    }


def ack_body(text: str) -> Payload:
    """An acknowledgement's body as a dict: JSON, plain text as ``text``, or empty."""
    content = text.strip()
    if not content:
        return {}
    try:
        decoded = json.loads(content)
    except json.JSONDecodeError:
        return {"text": content}
    return decoded if isinstance(decoded, dict) else {"text": content}
