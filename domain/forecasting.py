"""Forecasts: how fast each part is used, when it runs out, what its minimum should be, and
the ``forecast`` alerts that warn before a reorder placed today would come too late.

**The rate.** A part's takes are summed per rolling week over the last 12 weeks (fewer for
a younger part). The weekly rate is the mean of those weeks weighted 1 (oldest) to n
(latest), after capping each week at three times the plain mean:

- weighted, so a lasting change of usage shows within weeks (the latest week counts 12
  times the oldest), where a plain mean would need the whole quarter;
- a mean of *all* weeks, empty ones included, not a median: most lab parts are used in
  some weeks and not others, and the median of such weeks is 0 (a part taken 5 weeks out
  of 12 would never run out);
- capped, so one burst week (a whole box taken for a one-off experiment) counts as three
  ordinary weeks at most instead of dragging the rate up for the next three months.

**The minimum.** Enough to cover the lead time at the weekly rate, plus safety stock for a
95% service level: 1.645 x the weeks' standard deviation (uncapped: bursts are real) x
the square root of the lead time in weeks. A part needs 4 weeks of history and 3 takes
in them; with less it says so instead of guessing.

**Stored, refreshed by the job.** The figures depend on weeks of history and move slowly,
so the scheduler recomputes them for every part in one statement
(``persistence.forecasts``) and stores them in ``part_forecasts``: the forecast alerts, the
minimum suggestions and the weekly report read that table, never the ledger, on their
request path. One part's own answer (``forecast_of_part``) is computed live by the same
statement limited to that part, so it always agrees with the stored figures of the same
moment. Days left and dates are worked out from the current stock when asked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from domain.context import DomainContext
from domain.errors import Conflict, InvalidInput, NotFound
from domain.insight_results import (
    Forecast,
    ForecastRefresh,
    MinimumChangeView,
    MinimumSuggestion,
    RunningOut,
)
from domain.permissions import SYSTEM, Action, Actor, require
from domain.results import PartView
from domain.vocabulary import AlertKind, AlertSeverity, ForecastStatus, unit_for
from persistence import forecast_rows, forecasts
from persistence.db import Session
from persistence.models import Part, PartForecast

FORECAST_WEEKS = forecasts.WEEKS
MIN_WEEKS = forecasts.MIN_WEEKS
MIN_TAKES = forecasts.MIN_TAKES
MAX_LIST = 50


def refresh_forecasts(ctx: DomainContext, *, actor: Actor = SYSTEM) -> ForecastRefresh:
    """The forecast job: recompute every part's stored forecast, then open and resolve
    ``forecast`` alerts from it, in one transaction."""
    require(actor, Action.MANAGE_ALERTS)
    now = ctx.now()
    with ctx.transaction() as session:
        made, too_little = forecasts.refresh(
            session, now=now, default_lead_time=ctx.default_lead_time_days
        )
        resolved = forecasts.resolve_stale_alerts(
            session, now=now, margin_days=ctx.forecast_margin_days, resolved_by_id=actor.user_id
        )
        opened = _open_alerts(session, ctx, now)
    return ForecastRefresh(
        forecasts=made, too_little_history=too_little, opened=opened, resolved=resolved
    )


def _open_alerts(session: Session, ctx: DomainContext, now: datetime) -> int:
    rows = [
        {
            "kind": AlertKind.FORECAST.value,
            "part_id": found.part_id,
            "message": alert_message(found, today=now.date()),
            "severity": (
                AlertSeverity.CRITICAL if found.is_critical else AlertSeverity.WARNING
            ).value,
            "status": "open",
            "current_stock": found.stock,
            "threshold_stock": found.minimum,
            "created_at": now,
            "delivery_attempts": 0,
        }
        for found in forecasts.new_alert_candidates(session, margin_days=ctx.forecast_margin_days)
    ]
    return forecasts.insert_alerts(session, rows)


def alert_message(found: forecasts.Candidate, *, today: date) -> str:
    """ "Forecast: PN name: at 3.2/week, 9 pcs left last ~20 days (minimum 4 by 18 Dec);
    lead time 21 days." """
    daily = found.weekly_rate / 7
    days_left = found.stock / daily
    to_minimum = (found.stock - found.minimum) / daily
    unit = unit_for(found.stock, found.unit)
    by = today + timedelta(days=math.floor(to_minimum))
    return (
        f"Forecast: {found.part_number} {found.name}: at {rate_text(found.weekly_rate)}/week, "
        f"{found.stock} {unit} left last{'s' if found.stock == 1 else ''} "
        f"~{round(days_left)} days (minimum {found.minimum} by {by:%d %b}); "
        f"lead time {found.lead_time_days} days."
    )


