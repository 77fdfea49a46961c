"""Injected failures: HTTP errors, Web API errors, slow answers, answers lost after the call
took effect, per-channel rate limits."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass

from slack_stand_in.answers import Answer

_ERROR_NAMES = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}


@dataclass
class _Fault:
    answer: Answer
    remaining: int | None  # None: every call until cleared


@dataclass
class _Late:
    after: float | None  # None: never answered
    remaining: int | None


class FaultPlan:
    """Per-method queues of injected answers, delays, and the per-channel post limit."""

    def __init__(self, changed: threading.Condition) -> None:
        self._changed = changed
        self._faults: dict[str, deque[_Fault]] = {}
        self._late: dict[str, deque[_Late]] = {}
        self._delays: dict[str, float] = {}
        self._per_second: float | None = None
        self._last_post: dict[str, float] = {}

    def fail(
        self, method: str, status: int = 429, retry_after: int | None = 1, times: int | None = 1
    ) -> None:
        """Answer the next ``times`` calls with HTTP ``status`` (429s carry Retry-After)."""
        limited = status == 429 and retry_after is not None
        headers = {"Retry-After": str(retry_after)} if limited else {}
        error = _ERROR_NAMES.get(status, f"http_{status}")
        self._add(method, _Fault(Answer.error(error, status, headers), times))

    def error(self, method: str, error: str, times: int | None = 1) -> None:
        """Answer the next ``times`` calls with HTTP 200 and ``{"ok": false, "error": ...}``."""
        self._add(method, _Fault(Answer.error(error), times))

    def slow(self, method: str, seconds: float) -> None:
        """Delay every answer to ``method`` by ``seconds`` (0 removes the delay)."""
        with self._changed:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def answer_late(self, method: str, after: float | None, times: int | None = 1) -> None:
        """Carry out the next ``times`` calls, then hold their answers ``after`` seconds
        (None: close the connection without answering)."""
        if times is not None and times <= 0:
            return
        with self._changed:
            self._late.setdefault(method, deque()).append(_Late(after, times))

    def rate_limit_per_channel(self, per_second: float | None = 1.0) -> None:
        """Refuse chat.postMessage to a channel sooner than 1/per_second after the last one."""
        with self._changed:
            self._per_second = per_second
            self._last_post.clear()

    def clear(self) -> None:
        with self._changed:
            self._faults.clear()
            self._late.clear()
            self._delays.clear()
            self._per_second = None
            self._last_post.clear()

    def delay(self, method: str) -> float:
        with self._changed:
            return self._delays.get(method, 0.0)

    def take(self, method: str) -> Answer | None:
        """The injected answer for this call, if one is pending."""
        with self._changed:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.popleft()
            return fault.answer

    def lateness(self, method: str) -> _Late | None:
        """How late this call's answer is to be sent, if it is to be held back."""
        with self._changed:
            queue = self._late.get(method)
            if not queue:
                return None
            late = queue[0]
            if late.remaining is not None:
                late.remaining -= 1
                if late.remaining <= 0:
                    queue.popleft()
            return late

    def admit_post(self, channel: str) -> Answer | None:
        """None if a post to ``channel`` is allowed now (and counted), else a 429 answer."""
        with self._changed:
            if self._per_second is None:
                return None
            now = time.monotonic()
            wait = self._last_post.get(channel, -math.inf) + 1.0 / self._per_second - now
            if wait > 0:
                retry_after = str(max(1, math.ceil(wait)))
                return Answer.error("ratelimited", 429, {"Retry-After": retry_after})
            self._last_post[channel] = now
            return None

    def _add(self, method: str, fault: _Fault) -> None:
        if fault.remaining is not None and fault.remaining <= 0:
            return
        with self._changed:
            self._faults.setdefault(method, deque()).append(fault)
