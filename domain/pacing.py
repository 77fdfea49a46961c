"""Slack takes about one message per second per channel: a pacer that keeps to it.

Channels take turns; each waits ``interval`` seconds after its last post finished (so the
gap Slack sees is never shorter), or longer after a 429's Retry-After.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

T = TypeVar("T")


class ChannelPacer:
    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._ready_at: dict[str, float] = {}

    def posted(self, channel: str, *, retry_after: float | None = None) -> None:
        wait = max(self.interval, retry_after or 0.0)
        self._ready_at[channel] = self._clock() + wait

    def take_turns(
        self, queues: Mapping[str, list[T]], *, budget: float
    ) -> Iterator[tuple[str, T]]:
        """Items from each channel's queue, the channel that may post soonest first.

        Waits for a channel's turn; stops when the next turn would come after ``budget``
        seconds (the items left stay in their queues). The caller calls ``posted``.
        """
        deadline = self._clock() + budget
        pending = {channel: list(items) for channel, items in queues.items() if items}
        while pending:
            channel = min(pending, key=lambda c: (self._ready_at.get(c, 0.0), c))
            wait = self._ready_at.get(channel, 0.0) - self._clock()
            if self._clock() + max(wait, 0.0) > deadline:
                return
            if wait > 0:
                self._sleep(wait)
            item = pending[channel].pop(0)
            if not pending[channel]:
                del pending[channel]
            yield channel, item

    @staticmethod
    def left(queues: Mapping[str, list[T]], taken: int) -> int:
        return sum(len(items) for items in queues.values()) - taken
