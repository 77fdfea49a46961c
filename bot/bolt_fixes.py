"""A correction to slack-bolt's request-body parser, applied once when the app is built.

slack-bolt (1.30 and earlier) parses any form body that merely *contains* the text
"payload" as an interactivity payload, so a slash command such as
``/farlab part payload-filter-3`` parses to ``{}`` and is answered 404 "unhandled request".
The parser is imported by name into the request modules (and used again when a request is
copied), so the correction replaces it there: a form body is an interactivity payload only
when it has a ``payload`` field.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import slack_bolt.request.request as request_module


def parse_body(body: str, content_type: str | None) -> dict[str, Any]:
    if not body:
        return {}
    if content_type == "application/json" or body.startswith("{"):
        parsed: dict[str, Any] = json.loads(body)
        return parsed
    params = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in params:
        payload: dict[str, Any] = json.loads(params["payload"])
        return payload
    return params


def apply() -> None:
    setattr(request_module, "parse_body", parse_body)  # noqa: B010 - replacing Bolt's own
    try:  # the asyncio flavour needs aiohttp, which FarLab itself does not use
        import slack_bolt.request.async_request as async_request_module
    except ImportError:
        return
    setattr(async_request_module, "parse_body", parse_body)  # noqa: B010 - replacing Bolt's own
