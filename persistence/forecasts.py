"""The forecast's statements: every part's weekly usage figures in one statement (stored
as ``part_forecasts`` by the job, or read for one part on demand), and the ``forecast``
alerts opened and resolved from them in a few set-based statements.

The figures (``domain.forecasting`` explains them) are computed in SQL that reads the same
on PostgreSQL and SQLite: rolling weeks ending at ``now`` are numbered by comparing the
timestamp with bound parameters (no date arithmetic of either dialect), and every division
is made in floating point. So both databases give the same numbers, and the Python side
never loops over parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    Select,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    literal,
    not_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement, ColumnElement

from domain.vocabulary import AlertKind, AlertStatus, MovementKind
from persistence.models import (
    Alert,
    Part,
    PartForecast,
    PurchaseRequest,
    StockMovement,
    SupplierOffer,
)
from persistence.types import UTCDateTime

WEEKS = 12  # the rolling weeks the figures are computed over
MIN_WEEKS = 4  # a part younger than this has too little history
MIN_TAKES = 3  # and so has one taken fewer times in its weeks
CAP = 3  # a week counts at most CAP times the part's mean week (one burst cannot dominate)
Z_95 = 1.645  # the standard normal quantile of a 95% service level
EPSILON = 1e-9  # a float's last bits never push a whole number to the next one


def _at(moment: datetime) -> Any:
    return literal(moment, UTCDateTime())


def _bound(name: str) -> Any:
    return bindparam(name, type_=UTCDateTime())


# The statement is built once, with the week boundaries as parameters: building it and
# computing its cache key anew for each call would cost more than running it for one part.
def _week_of(column: Any) -> ColumnElement[int]:
    """0 for the 7 days before now, 1 for the 7 before those, ... (rows of the window)."""
    return case(*((column >= _bound(f"ago_{k + 1}"), k) for k in range(WEEKS - 1)), else_=WEEKS - 1)


def _weeks_old(column: Any) -> ColumnElement[int]:
    """Whole weeks between ``column`` and now, at most WEEKS."""
    return case(*((column <= _bound(f"ago_{w}"), w) for w in range(WEEKS, 0, -1)), else_=0)


def _weeks_lived(column: Any) -> ColumnElement[int]:
    """The rolling weeks ``column`` (a part's creation) lies in or before, at most WEEKS:
    a part made 30 days ago has lived in 5 (the oldest of them in part)."""
    return case(*((column < _bound(f"ago_{w - 1}"), w) for w in range(WEEKS, 0, -1)), else_=0)


def _parameters(now: datetime, default_lead_time: int) -> dict[str, Any]:
    found: dict[str, Any] = {f"ago_{k}": now - timedelta(weeks=k) for k in range(WEEKS + 1)}
    found["default_lead"] = default_lead_time
    return found


@lru_cache(maxsize=2)
def _figures(one_part: bool) -> Select[Any]:
    """One row per active part taken in the last WEEKS weeks (or only ``:part_id``):
    part_id, weeks, takes, taken, weekly_rate, weekly_sd, lead_time_days, lead_from_offer,
    suggested_minimum (None without enough history)."""
    rows = select(
        StockMovement.part_id,
        _week_of(StockMovement.created_at).label("week"),
        (-StockMovement.delta).label("quantity"),
    ).where(
        StockMovement.kind == MovementKind.TAKE.value,
        StockMovement.created_at >= _bound(f"ago_{WEEKS}"),
        StockMovement.created_at < _bound("ago_0"),
    )
    if one_part:
        rows = rows.where(StockMovement.part_id == bindparam("part_id", type_=Integer))
    moved = rows.subquery("moved")
    weekly = (
        select(
            moved.c.part_id,
            moved.c.week,
            func.sum(moved.c.quantity).label("taken"),
            func.count().label("takes"),
        )
        .group_by(moved.c.part_id, moved.c.week)
        .subquery("weekly")
    )
    # A part made in the last WEEKS weeks has lived fewer weeks; all others have lived them
    # all. Those few young parts, and the few inactive ones, are small tables to look up:
    # joining every part-week to all the parts cost more than grouping the takes.
    young_parts = select(
        Part.id,
        _weeks_lived(Part.created_at).label("n"),
        _weeks_old(Part.created_at).label("full"),
    ).where(Part.created_at > _bound(f"ago_{WEEKS}"))
    # NOT IN a small set PostgreSQL hashes once (the scan has the memory for it; one part's
    # answer looks at that part only), where NOT EXISTS sorted every part-week to merge.
    inactive = select(Part.id).where(not_(Part.is_active))
    if one_part:  # one part's answer reads that part's row only
        young_parts = young_parts.where(Part.id == bindparam("part_id", type_=Integer))
        inactive = inactive.where(Part.id == bindparam("part_id", type_=Integer))
    young = young_parts.subquery("young")
    n = func.coalesce(young.c.n, WEEKS)
    aged = (
        select(
            weekly,
            n.label("n"),
            func.coalesce(young.c.full, WEEKS).label("full"),
            # the part's total over its weeks, beside each week: the cap needs it
            func.sum(weekly.c.taken).over(partition_by=weekly.c.part_id).label("total"),
        )
        .outerjoin(young, young.c.id == weekly.c.part_id)
        # weeks before the part existed do not count
        .where(weekly.c.part_id.not_in(inactive), weekly.c.week < n)
        .subquery("aged")
    )
    capped_week = case(
        (aged.c.taken * aged.c.n > CAP * aged.c.total, CAP * 1.0 * aged.c.total / aged.c.n),
        else_=aged.c.taken * 1.0,
    )
    stats = (
        select(
            aged.c.part_id,
            func.min(aged.c.n).label("n"),  # one value per part: not a grouping key to hash
            func.min(aged.c.full).label("full"),
            func.sum(aged.c.taken).label("s"),
            func.sum(aged.c.taken * aged.c.taken).label("ss"),
            func.sum(aged.c.takes).label("takes"),
            func.sum((aged.c.n - aged.c.week) * capped_week).label("wsum"),
        )
        .group_by(aged.c.part_id)
        .subquery("stats")
    )
    lived = stats.c.n
    rate = stats.c.wsum / (lived * (lived + 1) / 2.0)
    variance = case(
        (lived > 1, (stats.c.ss - 1.0 * stats.c.s * stats.c.s / lived) / (lived - 1)),
        else_=0.0,
    )
    offer = SupplierOffer.__table__.alias("offer")
    base = (
        select(
            stats.c.part_id,
            lived.label("weeks"),
            stats.c.full,
            stats.c.takes,
            stats.c.s.label("taken"),
            rate.label("weekly_rate"),
            func.sqrt(case((variance > 0, variance), else_=0.0)).label("weekly_sd"),
            func.coalesce(offer.c.lead_time_days, bindparam("default_lead", type_=Integer)).label(
                "lead_time_days"
            ),
            offer.c.lead_time_days.is_not(None).label("lead_from_offer"),
        )
        .outerjoin(offer, and_(offer.c.part_id == stats.c.part_id, offer.c.is_preferred))
        .subquery("base")
    )
    # Enough history: MIN_WEEKS whole weeks since the part was made, MIN_TAKES takes.
    enough = and_(base.c.full >= MIN_WEEKS, base.c.takes >= MIN_TAKES)
    lead_weeks = base.c.lead_time_days / 7.0
    suggested = func.ceil(
        base.c.weekly_rate * lead_weeks + Z_95 * base.c.weekly_sd * func.sqrt(lead_weeks) - EPSILON
    )
    return select(
        base.c.part_id,
        base.c.weeks,
        base.c.takes,
        base.c.taken,
        base.c.weekly_rate,
        base.c.weekly_sd,
        base.c.lead_time_days,
        base.c.lead_from_offer,
        case((enough, cast(suggested, Integer)), else_=None).label("suggested_minimum"),
    )


class Figures(NamedTuple):
    part_id: int
    weeks: int
    takes: int
    taken: int
    weekly_rate: float
    weekly_sd: float
    lead_time_days: int
    lead_from_offer: bool
    suggested_minimum: int | None


def figures_of_part(
    session: Session, part_id: int, *, now: datetime, default_lead_time: int
) -> Figures | None:
    """The part's figures, computed now (None: not taken in the last WEEKS weeks)."""
    params = {**_parameters(now, default_lead_time), "part_id": part_id}
    row = session.execute(_figures(True), params).one_or_none()
    return None if row is None else _figures_of(row)


def _figures_of(row: Any) -> Figures:
    return Figures(
        part_id=row.part_id,
        weeks=int(row.weeks),
        takes=int(row.takes),
        taken=int(row.taken),
        weekly_rate=float(row.weekly_rate),
        weekly_sd=float(row.weekly_sd),
        lead_time_days=int(row.lead_time_days),
        lead_from_offer=bool(row.lead_from_offer),
        suggested_minimum=None if row.suggested_minimum is None else int(row.suggested_minimum),
    )


# The scan's statement groups millions of takes: on PostgreSQL it gets the memory to hash
# them without spilling to disk, and no JIT (seconds of compiling for a statement that
# runs once an hour), for this transaction only.
SCAN_SETTINGS = {
    "work_mem": "256MB",
    "jit": "off",
    "parallel_setup_cost": "100",
    "parallel_tuple_cost": "0.01",
    "max_parallel_workers_per_gather": "2",
    # It cannot estimate how many parts the grouped weeks make (it guesses 200 of 575,000),
    # and would look each one's offer up by index.
    "enable_nestloop": "off",
}
STAGED = "forecast_figures"
_STAGED = Table(  # the temporary table's columns, as the figures' statement makes them
    STAGED,
    MetaData(),
    Column("part_id", Integer),
    Column("weeks", Integer),
    Column("takes", Integer),
    Column("taken", Integer),
    Column("weekly_rate", Float),
    Column("weekly_sd", Float),
    Column("lead_time_days", Integer),
    Column("lead_from_offer", Boolean),
    Column("suggested_minimum", Integer),
)


def refresh(session: Session, *, now: datetime, default_lead_time: int) -> tuple[int, int]:
    """Replace the stored forecasts with today's figures of the parts that have enough
    history: (parts with a forecast, parts taken with too little history).

    The figures are first computed into a temporary table (``CREATE TABLE AS``, which
    PostgreSQL runs with parallel workers where ``INSERT ... SELECT`` gets none), counted,
    and the forecasts copied from it.
    """
    conn = session.connection()
    postgres = conn.dialect.name == "postgresql"
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGED}")
    if postgres:
        before = conn.execute(select(*(func.current_setting(k) for k in SCAN_SETTINGS))).one()
        conn.execute(select(*(func.set_config(k, v, True) for k, v in SCAN_SETTINGS.items())))
    conn.execute(StageAs(STAGED, _figures(False)), _parameters(now, default_lead_time))
    if postgres:  # the settings were for that statement only
        conn.execute(
            select(
                *(func.set_config(k, v, True) for k, v in zip(SCAN_SETTINGS, before, strict=True))
            )
        )
    try:
        made, too_little = conn.execute(
            select(
                func.count(_STAGED.c.suggested_minimum),
                func.count() - func.count(_STAGED.c.suggested_minimum),
            )
        ).one()
        copied = [c.name for c in _STAGED.c]
        upsert = (postgresql.insert if postgres else sqlite.insert)(PartForecast)
        # Updated in place (fewer dead rows than delete-and-insert), new ones inserted;
        # the parts that lost their forecast are deleted.
        conn.execute(
            upsert.from_select(
                ["computed_at", *copied],
                select(_at(now), *_STAGED.c).where(_STAGED.c.suggested_minimum.is_not(None)),
            ).on_conflict_do_update(
                index_elements=["part_id"],
                set_={name: upsert.excluded[name] for name in ["computed_at", *copied[1:]]},
            )
        )
        kept = exists().where(
            _STAGED.c.part_id == PartForecast.part_id, _STAGED.c.suggested_minimum.is_not(None)
        )  # NOT EXISTS, an anti-join: NOT IN would compare every row with every other
        session.execute(delete(PartForecast).where(not_(kept)))
    finally:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGED}")
    return int(made), int(too_little)


