"""A part with the instruments that use it and its latest ledger rows, in one statement.

The part card is the most read answer of the Slack app (``/farlab part <pn>``). Its three
parts (the part, its active links with their instruments, its latest movements) are read
by one SELECT: the links and the movements come back as JSON arrays from correlated
subqueries (``json_agg`` on PostgreSQL, ``json_group_array`` on SQLite), in the order the
card shows them.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from persistence.models import Instrument, InstrumentPart, Part, StockMovement, User

USE_FIELDS = (
    "link_id",
    "instrument_id",
    "instrument_name",
    "instrument_model",
    "instrument_location",
    "instrument_status",
    "quantity_required",
    "is_critical",
    "is_active",
)
MOVEMENT_FIELDS = (
    "id",
    "part_id",
    "delta",
    "quantity_after",
    "reason",
    "actor_id",
    "actor_username",
    "source",
    "instrument_id",
    "instrument_name",
    "created_at",
)


@dataclass(frozen=True)
class PartCard:
    part: Part
    uses: list[dict[str, Any]]  # USE_FIELDS, critical first, then by instrument name
    movements: list[dict[str, Any]]  # MOVEMENT_FIELDS, newest first


def part_card(
    session: Session, *, number: str | None = None, part_id: int | None = None, movements: int
) -> PartCard | None:
    """The card of the part with this number (any case) or id; None when there is none."""
    postgres = session.get_bind().dialect.name == "postgresql"
    by_number = number is not None
    params: dict[str, Any] = {"movements": movements}
    if by_number:
        params["number"] = (number or "").lower()
    else:
        params["part_id"] = part_id
    row = session.execute(_card_statement(postgres, by_number), params).one_or_none()
    if row is None:
        return None
    part, uses, moves = row
    return PartCard(
        part=part,
        uses=[_typed(u) for u in _decoded(uses)],
        movements=[_typed(m) for m in _decoded(moves)],
    )


@functools.cache
def _card_statement(postgres: bool, by_number: bool) -> Select[Any]:
    """Built once per kind and reused: building and keying a statement this size costs more
    CPU than running it."""
    stmt = select(Part, _uses(postgres), _movements(postgres))
    if by_number:
        return stmt.where(func.lower(Part.part_number) == bindparam("number"))
    return stmt.where(Part.id == bindparam("part_id"))


def _uses(postgres: bool) -> Any:
    links = (
        select(
            InstrumentPart.id.label("link_id"),
            Instrument.id.label("instrument_id"),
            Instrument.name.label("instrument_name"),
            Instrument.model.label("instrument_model"),
            Instrument.location.label("instrument_location"),
            Instrument.status.label("instrument_status"),
            InstrumentPart.quantity_required.label("quantity_required"),
            InstrumentPart.is_critical.label("is_critical"),
            InstrumentPart.is_active.label("is_active"),
        )
        .join(Instrument, Instrument.id == InstrumentPart.instrument_id)
        .where(InstrumentPart.part_id == Part.id, InstrumentPart.is_active)
        .order_by(InstrumentPart.is_critical.desc(), Instrument.name)
        .correlate(Part)
        .subquery("uses")
    )
    order = (links.c.is_critical.desc(), links.c.instrument_name)
    return _json_array(postgres, links, USE_FIELDS, order)


def _movements(postgres: bool) -> Any:
    latest = (
        select(
            StockMovement.id.label("id"),
            StockMovement.part_id.label("part_id"),
            StockMovement.delta.label("delta"),
            StockMovement.quantity_after.label("quantity_after"),
            StockMovement.reason.label("reason"),
            StockMovement.actor_id.label("actor_id"),
            User.username.label("actor_username"),
            StockMovement.source.label("source"),
            StockMovement.instrument_id.label("instrument_id"),
            Instrument.name.label("instrument_name"),
            StockMovement.created_at.label("created_at"),
        )
        .outerjoin(User, User.id == StockMovement.actor_id)
        .outerjoin(Instrument, Instrument.id == StockMovement.instrument_id)
        .where(StockMovement.part_id == Part.id)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .limit(bindparam("movements", type_=Integer))
        .correlate(Part)
        .subquery("latest")
    )
    order = (latest.c.created_at.desc(), latest.c.id.desc())
    return _json_array(postgres, latest, MOVEMENT_FIELDS, order)


def _json_array(
    postgres: bool, rows: Any, fields: tuple[str, ...], order: tuple[ColumnElement[Any], ...]
) -> Any:
    pairs: list[Any] = []
    for name in fields:
        pairs += [name, rows.c[name]]
    stmt: Select[Any]
    if postgres:
        item = func.json_build_object(*pairs)
        stmt = select(func.coalesce(func.json_agg(aggregate_order_by(item, *order)), "[]"))
    else:  # SQLite aggregates in the order its subquery gives
        stmt = select(func.json_group_array(func.json_object(*pairs)))
    return stmt.select_from(rows).scalar_subquery()


def _decoded(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    return list(json.loads(value) if isinstance(value, str) else value)


def _typed(item: dict[str, Any]) -> dict[str, Any]:
    """JSON's values as the columns' types: booleans, aware datetimes (UTC)."""
    for name in ("is_critical", "is_active"):
        if name in item:
            item[name] = bool(item[name])
    if isinstance(item.get("created_at"), str):
        moment = datetime.fromisoformat(item["created_at"])
        item["created_at"] = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return item
