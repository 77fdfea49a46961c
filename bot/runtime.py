"""What every listener is given: the domain, the Slack client, and a pool for slow work."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from domain.context import DomainContext

log = logging.getLogger("farlab.bot")


@dataclass
class BotRuntime:
    ctx: DomainContext
    public_url: str = "http://localhost:8000"
    # FARLAB_ALERT_CHANNEL: where alerts without a route go (shown by `alerts routes`).
    alert_channel: str | None = None
    # FARLAB_PURCHASING_CHANNEL (else the alert channel): where reorder requests are posted.
    purchasing_channel: str | None = None
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=8, thread_name_prefix="slack-api")
    )

    def defer(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run Slack Web API work after the HTTP answer, so a slow Slack holds up nothing,
        and only once the interaction's change is committed (never if it is rolled back:
        a replayed copy of a request tells nobody anything)."""
        if not self.ctx.after_commit(lambda: self.submit(fn, *args, **kwargs)):
            self.submit(fn, *args, **kwargs)

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        """Run Slack Web API work on the runtime's threads now."""
        future = self.run_in_pool(fn, *args, **kwargs)
        future.add_done_callback(_log_failure)
        return future

    def run_in_pool(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        """``fn`` on the runtime's threads, in a copy of the caller's context: its log
        lines carry the request id and actor of the request that asked for it."""
        return self.executor.submit(contextvars.copy_context().run, fn, *args, **kwargs)

    # What else stops with the runtime (a Socket Mode connection), last added first.
    closers: list[Callable[[], object]] = field(default_factory=list)

    def on_shutdown(self, close: Callable[[], object]) -> None:
        self.closers.append(close)

    def shutdown(self) -> None:
        for close in reversed(self.closers):
            close()
        self.executor.shutdown(wait=True)


def _log_failure(future: Future[Any]) -> None:
    error = future.exception()
    if error is not None:
        log.error("Slack call after the answer failed: %s", error, exc_info=error)
