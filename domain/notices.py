"""What alert messages say, and the messenger that posts them (Slack, in ``bot``).

The domain decides what is posted where and when; a ``Messenger`` only turns these frozen
results into messages and reports how the post went.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from domain.insight_results import WeeklyReport
from domain.order_results import OnOrder
from domain.results import AlertView, PartView
from domain.vocabulary import RouteKind
from persistence.alert_routes import NO_CHANNEL

__all__ = ["NO_CHANNEL"]


@dataclass(frozen=True)
class AffectedInstrument:
    id: int
    name: str
    status: str
    is_critical: bool


@dataclass(frozen=True)
class AlertCause:
    """Who or what raised the alert: a stock move, a person, or a scheduled check."""

    kind: str  # "movement", "person" or "scan"
    actor: str | None = None
    delta: int | None = None
    quantity_after: int | None = None
    reason: str | None = None
    instrument_name: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class AlertNotice:
    """Everything an alert's channel message shows."""

    alert: AlertView
    part: PartView | None
    instruments: tuple[AffectedInstrument, ...]
    cause: AlertCause
    topic: str | None
    acknowledged_by: str | None
    resolved_by: str | None
    snoozed_by: str | None

    @property
    def critical_instruments(self) -> tuple[AffectedInstrument, ...]:
        return tuple(i for i in self.instruments if i.is_critical)

    @property
    def on_order(self) -> OnOrder | None:
        """The part's request under way (its state, what is still to come, when)."""
        return self.part.on_order if self.part is not None else None


@dataclass(frozen=True)
class AlertDigest:
    """Many alerts for one channel in one run, posted as one message."""

    notices: tuple[AlertNotice, ...]
    total: int

    @property
    def counts(self) -> dict[str, int]:
        found = {"critical": 0, "warning": 0, "info": 0}
        for notice in self.notices:
            found[notice.alert.severity] = found.get(notice.alert.severity, 0) + 1
        return found


@dataclass(frozen=True)
class AlertReminder:
    """Open alerts nobody acknowledged, posted in the thread of the message they went out in."""

    notices: tuple[AlertNotice, ...]
    open_since: datetime


@dataclass(frozen=True)
class CoveredAlert:
    """An open low-stock alert whose shortfall an order on its way covers."""

    alert_id: int
    part_number: str
    part_name: str
    order_id: int
    coming: int
    unit: str
    expected_on: date | None


@dataclass(frozen=True)
class DailySummary:
    open_alerts: int
    acknowledged_alerts: int
    low_stock_parts: int
    out_of_stock_parts: int
    critical_parts_low: int
    worst: tuple[AlertNotice, ...]
    pending_deliveries: int
    # Listed apart from ``worst``: they wait for their order and are not re-notified.
    covered: tuple[CoveredAlert, ...] = ()
    covered_count: int = 0


@dataclass(frozen=True)
class FoundPost:
    """A message of ours in a channel's history that carries an alert: its own message, or
    a digest listing it; ``attempt`` is the attempt number its metadata names, if any."""

    ts: str
    digest: bool = False
    attempt: int | None = None


@dataclass(frozen=True)
class DeliveryReport:
    posted: int = 0
    found: int = 0
    digests: int = 0
    in_digests: int = 0
    failed: int = 0
    unrouted: int = 0
    skipped: int = 0
    updated: int = 0
    left: int = 0

    def describe(self) -> str:
        shown = {k: v for k, v in self.__dict__.items() if v}
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in shown.items()) or "nothing due"


@dataclass(frozen=True)
class DeliveryProblem:
    alert: AlertView
    attempts: int
    error: str
    next_attempt_at: datetime | None

    @property
    def needs_action(self) -> bool:
        """An error that retrying alone will not fix (a person has to act)."""
        return error_code(self.error) in PERMANENT_ERRORS or self.error == NO_CHANNEL


@dataclass(frozen=True)
class RouteView:
    id: int
    kind: str
    key: str
    instrument_id: int | None
    instrument_name: str | None
    channel_id: str

    @property
    def label(self) -> str:
        """The category, or the instrument's name."""
        if self.kind == RouteKind.INSTRUMENT:
            return self.instrument_name or self.key
        return self.key


# Slack errors that will not go away by waiting (still retried, slowly, and shown).
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "restricted_action",
        "message_not_found",
        "cant_update_message",
    }
)


def error_code(error: str) -> str:
    """``channel_not_found`` of ``channel_not_found`` or ``internal_error (HTTP 500)``."""
    return error.split(":", 1)[0].split(" ", 1)[0]


class DeliveryFailed(Exception):
    """A post did not go through. ``retry_after`` is Slack's Retry-After, if it sent one.

    ``outcome_unknown``: no answer from Slack says so (a timeout, a dropped or refused
    connection, a 5xx), so the message may have been posted all the same.
    """

    def __init__(
        self, error: str, *, retry_after: float | None = None, outcome_unknown: bool = False
    ) -> None:
        super().__init__(error)
        self.error = error
        self.retry_after = retry_after
        self.outcome_unknown = outcome_unknown

    @property
    def code(self) -> str:
        return error_code(self.error)

    @property
    def permanent(self) -> bool:
        return self.code in PERMANENT_ERRORS


class Messenger(Protocol):
    """Posts alert messages; each method returns the message's ts or raises DeliveryFailed.

    Alert and digest messages carry the alert ids (and the attempt number) in a form
    ``find_alert_posts`` reads back from the channel.
    """

    def post_alert(self, channel_id: str, notice: AlertNotice, *, attempt: int) -> str: ...

    def update_alert(self, channel_id: str, ts: str, notice: AlertNotice) -> None: ...

    def post_digest(self, channel_id: str, digest: AlertDigest) -> str: ...

    def find_alert_posts(
        self, channel_id: str, *, oldest: datetime, latest: datetime
    ) -> dict[int, FoundPost]:
        """Alert id -> our message carrying it, among the channel's messages posted between
        ``oldest`` and ``latest``; raises DeliveryFailed when the history cannot be read."""
        ...

    def post_reminder(self, channel_id: str, thread_ts: str, reminder: AlertReminder) -> str: ...

    def post_daily_summary(self, channel_id: str, summary: DailySummary) -> str: ...

    def post_weekly_report(self, channel_id: str, report: WeeklyReport) -> str: ...
