"""Decoding of request bodies as the Slack Web API accepts them: JSON, form and multipart."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

# Fields that clients send as JSON text inside form bodies (and sometimes inside JSON bodies).
JSON_TEXT_FIELDS = frozenset({"blocks", "attachments", "view", "metadata", "options"})


def decode_body(raw: bytes, content_type: str, query: str = "") -> dict[str, Any]:
    """The request's fields as a dict: query parameters first, then the body's fields.

    JSON-text fields such as ``blocks`` and ``view`` are decoded into lists and dicts.
    """
    fields: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    fields.update(_decode_raw(raw, content_type.lower()))
    for name in JSON_TEXT_FIELDS & fields.keys():
        fields[name] = _maybe_json(fields[name])
    return fields


def _decode_raw(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if content_type.startswith("multipart/form-data"):
        return _decode_multipart(raw, content_type)
    text = raw.decode("utf-8", errors="replace")
    if content_type.startswith("application/json") or text.lstrip().startswith("{"):
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError:
            return {}
        return decoded if isinstance(decoded, dict) else {}
    return dict(parse_qsl(text, keep_blank_values=True))


def _decode_multipart(raw: bytes, content_type: str) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + raw)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if part.get_filename() is None:
            fields[name] = data.decode("utf-8", errors="replace")
        else:
            fields[name] = data
    return fields


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value
