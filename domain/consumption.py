"""Consumption: what was taken, per part and period, per instrument (with cost), per
person, and what counts found missing. One service per question; each asks the database
one set-based question (``persistence.consumption``), never one per part.

Only takes are consumption: restocks, counts, imports, receipts and edits of a part's
quantity are not. A count's difference is reported apart, as shrinkage (or a find).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from domain.context import DomainContext
from domain.errors import InvalidInput, NotFound
from domain.forecasting import live_forecast
from domain.insight_results import (
    PERIODS,
    CurrencyTotal,
    InstrumentSpend,
    InstrumentUsage,
    PartConsumption,
    PartUsage,
    PersonUsage,
    Shrinkage,
    StockPoint,
    UsageBucket,
    UsageGlance,
)
from domain.permissions import Action, Actor, require
from domain.results import PartView
from persistence import consumption as store
from persistence.instruments import instrument_by_id
from persistence.parts import part_by_id

MAX_WEEKS = 104
MAX_LIST = 100
MAX_SPARK_PARTS = 200


def _weeks(weeks: int) -> int:
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput.field("weeks", f"Weeks must be a whole number from 1 to {MAX_WEEKS}.")
    return weeks


def _period(period: str) -> str:
    if period not in PERIODS:
        raise InvalidInput.field("period", f"Period must be one of {', '.join(PERIODS)}.")
    return period


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIST:
        raise InvalidInput.field("limit", f"Limit must be a whole number from 1 to {MAX_LIST}.")
    return limit


def _window(since: datetime, until: datetime) -> tuple[datetime, datetime]:
    for field, moment in (("since", since), ("until", until)):
        if not isinstance(moment, datetime) or moment.tzinfo is None:
            raise InvalidInput.field(field, f"{field.capitalize()} must be a date and time.")
    if since >= until:
        raise InvalidInput.field("since", "Since must be before until.")
    return since, until


def period_starts(since: datetime, until: datetime, period: str) -> list[date]:
    """The first day of every period from the one holding ``since`` to the one holding
    the moment before ``until`` (the same calendar the database buckets by)."""
    first, last = since.date(), (until - timedelta(microseconds=1)).date()
    if period == "week":
        first -= timedelta(days=first.weekday())
    elif period == "month":
        first = first.replace(day=1)
    starts = []
    while first <= last:
        starts.append(first)
        if period == "day":
            first += timedelta(days=1)
        elif period == "week":
            first += timedelta(weeks=1)
        else:
            first = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return starts


def _buckets(
    found: Sequence[store.Bucket], since: datetime, until: datetime, period: str
) -> tuple[UsageBucket, ...]:
    by_start = {row.start: row for row in found}
    return tuple(
        UsageBucket(start=start, taken=by_start[start].taken, takes=by_start[start].takes)
        if start in by_start
        else UsageBucket(start=start, taken=0, takes=0)
        for start in period_starts(since, until, period)
    )


def _last_weeks(
    ctx: DomainContext, actor: Actor, weeks: int, period: str
) -> tuple[datetime, datetime, str]:
    """A usage answer's window (the last ``weeks`` weeks to now) and period, once the actor
    may look and both are valid."""
    require(actor, Action.VIEW)
    weeks, period = _weeks(weeks), _period(period)
    until = ctx.now()
    return until - timedelta(weeks=weeks), until, period


def part_usage(
    ctx: DomainContext, *, actor: Actor, part_id: int, weeks: int = 12, period: str = "week"
) -> PartUsage:
    """A part's takes by period over the last ``weeks`` weeks (1-104), its stock level over
    the same time, the counts' differences and its forecast (members and up)."""
    since, until, period = _last_weeks(ctx, actor, weeks, period)
    with ctx.transaction() as session:
        part = part_by_id(session, part_id)
        if part is None:
            raise NotFound("Part not found.")
        found = store.takes_by_period(
            session, since=since, until=until, period=period, part_id=part_id
        )
        before, points = store.stock_levels(session, part_id=part_id, since=since, until=until)
        if before is None:  # no movement before the window: it started where its first did
            first = store.first_movement(session, part_id=part_id, since=since)
            before = part.quantity_in_stock if first is None else first[1] - first[0]
        buckets = _buckets(found, since, until, period)
        return PartUsage(
            part=PartView.of(part),
            period=period,
            since=since,
            until=until,
            buckets=buckets,
            stock=(
                StockPoint(at=since, quantity=before),
                *(StockPoint(at=at, quantity=quantity) for at, quantity in points),
            ),
            total_taken=sum(bucket.taken for bucket in buckets),
            counted_difference=store.counted_difference(
                session, part_id=part_id, since=since, until=until
            ),
            forecast=live_forecast(session, ctx, part_id),
        )


def _totals(rows: Sequence[tuple[str | None, int | None]]) -> tuple[CurrencyTotal, ...]:
    sums: dict[str, int] = defaultdict(int)
    for currency, amount in rows:
        if currency is not None and amount is not None:
            sums[currency] += amount
    return tuple(CurrencyTotal(currency=c, amount_minor=sums[c]) for c in sorted(sums))


def _consumption(row: store.PartLine) -> PartConsumption:
    return PartConsumption(**row._asdict())