class StageAs(Executable, ClauseElement):
    """``CREATE TEMPORARY TABLE name AS <select>``, its parameters bound as the select's."""

    inherit_cache = False

    def __init__(self, name: str, query: Select[Any]) -> None:
        self.name = name
        self.query = query


@compiles(StageAs)
def _compile_stage_as(element: StageAs, compiler: Any, **kw: Any) -> str:
    return f"CREATE TEMPORARY TABLE {element.name} AS {compiler.process(element.query, **kw)}"


def stored_figures(row: PartForecast) -> Figures:
    return Figures(
        part_id=row.part_id,
        weeks=row.weeks,
        takes=row.takes,
        taken=row.taken,
        weekly_rate=row.weekly_rate,
        weekly_sd=row.weekly_sd,
        lead_time_days=row.lead_time_days,
        lead_from_offer=row.lead_from_offer,
        suggested_minimum=row.suggested_minimum,
    )


def ordered_remaining(part_id: Any = Part.id) -> Any:
    """What is still to come on the part's ordered reorder (0 when none)."""
    return func.coalesce(
        select(func.sum(PurchaseRequest.quantity - PurchaseRequest.quantity_received))
        .where(PurchaseRequest.part_id == part_id, PurchaseRequest.state == "ordered")
        .scalar_subquery(),
        0,
    )


