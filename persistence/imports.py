"""What an import reads before it writes: the parts, instruments and links a file names,
a thousand at a time, and the active rows it does not name (to deactivate on request)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from persistence.models import Instrument, InstrumentPart, Part

CHUNK = 1000
T = TypeVar("T")


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _keys(values: Iterable[str]) -> list[str]:
    """The values and their lower case: what ``lower(column) IN (...)`` must be given to
    find them whichever way the database folds case (SQLite folds ASCII only)."""
    return sorted({key for value in values for key in (value, value.lower())})


def parts_numbered(session: Session, numbers: Iterable[str]) -> list[Part]:
    """The parts whose number is one of ``numbers`` in any case."""
    found: list[Part] = []
    for chunk in _chunks(_keys(numbers)):
        found += session.scalars(select(Part).where(func.lower(Part.part_number).in_(chunk)))
    return list({part.id: part for part in found}.values())


def part_rows_numbered(session: Session, numbers: Iterable[str]) -> list[Any]:
    """Plain rows (every column, no ORM objects: a large file reads many) of the parts
    whose number is one of ``numbers`` in any case."""
    found: list[Any] = []
    columns = select(*Part.__table__.c)
    for chunk in _chunks(_keys(numbers)):
        found += session.execute(columns.where(func.lower(Part.part_number).in_(chunk))).all()
    return list({row.id: row for row in found}.values())


def link_rows_of_parts(session: Session, part_ids: Sequence[int]) -> list[Any]:
    """Plain rows of every link (active or not) of the given parts."""
    found: list[Any] = []
    columns = select(*InstrumentPart.__table__.c)
    for chunk in _chunks(sorted(set(part_ids))):
        found += session.execute(columns.where(InstrumentPart.part_id.in_(chunk))).all()
    return found


def parts_with_ids(session: Session, ids: Iterable[int]) -> dict[int, Part]:
    """The parts (ORM objects, to change) with these ids."""
    found: dict[int, Part] = {}
    for chunk in _chunks(sorted(set(ids))):
        found.update((p.id, p) for p in session.scalars(select(Part).where(Part.id.in_(chunk))))
    return found


def links_with_ids(session: Session, ids: Iterable[int]) -> dict[int, InstrumentPart]:
    found: dict[int, InstrumentPart] = {}
    for chunk in _chunks(sorted(set(ids))):
        rows = session.scalars(select(InstrumentPart).where(InstrumentPart.id.in_(chunk)))
        found.update((link.id, link) for link in rows)
    return found


def instruments_named(session: Session, names: Iterable[str]) -> list[Instrument]:
    """The instruments whose name is one of ``names`` in any case."""
    found: list[Instrument] = []
    for chunk in _chunks(_keys(names)):
        found += session.scalars(select(Instrument).where(func.lower(Instrument.name).in_(chunk)))
    return list({instrument.id: instrument for instrument in found}.values())


def links_of_parts(session: Session, part_ids: Sequence[int]) -> list[InstrumentPart]:
    """Every link (active or not) of the given parts."""
    found: list[InstrumentPart] = []
    for chunk in _chunks(sorted(set(part_ids))):
        found += session.scalars(select(InstrumentPart).where(InstrumentPart.part_id.in_(chunk)))
    return found


def active_parts_except(session: Session, kept_ids: set[int]) -> list[Any]:
    """(id, part number) of the active parts whose id is not in ``kept_ids``."""
    rows = session.execute(
        select(Part.id, Part.part_number).where(Part.is_active).execution_options(yield_per=CHUNK)
    )
    return [row for row in rows if row.id not in kept_ids]


def active_instruments_except(session: Session, kept_ids: set[int]) -> list[Instrument]:
    rows = session.scalars(select(Instrument).where(Instrument.is_active))
    return [instrument for instrument in rows if instrument.id not in kept_ids]


def add_all(session: Session, rows: Sequence[Any]) -> None:
    """Insert new rows, a thousand per flush (each row then has its id)."""
    for chunk in _chunks(rows):
        session.add_all(chunk)
        session.flush()


def instruments_with_serials(session: Session, serials: Iterable[str]) -> list[Instrument]:
    found: list[Instrument] = []
    for chunk in _chunks(sorted(set(serials))):
        found += session.scalars(select(Instrument).where(Instrument.serial_number.in_(chunk)))
    return found


def parts_and_instruments_linked(
    session: Session, pairs: Sequence[tuple[int, int]]
) -> list[InstrumentPart]:
    """The links (active or not) between the given (instrument id, part id) pairs."""
    part_ids = sorted({part_id for _, part_id in pairs})
    wanted = set(pairs)
    return [
        link
        for link in links_of_parts(session, part_ids)
        if (link.instrument_id, link.part_id) in wanted
    ]


def insert_parts(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert new parts from column values, a thousand per statement; their ids, in order.
    (Core inserts: building an ORM object per row costs more than the insert itself.)"""
    ids: list[int] = []
    stmt = insert(Part).returning(Part.id, sort_by_parameter_order=True)
    for chunk in _chunks(rows):
        ids += session.scalars(stmt, list(chunk)).all()
    return ids


def insert_links(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new links from column values, a thousand per statement."""
    for chunk in _chunks(rows):
        session.execute(insert(InstrumentPart), list(chunk))