def rate_text(rate: float) -> str:
    """A weekly rate as people read it: one decimal, none when whole (3.2, 4, 0.3)."""
    shown = f"{rate:.1f}"
    return shown[:-2] if shown.endswith(".0") else shown


def forecast_of_part(ctx: DomainContext, *, actor: Actor, part_id: int) -> Forecast:
    """One part's forecast, computed now from its ledger (the same statement as the job's)."""
    require(actor, Action.VIEW)
    with ctx.transaction() as session:
        return live_forecast(session, ctx, part_id)


def live_forecast(session: Session, ctx: DomainContext, part_id: int) -> Forecast:
    """``forecast_of_part`` inside the caller's transaction."""
    now = ctx.now()
    part = forecast_rows.part(session, part_id)
    if part is None:
        raise NotFound("Part not found.")
    found = forecasts.figures_of_part(
        session, part_id, now=now, default_lead_time=ctx.default_lead_time_days
    )
    on_order = forecast_rows.ordered_remaining(session, part_id)
    if found is None:
        lead = forecast_rows.lead_time(session, part_id)
        return _without_figures(part, now, on_order, lead, ctx.default_lead_time_days)
    return forecast_from(part, found, now=now, on_order=on_order)


def _without_figures(
    part: Part, now: datetime, on_order: int, lead: int | None, default_lead: int
) -> Forecast:
    old_enough = part.created_at <= now - timedelta(weeks=MIN_WEEKS)
    return Forecast(
        part_id=part.id,
        status=ForecastStatus.NO_USAGE if old_enough else ForecastStatus.TOO_LITTLE_HISTORY,
        weeks=min(FORECAST_WEEKS, max((now - part.created_at).days // 7, 0)),
        takes=0,
        taken=0,
        stock=part.quantity_in_stock,
        minimum=part.minimum_stock_level,
        on_order=on_order,
        lead_time_days=default_lead if lead is None else lead,
        lead_time_from_offer=lead is not None,
        weekly_rate=None,
        weekly_sd=None,
        suggested_minimum=None,
        days_left=None,
        runout_date=None,
        minimum_date=None,
        reorder_by=None,
        computed_at=now,
    )


def forecast_from(
    part: Part,
    found: forecasts.Figures,
    *,
    now: datetime,
    on_order: int,
    computed_at: datetime | None = None,
) -> Forecast:
    """The forecast of ``part`` from its figures (computed now, or stored at
    ``computed_at``): days and dates count from ``now`` and the part's stock."""
    enough = found.suggested_minimum is not None
    rate = found.weekly_rate if enough else None
    stock, minimum = part.quantity_in_stock, part.minimum_stock_level
    days_left = to_minimum = None
    if rate:
        days_left = stock * 7 / rate
        to_minimum = max(stock - minimum, 0) * 7 / rate
    today = now.date()
    minimum_date = None if to_minimum is None else today + timedelta(days=math.floor(to_minimum))
    return Forecast(
        part_id=part.id,
        status=ForecastStatus.OK if enough else ForecastStatus.TOO_LITTLE_HISTORY,
        weeks=found.weeks,
        takes=found.takes,
        taken=found.taken,
        stock=stock,
        minimum=minimum,
        on_order=on_order,
        lead_time_days=found.lead_time_days,
        lead_time_from_offer=found.lead_from_offer,
        weekly_rate=rate,
        weekly_sd=found.weekly_sd if enough else None,
        suggested_minimum=found.suggested_minimum,
        days_left=days_left,
        runout_date=None if days_left is None else today + timedelta(days=math.floor(days_left)),
        minimum_date=minimum_date,
        reorder_by=None
        if minimum_date is None
        else minimum_date - timedelta(days=found.lead_time_days),
        computed_at=computed_at or now,
    )


def _stored_forecasts(
    session: Session, now: datetime, pairs: Sequence[tuple[Part, PartForecast]]
) -> list[tuple[Part, Forecast]]:
    coming = forecast_rows.ordered_remaining_of(session, [part.id for part, _ in pairs])
    return [
        (
            part,
            forecast_from(
                part,
                forecasts.stored_figures(stored),
                now=now,
                on_order=coming.get(part.id, 0),
                computed_at=stored.computed_at,
            ),
        )
        for part, stored in pairs
    ]


def running_out(ctx: DomainContext, *, actor: Actor, limit: int = 20) -> tuple[RunningOut, ...]:
    """Parts expected to fall to their minimum within their lead time plus the margin,
    soonest first (from the stored forecasts)."""
    require(actor, Action.VIEW)
    limit = _limit(limit)
    with ctx.transaction() as session:
        pairs = forecasts.running_out(session, margin_days=ctx.forecast_margin_days, limit=limit)
        return tuple(
            RunningOut(part=PartView.of(part), forecast=forecast)
            for part, forecast in _stored_forecasts(session, ctx.now(), pairs)
        )


def minimum_suggestions(
    ctx: DomainContext, *, actor: Actor, limit: int = 20
) -> tuple[MinimumSuggestion, ...]:
    """Parts whose minimum is far from the suggested one (by 2 or more, and by a quarter
    of the larger), furthest first (managers)."""
    require(actor, Action.MANAGE_PARTS)
    limit = _limit(limit)
    with ctx.transaction() as session:
        pairs = forecasts.suggestions_far_from_minimum(session, limit=limit)
        return tuple(
            MinimumSuggestion(
                part=PartView.of(part), forecast=forecast, suggested=forecast.suggested_minimum or 0
            )
            for part, forecast in _stored_forecasts(session, ctx.now(), pairs)
        )


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIST:
        raise InvalidInput.field("limit", f"Limit must be a whole number from 1 to {MAX_LIST}.")
    return limit


def accept_minimums(
    ctx: DomainContext, *, actor: Actor, accepted: Sequence[tuple[int, int]]
) -> tuple[MinimumChangeView, ...]:
    """Set each ``(part_id, suggested)`` part's minimum to the suggestion shown, in one
    transaction, each change recorded (managers); refused when a suggestion has changed
    since it was shown, or the part is gone."""
    require(actor, Action.MANAGE_PARTS)
    wanted = dict(accepted)
    if not wanted or len(wanted) > MAX_LIST:
        raise InvalidInput.field("parts", f"Accept from 1 to {MAX_LIST} suggestions at a time.")
    now = ctx.now()
    with ctx.transaction() as session:
        found = forecast_rows.lock_parts_with_forecasts(session, sorted(wanted))
        made = []
        for part_id, shown in sorted(wanted.items()):
            if part_id not in found:
                raise NotFound(f"Part {part_id} not found, or it has no forecast any more.")
            part, stored = found[part_id]
            if stored.suggested_minimum != shown:
                raise Conflict(
                    f"The suggestion for {part.part_number} is now "
                    f"{stored.suggested_minimum}, not {shown}: list the suggestions again."
                )
            if part.minimum_stock_level == shown:
                continue
            made.append(
                forecast_rows.set_minimum(
                    session,
                    part,
                    shown,
                    weekly_rate=stored.weekly_rate,
                    lead_time_days=stored.lead_time_days,
                    actor_id=actor.user_id,
                    now=now,
                )
            )
        session.flush()
        forecast_rows.settle_low_stock(session, sorted(wanted), now=now, actor_id=actor.user_id)
        rows = forecast_rows.changes(session, ids=[change.id for change in made], limit=MAX_LIST)
        return tuple(_change_view(row) for row in rows)


def minimum_changes(
    ctx: DomainContext, *, actor: Actor, part_id: int | None = None, limit: int = 20
) -> tuple[MinimumChangeView, ...]:
    """The latest minimums set from suggestions (of one part, or all), newest first."""
    require(actor, Action.VIEW)
    limit = _limit(limit)
    with ctx.transaction() as session:
        return tuple(
            _change_view(row)
            for row in forecast_rows.changes(session, part_id=part_id, limit=limit)
        )


def _change_view(row: Any) -> MinimumChangeView:
    change, part_number, username = row
    return MinimumChangeView(
        id=change.id,
        part_id=change.part_id,
        part_number=part_number,
        old_minimum=change.old_minimum,
        new_minimum=change.new_minimum,
        actor_username=username,
        created_at=change.created_at,
    )
