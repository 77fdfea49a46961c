"""What the stand-in answers: an HTTP status, a JSON (or plain text) body and headers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class SlackError(Exception):
    """A Web API error: answered as HTTP 200 with ``{"ok": false, "error": code}``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None  # a plain-text body instead of JSON (response_url answers)
    raw: bytes | None = None  # a body of bytes instead (a file's download), of content_type
    content_type: str | None = None
    # Held back after the call took effect: sent after ``late`` seconds, or never
    # (``hang_up``: the connection is closed without an answer).
    late: float | None = None
    hang_up: bool = False

    @classmethod
    def error(cls, code: str, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
        return cls(status, {"ok": False, "error": code}, headers or {})

    def encoded(self) -> tuple[bytes, str]:
        """The body's bytes and content type."""
        if self.raw is not None:
            return self.raw, self.content_type or "application/octet-stream"
        if self.text is not None:
            return self.text.encode(), self.content_type or "text/plain; charset=utf-8"
        return json.dumps(self.body).encode(), "application/json; charset=utf-8"