def falls_to_minimum_within(margin_days: int) -> ColumnElement[bool]:
    """The forecast alert's rule, on ``part_forecasts`` joined to ``parts``: the part is
    above its minimum, and at its rate its stock and what is on order fall to the minimum
    before a reorder placed today (lead time + margin) would arrive."""
    position = Part.quantity_in_stock + ordered_remaining()
    return and_(
        Part.is_active,
        PartForecast.suggested_minimum.is_not(None),
        PartForecast.weekly_rate > 0,
        Part.quantity_in_stock > Part.minimum_stock_level,
        (position - Part.minimum_stock_level) * 7.0
        < PartForecast.weekly_rate * (PartForecast.lead_time_days + margin_days),
    )


def _open_forecast_alert(part_id: Any) -> ColumnElement[bool]:
    return exists().where(
        Alert.part_id == part_id,
        Alert.kind == AlertKind.FORECAST,
        Alert.status != AlertStatus.RESOLVED,
    )


class Candidate(NamedTuple):
    part_id: int
    part_number: str
    name: str
    unit: str
    stock: int
    minimum: int
    is_critical: bool
    weekly_rate: float
    lead_time_days: int


def new_alert_candidates(session: Session, *, margin_days: int) -> list[Candidate]:
    """Parts the rule holds for and that have no unresolved forecast alert."""
    rows = session.execute(
        select(
            Part.id,
            Part.part_number,
            Part.name,
            Part.unit_of_measure,
            Part.quantity_in_stock,
            Part.minimum_stock_level,
            Part.is_critical,
            PartForecast.weekly_rate,
            PartForecast.lead_time_days,
        )
        .join(PartForecast, PartForecast.part_id == Part.id)
        .where(falls_to_minimum_within(margin_days), not_(_open_forecast_alert(Part.id)))
        .order_by(Part.id)
    )
    return [Candidate(*row) for row in rows]


