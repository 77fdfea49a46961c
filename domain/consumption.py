"""Consumption: what was taken, per part and period, per instrument (with cost), per
person, and what counts found missing. One service per question; each asks the database
one set-based question (``persistence.consumption``), never one per part."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.context import DomainContext
from domain.insight_results import (
    InstrumentSpend,
    InstrumentUsage,
    PartConsumption,
    PartUsage,
    PersonUsage,
    Shrinkage,
)
from domain.permissions import Actor

MAX_WEEKS = 104


def part_usage(
    ctx: DomainContext, *, actor: Actor, part_id: int, weeks: int = 12, period: str = "week"
) -> PartUsage:
    """A part's takes by period over the last ``weeks`` weeks (1-104), its stock level over
    the same time, the counts' differences and its forecast (members and up)."""
    raise NotImplementedError


def instrument_usage(
    ctx: DomainContext, *, actor: Actor, instrument_id: int, weeks: int = 12, period: str = "week"
) -> InstrumentUsage:
    """What an instrument consumed over the last ``weeks`` weeks: by period, by part, and
    its cost per currency where the parts' preferred offers have prices."""
    raise NotImplementedError


def weekly_takes_of_parts(
    ctx: DomainContext, *, actor: Actor, part_ids: Sequence[int], weeks: int = 8
) -> dict[int, tuple[int, ...]]:
    """The quantity taken in each of the last ``weeks`` rolling weeks (oldest first) of
    each part named: one statement for all of them (for sparklines)."""
    raise NotImplementedError


def most_used_parts(
    ctx: DomainContext, *, actor: Actor, since: datetime, until: datetime, limit: int = 10
) -> tuple[PartConsumption, ...]:
    raise NotImplementedError


def usage_by_person(
    ctx: DomainContext, *, actor: Actor, since: datetime, until: datetime, limit: int = 20
) -> tuple[PersonUsage, ...]:
    """Who took how much (managers: it is about people)."""
    raise NotImplementedError


def shrinkage(
    ctx: DomainContext, *, actor: Actor, since: datetime, until: datetime, limit: int = 20
) -> tuple[Shrinkage, ...]:
    """Parts whose counts found a different quantity than the ledger had, most missing first."""
    raise NotImplementedError


def spend_by_instrument(
    ctx: DomainContext, *, actor: Actor, since: datetime, until: datetime, limit: int = 20
) -> tuple[InstrumentSpend, ...]:
    """What each instrument's takes cost, per currency, where prices are known."""
    raise NotImplementedError