def instrument_usage(
    ctx: DomainContext, *, actor: Actor, instrument_id: int, weeks: int = 12, period: str = "week"
) -> InstrumentUsage:
    """What an instrument consumed over the last ``weeks`` weeks: by period, by part, and
    its cost per currency where the parts' preferred offers have prices."""
    since, until, period = _last_weeks(ctx, actor, weeks, period)
    with ctx.transaction() as session:
        instrument = instrument_by_id(session, instrument_id)
        if instrument is None:
            raise NotFound("Instrument not found.")
        found = store.takes_by_period(
            session, since=since, until=until, period=period, instrument_id=instrument_id
        )
        lines = store.takes_by_part(
            session, since=since, until=until, instrument_id=instrument_id, limit=MAX_LIST
        )
        costs = store.cost_by_instrument(
            session, since=since, until=until, instrument_id=instrument_id
        )
        return InstrumentUsage(
            instrument_id=instrument.id,
            instrument_name=instrument.name,
            period=period,
            since=since,
            until=until,
            buckets=_buckets(found, since, until, period),
            parts=tuple(_consumption(line) for line in lines),
            cost=_totals([(row.currency, row.cost_minor) for row in costs]),
            unpriced_parts=sum(row.parts for row in costs if row.currency is None),
        )


def weekly_takes_of_parts(
    ctx: DomainContext, *, actor: Actor, part_ids: Sequence[int], weeks: int = 8
) -> dict[int, tuple[int, ...]]:
    """The quantity taken in each of the last ``weeks`` rolling weeks (oldest first) of
    each part named: one statement for all of them (for sparklines)."""
    require(actor, Action.VIEW)
    weeks = _weeks(weeks)
    ids = list(dict.fromkeys(part_ids))
    if len(ids) > MAX_SPARK_PARTS:
        raise InvalidInput.field("parts", f"Ask for at most {MAX_SPARK_PARTS} parts at a time.")
    if not ids:
        return {}
    with ctx.transaction() as session:
        found = store.weekly_takes(session, part_ids=ids, now=ctx.now(), weeks=weeks)
    return {part_id: tuple(reversed(taken)) for part_id, taken in found.items()}


def _listed(
    ctx: DomainContext,
    actor: Actor,
    action: Action,
    question: Callable[..., Sequence[Any]],
    window: tuple[datetime, datetime],
    limit: int,
) -> Sequence[Any]:
    """Ask a windowed list ``question`` once the actor may and its bounds are valid."""
    require(actor, action)
    since, until = _window(*window)
    limit = _limit(limit)
    with ctx.transaction() as session:
        return question(session, since=since, until=until, limit=limit)


def usage_glance(ctx: DomainContext, *, actor: Actor, part_id: int, weeks: int = 8) -> UsageGlance:
    """A part's takes in each of the last ``weeks`` rolling weeks (oldest first) and its
    forecast, for its card: one transaction."""
    require(actor, Action.VIEW)
    weeks = _weeks(weeks)
    with ctx.transaction() as session:
        found = store.weekly_takes(session, part_ids=[part_id], now=ctx.now(), weeks=weeks)
        forecast = live_forecast(session, ctx, part_id)
    return UsageGlance(weekly_takes=tuple(reversed(found[part_id])), forecast=forecast)


def most_used_parts(
    ctx: DomainContext, *, actor: Actor, since: datetime, until: datetime, limit: int = 10
) -> tuple[PartConsumption, ...]:
    """The parts taken most between ``since`` and ``until``, with their cost where priced."""
    rows = _listed(ctx, actor, Action.VIEW, store.takes_by_part, (since, until), limit)
    return tuple(_consumption(row) for row in rows)


def usage_by_person(
    ctx: DomainContext, *, actor: Actor, since: datetime, until: datetime, limit: int = 20
) -> tuple[PersonUsage, ...]:
    """Who took how much (managers: it is about people)."""
    rows = _listed(
        ctx, actor, Action.SEE_USAGE_BY_PERSON, store.takes_by_person, (since, until), limit
    )
    return tuple(PersonUsage(**row._asdict()) for row in rows)


def shrinkage(
    ctx: DomainContext, *, actor: Actor, since: datetime, until: datetime, limit: int = 20
) -> tuple[Shrinkage, ...]:
    """Parts whose counts found a different quantity than the ledger had, most missing first."""
    rows = _listed(ctx, actor, Action.VIEW, store.count_differences, (since, until), limit)
    return tuple(Shrinkage(**row._asdict()) for row in rows)


def spend_by_instrument(
    ctx: DomainContext, *, actor: Actor, since: datetime, until: datetime, limit: int = 20
) -> tuple[InstrumentSpend, ...]:
    """What each instrument's takes cost, per currency, where prices are known; the
    instruments that cost most first (by their largest currency total)."""
    require(actor, Action.VIEW)
    since, until = _window(since, until)
    limit = _limit(limit)
    with ctx.transaction() as session:
        rows = store.cost_by_instrument(session, since=since, until=until)
    grouped: dict[int, list[store.InstrumentCost]] = defaultdict(list)
    for row in rows:
        grouped[row.instrument_id].append(row)
    spends = [
        InstrumentSpend(
            instrument_id=instrument_id,
            instrument_name=lines[0].name,
            cost=_totals([(line.currency, line.cost_minor) for line in lines]),
            taken=sum(line.taken for line in lines),
            unpriced_parts=sum(line.parts for line in lines if line.currency is None),
        )
        for instrument_id, lines in grouped.items()
    ]
    spends.sort(
        key=lambda s: (-max((c.amount_minor for c in s.cost), default=0), s.instrument_name)
    )
    return tuple(spends[:limit])
