"""Consumption questions, one statement each: takes by part and period, by instrument
(with cost where the preferred offer has a price), by person; counts' differences.

Takes are ledger rows of kind ``take`` (restocks, counts, imports, receipts and edits are
not consumption). Periods are calendar days, ISO weeks (from Monday) or months in UTC:
``date_trunc`` on PostgreSQL, ``date()`` with modifiers on SQLite, the same dates on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Date, and_, case, func, literal, literal_column, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from domain.vocabulary import MovementKind
from persistence.models import Instrument, Part, StockMovement, SupplierOffer, User
from persistence.types import UTCDateTime

TAKE = MovementKind.TAKE.value
COUNT = MovementKind.COUNT.value
MAX_STOCK_POINTS = 5000


def _at(moment: datetime) -> Any:
    return literal(moment, UTCDateTime())


def period_start(session: Session, column: Any, period: str) -> ColumnElement[Any]:
    """The first day of the day, ISO week or month ``column`` (a UTC timestamp) falls in."""
    if session.get_bind().dialect.name == "postgresql":
        utc = func.timezone(literal_column("'UTC'"), column)
        return type_coerce(func.date(func.date_trunc(literal_column(f"'{period}'"), utc)), Date)
    modifiers: tuple[Any, ...] = {
        "day": (),
        "week": (literal_column("'weekday 0'"), literal_column("'-6 days'")),
        "month": (literal_column("'start of month'"),),
    }[period]
    return type_coerce(func.date(column, *modifiers), Date)


def _in_window(since: datetime, until: datetime) -> ColumnElement[bool]:
    return and_(StockMovement.created_at >= _at(since), StockMovement.created_at < _at(until))


class Bucket(NamedTuple):
    start: Any
    taken: int
    takes: int


def takes_by_period(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    period: str,
    part_id: int | None = None,
    instrument_id: int | None = None,
) -> list[Bucket]:
    """The quantity taken and the number of takes per period (periods with takes only)."""
    start = period_start(session, StockMovement.created_at, period).label("start")
    rows = select(start, (-StockMovement.delta).label("quantity")).where(
        StockMovement.kind == TAKE, _in_window(since, until)
    )
    if part_id is not None:
        rows = rows.where(StockMovement.part_id == part_id)
    if instrument_id is not None:
        rows = rows.where(StockMovement.instrument_id == instrument_id)
    moved = rows.subquery()
    result = session.execute(
        select(moved.c.start, func.sum(moved.c.quantity), func.count())
        .group_by(moved.c.start)
        .order_by(moved.c.start)
    )
    return [Bucket(start, int(taken), int(takes)) for start, taken, takes in result]


def stock_levels(
    session: Session, *, part_id: int, since: datetime, until: datetime
) -> tuple[int | None, list[tuple[datetime, int]]]:
    """The part's level just before ``since`` (None: no movement before it) and its level
    after each movement in the window, oldest first."""
    before = session.execute(
        select(StockMovement.quantity_after)
        .where(StockMovement.part_id == part_id, StockMovement.created_at < _at(since))
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    points = session.execute(
        select(StockMovement.created_at, StockMovement.quantity_after)
        .where(StockMovement.part_id == part_id, _in_window(since, until))
        .order_by(StockMovement.created_at, StockMovement.id)
        .limit(MAX_STOCK_POINTS)
    )
    return before, [(at, int(quantity)) for at, quantity in points]


def first_movement(session: Session, *, part_id: int, since: datetime) -> tuple[int, int] | None:
    """The first movement from ``since`` on: (delta, quantity_after)."""
    row = session.execute(
        select(StockMovement.delta, StockMovement.quantity_after)
        .where(StockMovement.part_id == part_id, StockMovement.created_at >= _at(since))
        .order_by(StockMovement.created_at, StockMovement.id)
        .limit(1)
    ).one_or_none()
    return None if row is None else (int(row[0]), int(row[1]))


def counted_difference(session: Session, *, part_id: int, since: datetime, until: datetime) -> int:
    total = session.execute(
        select(func.coalesce(func.sum(StockMovement.delta), 0)).where(
            StockMovement.part_id == part_id,
            StockMovement.kind == COUNT,
            _in_window(since, until),
        )
    ).scalar_one()
    return int(total)


def _cost(taken: Any) -> ColumnElement[int]:
    """What ``taken`` units cost at the preferred offer's price per pack, rounded to the
    nearest minor unit (half up), in integers on both databases; NULL without a price."""
    return case(
        (
            SupplierOffer.unit_price_minor.is_not(None),
            (taken * SupplierOffer.unit_price_minor * 2 + SupplierOffer.pack_size)
            / (SupplierOffer.pack_size * 2),
        ),
        else_=None,
    )


def _preferred() -> Any:
    return (SupplierOffer.part_id == Part.id) & SupplierOffer.is_preferred


class PartLine(NamedTuple):
    part_id: int
    part_number: str
    name: str
    unit: str
    taken: int
    takes: int
    cost_minor: int | None
    currency: str | None


def takes_by_part(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    instrument_id: int | None = None,
    limit: int,
) -> list[PartLine]:
    """Parts by quantity taken (most first), with their cost where priced."""
    taken = (
        select(
            StockMovement.part_id,
            func.sum(-StockMovement.delta).label("taken"),
            func.count().label("takes"),
        )
        .where(StockMovement.kind == TAKE, _in_window(since, until))
        .group_by(StockMovement.part_id)
    )
    if instrument_id is not None:
        taken = taken.where(StockMovement.instrument_id == instrument_id)
    used = taken.subquery("used")
    rows = session.execute(
        select(
            Part.id,
            Part.part_number,
            Part.name,
            Part.unit_of_measure,
            used.c.taken,
            used.c.takes,
            _cost(used.c.taken),
            case((SupplierOffer.unit_price_minor.is_not(None), SupplierOffer.currency)),
        )
        .join(used, used.c.part_id == Part.id)
        .outerjoin(SupplierOffer, _preferred())
        .order_by(used.c.taken.desc(), Part.id)
        .limit(limit)
    )
    return [
        PartLine(
            row[0],
            row[1],
            row[2],
            row[3],
            int(row[4]),
            int(row[5]),
            None if row[6] is None else int(row[6]),
            row[7],
        )
        for row in rows
    ]


class InstrumentCost(NamedTuple):
    instrument_id: int
    name: str
    currency: str | None  # None: the unpriced parts' line
    cost_minor: int | None
    taken: int
    parts: int


def cost_by_instrument(
    session: Session, *, since: datetime, until: datetime, instrument_id: int | None = None
) -> list[InstrumentCost]:
    """Per instrument and currency: the cost of what was taken for it; the parts with no
    price make a line of their own (currency None)."""
    per_part = (
        select(
            StockMovement.instrument_id,
            StockMovement.part_id,
            func.sum(-StockMovement.delta).label("taken"),
        )
        .where(
            StockMovement.kind == TAKE,
            StockMovement.instrument_id.is_not(None),
            _in_window(since, until),
        )
        .group_by(StockMovement.instrument_id, StockMovement.part_id)
    )
    if instrument_id is not None:
        per_part = per_part.where(StockMovement.instrument_id == instrument_id)
    used = per_part.subquery("used")
    currency = case((SupplierOffer.unit_price_minor.is_not(None), SupplierOffer.currency))
    priced = (
        select(
            used.c.instrument_id,
            currency.label("currency"),
            _cost(used.c.taken).label("cost"),
            used.c.taken,
        )
        .join(Part, Part.id == used.c.part_id)
        .outerjoin(SupplierOffer, _preferred())
        .subquery("priced")
    )
    rows = session.execute(
        select(
            Instrument.id,
            Instrument.name,
            priced.c.currency,
            func.sum(priced.c.cost),
            func.sum(priced.c.taken),
            func.count(),
        )
        .join(priced, priced.c.instrument_id == Instrument.id)
        .group_by(Instrument.id, Instrument.name, priced.c.currency)
        .order_by(Instrument.name, Instrument.id, priced.c.currency)
    )
    return [
        InstrumentCost(
            row[0], row[1], row[2], None if row[3] is None else int(row[3]), int(row[4]), row[5]
        )
        for row in rows
    ]


class PersonLine(NamedTuple):
    user_id: int | None
    username: str | None
    taken: int
    takes: int
    parts: int


def takes_by_person(
    session: Session, *, since: datetime, until: datetime, limit: int
) -> list[PersonLine]:
    used = (
        select(
            StockMovement.actor_id,
            func.sum(-StockMovement.delta).label("taken"),
            func.count().label("takes"),
            func.count(StockMovement.part_id.distinct()).label("parts"),
        )
        .where(StockMovement.kind == TAKE, _in_window(since, until))
        .group_by(StockMovement.actor_id)
        .subquery("used")
    )
    rows = session.execute(
        select(used.c.actor_id, User.username, used.c.taken, used.c.takes, used.c.parts)
        .outerjoin(User, User.id == used.c.actor_id)
        .order_by(used.c.taken.desc(), used.c.actor_id)
        .limit(limit)
    )
    return [PersonLine(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows]


class CountLine(NamedTuple):
    part_id: int
    part_number: str
    name: str
    unit: str
    difference: int
    counts: int


def count_differences(
    session: Session, *, since: datetime, until: datetime, limit: int
) -> list[CountLine]:
    """Parts whose counts changed the quantity, most missing first (then most found)."""
    counted = (
        select(
            StockMovement.part_id,
            func.sum(StockMovement.delta).label("difference"),
            func.count().label("counts"),
        )
        .where(StockMovement.kind == COUNT, StockMovement.delta != 0, _in_window(since, until))
        .group_by(StockMovement.part_id)
        .subquery("counted")
    )
    rows = session.execute(
        select(
            Part.id,
            Part.part_number,
            Part.name,
            Part.unit_of_measure,
            counted.c.difference,
            counted.c.counts,
        )
        .join(counted, counted.c.part_id == Part.id)
        .where(counted.c.difference != 0)
        .order_by(counted.c.difference, Part.id)
        .limit(limit)
    )
    return [CountLine(r[0], r[1], r[2], r[3], int(r[4]), int(r[5])) for r in rows]


def weekly_takes(
    session: Session, *, part_ids: Sequence[int], now: datetime, weeks: int
) -> dict[int, list[int]]:
    """The quantity taken in each of the last ``weeks`` rolling weeks ending at ``now``
    (index 0: the latest week) of each part named, in one statement."""
    week = case(
        *(
            (StockMovement.created_at >= _at(now - timedelta(weeks=k + 1)), k)
            for k in range(weeks - 1)
        ),
        else_=weeks - 1,
    )
    rows = select(
        StockMovement.part_id, week.label("week"), (-StockMovement.delta).label("quantity")
    ).where(
        StockMovement.kind == TAKE,
        StockMovement.part_id.in_(list(part_ids)),
        StockMovement.created_at >= _at(now - timedelta(weeks=weeks)),
        StockMovement.created_at < _at(now),
    )
    moved = rows.subquery()
    result = session.execute(
        select(moved.c.part_id, moved.c.week, func.sum(moved.c.quantity)).group_by(
            moved.c.part_id, moved.c.week
        )
    )
    found: dict[int, list[int]] = {part_id: [0] * weeks for part_id in part_ids}
    for part_id, index, taken in result:
        found[part_id][int(index)] = int(taken)
    return found
