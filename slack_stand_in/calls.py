"""The record of every request the stand-in received."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    """One request: the Web API method (or ``response_url``), its decoded body, its headers
    (lower-case names), when it arrived, and the HTTP status and JSON it was answered with."""

    method: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)


class CallLog:
    def __init__(self, changed: threading.Condition) -> None:
        self._changed = changed
        self._calls: list[Call] = []

    def record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def calls(self, method: str | None = None) -> list[Call]:
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """All calls of ``method`` once there are at least ``count``; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = self.calls(method)
                remaining = deadline - time.monotonic()
                if len(found) >= count:
                    return found
                if remaining <= 0:
                    seen = [c.method for c in self._calls]
                    raise TimeoutError(
                        f"expected {count} {method} call(s) within {timeout}s, "
                        f"got {len(found)}; all calls so far: {seen}"
                    )
                self._changed.wait(remaining)

    def clear(self) -> None:
        with self._changed:
            self._calls.clear()
