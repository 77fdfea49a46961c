"""Knowing when the bot is done: a thread pool that reports when its work has all finished.

The bot answers Slack at once and makes its Web API calls afterwards on ``BotRuntime``'s
pool; the console shows what changed only once that pool is idle again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from bot.runtime import BotRuntime

P = ParamSpec("P")
T = TypeVar("T")


class SettlingExecutor(ThreadPoolExecutor):
    """A ThreadPoolExecutor that counts unfinished work and can wait until there is none."""

    def __init__(self, max_workers: int = 8) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="slack-api")
        self._idle = threading.Condition()
        self._unfinished = 0

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._idle:
            self._unfinished += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def wait_idle(self, timeout: float) -> bool:
        """True once all submitted work has finished (work it submits included)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unfinished == 0, timeout)

    def _finished(self, _future: Future[T] | None) -> None:
        with self._idle:
            self._unfinished -= 1
            self._idle.notify_all()


def settle_runtime(runtime: BotRuntime) -> SettlingExecutor:
    """Give the runtime a settling pool (before it has been handed any work)."""
    previous = runtime.executor
    runtime.executor = SettlingExecutor()
    previous.shutdown(wait=True)
    return runtime.executor
