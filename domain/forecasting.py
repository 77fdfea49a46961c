"""Forecasts: how fast each part is used, when it runs out, what its minimum should be, and
the ``forecast`` alerts that warn before a reorder placed today would come too late."""

from __future__ import annotations

from collections.abc import Sequence

from domain.context import DomainContext
from domain.insight_results import (
    Forecast,
    ForecastRefresh,
    MinimumChangeView,
    MinimumSuggestion,
    RunningOut,
)
from domain.permissions import SYSTEM, Actor

FORECAST_WEEKS = 12
MIN_WEEKS = 4
MIN_TAKES = 3


def refresh_forecasts(ctx: DomainContext, *, actor: Actor = SYSTEM) -> ForecastRefresh:
    """The forecast job: recompute every part's stored forecast, then open and resolve
    ``forecast`` alerts from it."""
    raise NotImplementedError


def forecast_of_part(ctx: DomainContext, *, actor: Actor, part_id: int) -> Forecast:
    """One part's forecast, computed now from its ledger (the same statement as the job's)."""
    raise NotImplementedError


def running_out(ctx: DomainContext, *, actor: Actor, limit: int = 20) -> tuple[RunningOut, ...]:
    """Parts expected to fall to their minimum within their lead time plus the margin,
    soonest first (from the stored forecasts)."""
    raise NotImplementedError


def minimum_suggestions(
    ctx: DomainContext, *, actor: Actor, limit: int = 20
) -> tuple[MinimumSuggestion, ...]:
    """Parts whose minimum is far from the suggested one, furthest first (managers)."""
    raise NotImplementedError


def accept_minimums(
    ctx: DomainContext, *, actor: Actor, accepted: Sequence[tuple[int, int]]
) -> tuple[MinimumChangeView, ...]:
    """Set each ``(part_id, suggested)`` part's minimum to the suggestion shown, in one
    transaction, each change recorded (managers); refused when a suggestion has changed
    since it was shown."""
    raise NotImplementedError


def minimum_changes(
    ctx: DomainContext, *, actor: Actor, part_id: int | None = None, limit: int = 20
) -> tuple[MinimumChangeView, ...]:
    raise NotImplementedError
