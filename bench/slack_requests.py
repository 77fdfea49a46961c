"""The bodies Slack posts to /slack/events in bench/slack.py: slash commands and clicks."""

from __future__ import annotations

import json
import random
import time
from urllib.parse import urlencode

from bench.slack_setup import MANAGER, MEMBER
from slack_stand_in import SlackStandIn
from slack_stand_in.identity import APP_ID, PAYLOAD_TOKEN, TEAM_DOMAIN, TEAM_ID


def command_body(user_id: str, text: str, response_url: str, trigger_id: str) -> str:
    """A ``/farlab`` slash command, the form body Slack posts."""
    return urlencode(
        {
            "token": PAYLOAD_TOKEN,
            "team_id": TEAM_ID,
            "team_domain": TEAM_DOMAIN,
            "channel_id": "C0LAB",
            "channel_name": "lab",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": "/farlab",
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def view_part_click(part_id: int, *, response_url: str | None) -> str:
    """A press on a part's "View part" button: in a message (answered through its
    response_url) or in App Home (no response_url: answered with chat.postMessage)."""
    payload: dict[str, object] = {
        "type": "block_actions",
        "user": {"id": MEMBER, "username": "member", "name": "member", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": PAYLOAD_TOKEN,
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "trigger_id": f"{int(time.time())}.{part_id}.bench",
        "actions": [
            {
                "action_id": "part.view",
                "block_id": "bench",
                "type": "button",
                "value": f'{{"id":{part_id}}}',
                "text": {"type": "plain_text", "text": "View part"},
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if response_url is None:
        payload["container"] = {"type": "view", "view_id": "VBENCHHOME"}
    else:
        payload["container"] = {"type": "message", "message_ts": "1.0", "channel_id": "C0LAB"}
        payload["channel"] = {"id": "C0LAB", "name": "lab"}
        payload["response_url"] = response_url
    return urlencode({"payload": json.dumps(payload)})


def web_api_mix(stand_in: SlackStandIn, count: int, parts: int, rng: random.Random) -> list[str]:
    """`/farlab part add` (views.open), View part in a message (response_url) and in App
    Home (chat.postMessage), a third each; each with its own trigger id and response_url."""
    bodies: list[str] = []
    for i in range(count):
        if i % 3 == 0:
            trigger = stand_in.issue_trigger(MANAGER)
            bodies.append(command_body(MANAGER, "part add", stand_in.response_url(), trigger))
        elif i % 3 == 1:
            url = stand_in.response_url(channel="C0LAB", user=MEMBER)
            bodies.append(view_part_click(rng.randint(1, parts), response_url=url))
        else:
            bodies.append(view_part_click(rng.randint(1, parts), response_url=None))
    return bodies