def insert_alerts(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert forecast alerts; one already unresolved for the part (a concurrent run's)
    is kept and the new one skipped."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    made = 0
    for start in range(0, len(rows), 1000):
        made += len(
            session.execute(
                upsert(Alert).on_conflict_do_nothing().returning(Alert.id),
                list(rows[start : start + 1000]),
            ).all()
        )
    return made


RESOLVED_AT_MINIMUM = "At its minimum now: the low-stock alert takes over."
RESOLVED_BY_ORDER = "An order on its way covers it."
RESOLVED_RECOVERED = "Stock or usage recovered: it no longer runs out within the lead time."


def resolve_stale_alerts(
    session: Session, *, now: datetime, margin_days: int, resolved_by_id: int | None
) -> int:
    """Resolve the unresolved forecast alerts whose part the rule no longer holds for,
    each with the reason: at its minimum, covered by an order, or recovered."""
    holds = (
        select(PartForecast.part_id)
        .join(Part, Part.id == PartForecast.part_id)
        .where(Part.id == Alert.part_id, falls_to_minimum_within(margin_days))
        .exists()
    )
    at_minimum = (
        select(Part.id)
        .where(Part.id == Alert.part_id, Part.quantity_in_stock <= Part.minimum_stock_level)
        .exists()
    )
    ordered = (
        select(PurchaseRequest.id)
        .where(PurchaseRequest.part_id == Alert.part_id, PurchaseRequest.state == "ordered")
        .exists()
    )
    note = case(
        (at_minimum, RESOLVED_AT_MINIMUM), (ordered, RESOLVED_BY_ORDER), else_=RESOLVED_RECOVERED
    )
    stmt = (
        update(Alert)
        .where(
            Alert.kind == AlertKind.FORECAST,
            Alert.status != AlertStatus.RESOLVED,
            not_(holds),
        )
        .values(
            status=AlertStatus.RESOLVED,
            resolved_at=now,
            resolved_by_id=resolved_by_id,
            resolution_note=note,
        )
        .execution_options(synchronize_session=False)
    )
    result: CursorResult[Any] = session.execute(stmt)  # type: ignore[assignment]
    return result.rowcount or 0


def suggestions_far_from_minimum(
    session: Session, *, limit: int
) -> list[tuple[Part, PartForecast]]:
    """Active parts whose stored suggestion differs from their minimum by at least 2 and
    by a quarter of the larger of the two, furthest (relatively) first."""
    suggested = PartForecast.suggested_minimum
    gap = func.abs(suggested - Part.minimum_stock_level)
    larger = case((suggested > Part.minimum_stock_level, suggested), else_=Part.minimum_stock_level)
    rows = session.execute(
        select(Part, PartForecast)
        .join(PartForecast, PartForecast.part_id == Part.id)
        .where(
            Part.is_active,
            suggested.is_not(None),
            gap >= 2,
            gap * 4 >= larger,
        )
        .order_by((gap * 1.0 / larger).desc(), Part.id)
        .limit(limit)
    )
    return [(part, forecast) for part, forecast in rows.tuples()]


def running_out(
    session: Session, *, margin_days: int, limit: int
) -> list[tuple[Part, PartForecast]]:
    """Parts the forecast alert's rule holds for, soonest at their minimum first."""
    days_to_minimum = (
        (Part.quantity_in_stock - Part.minimum_stock_level) * 7.0 / PartForecast.weekly_rate
    )
    rows = session.execute(
        select(Part, PartForecast)
        .join(PartForecast, PartForecast.part_id == Part.id)
        .where(falls_to_minimum_within(margin_days))
        .order_by(cast(days_to_minimum, Float), Part.id)
        .limit(limit)
    )
    return [(part, forecast) for part, forecast in rows.tuples()]
