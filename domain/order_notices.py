"""What the purchasing channel's messages and the requesters' DMs say, and the messenger
that sends them (Slack, in ``bot``): the domain decides what goes out and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from domain.notices import FoundPost
from domain.order_results import OrderEventView, OrderView

LAST_STEPS = 5  # timeline lines a message shows


@dataclass(frozen=True)
class OrderNotice:
    """Everything a request's message shows: the request, its last steps, and today's date
    (an ordered request expected before it is shown overdue)."""

    order: OrderView
    events: tuple[OrderEventView, ...]
    today: date

    @property
    def is_overdue(self) -> bool:
        return self.order.is_overdue(self.today)

    @property
    def last_steps(self) -> tuple[OrderEventView, ...]:
        return self.events[-LAST_STEPS:]


class OrderMessenger(Protocol):
    """Posts request messages, reminders and DMs; each raises ``DeliveryFailed``.

    A request's message carries its id and the attempt number in a form
    ``find_order_posts`` reads back from the channel.
    """

    def post_order(self, channel_id: str, notice: OrderNotice, *, attempt: int) -> str: ...

    def update_order(self, channel_id: str, ts: str, notice: OrderNotice) -> None: ...

    def find_order_posts(
        self, channel_id: str, *, oldest: datetime, latest: datetime
    ) -> dict[int, FoundPost]:
        """Request id -> our message carrying it, posted between the two times."""
        ...

    def post_order_reminder(self, channel_id: str, thread_ts: str, notice: OrderNotice) -> str: ...

    def send_order_decision(self, slack_user_id: str, notice: OrderNotice, decision: str) -> None:
        """DM the requester that their request was ``decision`` (approved or rejected, with
        the reason)."""
        ...
